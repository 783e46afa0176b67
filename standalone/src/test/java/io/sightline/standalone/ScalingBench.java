package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/scaling.md's figures: one api process and one, then two, runner processes (separate JVMs, clustered) over one
 * Postgres on this machine. Per runner count: small runs enqueued over HTTP as fast as the api takes them (throughput
 * from the first enqueue to the last end, latency enqueue → end, the metadata database's statements per run from
 * pg_stat_statements), and a batch of 1,000,000-row runs (rows per second). The datasource is another database of the
 * same server, so its statements count apart from the metadata database's.
 *
 * <p>Not part of {@code mvn verify}: {@code mvn -B -q -ntp -Dskip.web -Dskip.e2e -pl standalone -am verify
 * -Dtest=ScalingBench -Dsightline.bench=true -Dsightline.embedded.preload=pg_stat_statements
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures are the {@code [scaling]} lines of
 * {@code standalone/target/surefire-reports/io.sightline.standalone.ScalingBench-output.txt}. {@code
 * -Dsightline.bench.smallRuns=N} and {@code -Dsightline.bench.bigRuns=N} change the batch sizes.
 */
@EnabledIfSystemProperty(named = "sightline.bench", matches = "true")
@ExtendWith(PostgresExtension.class)
class ScalingBench {
  private static final Duration START = Duration.ofSeconds(180);
  private static final String ADMIN = "admin@scaling.test";
  private static final String PASSWORD = "admin password for the scaling bench";
  private static final int SMALL_RUNS = Integer.getInteger("sightline.bench.smallRuns", 3000);
  private static final int BIG_RUNS = Integer.getInteger("sightline.bench.bigRuns", 4);
  private static final int CLIENTS = 16;

  private final String cluster = "sightline-scaling-" + UUID.randomUUID();
  private final int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
  private final int http = FreePorts.next();
  private final List<JvmProcess> started = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestDatabase db;
  private String apiKey;
  private String datasource;

  @AfterEach
  void stop() {
    started.forEach(JvmProcess::close);
  }

  @Test
  void smallAndMillionRowRunsWithOneAndTwoRunnerProcesses(TestDatabase database) throws Exception {
    db = database;
    String home = Files.createTempDirectory("sightline-scaling").toString();
    JvmProcess api = start("scaling-api", ApiMain.class.getName(), hazelcast[0], Map.of("SIGHTLINE_HTTP_HOST",
        "127.0.0.1", "SIGHTLINE_HTTP_PORT", Integer.toString(http), "SIGHTLINE_HOME", home,
        "SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD", PASSWORD));
    JvmProcess first = startRunner(1, home);
    api.awaitLine("Sightline api is ready", START);
    first.awaitLine("Sightline runner is ready", START);
    ApiClient admin = new ApiClient("http://127.0.0.1:" + http).login(ADMIN, PASSWORD);
    apiKey = admin.post("/api/v1/api-keys", new JsonObject().put("name", "scaling")).json().getString("key");
    // rows up to 2,000,000 by default (a datasource's default is 100,000: the million-row runs would be cut short)
    datasource = SelfDatasource.create(admin, db, new JsonObject().put("database", "postgres")
        .put("maxConcurrency", 16).put("defaultMaxRows", 2_000_000).put("maxRowsLimit", 10_000_000));
    db.execute("create extension if not exists pg_stat_statements");
    String dsDb = "postgres";

    List<String> report = new ArrayList<>();
    for (int runners = 1; runners <= 2; runners++) {
      if (runners == 2) {
        startRunner(2, home).awaitLine("Sightline runner is ready", START);
      }
      batch(smallRunSql(runners, 20), 20); // warm-up: JIT, pools, prepared statements
      db.execute("select pg_stat_statements_reset()");
      Map<String, Object> small = batch(smallRunSql(runners, SMALL_RUNS), SMALL_RUNS);
      Map<String, Object> statements = statementsPerRun(dsDb, SMALL_RUNS);
      Map<String, Object> big = batch(bigRunSql(runners, BIG_RUNS), BIG_RUNS);
      assertThat(((Number) db.scalar("select count(*) from runs where row_count = 1000000 and not truncated"))
          .intValue()).as("whole million-row results").isEqualTo(BIG_RUNS * runners);
      String line = String.format("[scaling] runners=%d small: runs=%d runs/s=%s p50=%sms p99=%sms"
          + " | metadata statements/run=%s datasource statements/run=%s | 1M-row runs=%d wall=%ss rows/s=%s"
          + " | load=%s", runners, SMALL_RUNS, small.get("per_s"), small.get("p50"), small.get("p99"),
          statements.get("metadata"), statements.get("datasource"), BIG_RUNS, big.get("wall_s"),
          Math.round(BIG_RUNS * 1_000_000.0 / ((Number) big.get("wall_s")).doubleValue()), loadAverage());
      System.out.println(line);
      report.add(line);
      report.add("[scaling] runners=" + runners + " top metadata statements: " + topStatements(dsDb));
    }
    Files.write(Path.of("target", "scaling-bench.txt"), report);
  }

  /** Enqueues every SQL text over HTTP with {@link #CLIENTS} requests in flight, then waits for all to end. */
  private Map<String, Object> batch(List<String> sqls, int count) {
    String marker = "scaling-" + UUID.randomUUID();
    Semaphore inFlight = new Semaphore(CLIENTS);
    AtomicInteger refused = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (String sql : sqls) {
      inFlight.acquireUninterruptibly();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1/runs"))
          .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("datasourceId", datasource)
              .put("sql", sql + " /* " + marker + " */").encode())).build();
      all.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        if (e != null || r.statusCode() >= 300) {
          refused.incrementAndGet();
        }
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    assertThat(refused.get()).as("refused enqueues").isZero();
    String mine = " from runs where sql like '%" + marker + "%'";
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> ((Number) db.scalar(
        "select count(*)" + mine + " and status in ('succeeded', 'failed', 'cancelled', 'timed_out')")).intValue()
        == count);
    assertThat(((Number) db.scalar("select count(*)" + mine + " and status = 'succeeded'")).intValue())
        .isEqualTo(count);
    return db.query("select round(count(*) / extract(epoch from max(finished_at) - min(created_at))::numeric, 0)"
        + " as per_s, round(extract(epoch from max(finished_at) - min(created_at))::numeric, 2) as wall_s,"
        + " round(percentile_cont(0.5) within group (order by extract(epoch from finished_at - created_at))"
        + "::numeric * 1000, 1) as p50,"
        + " round(percentile_cont(0.99) within group (order by extract(epoch from finished_at - created_at))"
        + "::numeric * 1000, 1) as p99" + mine).get(0);
  }

  private static List<String> smallRunSql(int runners, int count) {
    List<String> sqls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sqls.add("select n from generate_series(1, 10) n where n <> " + (runners * 1_000_000 + i));
    }
    return sqls;
  }

  private static List<String> bigRunSql(int runners, int count) {
    List<String> sqls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sqls.add("select g as id, g * 0.5 as px, md5(g::text) as tag from generate_series(1, 1000000) g where g <> "
          + -(runners * 1000 + i));
    }
    return sqls;
  }

  /** Statements per small run in the metadata database (api and runners) and in the datasource's. */
  private Map<String, Object> statementsPerRun(String dsDb, int runs) {
    Map<String, Object> per = new HashMap<>();
    per.put("metadata", db.scalar("select round(coalesce(sum(calls), 0)::numeric / " + runs + ", 1)"
        + " from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = '" + db.name() + "'"
        + " and s.query not like '%pg_stat_statements%' and s.query not like '%scaling-%'"));
    per.put("datasource", db.scalar("select round(coalesce(sum(calls), 0)::numeric / " + runs + ", 1)"
        + " from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = '" + dsDb + "'"));
    return per;
  }

  private String topStatements(String dsDb) {
    return db.query("select calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q"
        + " from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = '" + db.name() + "'"
        + " and s.query not like '%pg_stat_statements%' and s.query not like '%scaling-%'"
        + " order by calls desc limit 20").stream().map(r -> r.get("calls") + "× " + r.get("q"))
        .collect(Collectors.joining(" ; "));
  }

  private JvmProcess startRunner(int n, String home) {
    return start("scaling-runner-" + n, RunnerMain.class.getName(), hazelcast[n], Map.of("SIGHTLINE_RUNNER_ID",
        "runner-" + n, "SIGHTLINE_RUNNER_CONCURRENCY", "8", "SIGHTLINE_HOME", home));
  }

  private JvmProcess start(String name, String main, int port, Map<String, String> extra) {
    String members = java.util.Arrays.stream(hazelcast).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    JvmProcess process = JvmProcess.start(name, main, RunnerCluster.clusterEnv(db, cluster, port, members, extra),
        "-XX:TieredStopAtLevel=4", "-XX:+UseG1GC"); // measured: the JIT and collector a deployment runs
    started.add(process);
    return process;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
