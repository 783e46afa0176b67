package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.sightline.shared.result.JsonRowEncoder;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The COPY read path ({@link CopyExecution}) against the cursor path it stands in for: the same query through a
 * connector with it and one without gives the same columns and, byte for byte, the same stored lines (CopyTextRowsGoldenTest
 * holds the golden files' values to them) — in a datasource
 * whose time zone is not UTC nor the JVM's — and the same errors with the same positions. Runs it cannot take keep the
 * cursor path; limits, cancels and timeouts end it as they end the cursor path, and leave no session behind.
 */
@ExtendWith(PostgresExtension.class)
class CopyReadPathTest {
  private static Vertx vertx;
  private static PostgresConnector copy;
  private static PostgresConnector cursor;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    // neither UTC nor (in any likely CI) the JVM's zone, with a half-hour offset: pgjdbc's sessions start in the JVM's
    db.execute("alter database \"" + db.url().database() + "\" set timezone = 'America/St_Johns'");
    vertx = Vertx.vertx();
    copy = new PostgresConnector(true);
    cursor = new PostgresConnector(false);
  }

  @AfterAll
  static void stop() {
    Await.result(copy.close(vertx));
    Await.result(cursor.close(vertx));
    Await.result(vertx.close());
  }

  private static DatasourceSpec ds(int maxConcurrency) {
    return new DatasourceSpec(UUID.randomUUID().toString(), PostgresConnector.KIND, db.url().host(), db.url().port(),
        db.url().database(), db.url().user(), db.url().password(), "disable", null, true, maxConcurrency);
  }

  private static DatasourceSpec shared;

  private static DatasourceSpec sharedDs() {
    if (shared == null) {
      shared = ds(2);
    }
    return shared;
  }

  @Test
  void everyMappedTypeGivesTheSameLinesOnBothPaths() {
    List<String> queries = new ArrayList<>(List.of(
        "select g::int2 as a, g::int4 as b, g::int8 * 1000000007 as c, (g / 7.0)::numeric(12,4) as d, "
            + "g / 3.0::float4 as e, g / 3.0::float8 as f, g % 2 = 0 as g, 'row ' || g as h, ('v' || g)::varchar as i,"
            + " ('c' || g)::char(4) as j, 'pg_class'::name as k, md5(g::text)::uuid as l, date '2026-01-01' + g as m,"
            + " timestamp '2026-03-08 01:30' + g * interval '37 minutes' as n,"
            + " timestamptz '2026-11-01 01:30-02:30' + g * interval '17 minutes' as o"
            + " from generate_series(1, 3000) g",
        "select * from (values (null::int, null::text, null::numeric, null::timestamptz, null::date)) v(a, b, c, d, e)",
        "select E'tab\\there', E'new\\nline', E'back\\\\slash', 'quote \" '' ', E'\\x01\\x1f\\x7f', '😀 é ß', ''",
        "select 9007199254740991::int8, 9007199254740992::int8, (-9223372036854775808)::int8,"
            + " 'NaN'::numeric, 'NaN'::float8, '-Infinity'::float4,"
            + " 1e300::float8, 1.5e-7::float4, 0.1::float8",
        "select date 'infinity', date '-infinity', date '0044-03-15 BC', date '12345-01-01',"
            + " timestamptz '1883-11-18 12:00', timestamp '2000-02-29 23:59:59.999999', timestamptz 'infinity'",
        "with t as (select 1 as x) select x from t -- a comment at the end",
        "values (1, 'one'), (2, 'two');  ",
        "(select 1 as n) union all (select 2) order by 1;\n-- done\n",
        "select nspname from pg_namespace order by 1"));
    for (String sql : queries) {
      Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
      Run viaCursor = run(cursor, sharedDs(), sql, Long.MAX_VALUE);
      assertThat(viaCursor.failure).as(sql).isNull();
      assertThat(viaCopy.failure).as(sql).isNull();
      assertThat(viaCopy.sink.lineCalls).as("read through COPY: " + sql).isEqualTo(viaCopy.sink.rowsSeen());
      assertThat(viaCursor.sink.lineCalls).isZero();
      assertThat(viaCopy.sink.columns).as(sql).isEqualTo(viaCursor.sink.columns);
      assertThat(viaCopy.sink.text()).as(sql).isEqualTo(viaCursor.sink.text());
      assertThat(viaCopy.outcome).as(sql).isEqualTo(viaCursor.outcome);
    }
  }

  @Test
  void numericInfinityWhichTheCursorPathCannotReadReadsThroughCopy() {
    String sql = "select 'Infinity'::numeric as up, '-Infinity'::numeric as down, 1.50::numeric as n";
    assertThat(run(cursor, sharedDs(), sql, Long.MAX_VALUE).failure.code()).isEqualTo("unreadable_value");
    Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
    assertThat(viaCopy.failure).isNull();
    assertThat(viaCopy.sink.text()).isEqualTo("[\"Infinity\",\"-Infinity\",\"1.50\"]\n");
  }

  /**
   * A value of 10 MB in which nearly every byte is one COPY escapes (tab, backslash, a control character) or a JSON
   * escapes (quote): the batch grows past its usual bound to hold the one line, and the lines are the cursor path's.
   */
  @Test
  void aTenMegabyteValueFullOfEscapesGivesTheCursorPathsLines() {
    String sql = "select n, repeat(E'a\\tb\"c\\\\\u00e9\\x01', 1200000) as big from generate_series(1, 2) n";
    Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
    Run viaCursor = run(cursor, sharedDs(), sql, Long.MAX_VALUE);
    assertThat(viaCopy.failure).isNull();
    assertThat(viaCopy.sink.lineCalls).as("read through COPY").isEqualTo(2);
    assertThat(viaCopy.sink.lines.size()).as("two lines over 10 MB each").isGreaterThan(2 * 10_000_000);
    assertThat(viaCopy.sink.lines.toByteArray()).isEqualTo(viaCursor.sink.lines.toByteArray());
    assertThat(run(copy, sharedDs(), "select 'after' as n", Long.MAX_VALUE).sink.text()).isEqualTo("[\"after\"]\n");
  }

  /**
   * Forty runs at once on a datasource whose cap is four (the runner keeps to the cap; the connector must not depend
   * on it): each gets its own rows, and the pool then keeps at most four idle sessions, all reset, none left in a
   * transaction. A role of its own tells this datasource's sessions from the other tests'.
   */
  @Test
  void fortyRunsAtOnceEachGetTheirOwnRowsAndThePoolKeepsAtMostTheCap() {
    String role = "copy40_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    db.execute("create role " + role + " login password 'copy40'");
    DatasourceSpec four = new DatasourceSpec(UUID.randomUUID().toString(), PostgresConnector.KIND, db.url().host(),
        db.url().port(), db.url().database(), role, io.sightline.shared.config.Secret.of("copy40"), "disable", null, true, 4);
    PostgresConnector connector = new PostgresConnector(true, 40); // a reader each: all 40 through COPY
    try {
      int runs = 40;
      int rows = 20_000;
      List<Sink> sinks = new ArrayList<>();
      List<Future<ExecutionOutcome>> done = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Sink sink = new Sink(Long.MAX_VALUE);
        sinks.add(sink);
        done.add(connector.execute(vertx, four, new ExecutionRequest(UUID.randomUUID().toString(),
            "select g, 'run " + i + "' as tag from generate_series(1, " + rows + ") g", List.of(), 60_000, 100),
            sink, handle -> Future.succeededFuture()));
      }
      for (int i = 0; i < runs; i++) {
        assertThat(Await.result(done.get(i)).rowsRead()).isEqualTo(rows);
        Sink sink = sinks.get(i);
        assertThat(sink.lineCalls).as("run %d read through COPY", i).isEqualTo(rows);
        StringBuilder expected = new StringBuilder();
        for (int g = 1; g <= rows; g++) {
          expected.append('[').append(g).append(",\"run ").append(i).append("\"]\n");
        }
        assertThat(sink.text()).as("run %d's own rows", i).isEqualTo(expected.toString());
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (Long) db.scalar(
          "select count(*) from pg_stat_activity where usename = '" + role + "' and state <> 'idle'") == 0);
      long resetIdle = (Long) db.scalar("select count(*) from pg_stat_activity where usename = '" + role
          + "' and query = 'DISCARD ALL'");
      assertThat(resetIdle).as("idle COPY sessions kept").isBetween(1L, 4L);
      assertThat((Long) db.scalar("select count(*) from pg_stat_activity where application_name like"
          + " 'sightline-run-%' and usename = '" + role + "'")).isZero();
    } finally {
      Await.result(connector.close(vertx));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (Long) db.scalar(
        "select count(*) from pg_stat_activity where usename = '" + role + "'") == 0);
    db.execute("drop role " + role);
  }

  /**
   * With every COPY reader taken (one, here) a run reads through a cursor at once rather than wait for a reader; a
   * reader is given back however its run ends (rows, an error, a run the path does not take).
   */
  @Test
  void aRunThatFindsEveryReaderTakenReadsThroughACursorWithoutWaiting() {
    PostgresConnector oneReader = new PostgresConnector(true, 1);
    try {
      DatasourceSpec two = ds(2);
      String slowId = UUID.randomUUID().toString();
      Sink slowSink = new Sink(Long.MAX_VALUE);
      Future<ExecutionOutcome> slow = oneReader.execute(vertx, two, new ExecutionRequest(slowId,
          "select count(*) as slept from (select pg_sleep(3)) s", List.of(), 30_000, 100), slowSink,
          handle -> Future.succeededFuture());
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (Long) db.scalar(
          "select count(*) from pg_stat_activity where application_name = 'sightline-run-" + slowId
              + "' and query like 'COPY (%'") == 1);
      Run meanwhile = run(oneReader, two, "select 1 as n", Long.MAX_VALUE);
      assertThat(meanwhile.failure).isNull();
      assertThat(meanwhile.sink.text()).isEqualTo("[1]\n");
      assertThat(meanwhile.sink.lineCalls).as("through a cursor").isZero();
      assertThat(slow.isComplete()).as("without waiting for the reader").isFalse();
      assertThat(Await.result(slow).rowsRead()).isEqualTo(1);
      assertThat(slowSink.lineCalls).isEqualTo(1);

      assertThat(run(oneReader, two, "select 2 as n", Long.MAX_VALUE).sink.lineCalls).as("given back").isEqualTo(1);
      assertThat(run(oneReader, two, "select 1/0 as x", Long.MAX_VALUE).failure).isNotNull();
      assertThat(run(oneReader, two, "select 3 as n", Long.MAX_VALUE).sink.lineCalls).as("after an error").isEqualTo(1);
      assertThat(run(oneReader, two, "select '{}'::jsonb as j", Long.MAX_VALUE).sink.lineCalls).isZero();
      assertThat(run(oneReader, two, "select 4 as n", Long.MAX_VALUE).sink.lineCalls).as("after a run not taken")
          .isEqualTo(1);
    } finally {
      Await.result(oneReader.close(vertx));
    }
  }

  @Test
  void runsThePathCannotTakeKeepTheCursorPath() {
    for (String sql : List.of("select '{\"a\": 1}'::jsonb as j", "select array[1, 2]", "select interval '1 day'",
        "select 1 as a; ", "select '{' as brace", "select 'what?' as q", "show timezone",
        "explain select 1")) {
      Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
      Run viaCursor = run(cursor, sharedDs(), sql, Long.MAX_VALUE);
      assertThat(viaCopy.failure).as(sql).isNull();
      assertThat(viaCopy.sink.columns).as(sql).isEqualTo(viaCursor.sink.columns);
      assertThat(viaCopy.sink.text()).as(sql).isEqualTo(viaCursor.sink.text());
      if (!sql.equals("select 1 as a; ")) {
        assertThat(viaCopy.sink.lineCalls).as("kept the cursor path: " + sql).isZero();
      }
    }
    // a writable datasource keeps the cursor path (a query cut short must still commit what it did)
    DatasourceSpec writable = new DatasourceSpec(UUID.randomUUID().toString(), PostgresConnector.KIND,
        db.url().host(), db.url().port(), db.url().database(), db.url().user(), db.url().password(), "disable", null,
        false, 1);
    assertThat(run(copy, writable, "select 1", Long.MAX_VALUE).sink.lineCalls).isZero();
  }

  /** A NUL in the text (which pgjdbc and the COPY statement would see differently) keeps the cursor path's answer. */
  @Test
  void aNulInTheTextKeepsTheCursorPathsAnswer() {
    String sql = "select 'a' as x -- \u0000 after a NUL";
    Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
    Run viaCursor = run(cursor, sharedDs(), sql, Long.MAX_VALUE);
    assertThat(viaCopy.sink.lineCalls).isZero();
    assertThat(viaCopy.sink.text()).isEqualTo(viaCursor.sink.text());
    assertThat(viaCopy.failure == null ? null : viaCopy.failure.code())
        .isEqualTo(viaCursor.failure == null ? null : viaCursor.failure.code());
    assertThat(run(copy, sharedDs(), "select 'next' as n", Long.MAX_VALUE).sink.lineCalls).isEqualTo(1);
  }

  @Test
  void errorsAreTheCursorPathsWithTheSamePositions() {
    for (String sql : List.of("select 1/0 as x", "select 'abc'::int as x", "select no_such_column from pg_class",
        "selec 1", "select * from no_such_table", "select x from (select 1 as x) t where x::text::int / 0 = 1")) {
      Run viaCopy = run(copy, sharedDs(), sql, Long.MAX_VALUE);
      Run viaCursor = run(cursor, sharedDs(), sql, Long.MAX_VALUE);
      assertThat(viaCursor.failure).as(sql).isNotNull();
      assertThat(viaCopy.failure).as(sql).isNotNull();
      assertThat(viaCopy.failure.code()).as(sql).isEqualTo(viaCursor.failure.code());
      assertThat(viaCopy.failure.getMessage()).as(sql).isEqualTo(viaCursor.failure.getMessage());
      assertThat(viaCopy.failure.position()).as(sql).isEqualTo(viaCursor.failure.position());
      assertThat(viaCopy.failure.kind()).as(sql).isEqualTo(viaCursor.failure.kind());
    }
    // and the datasource's one connection is still fit for the next run
    assertThat(run(copy, sharedDs(), "select 42 as answer", Long.MAX_VALUE).sink.text()).isEqualTo("[42]\n");
  }

  @Test
  void aRowLimitStopsTheCopyAndLeavesNoSessionBehind() {
    DatasourceSpec one = ds(1);
    Run limited = run(copy, one, "select g, repeat('x', 100) from generate_series(1, 5000000) g", 1000);
    assertThat(limited.failure).isNull();
    assertThat(limited.outcome.stoppedEarly()).isTrue();
    assertThat(limited.outcome.rowsRead()).isEqualTo(1000);
    assertThat(limited.sink.lineCalls).isEqualTo(1000);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> db.sessionsOf(limited.runId) == 0 && activeCopies() == 0);
    assertThat(run(copy, one, "select 'next' as n", Long.MAX_VALUE).sink.text()).isEqualTo("[\"next\"]\n");
  }

  @Test
  void aCancelEndsTheCopyAsCancelledAndATimeoutAsTimedOut() {
    DatasourceSpec one = ds(1);
    String runId = UUID.randomUUID().toString();
    AtomicLong backend = new AtomicLong();
    Sink sink = new Sink(Long.MAX_VALUE);
    Future<ExecutionOutcome> running = copy.execute(vertx, one, new ExecutionRequest(runId,
        "select g, pg_sleep(0.01) from generate_series(1, 100000) g", List.of(), 60_000, 100), sink, handle -> {
          backend.set(handle.backendId());
          return Future.succeededFuture();
        });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> db.sessionsOf(runId) == 1);
    Await.result(copy.cancel(vertx, one, new io.sightline.shared.connector.ExecutionHandle(runId, backend.get())));
    ExecutionException cancelled = failure(running);
    assertThat(cancelled.kind()).isEqualTo(ExecutionException.Kind.CANCELLED);
    assertThat(cancelled.statementSent()).isTrue();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.sessionsOf(runId) == 0);

    String timedOut = UUID.randomUUID().toString();
    ExecutionException timeout = failure(copy.execute(vertx, one, new ExecutionRequest(timedOut,
        "select g, pg_sleep(0.01) from generate_series(1, 100000) g", List.of(), 300, 100), new Sink(Long.MAX_VALUE),
        handle -> Future.succeededFuture()));
    assertThat(timeout.kind()).isEqualTo(ExecutionException.Kind.TIMEOUT);
    assertThat(run(copy, one, "select 'after' as n", Long.MAX_VALUE).sink.text()).isEqualTo("[\"after\"]\n");
  }

  /**
   * The datasource ends the session while the COPY streams (a restart, an administrator's pg_terminate_backend): the
   * run fails as the cursor path's does in the same place — the same kind, the statement sent — its connection is not
   * kept, and the next run on the datasource works.
   */
  @Test
  void aSessionEndedWhileTheCopyStreamsFailsTheRunAsTheCursorPathsDoes() {
    DatasourceSpec one = ds(1);
    String sql = "select g, repeat('x', 50) as pad from generate_series(1, 200000) g where pg_sleep(0.0001) is not null";
    ExecutionException viaCopy = terminatedMidStream(copy, one, sql);
    ExecutionException viaCursor = terminatedMidStream(cursor, one, sql);
    assertThat(viaCopy.kind()).as(viaCopy.getMessage()).isEqualTo(viaCursor.kind());
    assertThat(viaCopy.code()).as(viaCopy.getMessage()).isEqualTo(viaCursor.code());
    assertThat(viaCopy.kind()).isEqualTo(ExecutionException.Kind.CONNECTION);
    assertThat(viaCopy.statementSent()).isTrue();
    assertThat(viaCursor.statementSent()).isTrue();
    Run after = run(copy, one, "select 'after' as n", Long.MAX_VALUE);
    assertThat(after.failure).isNull();
    assertThat(after.sink.lineCalls).as("COPY again, on a new connection").isEqualTo(1);
    assertThat(after.sink.text()).isEqualTo("[\"after\"]\n");
  }

  private static ExecutionException terminatedMidStream(PostgresConnector connector, DatasourceSpec ds, String sql) {
    String runId = UUID.randomUUID().toString();
    AtomicLong backend = new AtomicLong();
    Sink sink = new Sink(Long.MAX_VALUE);
    Future<ExecutionOutcome> running = connector.execute(vertx, ds, new ExecutionRequest(runId, sql, List.of(),
        60_000, 100), sink, handle -> {
          backend.set(handle.backendId());
          return Future.succeededFuture();
        });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows > 0 || running.isComplete());
    assertThat(running.isComplete()).as("still streaming when its session is ended").isFalse();
    db.execute("select pg_terminate_backend(" + backend.get() + ")");
    ExecutionException failure = failure(running);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.sessionsOf(runId) == 0);
    return failure;
  }

  @Test
  void theSessionIsOnRecordBeforeTheStatementAndARefusalSendsNothing() {
    DatasourceSpec one = ds(1);
    db.execute("create table if not exists copy_marks (n int)");
    AtomicBoolean ranBeforeRecorded = new AtomicBoolean();
    String runId = UUID.randomUUID().toString();
    Promise<Void> recorded = Promise.promise();
    Sink sink = new Sink(Long.MAX_VALUE);
    Future<ExecutionOutcome> run = copy.execute(vertx, one, new ExecutionRequest(runId,
        "select pg_sleep(0) as s, 'ran' as t from generate_series(1, 3)", List.of(), 30_000, 100), sink,
        handle -> {
          // the run's statement must not be running yet: its session is only in the transaction's setup
          vertx.setTimer(300, t -> {
            ranBeforeRecorded.set(db.scalar("select count(*) from pg_stat_activity where pid = " + handle.backendId()
                + " and query like '%COPY%'") instanceof Long n && n > 0);
            recorded.complete();
          });
          return recorded.future();
        });
    assertThat(Await.result(run).rowsRead()).isEqualTo(3);
    assertThat(ranBeforeRecorded).isFalse();

    ExecutionException refused = failure(copy.execute(vertx, one, new ExecutionRequest(UUID.randomUUID().toString(),
        "select 1 as one", List.of(), 30_000, 100), new Sink(Long.MAX_VALUE),
        handle -> Future.failedFuture(new IllegalStateException("not recorded"))));
    assertThat(refused.statementSent()).isFalse();
  }

  @Test
  void idleConnectionsAreKeptUpToTheCapAndClosedWhenIdleTooLong() throws Exception {
    CopyConnections connections = new CopyConnections(400);
    try {
      DatasourceSpec two = ds(2);
      java.sql.Connection a = connections.borrow(two);
      java.sql.Connection b = connections.borrow(two);
      java.sql.Connection c = connections.borrow(two);
      connections.giveBack(two, a);
      connections.giveBack(two, b);
      connections.giveBack(two, c);
      assertThat(c.isClosed()).as("beyond max_concurrency idle: closed").isTrue();
      assertThat(connections.borrow(two)).as("the most recently idle first").isSameAs(b);
      connections.giveBack(two, b);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.isClosed() && b.isClosed());
    } finally {
      connections.closeAll();
    }
  }

  @Test
  void aConnectionTheServerEndedWhileIdleSendsTheRunToTheCursorPathOnce() {
    DatasourceSpec one = ds(1);
    AtomicLong pid = new AtomicLong();
    Sink first = new Sink(Long.MAX_VALUE);
    Await.result(copy.execute(vertx, one, new ExecutionRequest(UUID.randomUUID().toString(), "select 1 as n",
        List.of(), 30_000, 100), first, handle -> {
          pid.set(handle.backendId());
          return Future.succeededFuture();
        }));
    assertThat(first.lineCalls).isEqualTo(1);
    assertThat(db.scalar("select application_name from pg_stat_activity where pid = " + pid.get()))
        .as("an idle COPY session is named as the cursor pool's are, also after DISCARD ALL")
        .isEqualTo("sightline-runner");
    // the datasource restarts, as far as this idle session knows
    db.execute("select pg_terminate_backend(" + pid.get() + ")");
    Run after = run(copy, one, "select 2 as n", Long.MAX_VALUE);
    assertThat(after.failure).isNull();
    assertThat(after.sink.text()).isEqualTo("[2]\n");
    assertThat(run(copy, one, "select 3 as n", Long.MAX_VALUE).sink.lineCalls).as("COPY again").isEqualTo(1);
  }

  private static long activeCopies() {
    return (Long) db.scalar("select count(*) from pg_stat_activity where query like 'COPY (%' and state = 'active'"
        + " and pid <> pg_backend_pid()");
  }

  private static ExecutionException failure(Future<ExecutionOutcome> run) {
    Throwable cause = Await.result(run.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(cause).isInstanceOf(ExecutionException.class);
    return (ExecutionException) cause;
  }

  private static Run run(PostgresConnector connector, DatasourceSpec ds, String sql, long maxRows) {
    Sink sink = new Sink(maxRows);
    String runId = UUID.randomUUID().toString();
    ExecutionListener listener = handle -> Future.succeededFuture();
    Future<ExecutionOutcome> done = connector.execute(vertx, ds, new ExecutionRequest(runId, sql, List.of(), 30_000,
        100), sink, listener);
    Throwable cause = Await.result(done.transform(ar -> Future.succeededFuture(ar.cause())));
    return new Run(runId, done.result(), (ExecutionException) cause, sink);
  }

  private record Run(String runId, ExecutionOutcome outcome, ExecutionException failure, Sink sink) {}

  /** Takes lines and rows alike, and keeps the lines: the cursor path's rows through the encoder the writer uses. */
  private static final class Sink implements RowSink {
    final long maxRows;
    volatile List<ColumnMeta> columns;
    final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    final JsonRowEncoder encoder = new JsonRowEncoder(lines);
    volatile long rows;
    long lineCalls;

    Sink(long maxRows) {
      this.maxRows = maxRows;
    }

    @Override
    public void columns(List<ColumnMeta> columns) {
      this.columns = columns;
    }

    @Override
    public void row(Object[] values) {
      if (rows < maxRows) {
        encoder.write(values);
        rows++;
      }
    }

    @Override
    public boolean takesLines() {
      return true;
    }

    @Override
    public void line(byte[] line, int offset, int length) {
      if (rows < maxRows) {
        lines.write(line, offset, length);
        rows++;
        lineCalls++;
      }
    }

    long rowsSeen() {
      return rows;
    }

    String text() {
      return lines.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Future<Void> ready() {
      return Future.succeededFuture();
    }

    @Override
    public boolean full() {
      return rows >= maxRows;
    }
  }
}
