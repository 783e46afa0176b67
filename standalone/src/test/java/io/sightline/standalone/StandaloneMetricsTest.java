package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.MetricsScrape;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A standalone process (api and runner in one JVM) with {@code /metrics} on, after a few runs, a failed sign-in and a
 * bridge socket: each family moves with the action that should move it, promtool accepts the scrape, the alert rules
 * in deploy/prometheus pass {@code promtool check rules} and their unit tests, and every metric the Grafana dashboard
 * in deploy/grafana (and the rules) reads is one the scrape exposes.
 */
@ExtendWith(PostgresExtension.class)
class StandaloneMetricsTest {
  private static final String ADMIN = "admin@sightline.test";
  private static final String PASSWORD = "admin password for tests";
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static Node node;
  private static ApiClient admin;
  private static String datasourceId;
  private static String base;

  @BeforeAll
  static void start(TestDatabase db) {
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD",
        PASSWORD, "SIGHTLINE_METRICS_PORT", "0")), NodeRole.STANDALONE, false);
    RunnerMain.deploy(node);
    ApiMain.deploy(node);
    base = "http://127.0.0.1:" + node.config().http().port();
    admin = new ApiClient(base).login(ADMIN, PASSWORD);
    datasourceId = SelfDatasource.create(admin, db, new JsonObject());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String scrape() {
    return MetricsScrape.scrape(node.metricsPort());
  }

  @Test
  void runsSignInsAndSocketsMoveTheirMetricsAndTheDashboardAndRulesReadOnlyExposedMetrics() throws IOException {
    List<String> runs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      runs.add(admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId)
          .put("sql", "select g from generate_series(1, " + (10 * i) + ") g")).json().getString("id"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.stream()
        .allMatch(id -> "succeeded".equals(admin.get("/api/v1/runs/" + id).json().getString("status"))));
    assertThat(new ApiClient(base).post("/api/v1/auth/login", new JsonObject().put("email", ADMIN)
        .put("password", "not the password")).status()).isEqualTo(401);

    String ds = "datasource=\"" + datasourceId + "\"";
    // the runs: counted by datasource, each timed once in each histogram, 10 + 20 + 30 rows
    String afterRuns = scrape();
    assertThat(afterRuns)
        .contains("sightline_runs_total{" + ds + ",status=\"succeeded\",trigger=\"manual\"} 3.0")
        .contains("sightline_run_queue_wait_seconds_count 3", "sightline_run_execution_seconds_count 3",
            "sightline_run_persist_seconds_count 3")
        .contains("sightline_run_rows_total{" + ds + "} 60.0")
        .contains("sightline_runner_runs_in_flight{" + ds + "} 0.0")
        .contains("sightline_login_failures_total 1.0");
    assertThat(MetricsScrape.value(afterRuns, "sightline_run_bytes_total{" + ds + "}")).isPositive();
    assertThat(MetricsScrape.value(afterRuns, "sightline_result_stored_bytes_total{storage=\"postgres\"}")).isPositive();

    // a bridge socket: 1 open with one registration, then 0 and 0 once it closed
    String org = admin.get("/api/v1/me").json().getJsonObject("org").getString("id");
    try (BridgeSocket.Client bridge = new BridgeSocket.Client(node.config().http().port())) {
      BridgeSocket socket = bridge.open("sightline_session=" + admin.cookie("sightline_session").orElseThrow()
          .getValue());
      socket.register(Addresses.orgRuns(org));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
          .contains("sightline_bridge_sockets 1.0", "sightline_bridge_registrations_active 1.0",
              "sightline_bridge_registrations_total{outcome=\"accepted\"} 1.0"));
      socket.close();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
          .contains("sightline_bridge_sockets 0.0", "sightline_bridge_registrations_active 0.0"));
    }

    // the cluster-wide gauges refresh every 15 s; a GC gives the pause histogram its first sample
    System.gc();
    String[] last = new String[1];
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
      last[0] = scrape();
      return last[0].contains("sightline_datasource_max_concurrency{" + ds + "}")
          && last[0].contains("jvm_gc_pause_seconds_count");
    });
    String scrape = last[0];
    assertThat(scrape).contains("sightline_datasource_queued{" + ds + "} 0.0")
        .doesNotContain(org).doesNotContain(runs.get(0)).doesNotContain(ADMIN);
    MetricsScrape.assertPromtoolAccepts(scrape);

    Set<String> exposed = MetricsScrape.sampleNames(scrape);
    Set<String> dashboard = dashboardMetrics();
    assertThat(dashboard).as("metrics the dashboard reads").hasSizeGreaterThan(20);
    assertThat(exposed).as("the scrape exposes every metric the dashboard reads").containsAll(dashboard);
    assertThat(exposed).as("the scrape exposes every metric the rules read").containsAll(ruleMetrics());

    Files.writeString(Path.of("target", "standalone-scrape.txt"), scrape);   // for reading, beside the figure below
    int series = MetricsScrape.series(scrape).size();
    System.out.printf("standalone scrape after 3 runs: %d series, %d bytes, %d families%n", series, scrape.length(),
        scrape.lines().filter(l -> l.startsWith("# TYPE ")).count());
    assertThat(series).as("series of a standalone process").isLessThan(1500);
  }

  @Test
  void alertRulesPassPromtoolsCheckAndTheirUnitTests() {
    Path dir = DEPLOY.resolve("prometheus");
    assertThat(MetricsScrape.promtool(dir, null, "check", "rules", "sightline-rules.yml")).contains("SUCCESS: 6 rules");
    assertThat(MetricsScrape.promtool(dir, null, "test", "rules", "sightline-rules.test.yml")).contains("SUCCESS");
  }

  /** Every metric the dashboard's panels query, from its JSON (which must parse). */
  private static Set<String> dashboardMetrics() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/sightline.json")));
    Set<String> names = new TreeSet<>();
    dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast)
        .filter(p -> !"row".equals(p.getString("type")))
        .forEach(p -> {
          assertThat(p.getJsonArray("targets")).as("targets of panel %s", p.getString("title")).isNotEmpty();
          p.getJsonArray("targets").stream().map(JsonObject.class::cast)
              .forEach(t -> names.addAll(PromQlNames.of(t.getString("expr"))));
        });
    return names;
  }

  /** Every metric the alert rules read. */
  private static Set<String> ruleMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    String rules = Files.readString(DEPLOY.resolve("prometheus/sightline-rules.yml"));
    Matcher m = Pattern.compile("(?m)^\\s*expr: (?:\\|\\n)?((?:.+\\n)+?)\\s*(?:for|labels):").matcher(rules);
    while (m.find()) {
      names.addAll(PromQlNames.of(m.group(1)));
    }
    assertThat(names).as("metrics the rules read").hasSizeGreaterThan(5);
    return names;
  }

}
