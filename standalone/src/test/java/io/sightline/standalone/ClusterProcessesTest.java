package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An api and a runner as two separate JVMs on 127.0.0.1, joined through Hazelcast into one Vert.x event bus: requests
 * both ways, a run executed by the runner JVM whose live events reach a bridge socket on the api JVM, a member
 * leaving noticed.
 */
@ExtendWith(PostgresExtension.class)
class ClusterProcessesTest {
  private static final Duration START = Duration.ofSeconds(120);
  private static final String ADMIN = "admin@sightline.test";
  private static final String PASSWORD = "admin password for tests";

  @Test
  void apiAndRunnerProcessesJoinOneClusterExchangeRequestsAndForwardLiveRunEvents(TestDatabase db) {
    String cluster = "sightline-test-" + UUID.randomUUID();
    int runnerHz = FreePorts.next();
    int apiHz = FreePorts.next();
    int httpPort = FreePorts.next();
    String members = "127.0.0.1:" + runnerHz + ",127.0.0.1:" + apiHz;

    try (JvmProcess runner = JvmProcess.start("cluster-runner", RunnerMain.class.getName(),
            env(db, cluster, runnerHz, members, Map.of("SIGHTLINE_RUNNER_ID", "runner-a")));
        JvmProcess api = JvmProcess.start("cluster-api", ApiMain.class.getName(),
            env(db, cluster, apiHz, members, Map.of("SIGHTLINE_HTTP_PORT", Integer.toString(httpPort),
                "SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD", PASSWORD)))) {
      runner.awaitLine("Sightline runner is ready", START);
      api.awaitLine("Sightline api is ready at http://127.0.0.1:" + httpPort + "/", START);

      // api -> runner: the api's EventBusChecker request reaches the runner JVM and the reply comes back
      String readyz = "http://127.0.0.1:" + httpPort + "/readyz";
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HttpResponse<String> r = Http.get(readyz);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject clusterCheck = new JsonObject(r.body()).getJsonObject("checks").getJsonObject("cluster");
        assertThat(clusterCheck.getInteger("members")).isEqualTo(2);
        JsonArray peers = clusterCheck.getJsonArray("peers");
        assertThat(peers).hasSize(1);
        assertThat(peers.getJsonObject(0).getString("role")).isEqualTo("runner");
        assertThat(peers.getJsonObject(0).getLong("pid")).isEqualTo(runner.pid());
      });
      Matcher apiSaw = api.awaitLine("event bus: runner node (\\S+) \\(pid (\\d+)\\) answered in ([0-9.]+) ms",
          Duration.ofSeconds(5));
      assertThat(Long.parseLong(apiSaw.group(2))).isEqualTo(runner.pid());

      // runner -> api: the other direction works too
      Matcher runnerSaw = runner.awaitLine("event bus: api node (\\S+) \\(pid (\\d+)\\) answered in ([0-9.]+) ms",
          Duration.ofSeconds(30));
      assertThat(Long.parseLong(runnerSaw.group(2))).isEqualTo(api.pid());

      // live run events cross the cluster: the runner JVM executes and publishes, the api JVM's bridge forwards
      // them to a browser-style socket registered for its org's feed
      ApiClient admin = new ApiClient("http://127.0.0.1:" + httpPort).login(ADMIN, PASSWORD);
      String org = admin.get("/api/v1/me").json().getJsonObject("org").getString("id");
      String datasource = SelfDatasource.create(admin, db, new JsonObject());
      try (BridgeSocket.Client bridge = new BridgeSocket.Client(httpPort)) {
        BridgeSocket socket = bridge.open("sightline_session="
            + admin.cookie("sightline_session").orElseThrow().getValue());
        String feed = "sightline.org." + org + ".runs";
        socket.register(feed);
        // the bridge does not acknowledge a registration: a first run's end arriving shows it is live
        String warmUp = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
            .put("sql", "select 1 as warm_up")).json().getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> socket.events(feed, warmUp).stream()
            .anyMatch(e -> "succeeded".equals(e.getString("status"))));
        String runId = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
            .put("sql", "select pg_sleep(1.2) as slept")).json().getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> socket.events(feed, runId).stream()
            .anyMatch(e -> "succeeded".equals(e.getString("status"))));
        List<JsonObject> events = socket.events(feed, runId);
        assertThat(events.get(0).getString("status")).isEqualTo("queued");
        assertThat(events).anyMatch(e -> "running".equals(e.getString("status"))
            && "runner-a".equals(e.getString("runner")));
        assertThat(events).anyMatch(e -> e.getBoolean("progress", false));
        assertThat(events.get(events.size() - 1).getLong("rowCount")).isEqualTo(1L);
        assertThat(socket.errors()).isEmpty();
        assertThat(admin.get("/api/v1/runs/" + runId).json().getString("runner")).isEqualTo("runner-a");
      }

      // a member leaving is noticed by the other
      assertThat(api.stop(Duration.ofSeconds(30))).isEqualTo(143);
      runner.awaitLine("cluster member left: " + runnerSaw.group(1) + " \\(api\\)", Duration.ofSeconds(30));
      assertThat(runner.stop(Duration.ofSeconds(30))).isEqualTo(143);
    }
  }

  private static Map<String, String> env(TestDatabase db, String cluster, int port, String members,
      Map<String, String> extra) {
    return RunnerCluster.clusterEnv(db, cluster, port, members, extra);
  }
}
