package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recovery from dead and frozen runner processes (DESIGN.md §3), as separate JVMs on 127.0.0.1 over the test Postgres
 * (also the datasource). A runner killed with SIGKILL has its runs recovered by a surviving runner as soon as
 * Hazelcast removes its member — with the default 30 s lease, so the lease reaper cannot be what recovered them. A
 * runner frozen with SIGSTOP past its (short) lease has its run recovered by the lease reaper, and once resumed writes
 * nothing for it and says it lost it. Half of the killed runs are read with COPY, half through a cursor: a runner
 * dying mid-COPY leaves nothing running either.
 */
@ExtendWith(PostgresExtension.class)
class RunnerRecoveryTest {
  private static final String READY = "Sightline runner is ready";
  /**
   * Runner processes killed, one after the other; each holds {@link #RUNS_PER_KILL} long runs when it dies. A trial is
   * one run recovered: 3 kills of 4 runs (12 trials) keep the suite near a minute on two cores beside the browser tests
   * (a runner JVM takes 5-10 s to start there; 5 kills took 124 s in CI); {@code -Dsightline.recovery.kills=20
   * -Dsightline.recovery.runsPerKill=1} kills once per run.
   */
  private static final int KILLS = Integer.getInteger("sightline.recovery.kills", 3);
  private static final int RUNS_PER_KILL = Integer.getInteger("sightline.recovery.runsPerKill", 4);
  private static final long BOUND_MS = 10_000;

  @Test
  void aKilledRunnersRunsAreRecoveredWithinSecondsByOneSurvivorAndNeverRunTwice(TestDatabase db) {
    try (RunnerCluster cluster = new RunnerCluster(db)) {
      int portA = FreePorts.next();
      int portB = FreePorts.next();
      String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
      // the survivors run one run each, and are kept busy with it: only the victims take the trials' runs. They
      // start one after the other (two members starting at once take long to agree on a cluster) and claim a busy
      // run as they start
      String busy = cluster.untimed(cluster.datasource("Busy", 2));
      List<String> busyRuns = List.of(cluster.enqueue(busy, "select pg_sleep(600) /* busy a */"),
          cluster.enqueue(busy, "select pg_sleep(600) /* busy b */"));
      Map<String, String> one = Map.of("SIGHTLINE_RUNNER_CONCURRENCY", "1");
      List<JvmProcess> survivors = new ArrayList<>();
      survivors.add(cluster.runner("survivor-a", portA, seeds, one));
      survivors.get(0).awaitLine(READY, RunnerCluster.START);
      survivors.add(cluster.runner("survivor-b", portB, seeds, one));
      survivors.get(1).awaitLine(READY, RunnerCluster.START);
      await().atMost(Duration.ofSeconds(20)).until(() -> busyRuns.stream().allMatch(id -> recorded(cluster, id)));

      String trials = cluster.untimed(cluster.datasource("Trials", RUNS_PER_KILL));
      List<Long> recoveryMs = new ArrayList<>();
      long started = System.nanoTime();
      JvmProcess victim = victim(cluster, 1, seeds);
      victim.awaitLine(READY, RunnerCluster.START);
      for (int kill = 1; kill <= KILLS; kill++) {
        String victimId = "victim-" + kill;
        List<String> runs = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        for (int j = 0; j < RUNS_PER_KILL; j++) {
          // every other run reads a bigint, which the connector reads with COPY; pg_sleep's void keeps the cursor
          String tag = " /* kill " + kill + " run " + j + " */";
          String id = cluster.enqueue(trials, j % 2 == 0 ? "select pg_sleep(60)" + tag
              : "select count(*) as slept from (select pg_sleep(60)) s" + tag);
          runs.add(id);
          if (j % 2 == 1) {
            copies.add(id);
          }
        }
        // the next victim starts now (a JVM takes seconds to start; the victim claims within its 1 s poll) and is
        // ready by the time this one's runs are recovered
        JvmProcess next = victim(cluster, kill + 1, seeds);
        // all of them at once on the victim: the previous kill's slots were freed (the cap is RUNS_PER_KILL)
        await("kill " + kill + ": the victim runs them all at once").atMost(Duration.ofSeconds(20))
            .until(() -> runs.stream().allMatch(id -> recorded(cluster, id)));
        for (String id : runs) {
          assertThat(cluster.run(id).getString("runner")).isEqualTo(victimId);
        }
        await("kill " + kill + ": its COPY runs are in their COPY").atMost(Duration.ofSeconds(10))
            .until(() -> copies.stream().allMatch(id -> (Long) cluster.db.scalar("select count(*) from"
                + " pg_stat_activity where application_name = 'sightline-run-" + id + "' and query like 'COPY (%'")
                == 1));
        long killedAt = System.nanoTime();
        victim.kill();
        Map<String, Long> recoveredAt = new HashMap<>();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
          for (String id : runs) {
            if (!recoveredAt.containsKey(id) && !"running".equals(cluster.run(id).getString("status"))) {
              recoveredAt.put(id, (System.nanoTime() - killedAt) / 1_000_000);
            }
          }
          return recoveredAt.size() == runs.size();
        });
        for (String id : runs) {
          assertRecoveredOnce(cluster, id, victimId);
          recoveryMs.add(recoveredAt.get(id));
        }
        victim = next;
        victim.awaitLine(READY, RunnerCluster.START);
      }
      long trialsMs = (System.nanoTime() - started) / 1_000_000;

      // the cap is whole again after all those kills: the last victim runs a full cap of runs side by side
      List<String> after = new ArrayList<>();
      for (int j = 0; j < RUNS_PER_KILL; j++) {
        after.add(cluster.enqueue(trials, "select pg_sleep(1), " + j + " /* after the kills */"));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> after.stream().allMatch(id -> recorded(cluster, id)));
      for (String id : after) {
        assertThat(cluster.awaitEnd(id, Duration.ofSeconds(20)).getString("status")).isEqualTo("succeeded");
      }
      assertThat(cluster.db.runSessions()).as("no stray backend: only the survivors' busy runs").isEqualTo(2);

      List<Long> sorted = recoveryMs.stream().sorted().toList();
      String figures = "recovery after kill -9 over " + sorted.size() + " runs (" + KILLS + " kills x "
          + RUNS_PER_KILL + "): p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, max "
          + sorted.get(sorted.size() - 1) + " ms, all " + recoveryMs + "; trials took " + trialsMs + " ms";
      System.out.println(figures);
      assertThat(sorted.get(sorted.size() - 1)).as(figures).isLessThanOrEqualTo(BOUND_MS);
      for (JvmProcess survivor : survivors) {
        assertThat(survivor.stop(Duration.ofSeconds(30))).isEqualTo(143);
      }
    }
  }

  /**
   * A runner frozen past its lease (SIGSTOP) loses its run to the lease reaper of another runner, which ends the run's
   * session and fails it as runner_lost; resumed (SIGCONT), the frozen runner writes neither a result nor a state for
   * it, says once that it lost the run, and goes on taking new runs.
   */
  @Test
  void aRunnerFrozenPastItsLeaseWritesNothingForTheRunTakenFromItAndSaysItLostIt(TestDatabase db) throws Exception {
    try (RunnerCluster cluster = new RunnerCluster(db)) {
      int portA = FreePorts.next();
      int portB = FreePorts.next();
      String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
      Map<String, String> env = Map.of("SIGHTLINE_RUNS_LEASE_SECONDS", "3", "SIGHTLINE_RUNNER_CONCURRENCY", "1");
      JvmProcess reaper = cluster.runner("runner-reaper", portB, members, env);
      reaper.awaitLine(READY, RunnerCluster.START);
      String busy = cluster.untimed(cluster.datasource("Busy", 1));
      String busyRun = cluster.enqueue(busy, "select pg_sleep(600) /* keeps the reaper busy */");
      await().atMost(Duration.ofSeconds(20)).until(() -> recorded(cluster, busyRun));

      JvmProcess frozen = cluster.runner("runner-frozen", portA, members, env);
      frozen.awaitLine(READY, RunnerCluster.START);
      String ds = cluster.datasource("Frozen", 2);
      // short enough to have finished on the datasource while its runner is frozen: only fencing keeps its result out
      String runId = cluster.enqueue(ds, "select pg_sleep(2) as slept /* frozen */");
      await().atMost(Duration.ofSeconds(20)).until(() -> recorded(cluster, runId));
      assertThat(cluster.run(runId).getString("runner")).isEqualTo("runner-frozen");

      frozen.pause();
      JsonObject recovered;
      try {
        recovered = cluster.awaitEnd(runId, Duration.ofSeconds(20));
      } finally {
        frozen.resume();
      }
      assertThat(recovered.getString("status")).isEqualTo("failed");
      assertThat(recovered.getJsonObject("error").getString("code")).isEqualTo("runner_lost");

      Pattern lost = Pattern.compile("run " + runId + " attempt 1: runner runner-frozen lost the run");
      frozen.awaitLine(lost.pattern(), Duration.ofSeconds(20));
      Thread.sleep(2000); // time for a second line, should there be one
      assertThat(lost.matcher(frozen.output()).results().count()).as("one line").isEqualTo(1);
      JsonObject after = cluster.run(runId);
      assertThat(after.getString("status")).isEqualTo("failed");
      assertThat(after.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
      assertThat(after.getString("resultId")).isNull();
      assertThat(db.scalar("select count(*) from results where run_id = '" + runId + "'")).isEqualTo(0L);
      List<String> kinds = cluster.events(runId).stream().map(e -> e.getString("kind")).toList();
      assertThat(kinds).containsExactly("queued", "claimed", "started", "lease_lost", "finished");
      assertThat(cluster.db.sessionsOf(runId)).isZero();

      String later = cluster.enqueue(ds, "select 'still working' /* after the freeze */");
      JsonObject next = cluster.awaitEnd(later, Duration.ofSeconds(20));
      assertThat(next.getString("status")).isEqualTo("succeeded");
      assertThat(next.getString("runner")).isEqualTo("runner-frozen");
      assertThat(reaper.stop(Duration.ofSeconds(30))).isEqualTo(143);
    }
  }

  private static JvmProcess victim(RunnerCluster cluster, int n, String seeds) {
    int port = FreePorts.next();
    return cluster.runner("victim-" + n, port, seeds + ",127.0.0.1:" + port,
        Map.of("SIGHTLINE_RUNNER_CONCURRENCY", Integer.toString(RUNS_PER_KILL)));
  }

  /** Claimed, its backend recorded (so its statement may run: it is never run again) and its session there. */
  private static boolean recorded(RunnerCluster cluster, String runId) {
    return (Long) cluster.db.scalar("select count(*) from runs where id = '" + runId + "' and status = 'running'"
        + " and backend_pid is not null") == 1 && cluster.db.sessionsOf(runId) == 1;
  }

  /** Failed as runner_lost by exactly one survivor, with its session ended; executed once, never again. */
  private static void assertRecoveredOnce(RunnerCluster cluster, String runId, String victimId) {
    JsonObject run = cluster.run(runId);
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getInteger("attempt")).isEqualTo(1);
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
    assertThat(run.getJsonObject("error").getString("message")).contains(victimId);
    assertThat(cluster.db.sessionsOf(runId)).as("its backend was ended").isZero();
    List<JsonObject> events = cluster.events(runId);
    assertThat(events.stream().map(e -> e.getString("kind")).toList())
        .containsExactly("queued", "claimed", "started", "lease_lost", "finished");
    assertThat(events.get(3).getJsonObject("detail").getString("recoveredBy"))
        .isIn(Set.of("reaper:survivor-a", "reaper:survivor-b"));
  }
}
