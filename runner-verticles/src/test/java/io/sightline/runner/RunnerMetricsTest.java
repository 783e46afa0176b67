package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.testkit.Await;
import io.sightline.testkit.Http;
import io.sightline.testkit.MetricsScrape;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A runner node with {@code SIGHTLINE_METRICS_PORT} set, scraped over HTTP like Prometheus would: after a schedule
 * fired and its run ended, the schedule and run meters are there with their closed label sets (no ids), beside
 * Vert.x's and the JVM's, and Prometheus's own promtool accepts the whole text.
 */
@ExtendWith(PostgresExtension.class)
class RunnerMetricsTest {
  private static final String ORG = UUID.randomUUID().toString();
  private static TestDatabase db;
  private static Node node;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-metrics",
        "SIGHTLINE_METRICS_PORT", "0")), NodeRole.RUNNER, false);
    Await.result(node.vertx().deployVerticle(new RunnerVerticle(node.config(), node.pool(), node.secrets(), 4,
        Clock.systemUTC())));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void theManagementListenerGivesARunnerHealthChecksButNothingElse() {
    String base = "http://127.0.0.1:" + node.metricsPort();
    HttpResponse<String> health = Http.get(base + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("up");
    HttpResponse<String> ready = Http.get(base + "/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
    assertThat(checks.getJsonObject("database").getString("status")).isEqualTo("up");
    assertThat(checks.getJsonObject("migrations").getString("status")).isEqualTo("up");
    assertThat(Http.get(base + "/api/v1/runs").statusCode()).isEqualTo(404);
  }

  @Test
  void firingAndRunShowOnMetricsAndPromtoolAcceptsThem() {
    assertThat(node.metricsPort()).isPositive().isNotEqualTo(node.config().http().port());
    db.execute("insert into orgs (id, name, slug) values ('" + ORG + "', 'Ops', 'ops-metrics')");
    String ds = UUID.randomUUID().toString();
    db.execute("insert into datasources (id, org_id, name, kind, options, max_concurrency) values ('" + ds + "', '"
        + ORG + "', 'gen', 'generated', '{\"host\":\"g\",\"port\":1,\"database\":\"n\",\"user\":\"n\"}', 5)");
    String query = UUID.randomUUID().toString();
    db.execute("insert into queries (id, org_id, datasource_id, name, sql) values ('" + query + "', '" + ORG + "', '"
        + ds + "', 'q', 'rows:3')");
    String schedule = UUID.randomUUID().toString();
    db.execute("insert into schedules (id, org_id, query_id, name, kind, every_seconds, timezone, next_run_at)"
        + " values ('" + schedule + "', '" + ORG + "', '" + query + "', 's', 'interval', 3600, 'UTC',"
        + " now() - interval '2 seconds')");

    AtomicReference<String> text = new AtomicReference<>("");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .alias("scrape with the firing and its run: " + text)
        .until(() -> {
          text.set(MetricsScrape.scrape(node.metricsPort()));
          return text.get().contains("sightline_runs_total{datasource=\"" + ds
              + "\",status=\"succeeded\",trigger=\"schedule\"} 1.0")
              && text.get().contains("sightline_schedules{state=\"ok\"} 1.0")
              && text.get().contains("sightline_datasource_max_concurrency{datasource=\"" + ds + "\"} 5.0");
        });
    String scrape = text.get();
    assertThat(scrape)
        .contains("# TYPE sightline_schedule_lag_seconds histogram")
        .contains("sightline_schedule_lag_seconds_count 1")
        .contains("sightline_schedule_lag_seconds_bucket{le=\"+Inf\"} 1")
        .contains("sightline_schedule_firings_total{outcome=\"enqueued\"} 1.0")
        .contains("sightline_schedules{state=\"failing\"} 0.0")
        .contains("sightline_schedules{state=\"broken\"} 0.0")
        .contains("sightline_schedules{state=\"paused\"} 0.0")
        // the run: its queue wait, execution and persist timed once, its 3 rows and their bytes, nothing in flight
        .contains("sightline_run_queue_wait_seconds_count 1", "sightline_run_execution_seconds_count 1",
            "sightline_run_persist_seconds_count 1", "sightline_run_execution_seconds_bucket{le=\"+Inf\"} 1")
        .contains("sightline_run_rows_total{datasource=\"" + ds + "\"} 3.0")
        .contains("sightline_runner_runs_in_flight{datasource=\"" + ds + "\"} 0.0")
        .contains("sightline_runner_capacity 4.0")
        .contains("sightline_result_stored_bytes_total{storage=\"postgres\"}")
        .contains("sightline_datasource_queued{datasource=\"" + ds + "\"} 0.0")
        .contains("sightline_datasource_running{datasource=\"" + ds + "\"} 0.0")
        // Vert.x's own (the metadata pool, the event bus) and the JVM's
        .contains("vertx_pool_", "pool_name=\"sightline-metadata\"", "vertx_eventbus_")
        .contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "system_cpus ", "process_cpu_seconds_total ")
        // low cardinality: no schedule, run, org or query id in any label
        .doesNotContain(schedule, ORG, query, runId(schedule));
    // the lag of a slot 2 s overdue is about 2 s: within the (1, 5] s buckets, not below
    assertThat(scrape).contains("sightline_schedule_lag_seconds_bucket{le=\"1.0\"} 0");
    assertThat(scrape).containsPattern("sightline_run_bytes_total\\{datasource=\"" + ds + "\"\\} [1-9]");
    MetricsScrape.assertPromtoolAccepts(scrape);
  }

  private static String runId(String schedule) {
    return db.scalar("select run_ids[1]::text from schedule_firings where schedule_id = '" + schedule + "'")
        .toString();
  }
}
