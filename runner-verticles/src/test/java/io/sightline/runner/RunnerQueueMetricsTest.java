package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.connector.Connectors;
import io.sightline.shared.runs.ClaimedRun;
import io.sightline.shared.runs.RunQueue;
import io.sightline.testkit.Await;
import io.sightline.testkit.MetricsScrape;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue as the metrics show it, driven directly (no runner verticle claims anything): the cluster-wide datasource
 * gauges after a refresh (queued runs, the oldest's age, running runs and the cap, the info series), and the reaper's
 * counters — a run recovered from an expired lease, a queued run failed at its queue deadline.
 */
@ExtendWith(PostgresExtension.class)
class RunnerQueueMetricsTest {
  private static RunFixture fx;
  private static RunQueue queue;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 0, Map.of("SIGHTLINE_METRICS_PORT", "0"));
    queue = new RunQueue(fx.node.pool(), 30);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void datasourceGaugesShowTheClusterQueueAndTheReaperCountsRecoveries() {
    String ds = fx.postgresDatasource("Warehouse \"eu\"", 3);
    String idle = fx.postgresDatasource("Idle", 7);
    String lostRun = fx.enqueue(ds, "select 1 /* lost */").runId();
    List<ClaimedRun> claimed = Await.result(queue.claim("gone-runner", ds, 1));
    assertThat(claimed).extracting(ClaimedRun::id).containsExactly(lostRun);
    fx.enqueue(ds, "select 2 /* queued */");
    String late = fx.enqueue(ds, "select 3 /* late */").runId();
    fx.db.execute("update runs set created_at = now() - interval '90 seconds' where status = 'queued'");

    Vertx vertx = fx.node.vertx();
    RunnerMetrics metrics = RunnerMetrics.of(vertx);
    Promise<Void> refreshed = Promise.promise();
    vertx.runOnContext(x -> metrics.refreshCluster(fx.node.pool()).onComplete(refreshed));
    Await.result(refreshed.future());
    String scrape = MetricsScrape.scrape(fx.node.metricsPort());
    assertThat(scrape)
        .contains("sightline_datasource_queued{datasource=\"" + ds + "\"} 2.0")
        .contains("sightline_datasource_running{datasource=\"" + ds + "\"} 1.0")
        .contains("sightline_datasource_max_concurrency{datasource=\"" + ds + "\"} 3.0")
        .contains("sightline_datasource_queued{datasource=\"" + idle + "\"} 0.0")
        .contains("sightline_datasource_oldest_queued_age_seconds{datasource=\"" + idle + "\"} 0.0")
        .contains("sightline_datasource_info{datasource=\"" + ds + "\",kind=\"postgres\",name=\"Warehouse \\\"eu\\\"\"} 1")
        .contains("sightline_runs_recovered_total{reason=\"lease_expired\"} 0.0")
        .contains("sightline_runs_recovered_total{reason=\"member_lost\"} 0.0")
        .doesNotContain(fx.orgId, lostRun, late);
    assertThat(MetricsScrape.value(scrape, "sightline_datasource_oldest_queued_age_seconds{datasource=\"" + ds + "\"}"))
        .isBetween(89.0, 300.0);
    MetricsScrape.assertPromtoolAccepts(scrape);

    // the reaper: the run whose lease expired is recovered, the queued run past its deadline fails
    fx.db.execute("update runs set lease_until = now() - interval '1 second' where id = '" + lostRun + "'");
    fx.db.execute("update runs set queue_deadline = now() - interval '1 second' where id = '" + late + "'");
    LostRuns reaper = new LostRuns(vertx, fx.node.pool(), fx.node.secrets(), Connectors.load(), queue,
        new DatasourceSlots(vertx, 30_000), "metrics-test");
    vertx.runOnContext(v -> reaper.reap());
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(MetricsScrape.scrape(fx.node.metricsPort()))
            .contains("sightline_runs_recovered_total{reason=\"lease_expired\"} 1.0")
            .contains("sightline_runs_queue_timeouts_total 1.0"));
  }

}
