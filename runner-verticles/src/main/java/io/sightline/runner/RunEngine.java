package io.sightline.runner;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.datasource.DatasourceRecords;
import io.sightline.shared.result.ResultLimits;
import io.sightline.shared.result.ResultStore;
import io.sightline.shared.result.ResultSummary;
import io.sightline.shared.result.ResultWriter;
import io.sightline.shared.logging.LogIds;
import io.sightline.shared.runs.ClaimedRun;
import io.sightline.shared.runs.RunEvents;
import io.sightline.shared.runs.RunQueue;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's loop (DESIGN.md §3): wakes on the event-bus hint or every second, takes a datasource slot and claims runs
 * round-robin across the datasources with queued work (up to its own concurrency), binds each slot to its run, executes
 * each through its connector into a result writer, and finishes it with fenced writes. Renews its leases (and slots)
 * in one statement, acts on cancels seen there even when the hint was lost, guards the wall clock, and reaps other
 * runners' expired leases ({@link LostRuns}). A run is retried only when it failed before its statement was sent (the
 * connector had not reported a session); after that, any failure is final. Stopping hands every run back (see
 * {@link #stop}). All state lives on this verticle's event loop.
 */
final class RunEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
  private static final long POLL_MS = 1000;
  /** How many times a wake-up hint is passed on by event loops that have no room before the poll is left to it. */
  private static final int WAKE_HOPS = 3;
  private static final long REAP_MS = 5000;
  /** How long stopping waits for cancelled runs to end before it ends their sessions itself. */
  private static final long STOP_GRACE_MS = 2000;
  private static final long PROGRESS_MS = 500;
  /** Progress lands in run_events every this many progress ticks (5 s); the bus gets every tick. */
  private static final int PROGRESS_EVENTS_EVERY = 10;
  private static final long GUARD_GRACE_MS = 1000;
  private static final long GUARD_ESCALATE_MS = 3000;
  private static final long GUARD_ABANDON_MS = 15_000;
  private static final long SPEC_TTL_MS = 2000;

  private final Vertx vertx;
  private final SightlineConfig config;
  private final Pool pool;
  private final SecretBox secrets;
  private final Connectors connectors;
  private final ResultStore store;
  private final String runnerId;
  private final int concurrency;
  private final RunQueue queue;
  private final DatasourceSlots slots;
  private final LostRuns lostRuns;
  private final MemberLoss memberLoss;
  private final RunnerMetrics metrics;
  private final Map<String, ActiveRun> active = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private boolean filling;
  private Future<Void> currentFill = Future.succeededFuture();
  private boolean fillAgain;
  private boolean stopping;
  private int rotation;

  RunEngine(Vertx vertx, SightlineConfig config, Pool pool, SecretBox secrets, Connectors connectors,
      ResultStore store, String runnerId, int concurrency) {
    this.concurrency = concurrency;
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.secrets = secrets;
    this.connectors = connectors;
    this.store = store;
    this.runnerId = runnerId;
    this.queue = new RunQueue(pool, config.runs().leaseSeconds());
    this.slots = new DatasourceSlots(vertx, config.runs().leaseSeconds() * 1000L);
    this.lostRuns = new LostRuns(vertx, pool, secrets, connectors, queue, slots, runnerId);
    this.memberLoss = new MemberLoss(vertx, lostRuns, runnerId);
    this.metrics = RunnerMetrics.of(vertx);
  }

  /** One run this runner executes. */
  private static final class ActiveRun {
    final ClaimedRun run;
    final DatasourceSlots.Slot slot;
    /** Completes once the run's end is recorded and its slot handled. */
    final io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
    DatasourceSpec spec;
    Connector connector;
    /** Set once the connector reported the session: from then on the statement may have been sent. */
    ExecutionHandle handle;
    /** The write of the backend pid; the run's end is written after it, so the two never race. */
    Future<Boolean> startedWrite = Future.succeededFuture(true);
    ResultWriter writer;
    boolean cancelRequested;
    boolean timedOut;
    boolean lost;
    /** This runner is stopping: the run is handed back. */
    boolean stopRequested;
    /** The run's sessions could not be confirmed gone: its slot is left to the backstop TTL. */
    boolean keepSlot;
    boolean finished;
    long started = System.nanoTime();
    long guardTimer = -1;
    long progressTimer = -1;

    ActiveRun(ClaimedRun run, DatasourceSlots.Slot slot) {
      this.run = run;
      this.slot = slot;
    }
  }

  /** Records which cluster member this runner is on ({@link MemberLoss}) before it claims anything, then starts. */
  Future<Void> start() {
    return memberLoss.start().compose(v -> startLoop());
  }

  private Future<Void> startLoop() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.RUNS_WAKE, msg -> woken(msg.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.RUNS_CANCEL,
        msg -> cancelLocal(msg.body().getString("runId"))));
    metrics.capacity(concurrency);
    timers.add(vertx.setPeriodic(POLL_MS, t -> fill()));
    long renewMs = Math.max(1000, config.runs().leaseSeconds() * 1000L / 3);
    timers.add(vertx.setPeriodic(renewMs, t -> renew()));
    long leaseMs = config.runs().leaseSeconds() * 1000L;
    timers.add(vertx.setPeriodic(Math.max(1000, Math.min(REAP_MS, leaseMs / 2)), t -> lostRuns.reap()));
    fill();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /**
   * Stops claiming; lets the runs it is executing finish for up to {@code runner.drainSeconds} (leases renewed and
   * cancels honoured meanwhile); then hands every run still here back (DESIGN.md §3, stop): cancels its backend and,
   * once its execution ended, re-queues it if its statement was never sent, else finishes it as cancelled ("runner …
   * stopped during the run") unless it completed meanwhile; then frees its slot. A run whose execution does not end
   * within {@link #STOP_GRACE_MS} has its sessions ended through the connector first. Completes when all are handed
   * back, so the caller may then close the pools.
   */
  Future<Void> stop() {
    stopping = true;
    metrics.capacity(-concurrency);
    // a claim in flight launches its runs first; they drain with the rest
    return currentFill.otherwiseEmpty().compose(v -> drain()).compose(v -> handBackAll());
  }

  /** Waits until no run is executing here, or the drain window has passed. */
  private Future<Void> drain() {
    long drainMs = config.runner().drainSeconds() * 1000L;
    if (drainMs <= 0 || active.isEmpty()) {
      return Future.succeededFuture();
    }
    LOG.info("runner {}: stopping; letting {} running run(s) finish for up to {} s", runnerId, active.size(),
        drainMs / 1000);
    long began = System.nanoTime();
    io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(drainMs, t -> drained.tryComplete());
    Future.join(active.values().stream().map(a -> a.ended.future()).toList()).onComplete(all -> {
      vertx.cancelTimer(timer);
      drained.tryComplete();
    });
    return drained.future().onComplete(v -> LOG.info("runner {}: drained in {} ms; {} run(s) still running are"
        + " handed back", runnerId, (System.nanoTime() - began) / 1_000_000, active.size()));
  }

  private Future<Void> handBackAll() {
    timers.forEach(vertx::cancelTimer);
    List<Future<?>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    all.add(memberLoss.stop());
    for (ActiveRun a : new ArrayList<>(active.values())) {
      all.add(handBack(a));
    }
    return Future.join(all).mapEmpty();
  }

  private Future<Void> handBack(ActiveRun a) {
    a.stopRequested = true;
    if (a.handle != null) {
      a.connector.cancel(vertx, a.spec, a.handle);
    }
    vertx.setTimer(STOP_GRACE_MS, t -> {
      if (a.finished) {
        return;
      }
      logFor(a.run, () -> LOG.warn("run {}: still executing {} ms after its cancel; ending its sessions", a.run.id(),
          STOP_GRACE_MS));
      endSessions(a).onComplete(ar -> {
        a.keepSlot = !ar.result();
        finish(a, Future.failedFuture(new ExecutionException(ExecutionException.Kind.CANCELLED, "runner_stopped",
            "runner stopped", 0)), (System.nanoTime() - a.started) / 1_000_000);
      });
    });
    return a.ended.future();
  }

  /** Ends the run's datasource sessions through its connector; answers whether none is left. */
  private Future<Boolean> endSessions(ActiveRun a) {
    return a.spec == null || a.connector == null ? Future.succeededFuture(a.handle == null)
        : a.connector.endSessions(vertx, a.spec, a.run.id(), a.handle == null ? 0 : a.handle.backendId(),
            LostRuns.GRACE_MS).map(left -> left == 0).otherwise(false);
  }

  // ---- claiming --------------------------------------------------------------------------------------------------

  private void fill() {
    if (stopping) {
      return;
    }
    if (filling) {
      fillAgain = true;
      return;
    }
    filling = true;
    currentFill = fillPass();
    currentFill.onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("runner {}: claiming failed: {}", runnerId, ar.cause().toString());
      }
      filling = false;
      if (fillAgain) {
        fillAgain = false;
        vertx.runOnContext(v -> fill());
      }
    });
  }

  /**
   * One round-robin pass over the datasources with queued work; passes again while a datasource may have more queued
   * runs than it claimed. A run enqueued meanwhile wakes this runner itself (a wake during a pass makes one more), so
   * a pass that took every run it counted needs no second look (which was one more statement for every small run).
   */
  private Future<Void> fillPass() {
    if (capacity() <= 0 || stopping) {
      return Future.succeededFuture();
    }
    return queue.candidates().compose(candidates -> {
      if (candidates.isEmpty()) {
        return Future.succeededFuture();
      }
      int start = Math.floorMod(rotation++, candidates.size());
      List<RunQueue.Candidate> order = new ArrayList<>(candidates.subList(start, candidates.size()));
      order.addAll(candidates.subList(0, start));
      return claimEach(order, 0, false).compose(more -> more ? fillPass() : Future.succeededFuture());
    });
  }

  private Future<Boolean> claimEach(List<RunQueue.Candidate> order, int i, boolean more) {
    if (i >= order.size() || capacity() <= 0 || stopping) {
      return Future.succeededFuture(more);
    }
    RunQueue.Candidate c = order.get(i);
    return claimOne(c).compose(mayHaveMore -> claimEach(order, i + 1, more || mayHaveMore));
  }

  /**
   * Takes as many of the datasource's free slots as this runner has room for (at most its queued runs), claims that
   * many runs in one statement, and frees the slots it could not use. Answers whether the datasource may have more
   * queued runs for this runner: it claimed all it asked for, fewer than it counted.
   */
  private Future<Boolean> claimOne(RunQueue.Candidate c) {
    int wanted = Math.max(1, Math.min(capacity(), c.queued()));
    return acquireSlots(c, wanted, new ArrayList<>()).compose(held -> {
      if (held.isEmpty()) {
        metrics.slotWait(c.datasourceId());
        return Future.succeededFuture(false);
      }
      return queue.claim(runnerId, c.datasourceId(), held.size())
          .recover(err -> releaseAll(held).compose(v -> Future.failedFuture(err)))
          .compose(runs -> {
            List<Future<Void>> launched = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
              launched.add(bindAndLaunch(runs.get(i), held.get(i)));
            }
            return Future.join(launched).transform(v -> releaseAll(held.subList(runs.size(), held.size())))
                .map(!runs.isEmpty() && runs.size() == held.size() && runs.size() < c.queued());
          });
    });
  }

  /**
   * Binds the slot to the claimed run before anything is sent, so that if this runner dies the slot stays taken until
   * the recovering node has ended the run's sessions; then executes the run.
   */
  private Future<Void> bindAndLaunch(ClaimedRun run, DatasourceSlots.Slot slot) {
    return slots.bind(slot, run.id()).map(bound -> {
      if (!bound.held()) {
        logFor(run, () -> LOG.warn("run {}: its datasource slot expired before the claim completed; the cap may be"
            + " exceeded briefly", run.id()));
      }
      return bound.slot();
    }).otherwise(err -> {
      logFor(run, () -> LOG.warn("run {}: could not bind its datasource slot: {}", run.id(), err.toString()));
      return slot;
    }).map(bound -> {
      launch(new ActiveRun(run, bound));
      return null;
    });
  }

  private Future<List<DatasourceSlots.Slot>> acquireSlots(RunQueue.Candidate c, int wanted,
      List<DatasourceSlots.Slot> held) {
    if (held.size() >= wanted) {
      return Future.succeededFuture(held);
    }
    return slots.acquire(c.datasourceId(), c.maxConcurrency(), runnerId + ":" + UUID.randomUUID()).compose(slot -> {
      if (slot == null) {
        return Future.succeededFuture(held);
      }
      held.add(slot);
      return acquireSlots(c, wanted, held);
    });
  }

  private Future<Void> releaseAll(List<DatasourceSlots.Slot> unused) {
    return Future.all(unused.stream().map(slots::release).toList()).mapEmpty();
  }

  /** Logs {@code line} with the run's run_id, org_id and datasource_id ({@link LogIds}). */
  private static void logFor(ClaimedRun run, Runnable line) {
    LogIds.logWith(line, LogIds.RUN_ID, run.id(), LogIds.ORG_ID, run.orgId(), LogIds.DATASOURCE_ID,
        run.datasourceId());
  }

  private int capacity() {
    return concurrency - active.size();
  }

  /** A wake-up hint ({@link Addresses#RUNS_WAKE}): claims when there is room here, else passes it on a few times. */
  private void woken(JsonObject hint) {
    if (!stopping && capacity() > 0) {
      fill();
      return;
    }
    int hops = hint == null ? 0 : hint.getInteger("hops", 0);
    if (hops < WAKE_HOPS) {
      vertx.eventBus().send(Addresses.RUNS_WAKE, (hint == null ? new JsonObject() : hint.copy()).put("hops", hops + 1));
    }
  }

  // ---- executing -------------------------------------------------------------------------------------------------

  private void launch(ActiveRun a) {
    ClaimedRun run = a.run;
    active.put(run.id(), a);
    metrics.runStarted(run.datasourceId(), run.queueMs());
    RunEvents.publish(vertx, run.orgId(), RunEvents.state(run.id(), "running", run.queryId(), run.fingerprint())
        .put("attempt", run.attempt())
        .put("runner", runnerId));
    long execStarted = System.nanoTime();
    loadSpec(run)
        .compose(spec -> {
          if (a.stopRequested || a.finished) {
            return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CANCELLED, "runner_stopped",
                "runner stopped before the run started", 0));
          }
          a.spec = spec;
          a.connector = connectors.forKind(spec.kind()).orElseThrow(() -> new ExecutionException(
              ExecutionException.Kind.ERROR, "unsupported_kind", "No connector for datasource kind '" + spec.kind()
                  + "' on runner " + runnerId, 0));
          a.writer = new ResultWriter(vertx, store, UUID.randomUUID().toString(),
              new ResultLimits(run.options().maxRows(), run.options().maxBytes()), config.results().chunkBytes(),
              config.results().inlineMaxBytes());
          a.guardTimer = vertx.setTimer(run.options().timeoutMs() + GUARD_GRACE_MS, t -> guard(a));
          a.progressTimer = vertx.setPeriodic(PROGRESS_MS, new io.vertx.core.Handler<Long>() {
            private int ticks;

            @Override
            public void handle(Long t) {
              progress(a, ++ticks % PROGRESS_EVENTS_EVERY == 0);
            }
          });
          ExecutionRequest request = new ExecutionRequest(run.id(), run.boundSql(),
              run.bindValues() == null ? List.of() : run.bindValues().getList(), run.options().timeoutMs(),
              config.runs().fetchSize());
          return a.connector.execute(vertx, spec, request, a.writer, handle -> started(a, handle));
        })
        .onComplete(ar -> finish(a, ar, (System.nanoTime() - execStarted) / 1_000_000));
  }

  /** A datasource as recently read; edits and archiving are seen within {@link #SPEC_TTL_MS}. */
  private record CachedSpec(DatasourceSpec spec, long loadedAt) {}

  private final Map<String, CachedSpec> specs = new HashMap<>();

  private Future<DatasourceSpec> loadSpec(ClaimedRun run) {
    CachedSpec cached = specs.get(run.datasourceId());
    if (cached != null && System.nanoTime() - cached.loadedAt() < SPEC_TTL_MS * 1_000_000) {
      return Future.succeededFuture(cached.spec());
    }
    return pool.preparedQuery(DatasourceRecords.BY_ID)
        .execute(Tuple.of(UUID.fromString(run.datasourceId()), UUID.fromString(run.orgId())))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            specs.remove(run.datasourceId());
            return Future.failedFuture(new ExecutionException(ExecutionException.Kind.ERROR, "datasource_archived",
                "The datasource was archived before the run started.", 0));
          }
          DatasourceSpec spec = DatasourceRecords.spec(rows.iterator().next(), secrets);
          specs.put(run.datasourceId(), new CachedSpec(spec, System.nanoTime()));
          return Future.succeededFuture(spec);
        });
  }

  /**
   * Records the run's session before the connector may send the statement (the connector waits for the returned
   * future): a recorded backend is what tells the reaper the statement may have run. Fails, and nothing is sent, when
   * the lease was lost or the record could not be written.
   */
  private Future<Void> started(ActiveRun a, ExecutionHandle handle) {
    a.handle = handle;
    if (a.cancelRequested || a.lost || a.stopRequested) {
      a.connector.cancel(vertx, a.spec, handle);
    }
    a.startedWrite = queue.started(a.run, handle.backendId()).onSuccess(owned -> {
      if (!owned) {
        lose(a, "lease lost before the statement started");
      }
    });
    RunEvents.publish(vertx, a.run.orgId(), RunEvents.state(a.run.id(), "running").put("backendPid",
        handle.backendId()).put("rowCount", 0L));
    return a.startedWrite.transform(ar -> {
      if (ar.succeeded() && ar.result()) {
        if (a.cancelRequested) {
          // asked to cancel since the claim: Postgres ignores a cancel that reaches a session before its statement,
          // so the cancel sent then was lost and the statement would run to its end; not sending it is the cancel
          return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CANCELLED, "cancelled",
              "Cancelled before the statement was sent.", 0, false));
        }
        return Future.succeededFuture();
      }
      String why = ar.succeeded() ? "its lease was lost before the statement was sent"
          : "its session could not be recorded: " + ar.cause().getMessage();
      return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CONNECTION, "not_started",
          "The run did not start: " + why + ".", 0, false));
    });
  }

  private void progress(ActiveRun a, boolean record) {
    if (a.writer == null) {
      return;
    }
    long rows = a.writer.rowCount();
    long bytes = a.writer.byteCount();
    RunEvents.publish(vertx, a.run.orgId(), RunEvents.state(a.run.id(), "running").put("rowCount", rows)
        .put("byteCount", bytes).put("progress", true));
    if (record) {
      queue.progress(a.run, rows, bytes);
    }
  }

  /** The wall-clock guard: statement_timeout should have ended it; cancel the backend, then close its connection. */
  private void guard(ActiveRun a) {
    if (!active.containsKey(a.run.id())) {
      return;
    }
    a.timedOut = true;
    logFor(a.run, () -> LOG.warn("run {} passed its {} ms timeout; cancelling its backend", a.run.id(),
        a.run.options().timeoutMs()));
    if (a.handle != null) {
      a.connector.cancel(vertx, a.spec, a.handle);
      vertx.setTimer(GUARD_ESCALATE_MS, t -> {
        if (active.containsKey(a.run.id())) {
          a.connector.cancel(vertx, a.spec, a.handle);
        }
      });
    }
    // last resort: an execution that never ends (a connector bug) must not hold its run and slot forever
    vertx.setTimer(GUARD_ABANDON_MS, t -> {
      if (active.get(a.run.id()) == a && !a.finished) {
        logFor(a.run, () -> LOG.error("run {}: its execution did not end after cancel and close; abandoning it",
            a.run.id()));
        finish(a, Future.<ExecutionOutcome>failedFuture(new ExecutionException(ExecutionException.Kind.TIMEOUT,
            "timeout", "Stopped after the run's timeout of " + a.run.options().timeoutMs() + " ms.", 0)),
            (System.nanoTime() - a.started) / 1_000_000);
      }
    });
  }

  private void cancelLocal(String runId) {
    ActiveRun a = active.get(runId);
    if (a == null || a.cancelRequested) {
      return;
    }
    a.cancelRequested = true;
    if (a.handle != null) {
      a.connector.cancel(vertx, a.spec, a.handle);
    }
    // Postgres ignores a cancel that reaches the session before its statement does (the runner was still opening it,
    // or the statement was on its way): whatever the cancel missed, its session is ended after the grace
    vertx.setTimer(STOP_GRACE_MS, t -> {
      if (a.finished || a.handle == null || active.get(runId) != a) {
        return;
      }
      logFor(a.run, () -> LOG.warn("run {}: still executing {} ms after its cancel; ending its session", runId,
          STOP_GRACE_MS));
      endSessions(a).onSuccess(gone -> {
        if (!gone) {
          LOG.warn("run {}: its session outlived its cancel and could not be ended", runId);
        }
      });
    });
  }

  private void lose(ActiveRun a, String why) {
    if (a.lost) {
      return;
    }
    a.lost = true;
    logFor(a.run, () -> LOG.warn("run {} attempt {}: runner {} lost the run: {}; stopping it and writing nothing more",
        a.run.id(), a.run.attempt(), runnerId, why));
    if (a.handle != null) {
      a.connector.cancel(vertx, a.spec, a.handle);
    }
  }

  private void finish(ActiveRun a, AsyncResult<ExecutionOutcome> ar, long execMs) {
    if (a.finished) {
      return;
    }
    a.finished = true;
    vertx.cancelTimer(a.guardTimer);
    vertx.cancelTimer(a.progressTimer);
    ClaimedRun run = a.run;
    boolean[] unrecorded = {false};
    a.startedWrite.otherwiseEmpty().compose(v -> record(a, ar, execMs)).recover(err -> {
      if (err instanceof StoredFailure stored) {
        return Future.succeededFuture(stored.owned ? "failed" : null);
      }
      logFor(run, () -> LOG.error("run {}: could not record its end", run.id(), err));
      unrecorded[0] = true;
      return Future.succeededFuture(null);
    }).onComplete(done -> {
      if (done.result() == null && !a.lost && !unrecorded[0]) {
        // a fenced write found the run no longer ours: a reaper or a surviving node took it over meanwhile
        logFor(run, () -> LOG.warn("run {} attempt {}: runner {} lost the run: another node took it over (this runner"
            + " was unreachable or paused past its lease); its outcome was not written", run.id(), run.attempt(),
            runnerId));
      }
      active.remove(run.id());
      if (a.keepSlot) {
        logFor(run, () -> LOG.warn("run {}: its sessions could not be confirmed ended; its datasource slot is left"
            + " to expire", run.id()));
      }
      // claim the next run only once the slot is free again, or this very runner would find the cap full
      (a.keepSlot ? Future.<Void>succeededFuture() : slots.release(a.slot)).onComplete(released -> {
        a.ended.complete();
        fill();
      });
      String status = done.result();
      metrics.runEnded(run.datasourceId(), status, run.trigger(), execMs,
          a.writer == null ? 0 : a.writer.rowCount(), a.writer == null ? 0 : a.writer.byteCount());
      if (status != null) {
        JsonObject event = RunEvents.state(run.id(), status, run.queryId(), run.fingerprint());
        if (a.writer != null) {
          event.put("rowCount", a.writer.rowCount()).put("byteCount", a.writer.byteCount());
          if ("succeeded".equals(status)) {
            event.put("resultId", a.writer.resultId());
          }
        }
        RunEvents.publish(vertx, run.orgId(), event);
      }
    });
  }

  /** Writes how the run ended (fenced); answers the status written, or null when the run was no longer ours. */
  private Future<String> record(ActiveRun a, AsyncResult<ExecutionOutcome> ar, long execMs) {
    ClaimedRun run = a.run;
    Future<String> ended;
    if (ar.succeeded() && !a.lost) {
      long persistStarted = System.nanoTime();
      ended = a.writer.finish().recover(err -> {
        a.writer.abort();
        return queue.finish(run, "failed", execMs, "result_storage", "The result could not be stored: "
            + err.getMessage(), null, a.writer.rowCount()).compose(owned -> Future.failedFuture(
                new StoredFailure(owned)));
      }).compose(summary -> {
        long persistMs = (System.nanoTime() - persistStarted) / 1_000_000;
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plusHours(config.results().retentionHours());
        return queue.succeed(run, new RunQueue.Success(execMs, persistMs, summary, expires)).compose(owned -> {
          if (owned) {
            metrics.persisted(persistMs, summary.storage(), summary.compressedBytes());
            return Future.succeededFuture("succeeded");
          }
          discard(summary);
          // not ours to succeed: either a cancel arrived meanwhile, or the lease was lost
          return queue.finish(run, "cancelled", execMs, null, "Cancelled before the result was stored.", null,
              summary.rowCount()).map(finished -> finished ? "cancelled" : null);
        });
      });
    } else {
      if (a.writer != null) {
        a.writer.abort();
      }
      ended = a.lost ? Future.succeededFuture(null) : unsuccessful(a, ar.cause(), execMs);
    }
    return ended;
  }

  /** The result could not be stored; the run was already finished as failed (if still ours). */
  private static final class StoredFailure extends RuntimeException {
    final boolean owned;

    StoredFailure(boolean owned) {
      super("result storage failed", null, false, false);
      this.owned = owned;
    }
  }

  private Future<String> unsuccessful(ActiveRun a, Throwable cause, long execMs) {
    ClaimedRun run = a.run;
    Long rows = a.writer == null ? null : a.writer.rowCount();
    if (!(cause instanceof ExecutionException e)) {
      if (a.stopRequested) {
        return handedBack(a, execMs, rows);
      }
      logFor(run, () -> LOG.error("run {} failed unexpectedly", run.id(), cause));
      return queue.finish(run, "failed", execMs, "internal", "The runner failed: " + cause, null, rows)
          .map(owned -> owned ? "failed" : null);
    }
    if (a.timedOut || e.kind() == ExecutionException.Kind.TIMEOUT) {
      String message = e.kind() == ExecutionException.Kind.TIMEOUT ? e.getMessage()
          : "Stopped after the run's timeout of " + run.options().timeoutMs() + " ms.";
      return queue.finish(run, "timed_out", execMs, e.kind() == ExecutionException.Kind.TIMEOUT ? e.code() : "timeout",
          message, null, rows).map(owned -> owned ? "timed_out" : null);
    }
    if (a.cancelRequested) {
      return queue.finish(run, "cancelled", execMs, null, "Cancelled.", null, rows)
          .map(owned -> owned ? "cancelled" : null);
    }
    if (a.stopRequested && e.kind() != ExecutionException.Kind.ERROR) {
      return handedBack(a, execMs, rows);
    }
    if (e.kind() == ExecutionException.Kind.CONNECTION && (a.handle == null || !e.statementSent())) {
      // nothing was sent: another attempt cannot run the statement twice
      return queue.requeueOrFail(run, e.code(), e.getMessage());
    }
    return queue.finish(run, "failed", execMs, e.code(), e.getMessage(), e.position(), rows)
        .map(owned -> owned ? "failed" : null);
  }

  /** A run this stopping runner gives up: re-queued if its statement was never sent, else cancelled with the reason. */
  private Future<String> handedBack(ActiveRun a, long execMs, Long rows) {
    String why = "runner " + runnerId + " stopped during the run";
    if (a.handle == null) {
      return queue.requeueOrFail(a.run, "runner_stopped", why + ", before its statement was sent");
    }
    return queue.finish(a.run, "cancelled", execMs, "runner_stopped", why, null, rows)
        .map(owned -> owned ? "cancelled" : null);
  }

  private void discard(ResultSummary summary) {
    if (summary.location() != null) {
      store.delete(summary.location(), summary.chunks().size());
    }
  }

  // ---- leases and the reaper -------------------------------------------------------------------------------------

  private void renew() {
    memberLoss.register().onFailure(err -> LOG.warn("runner {}: could not record its cluster member: {}", runnerId,
        err.toString()));
    if (active.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(active.keySet());
    queue.renew(runnerId, ids).onSuccess(renewed -> {
      java.util.Set<String> kept = new java.util.HashSet<>();
      for (RunQueue.Renewed r : renewed) {
        kept.add(r.runId());
        if (r.cancelRequested()) {
          cancelLocal(r.runId());
        }
      }
      for (String id : ids) {
        ActiveRun a = active.get(id);
        if (a != null && !kept.contains(id)) {
          lose(a, "its lease was not renewed (recovered by a reaper)");
        } else if (a != null) {
          slots.renew(a.slot).onSuccess(ours -> {
            if (!ours) {
              logFor(a.run, () -> LOG.warn("run {}: its datasource slot expired and was taken; the cap may be"
                  + " exceeded briefly", a.run.id()));
            }
          });
        }
      }
    }).onFailure(err -> LOG.warn("runner {}: lease renewal failed: {}", runnerId, err.toString()));
  }

  int activeRuns() {
    return active.size();
  }
}
