package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An api and a runner as two separate JVMs on 127.0.0.1, joined through Hazelcast into one Vert.x event bus. */
@ExtendWith(PostgresExtension.class)
class ClusterProcessesTest {
  private static final Duration START = Duration.ofSeconds(120);

  @Test
  void apiAndRunnerProcessesJoinOneClusterAndExchangeEventBusRequests(TestDatabase db) {
    String cluster = "sightline-test-" + UUID.randomUUID();
    int runnerHz = FreePorts.next();
    int apiHz = FreePorts.next();
    int httpPort = FreePorts.next();
    String members = "127.0.0.1:" + runnerHz + ",127.0.0.1:" + apiHz;

    try (JvmProcess runner = JvmProcess.start("cluster-runner", RunnerMain.class.getName(),
            env(db, cluster, runnerHz, members, Map.of("SIGHTLINE_RUNNER_ID", "runner-a")));
        JvmProcess api = JvmProcess.start("cluster-api", ApiMain.class.getName(),
            env(db, cluster, apiHz, members, Map.of("SIGHTLINE_HTTP_PORT", Integer.toString(httpPort))))) {
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

      // a member leaving is noticed by the other
      assertThat(api.stop(Duration.ofSeconds(30))).isEqualTo(143);
      runner.awaitLine("cluster member left: " + runnerSaw.group(1) + " \\(api\\)", Duration.ofSeconds(30));
      assertThat(runner.stop(Duration.ofSeconds(30))).isEqualTo(143);
    }
  }

  private static Map<String, String> env(TestDatabase db, String cluster, int port, String members,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    env.put("SIGHTLINE_SECRET_KEY", TestConfigs.SECRET_KEY);
    env.put("SIGHTLINE_CLUSTER_NAME", cluster);
    env.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
    env.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(port));
    env.put("SIGHTLINE_CLUSTER_MEMBERS", members);
    env.putAll(extra);
    return env;
  }
}
