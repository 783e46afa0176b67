package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Firing lag (issue 14, "Done when"): now − planned slot at firing ({@code schedule_firings.fired_at − slot_at}) over
 * 1,000 slots with two runner processes against one Postgres, on the real clock: 500 one-minute schedules whose
 * windows hold two slots each, their slots spread evenly over the minute (one every 120 ms). Each run is a
 * {@code select} on the same Postgres. Not part of {@code mvn verify}: run with
 * {@code -Dtest=ScheduleLagBench -Dsightline.bench=true} (docs/benchmarks.md, "Schedule firing lag");
 * {@code -Dsightline.bench.schedules=N} changes the number of schedules (slots = 2 N).
 */
@EnabledIfSystemProperty(named = "sightline.bench", matches = "true")
@ExtendWith(PostgresExtension.class)
class ScheduleLagBench {
  private static final int SLOTS_EACH = 2;
  private RunnerProcesses processes;

  @AfterEach
  void stop() {
    if (processes != null) {
      processes.close();
    }
  }

  @Test
  void firingLagOverThousandSlotsWithTwoRunnerProcesses(TestDatabase db) throws Exception {
    int schedules = Integer.getInteger("sightline.bench.schedules", 500);
    String org = RunnerProcesses.org(db, "Bench");
    String ds = RunnerProcesses.selfDatasource(db, org, 8);
    processes = new RunnerProcesses(db, 2);
    processes.startAll("lag-runner");

    // slots from 20 s from now, one every 60 s / schedules; each window [start, start + 2 min) holds two slots
    Instant base = Instant.now().plusSeconds(20);
    long stepMs = 60_000L / schedules;
    StringBuilder queries = new StringBuilder();
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < schedules; i++) {
      String query = UUID.randomUUID().toString();
      Instant start = base.plusMillis(i * stepMs);
      queries.append(i == 0 ? "" : ",").append("('").append(query).append("', '").append(org).append("', '")
          .append(ds).append("', 'q").append(i).append("', 'select ").append(i).append(" as n')");
      rows.append(i == 0 ? "" : ",").append("('").append(org).append("', '").append(query).append("', 's").append(i)
          .append("', 'interval', 60, 'UTC', '").append(start).append("', '")
          .append(start.plusSeconds(60L * SLOTS_EACH)).append("', '").append(start).append("')");
    }
    db.execute("insert into queries (id, org_id, datasource_id, name, sql) values " + queries);
    db.execute("insert into schedules (org_id, query_id, name, kind, every_seconds, timezone, starts_at, ends_at,"
        + " next_run_at) values " + rows);

    long slots = (long) schedules * SLOTS_EACH;
    await().atMost(Duration.ofSeconds(60L * SLOTS_EACH + 120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> count(db, "select count(*) from schedules where ended_at is not null") == schedules);
    assertThat(count(db, "select count(*) from schedule_firings")).isEqualTo(slots);
    assertThat(count(db, "select count(distinct (schedule_id, slot_at)) from schedule_firings")).isEqualTo(slots);
    assertThat(count(db, "select count(*) from runs where trigger = 'schedule'")).isEqualTo(slots);

    Map<String, Object> lag = db.query("""
        select count(*) as slots,
               round(percentile_cont(0.5) within group (order by ms)::numeric, 1) as p50,
               round(percentile_cont(0.9) within group (order by ms)::numeric, 1) as p90,
               round(percentile_cont(0.99) within group (order by ms)::numeric, 1) as p99,
               round(max(ms)::numeric, 1) as max, round(min(ms)::numeric, 1) as min
          from (select extract(epoch from fired_at - slot_at) * 1000 as ms from schedule_firings) l""").get(0);
    Map<String, Object> outcomes = new HashMap<>();
    db.query("select outcome, count(*) as n from schedule_firings group by outcome")
        .forEach(r -> outcomes.put((String) r.get("outcome"), r.get("n")));
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.println("[schedule-lag] " + slots + " slots, 2 runner processes, lag ms (fired_at - slot_at): " + lag
        + "; outcomes " + outcomes + "; firings logged per process: " + processes.firedPerProcess() + "; loadavg " + load);
    assertThat(outcomes).containsOnlyKeys("enqueued");
  }

  private static long count(TestDatabase db, String sql) {
    return RunnerProcesses.count(db, sql);
  }
}
