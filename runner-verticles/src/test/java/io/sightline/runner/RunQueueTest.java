package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.result.ResultSummary;
import io.sightline.shared.runs.ClaimedRun;
import io.sightline.shared.runs.RunQueue;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue's guarantees, driven directly (no runner verticle): exclusive claims, fencing, the reaper (and the events
 * it publishes on the real event bus).
 */
@ExtendWith(PostgresExtension.class)
class RunQueueTest {
  private static RunFixture fx;
  private static RunQueue queue;

  @BeforeAll
  static void start(TestDatabase db) {
    fx = RunFixture.start(db, 0, Map.of());
    queue = new RunQueue(fx.node.pool(), 30);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static ClaimedRun claimOne(String runner, String ds) {
    List<ClaimedRun> claimed = Await.result(queue.claim(runner, ds, 1));
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  private static void expireLease(String runId) {
    fx.db.execute("update runs set lease_until = now() - interval '1 second' where id = '" + runId + "'");
  }

  @Test
  void manyConcurrentClaimersNeverClaimARunTwice() {
    String ds = fx.postgresDatasource("Claims", 100);
    for (int i = 0; i < 100; i++) {
      fx.enqueue(ds, "select " + i + " /* claim test */");
    }
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    List<String> duplicates = new CopyOnWriteArrayList<>();
    // In rounds: all eight claimers ask at once, and the next round starts when every claim of this one is answered.
    // (Claimers that each looped on their own let one fast claimer empty the queue before the others' first claim
    // reached Postgres on a loaded machine, so the test could no longer tell that claims had raced.)
    int rounds = 0;
    boolean claimedAny = true;
    while (claimedAny) {
      assertThat(++rounds).as("rounds of claims for 100 runs").isLessThanOrEqualTo(20);
      List<Future<List<ClaimedRun>>> round = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        names.add("claimer-" + c);
        round.add(queue.claim("claimer-" + c, ds, 3));
      }
      Await.result(Future.all(round));
      claimedAny = false;
      for (int c = 0; c < 8; c++) {
        List<ClaimedRun> runs = round.get(c).result();
        if (rounds == 1) {
          assertThat(runs).as("the first round's claim of %s, with 100 runs queued", names.get(c)).hasSize(3);
        }
        for (ClaimedRun r : runs) {
          claimedAny = true;
          if (claimedBy.putIfAbsent(r.id(), names.get(c)) != null) {
            duplicates.add(r.id());
          }
        }
      }
    }
    assertThat(duplicates).isEmpty();
    assertThat(claimedBy).hasSize(100);
    assertThat(fx.db.scalar("select count(*) from runs where datasource_id = '" + ds
        + "' and status = 'running' and attempt = 1")).isEqualTo(100L);
    assertThat(fx.db.scalar("select count(distinct runner_id) from runs where datasource_id = '" + ds + "'"))
        .as("every claimer took runs").isEqualTo(8L);
  }

  @Test
  void aClaimNeverTakesMoreRunsThanTheCapLeavesBesideTheRunningOnes() {
    String ds = fx.postgresDatasource("Capped claims", 2);
    for (int i = 0; i < 4; i++) {
      fx.enqueue(ds, "select " + i + " /* capped claim */");
    }
    // as when the cluster map lost the slots: the claimers ask for more than the cap
    assertThat(Await.result(queue.claim("first", ds, 1))).hasSize(1);
    assertThat(Await.result(queue.claim("second", ds, 3))).hasSize(1);
    assertThat(Await.result(queue.claim("third", ds, 3))).isEmpty();
  }

  @Test
  void aZombieRunnersLateWritesChangeNothing() {
    String ds = fx.postgresDatasource("Zombies", 5);
    String runId = fx.enqueue(ds, "select 'zombie'").runId();
    ClaimedRun zombie = claimOne("zombie", ds);
    expireLease(runId);
    RunFixture.reapLost(queue);
    JsonObject requeued = fx.run(runId);
    assertThat(requeued.getString("status")).isEqualTo("queued");
    assertThat(requeued.getJsonObject("error").getString("code")).isEqualTo("runner_lost");

    ClaimedRun healthy = claimOne("healthy", ds);
    assertThat(healthy.attempt()).isEqualTo(2);
    assertThat(Await.result(queue.started(zombie, 4242))).isFalse();
    assertThat(Await.result(queue.finish(zombie, "failed", 10, "XX000", "zombie says failed", null, 0L))).isFalse();
    assertThat(Await.result(queue.requeueOrFail(zombie, "connection_refused", "zombie"))).isNull();
    assertThat(Await.result(queue.renew("zombie", List.of(runId)))).isEmpty();
    JsonObject still = fx.run(runId);
    assertThat(still.getString("status")).isEqualTo("running");
    assertThat(still.getString("runner")).isEqualTo("healthy");
    assertThat(still.getInteger("attempt")).isEqualTo(2);

    assertThat(Await.result(queue.finish(healthy, "failed", 10, "42P01", "real error", 3, 0L))).isTrue();
    assertThat(fx.run(runId).getJsonObject("error").getString("message")).isEqualTo("real error");
  }

  @Test
  void aDepartedRunnersRunsAreTakenOverAtOnceByOneNodeAndItsLateWritesAreFencedFromThatMoment() {
    String ds = fx.postgresDatasource("Member left", 5);
    String sent = fx.enqueue(ds, "select 'member left, sent'").runId();
    String unsent = fx.enqueue(ds, "select 'member left, unsent'").runId();
    String other = fx.enqueue(ds, "select 'member left, other runner'").runId();
    ClaimedRun departedSent = claimOne("departed", ds);
    ClaimedRun departedUnsent = claimOne("departed", ds);
    claimOne("still-here", ds);
    assertThat(Await.result(queue.started(departedSent, 4242))).isTrue();

    // the leases are far from expired: only the member's departure makes these runs lost
    assertThat(Await.result(queue.takeOverLost("reaper:lease", 30, 10))).isEmpty();
    List<RunQueue.LostRun> taken = Await.result(queue.takeOverRunner("reaper:one", "departed", 30, 10));
    assertThat(Await.result(queue.takeOverRunner("reaper:two", "departed", 30, 10))).as("taken by one node").isEmpty();
    assertThat(taken).extracting(RunQueue.LostRun::runId).containsExactlyInAnyOrder(sent, unsent);

    // taken over but not yet ended (its sessions are being ended): the departed runner can no longer write
    ResultSummary empty = new ResultSummary(java.util.UUID.randomUUID().toString(), "postgres", null, List.of(), 0, 0,
        0, List.of(), false, null, List.of());
    assertThat(Await.result(queue.succeed(departedSent, new RunQueue.Success(3, 1, empty,
        java.time.OffsetDateTime.now().plusDays(1))))).isFalse();
    assertThat(fx.db.scalar("select count(*) from results where id = '" + empty.resultId() + "'")).isEqualTo(0L);
    assertThat(Await.result(queue.finish(departedSent, "failed", 1, "XX000", "late", null, 0L))).isFalse();
    assertThat(Await.result(queue.requeueOrFail(departedUnsent, "connection_refused", "late"))).isNull();
    assertThat(Await.result(queue.started(departedUnsent, 4343))).isFalse();

    for (RunQueue.LostRun lost : taken) {
      assertThat(Await.result(queue.endLost(lost))).isEqualTo(lost.runId().equals(sent) ? "failed" : "queued");
    }
    assertThat(fx.run(sent).getJsonObject("error").getString("code")).isEqualTo("runner_lost");
    assertThat(fx.run(other).getString("status")).as("another runner's run is untouched").isEqualTo("running");
  }

  @Test
  void aRunWhoseRunnersKeepDisappearingFailsAsRunnerLostAfterItsAttempts() {
    String ds = fx.postgresDatasource("Lost", 5);
    String runId = fx.enqueue(ds, "select 'lost'").runId();
    for (int attempt = 1; attempt <= 2; attempt++) {
      claimOne("vanishing-" + attempt, ds);
      expireLease(runId);
      RunFixture.reapLost(queue);
    }
    JsonObject run = fx.run(runId);
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
    assertThat(run.getString("finishedAt")).isNotNull();
    List<String> kinds = Await.result(fx.runs.events(fx.orgId, runId)).stream()
        .map(e -> ((JsonObject) e).getString("kind")).toList();
    assertThat(kinds).containsExactly("queued", "claimed", "lease_lost", "requeued", "claimed", "lease_lost",
        "finished");
  }

  @Test
  void aLostRunWhoseStatementWasSentIsFailedAndNeverRunAgain() {
    String ds = fx.postgresDatasource("Lost after start", 5);
    String runId = fx.enqueue(ds, "select 'sent once'").runId();
    ClaimedRun run = claimOne("killed", ds);
    assertThat(Await.result(queue.started(run, 4242))).isTrue();
    expireLease(runId);
    assertThat(RunFixture.reapLost(queue)).containsEntry(runId, "failed");
    JsonObject failed = fx.run(runId);
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getInteger("attempt")).isEqualTo(1);
    assertThat(failed.getString("runner")).isEqualTo("killed");
    assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("runner_lost");
    assertThat(failed.getJsonObject("error").getString("message")).contains("killed").contains("not run again");
    assertThat(Await.result(queue.claim("another", ds, 1))).isEmpty();
    List<JsonObject> events = fx.events(runId);
    assertThat(events.stream().map(e -> e.getString("kind")).toList())
        .containsExactly("queued", "claimed", "started", "lease_lost", "finished");
    assertThat(events.get(3).getJsonObject("detail").getBoolean("statementSent")).isTrue();
    assertThat(events.get(3).getJsonObject("detail").getString("runner")).isEqualTo("killed");
    assertThat(events.get(4).getJsonObject("detail").getBoolean("statementSent")).isTrue();
  }

  @Test
  void aTakenOverRunIsHeldByOneReaperAndTheLostRunnerCanNoLongerRenewIt() {
    String ds = fx.postgresDatasource("Taken over", 5);
    String runId = fx.enqueue(ds, "select 'taken over'").runId();
    claimOne("partitioned", ds);
    expireLease(runId);
    List<RunQueue.LostRun> taken = Await.result(queue.takeOverLost("reaper:one", 30, 10));
    assertThat(taken).extracting(RunQueue.LostRun::runId).containsExactly(runId);
    assertThat(taken.get(0).statementSent()).isFalse();
    assertThat(taken.get(0).lostRunner()).isEqualTo("partitioned");
    assertThat(Await.result(queue.takeOverLost("reaper:two", 30, 10))).as("held by the first reaper").isEmpty();
    assertThat(Await.result(queue.renew("partitioned", List.of(runId)))).as("the lost runner sees it lost").isEmpty();
    assertThat(fx.run(runId).getString("status")).isEqualTo("running");

    assertThat(Await.result(queue.endLost(taken.get(0)))).isEqualTo("queued");
    assertThat(Await.result(queue.endLost(taken.get(0)))).as("ended once").isNull();
    List<JsonObject> events = fx.events(runId);
    assertThat(events.get(events.size() - 1).getString("kind")).isEqualTo("requeued");
    assertThat(events.get(events.size() - 1).getJsonObject("detail").getBoolean("statementSent")).isFalse();
    assertThat(claimOne("healthy", ds).attempt()).isEqualTo(2);
  }

  @Test
  void aCancelIsHonouredByTheReaperWhenTheRunnerIsGone() {
    String ds = fx.postgresDatasource("Cancel lost", 5);
    String runId = fx.enqueue(ds, "select 'cancel'").runId();
    claimOne("gone", ds);
    Await.result(fx.runs.cancel(fx.orgId, runId, null));
    assertThat(fx.run(runId).getString("status")).isEqualTo("running");
    expireLease(runId);
    RunFixture.reapLost(queue);
    assertThat(fx.run(runId).getString("status")).isEqualTo("cancelled");
  }

  @Test
  void aRunNobodyClaimsFailsWithQueueTimeout() {
    String ds = fx.postgresDatasource("Nobody", 5);
    String runId = fx.enqueue(ds, "select 'nobody'").runId();
    fx.db.execute("update runs set queue_deadline = now() - interval '1 second' where id = '" + runId + "'");
    RunFixture.reapLost(queue);
    JsonObject run = fx.run(runId);
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("queue_timeout");
  }

  @Test
  void theReapersEventsCarryTheRunsQueryAndFingerprintOnTheOrgFeed() {
    String ds = fx.postgresDatasource("Reaped events", 5);
    String queryId = fx.db.scalar("insert into queries (org_id, datasource_id, name, sql) values ('" + fx.orgId
        + "', '" + ds + "', 'Reaped', 'select 1') returning id").toString();
    RunService.Enqueued lost = Await.result(fx.runs.enqueue(savedQueryRun(ds, queryId, "select 'lost'")));
    RunService.Enqueued late = Await.result(fx.runs.enqueue(savedQueryRun(ds, queryId, "select 'late'")));
    claimOne("vanished", ds);
    String claimed = fx.db.scalar("select id from runs where datasource_id = '" + ds + "' and status = 'running'")
        .toString();
    assertThat(claimed).isEqualTo(lost.runId());
    expireLease(lost.runId());
    fx.db.execute("update runs set queue_deadline = now() - interval '1 second' where id = '" + late.runId() + "'");

    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> feed = fx.node.vertx().eventBus().consumer(Addresses.orgRuns(fx.orgId),
        m -> events.add(m.body()));
    Await.result(feed.completion());
    Vertx vertx = fx.node.vertx();
    LostRuns reaper = new LostRuns(vertx, fx.node.pool(), fx.node.secrets(), Connectors.load(), queue,
        new DatasourceSlots(vertx, 30_000), "events-test");
    try {
      vertx.runOnContext(v -> reaper.reap());
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
      JsonObject requeued = events.stream().filter(e -> lost.runId().equals(e.getString("runId"))).findFirst()
          .orElseThrow();
      assertThat(requeued.getString("status")).isEqualTo("queued");
      assertThat(requeued.getString("queryId")).isEqualTo(queryId);
      assertThat(requeued.getString("fingerprint")).isEqualTo(lost.fingerprint()).hasSize(64);
      JsonObject failed = events.stream().filter(e -> late.runId().equals(e.getString("runId"))).findFirst()
          .orElseThrow();
      assertThat(failed.getString("status")).isEqualTo("failed");
      assertThat(failed.getString("queryId")).isEqualTo(queryId);
      assertThat(failed.getString("fingerprint")).isEqualTo(late.fingerprint()).hasSize(64);
      assertThat(fx.run(late.runId()).getJsonObject("error").getString("code")).isEqualTo("queue_timeout");
    } finally {
      feed.unregister();
    }
  }

  private static RunRequest savedQueryRun(String ds, String queryId, String sql) {
    return new RunRequest(fx.orgId, ds, queryId, null, sql, new JsonObject(), sql, new JsonArray(), null, null, null,
        null, "api", RunRequest.INTERACTIVE, null, null, null);
  }

  @Test
  void overridesBeyondTheDatasourceMaximumAreRefused() {
    String ds = fx.postgresDatasource("Limits", 5);
    try {
      fx.enqueue(ds, "select 1", 999_999_999L, null, null);
      throw new AssertionError("expected a limit error");
    } catch (AssertionError e) {
      assertThat(e.getCause()).isInstanceOf(io.sightline.shared.runs.RunLimitException.class);
      assertThat(((io.sightline.shared.runs.RunLimitException) e.getCause()).field()).isEqualTo("/options/timeoutMs");
    }
    assertThat(fx.db.scalar("select count(*) from runs where datasource_id = '" + ds + "'")).isEqualTo(0L);
  }
}
