package io.sightline.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The datasource label is the id for the first datasources a process meets, and "other" beyond the cap. */
class DatasourceLabelsTest {
  @Test
  void idsUpToTheCapThenOtherAndAKnownIdKeepsItsLabel() {
    DatasourceLabels labels = new DatasourceLabels(3);
    assertThat(IntStream.range(0, 3).mapToObj(i -> labels.of("ds-" + i))).containsExactly("ds-0", "ds-1", "ds-2");
    assertThat(labels.of("ds-3")).isEqualTo(DatasourceLabels.OTHER);
    assertThat(labels.of("ds-1")).isEqualTo("ds-1");
    assertThat(labels.of(null)).isEqualTo(DatasourceLabels.OTHER);
    assertThat(new DatasourceLabels().of("x")).isEqualTo("x");
    assertThat(DatasourceLabels.MAX).isEqualTo(200);
  }
}
