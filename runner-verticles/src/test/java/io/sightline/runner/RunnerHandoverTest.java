package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.Await;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A runner that stops mid-run hands its runs back at once (DESIGN.md §3, stop): a run whose statement was sent is
 * cancelled with the reason, its backend gone; a run that never got to send its statement goes back to the queue for
 * another runner. The run never stays running for the reaper, and the pools are closed only after.
 */
@ExtendWith(PostgresExtension.class)
class RunnerHandoverTest {
  private static RunFixture fx;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 0, Map.of("SIGHTLINE_RUNNER_ID", "runner-handover"));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static String deployRunner() {
    return Await.result(fx.node.vertx().deployVerticle(
        new RunnerVerticle(fx.node.config(), fx.node.pool(), fx.node.secrets()), new DeploymentOptions()));
  }

  @Test
  void undeployingARunnerMidStatementCancelsTheRunWithTheReasonAndEndsItsBackend() {
    String ds = fx.postgresDatasource("Handover", 2);
    String runner = deployRunner();
    String runId = fx.enqueue(ds, "select pg_sleep(20), 'handed over' as note").runId();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fx.sessionsOf(runId) == 1);
    long stopping = System.nanoTime();
    Await.result(fx.node.vertx().undeploy(runner));
    assertThat((System.nanoTime() - stopping) / 1_000_000).isLessThan(3000);
    JsonObject run = fx.run(runId);
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(run.getInteger("attempt")).isEqualTo(1);
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_stopped");
    assertThat(run.getJsonObject("error").getString("message")).isEqualTo(
        "runner runner-handover stopped during the run");
    assertThat(fx.sessionsOf(runId)).isZero();
    List<JsonObject> events = fx.events(runId);
    assertThat(events.get(events.size() - 1).getJsonObject("detail").getBoolean("statementSent")).isTrue();
  }

  @Test
  void undeployingARunnerBeforeItSentTheStatementRequeuesTheRunForAnother() {
    String ds = fx.scriptedDatasource("Never connects");
    String runner = deployRunner();
    String runId = fx.enqueue(ds, "connecting:" + java.util.UUID.randomUUID()).runId();
    fx.awaitStatus(runId, "running", Duration.ofSeconds(10));
    Await.result(fx.node.vertx().undeploy(runner));
    JsonObject run = fx.run(runId);
    assertThat(run.getString("status")).isEqualTo("queued");
    assertThat(run.getInteger("attempt")).isEqualTo(1);
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_stopped");
    List<JsonObject> events = fx.events(runId);
    JsonObject last = events.get(events.size() - 1);
    assertThat(last.getString("kind")).isEqualTo("requeued");
    assertThat(last.getJsonObject("detail").getBoolean("statementSent")).isFalse();
    Await.result(fx.runs.cancel(fx.orgId, runId, null));
  }

  @Test
  void closingANodeMidRunHandsTheRunBackBeforeThePoolsCloseWithinSeconds(TestDatabase db) {
    RunFixture own = RunFixture.start(db, 2, Map.of("SIGHTLINE_RUNNER_ID", "runner-closing"));
    String ds = own.postgresDatasource("Closing", 2);
    String runId = own.enqueue(ds, "select pg_sleep(20) /* node closing */").runId();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> own.sessionsOf(runId) == 1);
    List<String> logs;
    long closing = System.nanoTime();
    try (CapturedLogs captured = new CapturedLogs()) {
      own.close();
      logs = captured.lines();
    }
    assertThat((System.nanoTime() - closing) / 1_000_000).isLessThan(5000);
    JsonObject run = Await.result(fx.runs.get(own.orgId, runId));
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(run.getJsonObject("error").getString("message")).isEqualTo(
        "runner runner-closing stopped during the run");
    assertThat(fx.sessionsOf(runId)).isZero();
    assertThat(logs).noneMatch(l -> l.contains("Pool closed") || l.contains("Undeploy failed")
        || l.contains("could not record"));
  }
}
