package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.testkit.Await;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class RunnerVerticleTest {
  private static Node node;

  @BeforeAll
  static void start(TestDatabase db) {
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-test-1")), NodeRole.RUNNER, false);
    RunnerMain.deploy(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void answersRunnerPingsWithItsIdAndConnectors() {
    JsonObject reply = Await.result(node.vertx().eventBus().<JsonObject>request(Addresses.RUNNERS_PING,
        new JsonObject())).body();
    assertThat(reply.getString("runnerId")).isEqualTo("runner-test-1");
    assertThat(reply.getJsonArray("connectors").getList()).contains("postgres", "generated");
    assertThat(reply.getInteger("concurrency")).isEqualTo(8);
  }

  @Test
  void logsTheProcesssRealTotalOfConcurrentRunsOnce(TestDatabase db) {
    // 5 runs over min(cores, 5) event loops: the shares add up to 5 (not 5 / 2 = 2 per loop), said once
    Node other = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-test-2",
        "SIGHTLINE_RUNNER_CONCURRENCY", "5")), NodeRole.RUNNER, false);
    try (CapturedLogs logs = new CapturedLogs()) {
      RunnerMain.deploy(other);
      int loops = Math.min(Runtime.getRuntime().availableProcessors(), 5);
      assertThat(logs.lines().stream().filter(l -> l.contains("concurrent runs")).toList()).singleElement()
          .asString().startsWith("io.sightline.runner.RunnerMain runner runner-test-2 ready: connectors [generated, ")
          .endsWith("], up to 5 concurrent runs (" + loops + " event loops)");
    } finally {
      other.close();
    }
  }
}
