package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.testkit.Await;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once across processes: three runner engines — two separate runner JVMs (clustered with each other) and one
 * in this JVM — fire the same schedules over one real Postgres. They all read one fast-forwarding test clock
 * ({@link FiringClock}, 12× real time), so 20 one-minute schedules × 5 slots play in about half a minute; every
 * (schedule, slot) must leave exactly one firing and one run, none twice, none missing, read back from the database.
 */
@ExtendWith(PostgresExtension.class)
class ScheduleProcessesTest {
  private static final int SCHEDULES = 20;
  private static final int SLOTS = 5;
  private static final double RATE = 12;

  private RunnerProcesses processes;
  private Node local;

  @AfterEach
  void stop() {
    if (processes != null) {
      processes.close();
    }
    if (local != null) {
      local.close();
    }
  }

  @Test
  void threeRunnerEnginesTwoOfThemSeparateProcessesFireHundredSlotsExactlyOnce(TestDatabase db) {
    String org = RunnerProcesses.org(db, "Ops");
    String ds = RunnerProcesses.selfDatasource(db, org, 10);

    // one clock for all three engines: 12 s of schedule time per real second, from a round hour
    Instant start = Instant.parse("2030-01-07T12:00:00Z");
    long realEpoch = System.currentTimeMillis();
    Clock clock = FiringClock.scaled(start, realEpoch, RATE);
    processes = new RunnerProcesses(db, 2);
    local = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-local")), NodeRole.RUNNER, false);
    Await.result(local.vertx().deployVerticle(new RunnerVerticle(local.config(), local.pool(), local.secrets(), 4,
        clock)));
    JvmProcess a = processes.startAll("runner-proc",
        "-D" + FiringClock.PROPERTY + "=" + FiringClock.property(start, realEpoch, RATE)).get(0);
    assertThat(a.output()).contains("schedules fire by a TEST clock");

    // all three are up: the first slot is the next whole minute at least 20 schedule seconds away; the window
    // [first, first + 5 min) holds exactly five slots, then the schedules end
    Instant first = clock.instant().plusSeconds(20).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    Instant end = first.plus(SLOTS, ChronoUnit.MINUTES);
    for (int i = 0; i < SCHEDULES; i++) {
      String query = UUID.randomUUID().toString();
      db.execute("insert into queries (id, org_id, datasource_id, name, sql) values ('" + query + "', '" + org
          + "', '" + ds + "', 'q" + i + "', 'select " + i + " as n')");
      db.execute("insert into schedules (org_id, query_id, name, kind, every_seconds, timezone, starts_at, ends_at,"
          + " next_run_at) values ('" + org + "', '" + query + "', 's" + i + "', 'interval', 60, 'UTC', '" + first
          + "', '" + end + "', '" + first + "')");
    }

    long slots = (long) SCHEDULES * SLOTS;
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .alias("every schedule ended after its five slots; firings: " + db.scalar("select count(*) from"
            + " schedule_firings"))
        .until(() -> count(db, "select count(*) from schedules where not enabled and ended_at is not null")
            == SCHEDULES);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> count(db, "select count(*) from runs where status in ('queued', 'running')") == 0);

    String firings = "firings: " + db.query("select schedule_id, slot_at, outcome, error from schedule_firings"
        + " order by slot_at, schedule_id");
    assertThat(count(db, "select count(*) from schedule_firings")).as(firings).isEqualTo(slots);
    assertThat(count(db, "select count(*) from schedule_firings where outcome = 'enqueued' and not manual"))
        .as(firings).isEqualTo(slots);
    // one row per (schedule, slot), and each schedule's slots are exactly its five minutes
    assertThat(count(db, "select count(distinct (schedule_id, slot_at)) from schedule_firings")).isEqualTo(slots);
    assertThat(count(db, "select count(*) from (select schedule_id from schedule_firings group by schedule_id"
        + " having array_agg(slot_at order by slot_at) = array(select '" + first + "'::timestamptz + n * interval"
        + " '1 minute' from generate_series(0, " + (SLOTS - 1) + ") n)) ok")).as(firings).isEqualTo(SCHEDULES);
    // exactly one run per slot, attributed to its schedule, none shared between slots, all ran
    assertThat(count(db, "select count(*) from runs where trigger = 'schedule'")).isEqualTo(slots);
    assertThat(count(db, "select count(*) from runs where schedule_id is not null")).isEqualTo(slots);
    assertThat(count(db, "select count(distinct r) from schedule_firings f, unnest(f.run_ids) r")).isEqualTo(slots);
    assertThat(count(db, "select count(*) from schedule_firings where cardinality(run_ids) <> 1")).isZero();
    assertThat(count(db, "select count(*) from runs where status = 'succeeded'")).isEqualTo(slots);
    assertThat(count(db, "select count(*) from run_requests where trigger = 'schedule'")).isEqualTo(slots);
    // the runs were executed by more than one engine (the firing itself races through SKIP LOCKED)
    assertThat(count(db, "select count(distinct runner_id) from runs")).as("runners that executed the runs")
        .isGreaterThan(1);
    System.out.println("[schedule-processes] runs executed per runner: " + db.query("select runner_id, count(*) as n"
        + " from runs group by runner_id order by runner_id") + "; firings logged by the processes: "
        + processes.firedPerProcess());
  }

  private static long count(TestDatabase db, String sql) {
    return RunnerProcesses.count(db, sql);
  }
}
