package io.sightline.shared.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table stays true: every variable Sightline reads is documented with its key. */
class ReadmeConfigurationTest {

  @Test
  void everySettingIsInTheReadmeTable() throws Exception {
    String root = System.getProperty("sightline.project.root", "..");
    String readme = Files.readString(Path.of(root, "README.md"));
    for (ConfigLoader.Setting s : ConfigLoader.SETTINGS) {
      assertThat(readme).as("README row for %s", s.env())
          .contains("| `" + s.env() + "` | `" + s.key() + "` |");
    }
  }
}
