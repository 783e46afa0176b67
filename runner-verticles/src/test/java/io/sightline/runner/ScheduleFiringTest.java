package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.shared.schedules.ScheduleFiring;
import io.sightline.shared.schedules.ScheduleRow;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schedules firing on real runners over one real Postgres, by a clock the test moves: two runner nodes (each its own
 * Vert.x, pool and runner verticles) race for the same slots and every slot fires exactly once; missed slots after
 * downtime (a handful, and thousands: bounded rows plus a summary); overlap with a still-running run; a failing query
 * backing off 2, 4 … minutes, never disabled, reset by a manual success; a target that cannot be enqueued marked
 * broken with the reason; a dashboard schedule refreshing its tiles with identical ones shared.
 */
@ExtendWith(PostgresExtension.class)
class ScheduleFiringTest {
  /** A clock the test sets; both runner nodes fire by it. */
  static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private static final TestClock CLOCK = new TestClock();
  private static final Instant T0 = Instant.parse("2030-01-07T12:00:00Z");
  private static TestDatabase db;
  private static Node a;
  private static Node b;
  private static final String ORG = UUID.randomUUID().toString();
  private static String generated;
  private static String postgres;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    CLOCK.now.set(T0);
    a = runnerNode("runner-a");
    b = runnerNode("runner-b");
    db.execute("insert into orgs (id, name, slug) values ('" + ORG + "', 'Ops', 'ops')");
    generated = UUID.randomUUID().toString();
    db.execute("insert into datasources (id, org_id, name, kind, options, max_concurrency) values ('" + generated
        + "', '" + ORG + "', 'gen', 'generated', '{\"host\":\"g\",\"port\":1,\"database\":\"n\",\"user\":\"n\"}', 50)");
    postgres = UUID.randomUUID().toString();
    JsonObject options = new JsonObject().put("host", "127.0.0.1").put("port", db.url().port())
        .put("database", db.name()).put("user", db.url().user()).put("sslMode", "disable").put("searchPath", "");
    db.execute("insert into datasources (id, org_id, name, kind, options, max_concurrency) values ('" + postgres
        + "', '" + ORG + "', 'pg', 'postgres', '" + options.encode() + "', 5)");
  }

  private static Node runnerNode(String id) {
    Node node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", id)), NodeRole.RUNNER, false);
    Await.result(node.vertx().deployVerticle(new RunnerVerticle(node.config(), node.pool(), node.secrets(), 8,
        CLOCK)));
    return node;
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  @BeforeEach
  void clean() {
    // the two runner nodes may be firing the previous test's schedules right now: a deadlock with a firing's
    // transaction is Postgres choosing this delete as the victim, so it is tried again
    for (int attempt = 1; ; attempt++) {
      try {
        db.execute("delete from schedules");
        break;
      } catch (IllegalStateException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("deadlock detected")) {
          throw e;
        }
      }
    }
    CLOCK.now.set(T0);
  }

  // ---- fixtures --------------------------------------------------------------------------------------------------

  private static String query(String datasource, String sql) {
    String id = UUID.randomUUID().toString();
    db.execute("insert into queries (id, org_id, datasource_id, name, sql) values ('" + id + "', '" + ORG + "', '"
        + datasource + "', 'q " + id.substring(0, 6) + "', '" + sql.replace("'", "''") + "')");
    return id;
  }

  private static String intervalSchedule(String target, String column, int every, Instant next) {
    return intervalSchedule(target, column, every, next, "{}");
  }

  /** Made in one statement: a firer polling on its own could fire it between two (before its params, say). */
  private static String intervalSchedule(String target, String column, int every, Instant next, String params) {
    String id = UUID.randomUUID().toString();
    db.execute("insert into schedules (id, org_id, " + column + ", name, kind, every_seconds, timezone, next_run_at,"
        + " params) values ('" + id + "', '" + ORG + "', '" + target + "', 's', 'interval', " + every + ", 'UTC', '"
        + next + "', '" + params + "')");
    return id;
  }

  /** Moves the clock and wakes both nodes' firers (as an api's schedules.changed hint would). */
  private static void moveClockTo(Instant t) {
    CLOCK.now.set(t);
    a.vertx().eventBus().publish(Addresses.SCHEDULES_CHANGED, new JsonObject());
    b.vertx().eventBus().publish(Addresses.SCHEDULES_CHANGED, new JsonObject());
  }

  private static long count(String sql) {
    return ((Number) db.scalar(sql)).longValue();
  }

  private static void awaitCount(String sql, long expected) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .alias(sql + " = " + expected + "; firings: " + db.query("select schedule_id, slot_at, outcome, slots, error"
            + " from schedule_firings order by slot_at"))
        .until(() -> count(sql) == expected);
  }

  private static void awaitNoLiveRuns() {
    awaitCount("select count(*) from runs where status in ('queued', 'running')", 0);
  }

  private static Map<String, Object> schedule(String id) {
    return db.query("select * from schedules where id = '" + id + "'").get(0);
  }

  private static List<String> outcomes(String id) {
    return db.query("select outcome from schedule_firings where schedule_id = '" + id + "' order by slot_at").stream()
        .map(r -> (String) r.get("outcome")).toList();
  }

  // ---- tests -----------------------------------------------------------------------------------------------------

  @Test
  void twoRunnerNodesRacingFireEverySlotExactlyOnce() {
    int schedules = 20;
    int steps = 5;
    for (int i = 1; i <= schedules; i++) {
      intervalSchedule(query(generated, "rows:" + i), "query_id", 60, T0);
    }
    for (int step = 0; step < steps; step++) {
      moveClockTo(T0.plusSeconds(60L * step));
      awaitCount("select count(*) from schedule_firings", (long) schedules * (step + 1));
      awaitNoLiveRuns();
    }
    assertThat(count("select count(*) from schedule_firings where outcome = 'enqueued'")).isEqualTo(100);
    assertThat(count("select count(distinct r) from schedule_firings f, unnest(f.run_ids) r")).isEqualTo(100);
    assertThat(count("select count(*) from runs where trigger = 'schedule' and schedule_id is not null"))
        .isEqualTo(100);
    assertThat(count("select count(*) from runs where status = 'succeeded' and schedule_id is not null"))
        .isEqualTo(100);
    // every slot of every schedule, none twice, none missing; next_run_at advanced from the planned slot
    assertThat(count("select count(*) from (select schedule_id from schedule_firings group by schedule_id"
        + " having array_agg(slot_at order by slot_at) = array(select '" + T0 + "'::timestamptz + n * interval"
        + " '1 minute' from generate_series(0, 4) n)) ok")).isEqualTo(schedules);
    assertThat(count("select count(*) from schedules where next_run_at = '" + T0.plusSeconds(300) + "'"))
        .isEqualTo(schedules);
    // the successes were settled back into the schedules
    awaitCount("select count(*) from schedule_firings where settled_at is null", 0);
    assertThat(count("select count(*) from schedule_firings where run_status = 'succeeded'")).isEqualTo(100);
    assertThat(count("select count(*) from run_requests where trigger = 'schedule' and schedule_id is not null"))
        .isEqualTo(100);
  }

  @Test
  void afterDowntimeOneCatchUpRunAndTheMissedSlotsRecorded() {
    // the runners were down from 11:50 (the planned slot) to 12:00:20
    String s = intervalSchedule(query(generated, "rows:7"), "query_id", 60, T0.minusSeconds(600));
    moveClockTo(T0.plusSeconds(20));
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 11);
    assertThat(outcomes(s)).containsExactly("skipped_missed", "skipped_missed", "skipped_missed", "skipped_missed",
        "skipped_missed", "skipped_missed", "skipped_missed", "skipped_missed", "skipped_missed", "skipped_missed",
        "enqueued");
    assertThat(db.scalar("select slot_at = '" + T0 + "' from schedule_firings where schedule_id = '"
        + s + "' and outcome = 'enqueued'")).isEqualTo(true);
    assertThat(db.scalar("select next_run_at = '" + T0.plusSeconds(60) + "' from schedules where id = '" + s + "'"))
        .isEqualTo(true);
  }

  @Test
  void thousandsOfMissedSlotsAreBoundedRowsAndASummary() {
    String s = intervalSchedule(query(generated, "rows:8"), "query_id", 60, T0.minusSeconds(60L * 5000));
    moveClockTo(T0);
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "' and outcome = 'enqueued'", 1);
    assertThat(count("select count(*) from schedule_firings where schedule_id = '" + s + "'"))
        .isEqualTo(ScheduleFirer.KEEP_MISSED + 1);
    assertThat(count("select sum(slots) from schedule_firings where schedule_id = '" + s
        + "' and outcome = 'skipped_missed'")).isEqualTo(5000);
    assertThat(count("select slots from schedule_firings where schedule_id = '" + s + "' and slot_at = '"
        + T0.minusSeconds(60L * 5000) + "'")).isEqualTo(5000 - (ScheduleFirer.KEEP_MISSED - 1));
    assertThat(db.scalar("select slot_at = '" + T0 + "' from schedule_firings where schedule_id = '" + s
        + "' and outcome = 'enqueued'")).isEqualTo(true);
  }

  @Test
  void aSlotWhileThePreviousRunIsLiveIsSkippedAsOverlapping() {
    String s = intervalSchedule(query(postgres, "select pg_sleep(3)"), "query_id", 60, T0);
    moveClockTo(T0);
    awaitCount("select count(*) from runs r join schedule_firings f on r.id = any(f.run_ids) where f.schedule_id = '"
        + s + "' and r.status = 'running'", 1);
    moveClockTo(T0.plusSeconds(60));
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 2);
    assertThat(outcomes(s)).containsExactly("enqueued", "skipped_overlap");
    assertThat(count("select count(*) from runs where schedule_id = '" + s + "'")).isEqualTo(1);
    awaitNoLiveRuns();
  }

  @Test
  void aFailingScheduleBacksOffIsNeverDisabledAndAManualSuccessResetsIt() {
    String q = query(generated, "not rows");
    String s = intervalSchedule(q, "query_id", 60, T0);
    moveClockTo(T0);
    awaitCount("select consecutive_failures from schedules where id = '" + s + "'", 1);
    Map<String, Object> after1 = schedule(s);
    assertThat(after1.get("last_error").toString()).contains("expected rows:N");
    assertThat(after1.get("enabled")).isEqualTo(true);
    // backoff 2 minutes from the failure (12:00): the 12:01 slot is skipped, 12:02 fires (and fails again)
    moveClockTo(T0.plusSeconds(60));
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 2);
    moveClockTo(T0.plusSeconds(120));
    awaitCount("select consecutive_failures from schedules where id = '" + s + "'", 2);
    // now 4 minutes, until 12:06
    assertThat(db.scalar("select backoff_until = '" + T0.plusSeconds(120 + 240) + "' from schedules where id = '" + s
        + "'")).isEqualTo(true);
    moveClockTo(T0.plusSeconds(180));
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 4);
    assertThat(outcomes(s)).containsExactly("enqueued", "skipped_backoff", "enqueued", "skipped_backoff");
    assertThat(schedule(s).get("enabled")).isEqualTo(true);

    // the query is fixed and run by hand (run-now: the same firing, manual): the success resets the schedule
    db.execute("update queries set sql = 'rows:3' where id = '" + q + "'");
    runNow(s);
    awaitCount("select consecutive_failures from schedules where id = '" + s + "'", 0);
    Map<String, Object> reset = schedule(s);
    assertThat(reset.get("last_error")).isNull();
    assertThat(reset.get("backoff_until")).isNull();
    assertThat(count("select count(*) from schedule_firings where schedule_id = '" + s + "' and manual")).isEqualTo(1);
  }

  /** What the api's run-now does: the same firing in a transaction holding the schedule, manual. */
  private static void runNow(String scheduleId) {
    RunService runs = new RunService(a.vertx(), a.pool(), a.config().runs());
    List<Runnable> announce = new java.util.ArrayList<>();
    Await.result(a.pool().withTransaction(conn -> conn.preparedQuery("select " + ScheduleRow.COLUMNS
        + " from schedules s where s.id = $1 for update").execute(Tuple.of(UUID.fromString(scheduleId)))
        .compose(rows -> new ScheduleFiring(runs).fire(conn, ScheduleRow.of(rows.iterator().next()), CLOCK.instant(),
            CLOCK.instant(), true, null, RunRequest.INTERACTIVE))
        .map(f -> announce.add(f.announce()))));
    announce.forEach(Runnable::run);
  }

  @Test
  void aTargetThatCannotBeEnqueuedIsBrokenWithTheReasonNotDisabled() {
    String q = query(generated, "rows:1");
    String s = intervalSchedule(q, "query_id", 60, T0);
    db.execute("update queries set archived_at = now() where id = '" + q + "'");
    moveClockTo(T0);
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 1);
    assertThat(outcomes(s)).containsExactly("failed_to_enqueue");
    Map<String, Object> broken = schedule(s);
    assertThat(broken.get("broken_reason").toString()).contains("was archived");
    assertThat(broken.get("consecutive_failures")).isEqualTo(1);
    assertThat(broken.get("enabled")).isEqualTo(true);
    assertThat(db.scalar("select next_run_at = '" + T0.plusSeconds(60) + "' from schedules where id = '" + s + "'"))
        .isEqualTo(true);
    assertThat(db.scalar("select error from schedule_firings where schedule_id = '" + s + "'").toString())
        .contains("was archived");
  }

  /** A one-minute schedule of {@code queryId} due at T0 − 1 s (its grid anchored there): ahead of those due at T0. */
  private static String firstDue(String queryId) {
    return firstDue(queryId, "UTC");
  }

  /**
   * A schedule due one second before T0, its first slot — made in one statement: the firers poll on their own too, and
   * one could fire a schedule made in several steps between them (before a zone set afterwards, say).
   */
  private static String firstDue(String queryId, String timezone) {
    String id = UUID.randomUUID().toString();
    Instant due = T0.minusSeconds(1);
    db.execute("insert into schedules (id, org_id, query_id, name, kind, every_seconds, timezone, next_run_at,"
        + " starts_at) values ('" + id + "', '" + ORG + "', '" + queryId + "', 's', 'interval', 60, '" + timezone
        + "', '" + due + "', '" + due + "')");
    return id;
  }

  @Test
  void aScheduleWhoseFiringHitsADatabaseErrorIsRecordedFailingAndTheSchedulesAfterItStillFire() {
    // every enqueue of this query fails in the database (a trigger stands in for any error of its own)
    String q = query(generated, "rows:1");
    db.execute("create or replace function refuse_query() returns trigger language plpgsql as $$ begin"
        + " if new.query_id = '" + q + "' then raise exception 'refused by the test trigger'; end if;"
        + " return new; end $$");
    db.execute("create trigger refuse_query before insert on run_requests for each row execute function"
        + " refuse_query()");
    try {
      String bad = firstDue(q);
      List<String> good = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        good.add(intervalSchedule(query(generated, "rows:" + (20 + i)), "query_id", 60, T0));
      }
      moveClockTo(T0);
      awaitCount("select count(*) from schedule_firings where outcome = 'enqueued'", 5);
      awaitCount("select count(*) from schedule_firings where schedule_id = '" + bad + "'", 1);
      // its slot is recorded with the error, it counts as a failure and backs off, and it stays enabled
      assertThat(outcomes(bad)).containsExactly("failed_to_enqueue");
      Map<String, Object> failed = schedule(bad);
      assertThat(failed.get("last_error").toString()).startsWith("could not fire:")
          .contains("refused by the test trigger");
      assertThat(failed.get("broken_reason").toString()).contains("refused by the test trigger");
      assertThat(failed.get("consecutive_failures")).isEqualTo(1);
      assertThat(failed.get("enabled")).isEqualTo(true);
      assertThat(db.scalar("select next_run_at = '" + T0.plusSeconds(59) + "' from schedules where id = '" + bad
          + "'")).isEqualTo(true);
      assertThat(count("select count(*) from runs where query_id = '" + q + "'")).isZero();
      for (String g : good) {
        assertThat(outcomes(g)).containsExactly("enqueued");
      }
    } finally {
      db.execute("drop trigger refuse_query on run_requests");
    }
    awaitNoLiveRuns();
  }

  @Test
  void aScheduleWhoseFailureCannotEvenBeRecordedIsLeftOutForAWhileWithTheReasonAndFiresOnceItCan() {
    String bad = firstDue(query(generated, "rows:2"));
    db.execute("create or replace function refuse_firing() returns trigger language plpgsql as $$ begin"
        + " if new.schedule_id = '" + bad + "' then raise exception 'no firing rows for this one'; end if;"
        + " return new; end $$");
    db.execute("create trigger refuse_firing before insert on schedule_firings for each row execute function"
        + " refuse_firing()");
    String good;
    try {
      good = intervalSchedule(query(generated, "rows:3"), "query_id", 60, T0);
      moveClockTo(T0);
      awaitCount("select count(*) from schedule_firings where schedule_id = '" + good + "'", 1);
      awaitCount("select count(*) from schedules where id = '" + bad + "' and last_error like 'could not fire:%'", 1);
      Map<String, Object> stuck = schedule(bad);
      assertThat(stuck.get("broken_reason").toString()).contains("no firing rows for this one");
      assertThat(stuck.get("enabled")).isEqualTo(true);
      assertThat(db.scalar("select next_run_at = '" + T0.minusSeconds(1) + "' from schedules where id = '" + bad
          + "'")).as("its slot is not lost: still due").isEqualTo(true);
    } finally {
      db.execute("drop trigger refuse_firing on schedule_firings");
    }
    // once it can be recorded, the slot fires on the retry (within the first retries' seconds), exactly once
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + bad + "' and outcome = 'enqueued'", 1);
    assertThat(outcomes(bad)).containsExactly("enqueued");
    assertThat(outcomes(good)).containsExactly("enqueued");
    awaitNoLiveRuns();
    awaitCount("select count(*) from schedules where id = '" + bad + "' and broken_reason is null and last_error is"
        + " null", 1);
  }

  @Test
  void aScheduleWhoseRowCannotBeReadIsLeftOutWithTheReasonAndTheOthersStillFire() {
    // a zone the runner does not know (tz data changed under a saved schedule): its spec cannot be built
    String bad = firstDue(query(generated, "rows:4"), "Atlantis/Capital");
    String good = intervalSchedule(query(generated, "rows:5"), "query_id", 60, T0);
    moveClockTo(T0);
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + good + "'", 1);
    awaitCount("select count(*) from schedules where id = '" + bad + "' and broken_reason = 'could not fire: its"
        + " timezone is not an IANA time zone (for example America/Toronto)'", 1);
    assertThat(schedule(bad).get("enabled")).isEqualTo(true);
    assertThat(outcomes(good)).containsExactly("enqueued");
    assertThat(outcomes(bad)).isEmpty();
    // once its row reads again, its still-due slot fires on a retry, once
    db.execute("update schedules set timezone = 'UTC' where id = '" + bad + "'");
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + bad + "' and outcome = 'enqueued'", 1);
    assertThat(outcomes(bad)).containsExactly("enqueued");
    awaitNoLiveRuns();
  }

  @Test
  void aDashboardScheduleRefreshesItsTilesWithIdenticalOnesShared() {
    String q = query(generated, "rows:{{n}}");
    db.execute("update queries set params = '[{\"name\":\"n\",\"type\":\"integer\",\"default\":2}]' where id = '" + q
        + "'");
    String viz = UUID.randomUUID().toString();
    db.execute("insert into visualizations (id, org_id, query_id, name, kind, config) values ('" + viz + "', '" + ORG
        + "', '" + q + "', 'v', 'table', '{}')");
    String dash = UUID.randomUUID().toString();
    db.execute("insert into dashboards (id, org_id, name, slug, params) values ('" + dash + "', '" + ORG
        + "', 'Desk', 'desk-" + dash.substring(0, 6) + "', '[{\"name\":\"count\",\"type\":\"integer\",\"default\":5}]')");
    String fromDashboard = "{\"n\":{\"from\":\"dashboard\",\"param\":\"count\"}}";
    int ordinal = 0;
    for (String bindings : new String[] {fromDashboard, fromDashboard, "{\"n\":{\"value\":9}}", "{}"}) {
      db.execute("insert into tiles (org_id, dashboard_id, kind, visualization_id, x, y, w, h, bindings, ordinal)"
          + " values ('" + ORG + "', '" + dash + "', 'viz', '" + viz + "', 0, 0, 6, 4, '" + bindings + "', "
          + ordinal++ + ")");
    }
    db.execute("insert into tiles (org_id, dashboard_id, kind, text, x, y, w, h, ordinal) values ('" + ORG + "', '"
        + dash + "', 'text', 'note', 0, 9, 6, 2, 9)");
    String s = intervalSchedule(dash, "dashboard_id", 300, T0, "{\"count\": 4}");
    moveClockTo(T0);
    awaitCount("select count(*) from schedule_firings where schedule_id = '" + s + "'", 1);
    assertThat(outcomes(s)).containsExactly("enqueued");
    // tiles 1 and 2 (count 4 from the schedule) share one run; tile 3 (fixed 9); tile 4 (the query's default, 2)
    assertThat(db.query("select r.bind_values::text as v from schedule_firings f join runs r on r.id = any(f.run_ids)"
        + " where f.schedule_id = '" + s + "' order by r.created_at").stream().map(r -> r.get("v")).toList())
        .containsExactlyInAnyOrder("[\"4\"]", "[\"9\"]", "[\"2\"]");
    assertThat(count("select count(*) from run_requests where schedule_id = '" + s + "' and dashboard_id = '" + dash
        + "' and trigger = 'schedule'")).isEqualTo(3);
    awaitNoLiveRuns();
  }
}
