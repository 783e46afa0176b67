package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata Postgres restarted under load, under an api and a runner process (separate JVMs) of one cluster. The
 * metadata database is a Postgres of this test's own, stopped and started again on the same port and data directory;
 * the datasource is the test Postgres, which stays up. While it is away both processes say 503 on {@code /readyz} and
 * the API answers 503 problem+json without a stack trace; once it is back both keep working without a restart, every
 * run ends within its bounds and new runs succeed.
 */
@ExtendWith(PostgresExtension.class)
class MetadataRestartTest {
  private static final Duration START = Duration.ofSeconds(180);
  private static final String ADMIN = "admin@outage.test";
  private static final String PASSWORD = "admin password for the outage test";
  private static final int LEASE_SECONDS = 5;

  @Test
  void apiAndRunnerKeepWorkingAfterTheMetadataDatabaseRestartsUnderLoad(TestDatabase datasourceDb, @TempDir Path home)
      throws Exception {
    int pgPort = FreePorts.next();
    Path data = home.resolve("pgdata");
    EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(data, pgPort);
    DatabaseUrl url = postgres.ensureDatabase("sightline");
    List<JvmProcess> processes = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = null;
    try {
      int[] hazelcast = {FreePorts.next(), FreePorts.next()};
      int httpPort = FreePorts.next();
      int runnerMetrics = FreePorts.next();
      String members = "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1];
      String cluster = "sightline-outage-" + java.util.UUID.randomUUID();
      Map<String, String> common = new HashMap<>();
      common.put("SIGHTLINE_DATABASE_URL", url.unredacted());
      common.put("SIGHTLINE_SECRET_KEY", TestConfigs.SECRET_KEY);
      common.put("SIGHTLINE_CLUSTER_NAME", cluster);
      common.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
      common.put("SIGHTLINE_CLUSTER_MEMBERS", members);
      common.put("SIGHTLINE_CLUSTER_EVENTBUS_PORT", "0");
      common.put("SIGHTLINE_DATABASE_CONNECT_TIMEOUT", "2");
      common.put("SIGHTLINE_RUNS_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
      common.put("SIGHTLINE_HOME", home.resolve("home").toString());
      Map<String, String> runnerEnv = new HashMap<>(common);
      runnerEnv.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(hazelcast[0]));
      runnerEnv.put("SIGHTLINE_RUNNER_ID", "runner-outage");
      runnerEnv.put("SIGHTLINE_METRICS_HOST", "127.0.0.1");
      runnerEnv.put("SIGHTLINE_METRICS_PORT", Integer.toString(runnerMetrics));
      Map<String, String> apiEnv = new HashMap<>(common);
      apiEnv.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(hazelcast[1]));
      apiEnv.put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
      apiEnv.put("SIGHTLINE_HTTP_PORT", Integer.toString(httpPort));
      apiEnv.put("SIGHTLINE_ADMIN_EMAIL", ADMIN);
      apiEnv.put("SIGHTLINE_ADMIN_PASSWORD", PASSWORD);
      processes.add(JvmProcess.start("outage-runner", RunnerMain.class.getName(), runnerEnv));
      processes.add(JvmProcess.start("outage-api", ApiMain.class.getName(), apiEnv));
      processes.get(0).awaitLine("Sightline runner is ready", START);
      processes.get(1).awaitLine("Sightline api is ready", START);

      String base = "http://127.0.0.1:" + httpPort;
      String apiReady = base + "/readyz";
      String runnerReady = "http://127.0.0.1:" + runnerMetrics + "/readyz";
      ApiClient admin = new ApiClient(base).login(ADMIN, PASSWORD);
      String key = admin.post("/api/v1/api-keys", new JsonObject().put("name", "outage")).json().getString("key");
      ApiClient api = new ApiClient(base).withApiKey(key);
      String datasource = SelfDatasource.create(admin, datasourceDb, new JsonObject());

      List<String> accepted = new CopyOnWriteArrayList<>();
      List<String> refusals = new CopyOnWriteArrayList<>();
      load = new Thread(() -> {
        int n = 0;
        while (!stop.get()) {
          n++;
          String sql = n % 5 == 0 ? "select pg_sleep(1), " + n : "select " + n;
          ApiClient.Response r = api.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
              .put("sql", sql));
          if (r.status() == 201) {
            accepted.add(r.json().getString("id"));
          } else {
            refusals.add(r.status() + " " + r.header("Content-Type").orElse("") + " " + r.body());
          }
          sleep(150);
        }
      }, "outage-load");
      load.start();
      sleep(2000);

      long outage = System.nanoTime();
      postgres.close();
      await("api not ready").atMost(Duration.ofSeconds(10)).until(() -> Http.get(apiReady).statusCode() == 503);
      await("runner not ready").atMost(Duration.ofSeconds(10)).until(() -> Http.get(runnerReady).statusCode() == 503);
      ApiClient.Response during = api.get("/api/v1/runs?limit=5");
      assertThat(during.status()).as(during.toString()).isEqualTo(503);
      assertThat(during.header("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(during.body()).doesNotContain("Exception", "\tat ", "io.vertx");
      sleep(3000);

      await("port " + pgPort + " free again").atMost(Duration.ofSeconds(10)).until(() -> bindable(pgPort));
      postgres = EmbeddedDatabase.startDurable(data, pgPort);
      long back = System.nanoTime();
      await("api ready again").atMost(Duration.ofSeconds(30)).until(() -> Http.get(apiReady).statusCode() == 200);
      await("runner ready again").atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(runnerReady).statusCode() == 200);
      long readyMs = (System.nanoTime() - back) / 1_000_000;
      sleep(2000);
      stop.set(true);
      load.join(30_000);

      // runs in flight when the database went away end within their lease (the reaper) or on their own
      String ids = accepted.stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(","));
      long bound = LEASE_SECONDS * 1000L * 4 + 15_000;
      await("no run stuck in queued or running").atMost(Duration.ofMillis(bound)).pollInterval(Duration.ofMillis(500))
          .until(() -> (Long) metadataScalar(url, "select count(*) from runs where id in (" + ids
              + ") and status in ('queued', 'running')") == 0);
      List<Map<String, Object>> byStatus = query(url, "select status, error_code, count(*) as n from runs where id in ("
          + ids + ") group by status, error_code order by status");
      List<Map<String, Object>> twice = query(url, "select run_id from run_events where run_id in (" + ids
          + ") group by run_id having count(*) filter (where kind = 'finished') <> 1");
      assertThat(twice).as("runs finished other than once").isEmpty();

      String fresh = api.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
          .put("sql", "select 'after the restart'")).json().getString("id");
      await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(api.get("/api/v1/runs/" + fresh).json()
          .getString("status")));
      for (JvmProcess p : processes) {
        assertThat(p.isAlive()).as(p + " still up").isTrue();
        assertThat(p.output()).doesNotContain("OutOfMemoryError");
      }
      System.out.println("MetadataRestartTest: " + accepted.size() + " runs accepted, " + refusals.size()
          + " refused (503) during a " + ((back - outage) / 1_000_000) + " ms outage; ready again " + readyMs
          + " ms after Postgres was back; runs by status " + byStatus);
      assertThat(refusals).allSatisfy(r -> assertThat(r).startsWith("503 application/problem+json"));
    } finally {
      stop.set(true);
      if (load != null) {
        load.join(30_000);
      }
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
      postgres.close();
    }
  }

  private static Object metadataScalar(DatabaseUrl url, String sql) {
    return query(url, sql).get(0).values().iterator().next();
  }

  private static List<Map<String, Object>> query(DatabaseUrl url, String sql) {
    return new TestDatabase("sightline", url, null).query(sql);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
