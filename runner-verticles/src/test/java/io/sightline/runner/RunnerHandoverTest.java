package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A runner that stops mid-run hands its run back; another runner finishes it. The run never stays running. */
@ExtendWith(PostgresExtension.class)
class RunnerHandoverTest {
  private static RunFixture fx;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 0, Map.of());
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void undeployingARunnerMidRunRequeuesItAndAnotherRunnerFinishesIt() {
    String ds = fx.postgresDatasource("Handover", 2);
    String first = Await.result(fx.node.vertx().deployVerticle(
        new RunnerVerticle(fx.node.config(), fx.node.pool(), fx.node.secrets()), new DeploymentOptions()));
    String runId = fx.enqueue(ds, "select pg_sleep(1.5), 'handed over' as note").runId();
    fx.awaitStatus(runId, "running", Duration.ofSeconds(10));
    Await.result(fx.node.vertx().undeploy(first));
    JsonObject handedBack = fx.run(runId);
    assertThat(handedBack.getString("status")).isEqualTo("queued");
    assertThat(handedBack.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
        .until(() -> fx.sessionsOf(runId) == 0); // the first runner's statement was cancelled

    Await.result(fx.node.vertx().deployVerticle(
        new RunnerVerticle(fx.node.config(), fx.node.pool(), fx.node.secrets()), new DeploymentOptions()));
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(15));
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getInteger("attempt")).isEqualTo(2);
    assertThat(run.getLong("rowCount")).isEqualTo(1);
  }
}
