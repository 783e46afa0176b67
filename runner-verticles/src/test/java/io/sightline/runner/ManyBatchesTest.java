package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tens of thousands of cursor batches in one run: the streaming loop must not grow the stack per batch (a 10M-row
 * run is 5,000 batches at the default fetch size; this is 30,000).
 */
@ExtendWith(PostgresExtension.class)
class ManyBatchesTest {
  private static RunFixture fx;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 1, Map.of("SIGHTLINE_RUNS_FETCH_SIZE", "2"));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void aRunOfThirtyThousandBatchesCompletes() {
    String ds = fx.postgresDatasource("Tiny batches", 1);
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "select g from generate_series(1, 60000) g").runId(),
        Duration.ofSeconds(60));
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(60_000);
  }

  @Test
  void aSecondConnectorStreamingThirtyThousandBatchesCompletes() {
    String ds = fx.generatedDatasource("Generated tiny batches");
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "rows:60000").runId(), Duration.ofSeconds(60));
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(60_000);
  }
}
