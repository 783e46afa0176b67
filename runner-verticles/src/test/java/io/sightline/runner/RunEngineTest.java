package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.result.ResultReader;
import io.sightline.shared.result.ResultStores;
import io.sightline.shared.runs.RunService;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs end to end through the queue, a runner and the Postgres connector, against the real test Postgres. */
@ExtendWith(PostgresExtension.class)
class RunEngineTest {
  private static RunFixture fx;
  private static String ds;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 2, Map.of("SIGHTLINE_RUNNER_CONCURRENCY", "4"));
    ds = fx.postgresDatasource("Test Postgres", 3);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static JsonObject page(String resultId, long offset, int limit) {
    ResultReader reader = new ResultReader(fx.node.vertx(), fx.node.pool(),
        ResultStores.create(fx.node.vertx(), fx.node.config()));
    var p = Await.result(reader.page(fx.orgId, resultId, offset, limit));
    JsonArray columns = new JsonArray();
    p.columns().forEach(c -> columns.add(c.toJson()));
    return new JsonObject().put("columns", columns).put("rows", new JsonArray(p.rowsJson().toString()))
        .put("totalRows", p.totalRows());
  }

  @Test
  void aQuerySucceedsWithExactCountsTimingsAndItsRows() {
    String runId = fx.enqueue(ds, "select g as n, 'row ' || g as label from generate_series(1, 2500) g").runId();
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(20));
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(2500);
    assertThat(run.getLong("byteCount")).isPositive();
    assertThat(run.getLong("queueMs")).isNotNull().isNotNegative();
    assertThat(run.getLong("execMs")).isNotNull().isNotNegative();
    assertThat(run.getLong("persistMs")).isNotNull().isNotNegative();
    assertThat(run.getBoolean("truncated")).isFalse();
    JsonObject page = page(run.getString("resultId"), 2498, 10);
    assertThat(page.getLong("totalRows")).isEqualTo(2500);
    assertThat(page.getJsonArray("columns").getJsonObject(0).getString("name")).isEqualTo("n");
    assertThat(page.getJsonArray("rows")).containsExactly(new JsonArray().add(2499).add("row 2499"),
        new JsonArray().add(2500).add("row 2500"));
    List<String> kinds = Await.result(fx.runs.events(fx.orgId, runId)).stream()
        .map(e -> ((JsonObject) e).getString("kind")).toList();
    assertThat(kinds).containsSubsequence("queued", "claimed", "started", "finished");
    assertThat(fx.sessionsOf(runId)).isZero();
  }

  @Test
  void theOrgFeedTellsWhichQueryAndWorkARunIsAndWhichResultItStored() {
    String queryId = java.util.UUID.randomUUID().toString();
    String sql = "select 7 as n /* feed */";
    fx.db.execute("insert into queries (id, org_id, datasource_id, name, sql) values ('" + queryId + "', '" + fx.orgId
        + "', '" + ds + "', 'Seven', '" + sql + "')");
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    var consumer = fx.node.vertx().eventBus().<JsonObject>consumer(io.sightline.shared.bus.Addresses.orgRuns(
        fx.orgId), m -> events.add(m.body()));
    Await.result(consumer.completion());
    try {
      RunService.Enqueued e = Await.result(fx.runs.enqueue(new io.sightline.shared.runs.RunRequest(fx.orgId, ds,
          queryId, 1, sql, new JsonObject(), sql, new JsonArray(), null, null, null, null, "dashboard",
          io.sightline.shared.runs.RunRequest.INTERACTIVE, null, null, null)));
      JsonObject run = fx.awaitEnd(e.runId(), Duration.ofSeconds(20));
      assertThat(run.getString("status")).isEqualTo("succeeded");
      await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(ev -> e.runId().equals(
          ev.getString("runId")) && "succeeded".equals(ev.getString("status"))));
      for (String status : List.of("queued", "running", "succeeded")) {
        // the running event that says a runner took it (progress samples only carry counts)
        JsonObject ev = events.stream().filter(x -> e.runId().equals(x.getString("runId"))
            && status.equals(x.getString("status")) && (!status.equals("running") || x.containsKey("runner")))
            .findFirst().orElseThrow();
        assertThat(ev.getString("queryId")).as(status).isEqualTo(queryId);
        assertThat(ev.getString("fingerprint")).as(status).isEqualTo(e.fingerprint()).hasSize(64);
      }
      JsonObject done = events.stream().filter(x -> e.runId().equals(x.getString("runId"))
          && "succeeded".equals(x.getString("status"))).findFirst().orElseThrow();
      assertThat(done.getString("resultId")).isEqualTo(run.getString("resultId"));
    } finally {
      consumer.unregister();
    }
  }

  @Test
  void aSqlErrorFailsWithItsSqlstateMessageAndPosition() {
    String sql = "select region from outage_that_does_not_exist";
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, sql).runId(), Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("failed");
    JsonObject error = run.getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("42P01");
    assertThat(error.getString("message")).contains("outage_that_does_not_exist").contains("does not exist");
    assertThat(error.getInteger("position")).isEqualTo(sql.indexOf("outage_that") + 1);
    assertThat(run.getString("resultId")).isNull();
  }

  @Test
  void theSessionIsOnRecordBeforeTheStatementIsSent() {
    // the datasource is the metadata database itself: the statement looks up its own run by its session's tag and
    // divides by zero unless the run's backend pid was already recorded when the statement arrived
    String sql = "select 1 / (select count(*) from public.runs where id = substr(current_setting('application_name'),"
        + " 15)::uuid and backend_pid = pg_backend_pid())::int as recorded";
    for (int i = 0; i < 5; i++) {
      JsonObject run = fx.awaitEnd(fx.enqueue(ds, sql + " /* " + i + " */").runId(), Duration.ofSeconds(20));
      assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
    }
  }

  @Test
  void writesAreRefusedOnAReadOnlyDatasource() {
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "create table sneaky (id int)").runId(), Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("25006");
    assertThat(fx.db.scalar("select to_regclass('public.sneaky') is null")).isEqualTo(true);
  }

  @Test
  void maxRowsTruncatesToExactlyTheLimit() {
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "select g from generate_series(1, 10000) g", null, 1234L, null)
        .runId(), Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(1234);
    assertThat(run.getBoolean("truncated")).isTrue();
    assertThat(run.getString("truncatedReason")).isEqualTo("max_rows");
    assertThat(page(run.getString("resultId"), 1233, 5).getJsonArray("rows")).containsExactly(new JsonArray()
        .add(1234));
  }

  @Test
  void exactlyMaxRowsIsNotTruncated() {
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "select g from generate_series(1, 500) g", null, 500L, null)
        .runId(), Duration.ofSeconds(20));
    assertThat(run.getLong("rowCount")).isEqualTo(500);
    assertThat(run.getBoolean("truncated")).isFalse();
  }

  @Test
  void maxBytesTruncatesAtTheLastWholeRowWithinTheLimit() {
    // each row is ["xxxxxxxxx"]\n = 14 bytes
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, "select 'xxxxxxxxx' from generate_series(1, 1000)", null, null,
        1400L).runId(), Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getString("truncatedReason")).isEqualTo("max_bytes");
    assertThat(run.getLong("rowCount")).isEqualTo(100);
    assertThat(run.getLong("byteCount")).isEqualTo(1400);
  }

  @Test
  void aQueryPastItsTimeoutEndsTimedOutAndItsBackendIsGone() {
    long started = System.nanoTime();
    String runId = fx.enqueue(ds, "select pg_sleep(60)", 2000L, null, null).runId();
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(10));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(run.getString("status")).isEqualTo("timed_out");
    assertThat(tookMs).isLessThan(3000);
    assertThat(fx.sessionsOf(runId)).isZero();
    assertThat(fx.db.scalar("select count(*) from pg_stat_activity where query = 'select pg_sleep(60)'"))
        .isEqualTo(0L);
  }

  @Test
  void twoInterleavedRunsLogOnlyTheirOwnIds() {
    java.util.List<JsonObject> lines;
    String hanging = fx.scriptedDatasource("Never connects");
    try (io.sightline.testkit.JsonLogs logs = new io.sightline.testkit.JsonLogs(RunEngine.class.getName())) {
      // two runs that never get a connection, so the engine's own timeout guard logs about each, interleaved
      String key = java.util.UUID.randomUUID().toString();
      String first = fx.enqueue(hanging, "connecting:" + key + "-1", 700L, null, null).runId();
      String second = fx.enqueue(hanging, "connecting:" + key + "-2", 500L, null, null).runId();
      assertThat(fx.awaitEnd(first, Duration.ofSeconds(20)).getString("status")).isEqualTo("timed_out");
      assertThat(fx.awaitEnd(second, Duration.ofSeconds(20)).getString("status")).isEqualTo("timed_out");
      lines = logs.lines();
    }
    java.util.Set<String> logged = new java.util.HashSet<>();
    for (JsonObject line : lines) {
      String message = line.getString("message");
      String runId = message.replaceAll("^run ([0-9a-f-]{36}).*", "$1");
      assertThat(line.getString("run_id")).as(line.encode()).isEqualTo(runId);
      assertThat(line.getString("org_id")).as(line.encode()).isEqualTo(fx.orgId);
      assertThat(line.getString("datasource_id")).as(line.encode()).isEqualTo(hanging);
      logged.add(runId);
    }
    assertThat(logged).as("each run's timeout is logged").hasSize(2);
  }

  @Test
  void cancellingARunningQueryStopsItsBackendWithinASecond() {
    String runId = fx.enqueue(ds, "select pg_sleep(30) /* cancel me */").runId();
    await().atMost(Duration.ofSeconds(10)).until(() -> fx.sessionsOf(runId) == 1);
    long cancelled = System.nanoTime();
    Await.result(fx.runs.cancel(fx.orgId, runId, null));
    await().atMost(Duration.ofSeconds(1)).until(() -> fx.sessionsOf(runId) == 0);
    assertThat((System.nanoTime() - cancelled) / 1_000_000).isLessThan(1000);
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(5));
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(fx.db.scalar("select count(*) from pg_stat_activity where query like '%cancel me%'"
        + " and state = 'active' and pid <> pg_backend_pid()")).isEqualTo(0L);
  }

  @Test
  void aCancelThatComesAsARunnerTakesTheRunStopsItBeforeItsStatementRuns() {
    // A client cancels the moment it hears that a runner took the run (as `sightline run` on Ctrl-C): the runner is
    // then opening the session, before the statement is sent, when a cancel sent to Postgres is ignored. Each run
    // must still end cancelled within seconds, not run its 30 s: the runner does not send a statement it was asked to
    // cancel, and ends the session of one the cancel missed.
    List<String> runIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<JsonObject>> cancels = new java.util.concurrent.CopyOnWriteArrayList<>();
    var consumer = fx.node.vertx().eventBus().<JsonObject>consumer(io.sightline.shared.bus.Addresses.orgRuns(
        fx.orgId), m -> {
          JsonObject ev = m.body();
          // every run a runner takes meanwhile is one of these (enqueue may answer after the runner took it)
          if ("running".equals(ev.getString("status")) && ev.containsKey("runner")) {
            cancels.add(fx.runs.cancel(fx.orgId, ev.getString("runId"), null));
          }
        });
    Await.result(consumer.completion());
    try {
      for (int i = 0; i < 6; i++) {
        runIds.add(fx.enqueue(ds, "select pg_sleep(30) /* cancelled as taken " + i + " */").runId());
      }
      for (String runId : runIds) {
        JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(10));
        assertThat(run.getString("status")).as(run.encode()).isEqualTo("cancelled");
      }
      assertThat(cancels).hasSizeGreaterThanOrEqualTo(runIds.size());
      assertThat(fx.db.scalar("select count(*) from pg_stat_activity where query like '%cancelled as taken%'"
          + " and state = 'active' and pid <> pg_backend_pid()")).isEqualTo(0L);
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void cancellingAQueuedRunEndsItAtOnceAndItNeverStarts() {
    String busy = fx.postgresDatasource("Busy", 1);
    String blocker = fx.enqueue(busy, "select pg_sleep(3) /* blocker */").runId();
    fx.awaitStatus(blocker, "running", Duration.ofSeconds(10));
    String waiting = fx.enqueue(busy, "select 42 /* waiting */").runId();
    assertThat(fx.run(waiting).getString("status")).isEqualTo("queued");
    JsonObject cancelled = Await.result(fx.runs.cancel(fx.orgId, waiting, null));
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    fx.awaitEnd(blocker, Duration.ofSeconds(10));
    assertThat(fx.run(waiting).getString("status")).isEqualTo("cancelled");
    assertThat(fx.run(waiting).getString("startedAt")).isNull();
    List<String> kinds = Await.result(fx.runs.events(fx.orgId, waiting)).stream()
        .map(e -> ((JsonObject) e).getString("kind")).toList();
    assertThat(kinds).containsExactly("queued", "cancel_requested", "finished");
  }

  @Test
  void twentyConcurrentIdenticalEnqueuesMakeOneRun() {
    String sql = "select pg_sleep(0.5), 'dedup' as tag";
    List<Future<RunService.Enqueued>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(fx.runs.enqueue(io.sightline.shared.runs.RunRequest.adHoc(fx.orgId, ds, sql, null, null, null, null,
          "api", null)));
    }
    Await.result(Future.all(all));
    Set<String> ids = ConcurrentHashMap.newKeySet();
    long created = all.stream().filter(f -> f.result().created()).count();
    all.forEach(f -> ids.add(f.result().runId()));
    assertThat(ids).hasSize(1);
    assertThat(created).isEqualTo(1);
    assertThat(all.stream().filter(f -> f.result().shared()).count()).isEqualTo(19);
    fx.awaitEnd(ids.iterator().next(), Duration.ofSeconds(20));
    assertThat(fx.db.scalar("select count(*) from runs where sql = '" + sql.replace("'", "''") + "'")).isEqualTo(1L);
  }

  @Test
  void manyRunsOnADatasourceWithCapThreeNeverOpenMoreThanThreeSessions() throws Exception {
    String capped = fx.postgresDatasource("Capped", 3);
    AtomicLong maxSeen = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        maxSeen.accumulateAndGet(fx.runSessions(), Math::max);
      }
    });
    sampler.start();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(fx.enqueue(capped, "select pg_sleep(0.02), " + i + " as n").runId());
    }
    for (String id : ids) {
      assertThat(fx.awaitEnd(id, Duration.ofSeconds(60)).getString("status")).isEqualTo("succeeded");
    }
    sampling.set(false);
    sampler.join();
    assertThat(maxSeen.get()).isBetween(1L, 3L);
  }

  @Test
  void maxAgeReusesARecentIdenticalResultInsteadOfRunningAgain() {
    String sql = "select 'reuse me' as note";
    String first = fx.enqueue(ds, sql).runId();
    assertThat(fx.awaitEnd(first, Duration.ofSeconds(20)).getString("status")).isEqualTo("succeeded");
    RunService.Enqueued again = Await.result(fx.runs.enqueue(io.sightline.shared.runs.RunRequest.adHoc(fx.orgId, ds,
        sql, null, null, null, 300L, "api", null)));
    assertThat(again.reused()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.runId()).isEqualTo(first);
    RunService.Enqueued fresh = Await.result(fx.runs.enqueue(io.sightline.shared.runs.RunRequest.adHoc(fx.orgId, ds,
        sql, null, null, null, null, "api", null)));
    assertThat(fresh.created()).as("without max_age a finished run is not reused").isTrue();
    fx.awaitEnd(fresh.runId(), Duration.ofSeconds(20));
  }

  @Test
  void aBusyDatasourceDoesNotStarveAnother() {
    String busy = fx.postgresDatasource("Busy wide", 8);
    String quiet = fx.postgresDatasource("Quiet", 2);
    List<String> busyRuns = new ArrayList<>();
    // a backlog of 5 s at the busy cap (40 runs × 1 s / 8), longer than enqueueing it takes on a loaded machine
    for (int i = 0; i < 40; i++) {
      busyRuns.add(fx.enqueue(busy, "select pg_sleep(1), " + i + " /* busy */").runId());
    }
    String quietRun = fx.enqueue(quiet, "select 'quiet'").runId();
    JsonObject q = fx.awaitEnd(quietRun, Duration.ofSeconds(30));
    assertThat(q.getString("status")).isEqualTo("succeeded");
    long stillQueued = busyRuns.stream().filter(id -> fx.run(id).getString("status").equals("queued")).count();
    assertThat(stillQueued).as("the quiet datasource's run went ahead of the busy one's backlog").isPositive();
    assertThat(q.getLong("queueMs")).isLessThan(2000);
    for (String id : busyRuns) {
      fx.awaitEnd(id, Duration.ofSeconds(30));
    }
  }

  @Test
  void aConnectionLostAfterTheStatementWasSentFailsTheRunWhichIsNeverRunAgain() {
    String scripted = fx.scriptedDatasource("Lost mid-run");
    String key = java.util.UUID.randomUUID().toString();
    String runId = fx.enqueue(scripted, "lost-after-start:" + key).runId();
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getInteger("attempt")).isEqualTo(1);
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("connection_error");
    assertThat(ScriptedConnector.executions(key)).as("the statement was sent once").isEqualTo(1);
    List<JsonObject> events = fx.events(runId);
    assertThat(events).extracting(e -> e.getString("kind")).containsExactly("queued", "claimed", "started",
        "finished");
    assertThat(events.get(3).getJsonObject("detail").getBoolean("statementSent")).isTrue();
  }

  @Test
  void aConnectionRefusedBeforeAnythingWasSentIsRetriedUpToItsAttempts() {
    String scripted = fx.scriptedDatasource("Refusing");
    String key = java.util.UUID.randomUUID().toString();
    String runId = fx.enqueue(scripted, "refused:" + key).runId();
    JsonObject run = fx.awaitEnd(runId, Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getInteger("attempt")).isEqualTo(2);
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("connection_refused");
    assertThat(ScriptedConnector.attempts(key)).isEqualTo(2);
    List<JsonObject> events = fx.events(runId);
    assertThat(events).extracting(e -> e.getString("kind")).containsExactly("queued", "claimed", "requeued",
        "claimed", "finished");
    assertThat(events.get(2).getJsonObject("detail").getBoolean("statementSent")).isFalse();
  }

  @Test
  void aSecondConnectorRunsThroughTheSameEngineUnchanged() {
    String generated = fx.generatedDatasource("Generator");
    JsonObject run = fx.awaitEnd(fx.enqueue(generated, "rows:5000").runId(), Duration.ofSeconds(20));
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(5000);
    assertThat(page(run.getString("resultId"), 4999, 1).getJsonArray("rows"))
        .containsExactly(new JsonArray().add(4999).add("row 4999"));
  }
}
