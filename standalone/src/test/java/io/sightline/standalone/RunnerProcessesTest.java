package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.Await;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner processes dying and stopping mid-run, as separate JVMs over the test Postgres (which is also the datasource,
 * so the test watches the runs' backends in pg_stat_activity). This JVM plays the api: it enqueues runs and reads them
 * back through a RunService of its own; the runners find the runs by polling.
 */
@ExtendWith(PostgresExtension.class)
class RunnerProcessesTest {
  private static final Duration START = RunnerCluster.START;
  private static final Map<String, String> SHORT_LEASE = Map.of("SIGHTLINE_RUNS_LEASE_SECONDS", "3");

  private TestDatabase db;
  private RunnerCluster cluster;

  @TempDir
  Path home;

  @BeforeEach
  void start(TestDatabase db) {
    this.db = db;
    cluster = new RunnerCluster(db);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aKilledRunnersRunsAreCleanedUpBeforeTheirSlotsAreFreedSoTheCapHoldsAcrossTheKill() throws Exception {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    String ds = cluster.untimed(datasource("Capped at two", 2));

    JvmProcess victim = runner("runner-victim", portA, members);
    victim.awaitLine("Sightline runner is ready", START);
    List<String> killed = List.of(enqueue(ds, "select pg_sleep(60) /* killed 1 */"),
        enqueue(ds, "select pg_sleep(60) /* killed 2 */"));
    await().atMost(Duration.ofSeconds(20)).until(() -> runSessions() == 2);
    for (String id : killed) {
      assertThat(run(id).getString("runner")).isEqualTo("runner-victim");
    }

    JvmProcess survivor = runner("runner-survivor", portB, members);
    survivor.awaitLine("Sightline runner is ready", START);
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(enqueue(ds, "select pg_sleep(0.5), " + i + " as n /* waiting */"));
    }
    for (String id : waiting) {
      assertThat(run(id).getString("status")).as("the cap is full").isEqualTo("queued");
    }

    AtomicLong maxSeen = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        maxSeen.accumulateAndGet(runSessions(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "session-sampler");
    sampler.start();
    try {
      victim.kill();
      for (String id : killed) {
        JsonObject run = awaitEnd(id, Duration.ofSeconds(60));
        assertThat(run.getString("status")).as("its statement had been sent: never run again").isEqualTo("failed");
        assertThat(run.getInteger("attempt")).isEqualTo(1);
        assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
        assertThat(sessionsOf(id)).as("its backend was ended").isZero();
      }
      for (String id : waiting) {
        JsonObject run = awaitEnd(id, Duration.ofSeconds(60));
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getString("runner")).isEqualTo("runner-survivor");
      }
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(maxSeen.get()).as("run sessions on the datasource, sampled every 100 ms across the kill")
        .isEqualTo(2);
    assertThat(survivor.output()).contains("lost by runner runner-victim");
    assertThat(survivor.stop(Duration.ofSeconds(30))).isEqualTo(143);
  }

  @Test
  void sigtermDuringARunCancelsItWithTheReasonAndExitsWithinSeconds() {
    String ds = datasource("Stopping", 2);
    int port = FreePorts.next();
    JvmProcess runner = runner("runner-stopping", port, "127.0.0.1:" + port);
    runner.awaitLine("Sightline runner is ready", START);
    String runId = enqueue(ds, "select pg_sleep(20) /* sigterm */");
    await().atMost(Duration.ofSeconds(20)).until(() -> sessionsOf(runId) == 1);

    assertStopsAndHandsBack(runner, runId, "runner-stopping");
  }

  /**
   * With a drain window, a stopping runner lets its running runs finish (and still cancels one on request), claims
   * nothing new meanwhile, and exits as soon as the last one ended — well inside the window.
   */
  @Test
  void aDrainingRunnerFinishesItsRunsCancelsOnRequestClaimsNothingAndExitsWhenDone() {
    String ds = datasource("Draining", 4);
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>(SHORT_LEASE);
    env.put("SIGHTLINE_RUNNER_DRAIN_SECONDS", "60");
    JvmProcess runner = cluster.runner("runner-draining", port, "127.0.0.1:" + port, env);
    runner.awaitLine("Sightline runner is ready", START);
    String finishing = enqueue(ds, "select pg_sleep(4) /* draining finishes */");
    String cancelled = enqueue(ds, "select pg_sleep(30) /* draining cancelled */");
    await().atMost(Duration.ofSeconds(20)).until(() -> sessionsOf(finishing) == 1 && sessionsOf(cancelled) == 1);

    long stopping = System.nanoTime();
    runner.terminate();
    // each of the process's event loops drains its own runs (the two runs may be on one or on both)
    runner.awaitLine("stopping; letting [12] running run\\(s\\) finish", Duration.ofSeconds(10));
    String later = enqueue(ds, "select 1 /* enqueued while draining */");
    Await.result(cluster.runs.cancel(cluster.orgId, cancelled, null));
    assertThat(runner.waitFor(Duration.ofSeconds(30))).as(runner.tail()).isEqualTo(143);
    long tookMs = (System.nanoTime() - stopping) / 1_000_000;

    assertThat(run(finishing).getString("status")).as(runner.tail()).isEqualTo("succeeded");
    assertThat(run(cancelled).getString("status")).isEqualTo("cancelled");
    assertThat(run(cancelled).getJsonObject("error").getString("code")).isNotEqualTo("runner_stopped");
    assertThat(run(later).getString("status")).as("claimed by no draining runner").isEqualTo("queued");
    assertThat(sessionsOf(finishing) + sessionsOf(cancelled)).isZero();
    assertThat(runner.output()).contains("0 run(s) still running are handed back").doesNotContain("Pool closed")
        .doesNotContain("did not stop cleanly");
    assertThat(tookMs).as("exit after the last run ended, well before the 60 s window").isLessThan(20_000);
  }

  @Test
  void stoppingTheStandaloneProcessDuringARunCancelsItAndExitsWithinSeconds() {
    String ds = datasource("Standalone stopping", 2);
    Map<String, String> env = new HashMap<>();
    env.put("SIGHTLINE_HOME", home.toString());
    env.put("SIGHTLINE_HTTP_PORT", Integer.toString(FreePorts.next()));
    env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    env.put("SIGHTLINE_SECRET_KEY", TestConfigs.SECRET_KEY);
    env.put("SIGHTLINE_RUNNER_ID", "standalone-stopping");
    JvmProcess standalone = cluster.track(JvmProcess.start("standalone-stopping", StandaloneMain.class.getName(), env));
    standalone.awaitLine("Sightline is ready at", START);
    String runId = enqueue(ds, "select pg_sleep(20) /* standalone sigterm */");
    await().atMost(Duration.ofSeconds(20)).until(() -> sessionsOf(runId) == 1);

    assertStopsAndHandsBack(standalone, runId, "standalone-stopping");
  }

  private void assertStopsAndHandsBack(JvmProcess process, String runId, String runnerId) {
    long stopping = System.nanoTime();
    assertThat(process.stop(Duration.ofSeconds(30))).isEqualTo(143);
    long tookMs = (System.nanoTime() - stopping) / 1_000_000;
    JsonObject run = run(runId);
    assertThat(run.getString("status")).as(process.tail()).isEqualTo("cancelled");
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_stopped");
    assertThat(run.getJsonObject("error").getString("message")).isEqualTo("runner " + runnerId
        + " stopped during the run");
    assertThat(sessionsOf(runId)).isZero();
    assertThat(process.output()).doesNotContain("Pool closed").doesNotContain("Undeploy failed")
        .doesNotContain("did not stop cleanly");
    assertThat(tookMs).as("exit after SIGTERM, ms").isLessThan(5000);
  }

  private JvmProcess runner(String id, int port, String members) {
    return cluster.runner(id, port, members, SHORT_LEASE);
  }

  private String datasource(String name, int maxConcurrency) {
    return cluster.datasource(name, maxConcurrency);
  }

  private String enqueue(String datasourceId, String sql) {
    return cluster.enqueue(datasourceId, sql);
  }

  private JsonObject run(String runId) {
    return cluster.run(runId);
  }

  private JsonObject awaitEnd(String runId, Duration atMost) {
    return cluster.awaitEnd(runId, atMost);
  }

  private long runSessions() {
    return cluster.db.runSessions();
  }

  private long sessionsOf(String runId) {
    return cluster.db.sessionsOf(runId);
  }
}
