package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.result.ResultSummary;
import io.sightline.shared.runs.ClaimedRun;
import io.sightline.shared.runs.RunQueue;
import io.sightline.testkit.Await;
import io.sightline.testkit.TestDatabase;
import io.sightline.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of enqueue / claim / heartbeat / cancel / complete / expire-and-reap, by two runners that may hold
 * stale claims, against the real tables. After every step: a terminal run never changes again, and each run's
 * run_events agree with its row (claims = attempts, the last event matches the status, cancel events iff a cancel was
 * recorded, exactly one 'finished' for terminal runs).
 */
class RunStateMachinePropertyTest {
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");
  private static TestDatabase db;
  private static RunFixture fx;
  private static RunQueue queue;

  @BeforeContainer
  static void start() {
    db = TestPostgres.get().createDatabase("state_machine");
    fx = RunFixture.start(db, 0, Map.of());
    queue = new RunQueue(fx.node.pool(), 30);
  }

  @AfterContainer
  static void stop() {
    fx.close();
    db.close();
  }

  enum Kind { ENQUEUE, CLAIM, HEARTBEAT, CANCEL, SUCCEED, FAIL, TIME_OUT, REQUEUE, EXPIRE_AND_REAP }

  record Op(Kind kind, int runner, int run) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1),
        Arbitraries.integers().between(0, 3)).as(Op::new);
    return op.list().ofMinSize(5).ofMaxSize(40);
  }

  /**
   * The sequence that once failed in CI: a runner's claim is taken over and re-queued, another runner's attempt
   * succeeds, then the first runner finishes its stale attempt — it is told it lost the run (no duplicate result).
   */
  @Example
  void aStaleHolderFinishingAfterAnotherAttemptSucceededIsToldItLostTheRun() {
    theStateMachineAndTheEventLogNeverDisagree(List.of(new Op(Kind.ENQUEUE, 0, 0), new Op(Kind.CLAIM, 0, 0),
        new Op(Kind.EXPIRE_AND_REAP, 0, 0), new Op(Kind.CLAIM, 1, 0), new Op(Kind.SUCCEED, 1, 0),
        new Op(Kind.SUCCEED, 0, 0)));
  }

  @Property(tries = 60)
  void theStateMachineAndTheEventLogNeverDisagree(@ForAll("operations") List<Op> ops) {
    String ds = fx.postgresDatasource("sm-" + java.util.UUID.randomUUID(), 10);
    List<String> runs = new ArrayList<>();
    Map<Integer, List<ClaimedRun>> held = new HashMap<>(Map.of(0, new ArrayList<>(), 1, new ArrayList<>()));
    Map<String, String> terminalSeen = new HashMap<>();
    String[] runners = {"runner-a", "runner-b"};
    for (Op op : ops) {
      switch (op.kind()) {
        case ENQUEUE -> runs.add(fx.enqueue(ds, "select " + runs.size() + " /* " + ds + " */").runId());
        case CLAIM -> held.get(op.runner()).addAll(Await.result(queue.claim(runners[op.runner()], ds, 1)));
        case HEARTBEAT -> Await.result(queue.renew(runners[op.runner()],
            held.get(op.runner()).stream().map(ClaimedRun::id).toList()));
        case CANCEL -> {
          if (!runs.isEmpty()) {
            Await.result(fx.runs.cancel(fx.orgId, runs.get(op.run() % runs.size()), null));
          }
        }
        case SUCCEED, FAIL, TIME_OUT, REQUEUE -> {
          List<ClaimedRun> mine = held.get(op.runner());
          if (!mine.isEmpty()) {
            ClaimedRun c = mine.remove(op.run() % mine.size());
            if (op.kind() == Kind.FAIL) {
              Await.result(queue.finish(c, "failed", 5, "42P01", "missing table", 8, 0L));
            } else if (op.kind() == Kind.REQUEUE) {
              Await.result(queue.requeueOrFail(c, "connection_refused", "refused"));
            } else if (op.kind() == Kind.TIME_OUT) {
              Await.result(queue.finish(c, "timed_out", 5, "57014", "statement timeout", null, 0L));
            } else {
              ResultSummary empty = new ResultSummary(java.util.UUID.randomUUID().toString(), "postgres", null,
                  List.of(), 0, 0, 0, List.of(), false, null, List.of());
              boolean stored = Await.result(queue.succeed(c, new RunQueue.Success(3, 1, empty,
                  java.time.OffsetDateTime.now().plusDays(1))));
              assertThat(db.scalar("select count(*) from results where id = '" + empty.resultId() + "'"))
                  .as("a result is kept only when its run succeeded").isEqualTo(stored ? 1L : 0L);
            }
          }
        }
        case EXPIRE_AND_REAP -> {
          if (!runs.isEmpty()) {
            db.execute("update runs set lease_until = now() - interval '1 second' where id = '"
                + runs.get(op.run() % runs.size()) + "' and status = 'running'");
            RunFixture.reapLost(queue);
          }
        }
        default -> throw new IllegalStateException();
      }
      for (String runId : runs) {
        check(runId, terminalSeen);
      }
    }
  }

  private static void check(String runId, Map<String, String> terminalSeen) {
    JsonObject run = fx.run(runId);
    String status = run.getString("status");
    String before = terminalSeen.get(runId);
    if (before != null) {
      assertThat(status).as("run %s was %s and must stay so", runId, before).isEqualTo(before);
    }
    if (TERMINAL.contains(status)) {
      terminalSeen.put(runId, status);
    }
    List<JsonObject> events = Await.result(fx.runs.events(fx.orgId, runId)).stream().map(JsonObject.class::cast)
        .toList();
    List<String> kinds = events.stream().map(e -> e.getString("kind")).toList();
    assertThat(kinds.get(0)).isEqualTo("queued");
    assertThat(kinds.stream().filter("claimed"::equals).count()).as("claims = attempts for %s: %s", runId, kinds)
        .isEqualTo(run.getInteger("attempt").longValue());
    assertThat(kinds.contains("cancel_requested")).as("cancel event iff cancel recorded: %s", kinds)
        .isEqualTo(run.getBoolean("cancelRequested"));
    long finished = kinds.stream().filter("finished"::equals).count();
    String last = kinds.get(kinds.size() - 1);
    switch (status) {
      case "queued" -> {
        assertThat(finished).isZero();
        assertThat(last).as("%s", kinds).isIn("queued", "requeued");
      }
      case "running" -> {
        assertThat(finished).isZero();
        assertThat(last).as("%s", kinds).isIn("claimed", "started", "progress", "cancel_requested");
        assertThat(run.getString("runner")).isNotNull();
      }
      default -> {
        assertThat(finished).as("one finished event for %s: %s", runId, kinds).isEqualTo(1);
        JsonObject fin = events.stream().filter(e -> e.getString("kind").equals("finished")).findFirst().orElseThrow();
        assertThat(fin.getJsonObject("detail").getString("status")).isEqualTo(status);
        assertThat(run.getString("finishedAt")).isNotNull();
      }
    }
  }
}
