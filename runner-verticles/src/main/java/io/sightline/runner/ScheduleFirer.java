package io.sightline.runner;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.db.DatabaseUnavailable;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.shared.schedules.ScheduleException;
import io.sightline.shared.schedules.ScheduleFiring;
import io.sightline.shared.schedules.ScheduleRow;
import io.sightline.shared.schedules.ScheduleSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules (DESIGN.md §10; docs/schedules.md). Every runner verticle runs one; they race through
 * {@code FOR UPDATE SKIP LOCKED}, one schedule per transaction: the slot's runs are enqueued, the firing recorded and
 * {@code next_run_at} advanced from the planned slot (never from the clock, so nothing drifts) in that one
 * transaction, so each slot fires exactly once however many runners scan. Slots passed while no runner was up are
 * recorded {@code skipped_missed} (at most {@link #KEEP_MISSED} rows; beyond that one summary row counts the rest) and
 * only the latest fires (the catch-up). A slot while the previous run of the schedule is live is
 * {@code skipped_overlap}; one inside a failure's backoff {@code skipped_backoff}.
 *
 * <p>It also settles finished firings: once all runs of a firing ended, the outcome feeds the schedule — a success
 * resets {@code consecutive_failures}, {@code last_error} and the backoff; a failure counts one more and backs the
 * schedule off 2^n minutes (at most 4 × its period) from when that was recorded; a cancelled run changes nothing.
 *
 * <p>A schedule whose firing fails with an error of its own (not the database going away) does not hold up the
 * schedules due after it: its transaction rolled back, the slot is recorded {@code failed_to_enqueue} with the error in
 * a transaction of its own (one more failure, backed off, {@code broken_reason} set, {@code next_run_at} advanced), and
 * the scan goes on. If even that cannot be recorded, the reason is written to the schedule and this firer leaves it
 * out of its scans for 1 s, 2 s … at most {@link #MAX_RETRY_MS} before trying again — never disabled, never silent.
 * When the database itself fails (connection lost, server shutting down), nothing is recorded: the transaction rolled
 * back whole, and the next scan fires the slot once the database is back.
 *
 * <p>It wakes at the earliest {@code next_run_at} (at most {@link #MAX_SLEEP_MS} later, and at once on
 * {@link Addresses#SCHEDULES_CHANGED}), so a slot fires within milliseconds of its time.
 */
final class ScheduleFirer {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirer.class);
  static final int KEEP_MISSED = 100;
  static final long MAX_SLEEP_MS = 1000;
  private static final long MIN_SLEEP_MS = 5;
  /** Schedules fired per wake-up at most, before settling and scanning again. */
  private static final int MAX_PER_PASS = 200;
  private static final int SETTLE_BATCH = 100;
  /** The longest a schedule whose failure could not even be recorded is left out of this firer's scans. */
  static final long MAX_RETRY_MS = 60_000;

  private final Vertx vertx;
  private final Pool pool;
  private final RunService runs;
  private final ScheduleFiring firing;
  private final Clock clock;
  private final RunnerMetrics metrics;
  private MessageConsumer<JsonObject> changes;
  private long timer = -1;
  private long statesTimer = -1;
  private boolean busy;
  private boolean again;
  private boolean stopped;
  /** Schedules left out of this firer's scans (their failure could not be recorded), until a real-time deadline. */
  private final Map<UUID, Retry> retries = new HashMap<>();

  /** A schedule left out: how many times in a row it could not be fired nor recorded, and until when (nanoTime). */
  private record Retry(int attempts, long untilNanos) {}

  ScheduleFirer(Vertx vertx, Pool pool, RunService runs, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.runs = runs;
    this.firing = new ScheduleFiring(runs);
    this.clock = clock;
    this.metrics = RunnerMetrics.of(vertx);
  }

  Future<Void> start() {
    changes = vertx.eventBus().consumer(Addresses.SCHEDULES_CHANGED, msg -> wake());
    wake();
    refreshStates();
    statesTimer = vertx.setPeriodic(RunnerMetrics.CLUSTER_EVERY.toMillis(), t -> refreshStates());
    return changes.completion();
  }

  /** The cluster-wide gauges (schedules, datasource queues): cheap counts once per period per process, off the scrape. */
  private void refreshStates() {
    metrics.refreshCluster(pool).onFailure(err -> LOG.debug("refreshing the cluster gauges failed: {}",
        err.toString()));
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(statesTimer);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }

  /** Scans now (or right after the scan in progress). */
  void wake() {
    if (stopped) {
      return;
    }
    if (busy) {
      again = true;
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    busy = true;
    again = false;
    // settle first: a run that just ended counts (success resets, failure backs off) before the next slot fires
    // (a failure to settle is logged and does not stop the slots due from firing)
    settle()
        .recover(err -> {
          LOG.warn("settling schedule firings failed: {}", err.toString());
          return Future.succeededFuture();
        })
        .compose(v -> fireDue(0))
        .compose(n -> sleepMillis())
        .onComplete(ar -> {
          busy = false;
          long sleep = ar.succeeded() ? ar.result() : MAX_SLEEP_MS;
          if (ar.failed()) {
            LOG.warn("schedule scan failed: {}", ar.cause().toString());
          }
          if (stopped) {
            return;
          }
          if (again) {
            vertx.runOnContext(v -> wake());
          } else {
            timer = vertx.setTimer(sleep, t -> {
              timer = -1;
              wake();
            });
          }
        });
  }

  /** Fires due schedules one transaction each, until none is due (or a pass's worth). */
  private Future<Integer> fireDue(int done) {
    if (done >= MAX_PER_PASS || stopped) {
      return Future.succeededFuture(done);
    }
    List<Runnable> announce = new ArrayList<>();
    Claimed[] claimed = new Claimed[1];
    return pool.withTransaction(conn -> fireOne(conn, claimed, announce))
        .compose(fired -> {
          announce.forEach(Runnable::run);
          if (claimed[0] != null) {
            retries.remove(claimed[0].id());
          }
          return fired ? fireDue(done + 1) : Future.succeededFuture(done);
        }, err -> {
          if (claimed[0] == null || retryable(err)) {
            return Future.failedFuture(err); // the whole scan: retried once the database answers again
          }
          return recordFailure(claimed[0], err).compose(v -> fireDue(done + 1));
        });
  }

  private static final String DUE = "select " + ScheduleRow.COLUMNS + """

       from schedules s where s.enabled and s.next_run_at <= $1 and s.id <> all($2)
      order by s.next_run_at limit 1 for update skip locked""";

  /** The same schedule, still due for the same planned slot (no other runner fired it meanwhile). */
  private static final String STILL_DUE = "select " + ScheduleRow.COLUMNS + """

       from schedules s where s.id = $1 and s.org_id = $2 and s.enabled and s.next_run_at = $3
      for update skip locked""";

  private static final String ADVANCE = """
      update schedules set next_run_at = $3, enabled = $4, ended_at = $5 where id = $1 and org_id = $2""";

  private static final String CANNOT_FIRE = """
      update schedules set last_error = $3, broken_reason = $3 where id = $1 and org_id = $2""";

  /** What is done with the slot that fires (the earlier ones were recorded missed). */
  private interface SlotAction {
    Future<Void> fire(SqlConnection conn, ScheduleRow s, Instant slot, Instant now, List<Runnable> announce);
  }

  /** The schedule a firing claimed, known before its row is read (so that even a row that cannot be read is named). */
  private record Claimed(UUID id, UUID orgId, OffsetDateTime nextRunAt) {}

  /** Claims one due schedule and handles every slot it has up to now; false when none is due. */
  private Future<Boolean> fireOne(SqlConnection conn, Claimed[] claimed, List<Runnable> announce) {
    Instant now = clock.instant();
    return conn.preparedQuery(DUE).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), (Object) leftOut())).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.succeededFuture(false);
      }
      Row row = rows.iterator().next();
      claimed[0] = new Claimed(row.getUUID("id"), row.getUUID("org_id"), row.getOffsetDateTime("next_run_at"));
      return fireSlots(conn, ScheduleRow.of(row), now, this::fireSlot, announce).map(true);
    });
  }

  /** The catch-up of {@code s}: missed slots recorded, the latest one handed to {@code action}, next_run_at advanced. */
  private Future<Void> fireSlots(SqlConnection conn, ScheduleRow s, Instant now, SlotAction action,
      List<Runnable> announce) {
    return catchUp(s, now).compose(c -> {
      if (c.isEmpty()) {
        return advance(conn, s, s.nextRunAt(), now);
      }
      if (c.get().missed() > 0) {
        announce.add(() -> metrics.firings(ScheduleFiring.SKIPPED_MISSED, c.get().missed()));
      }
      return recordMissed(conn, s, c.get(), now)
          .compose(v -> action.fire(conn, s, c.get().slot(), now, announce))
          .compose(v -> advance(conn, s, c.get().slot(), now));
    });
  }

  /**
   * A firing of {@code s} failed with an error of its own and rolled back: records its slot {@code failed_to_enqueue}
   * with the error in a transaction of its own — unless another runner fired it meanwhile — so the scan goes on and the
   * failure shows. If that fails too, the reason goes on the schedule and this firer leaves it out for a while.
   */
  private Future<Void> recordFailure(Claimed s, Throwable err) {
    String error = "could not fire: " + describe(err);
    LOG.warn("schedule {} (org {}) {}", s.id(), s.orgId(), error);
    UUID id = s.id();
    Tuple key = Tuple.of(id, s.orgId(), s.nextRunAt());
    List<Runnable> committed = new ArrayList<>();
    return pool.withTransaction(conn -> conn.preparedQuery(STILL_DUE).execute(key).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.<Void>succeededFuture();
      }
      SlotAction failed = (c, row, slot, now, announce) -> firing.failed(c, row, slot, now, false, error)
          .map(fired -> counted(announce, fired.outcome(), slot, now));
      return fireSlots(conn, ScheduleRow.of(rows.iterator().next()), clock.instant(), failed, committed);
    })).onSuccess(v -> committed.forEach(Runnable::run)).recover(again -> {
      if (retryable(again)) {
        return Future.failedFuture(again);
      }
      int attempts = retries.containsKey(id) ? retries.get(id).attempts() + 1 : 1;
      long waitMs = Math.min(MAX_RETRY_MS, 1000L << Math.min(attempts - 1, 16));
      retries.put(id, new Retry(attempts, System.nanoTime() + waitMs * 1_000_000));
      LOG.warn("schedule {} (org {}): its failure could not be recorded either ({}); left out for {} ms", s.id(),
          s.orgId(), describe(again), waitMs);
      return pool.preparedQuery(CANNOT_FIRE).execute(Tuple.of(id, s.orgId(), error))
          .<Void>mapEmpty().recover(last -> {
            LOG.warn("schedule {}: the reason could not be written: {}", s.id(), last.toString());
            return Future.succeededFuture();
          });
    });
  }

  /**
   * Failures that say nothing about the schedule and pass by themselves — the database unreachable or going away
   * (including a connection reset mid-statement, which {@link DatabaseUnavailable} does not list), a deadlock or
   * serialization failure, a lock or statement timeout: the scan stops and fires the slot later.
   */
  static boolean retryable(Throwable err) {
    if (DatabaseUnavailable.is(err)) {
      return true;
    }
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null && (db.getSqlState().startsWith("40")
          || db.getSqlState().equals("55P03") || db.getSqlState().equals("57014"))) {
        return true;
      }
    }
    return false;
  }

  /** A failure in one line for {@code last_error}: its message (the server's, with the SQLSTATE) or its kind. */
  private static String describe(Throwable err) {
    if (err instanceof ScheduleException e && e.field() != null) {
      return "its " + e.field().substring(e.field().lastIndexOf('/') + 1) + " " + e.getMessage();
    }
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  /** The schedules this firer leaves out of its scans now. */
  private UUID[] leftOut() {
    long now = System.nanoTime();
    return retries.entrySet().stream().filter(e -> e.getValue().untilNanos() - now > 0).map(Map.Entry::getKey)
        .toArray(UUID[]::new);
  }

  /** The catch-up of a schedule; walked on a worker thread when the schedule is far behind (a long downtime). */
  private Future<Optional<ScheduleSpec.CatchUp>> catchUp(ScheduleRow s, Instant now) {
    boolean far = Duration.between(s.nextRunAt(), now).compareTo(Duration.ofHours(1)) > 0
        && s.spec().kind() == ScheduleSpec.Kind.CRON;
    return far ? vertx.executeBlocking(() -> s.spec().catchUp(s.nextRunAt(), now, KEEP_MISSED - 1))
        : Future.succeededFuture(s.spec().catchUp(s.nextRunAt(), now, KEEP_MISSED - 1));
  }

  /**
   * One row per missed slot while there are at most {@link #KEEP_MISSED}; beyond, the latest {@code KEEP_MISSED - 1}
   * each get a row and one summary row at the first missed slot counts the rest ({@code slots}).
   */
  private Future<Void> recordMissed(SqlConnection conn, ScheduleRow s, ScheduleSpec.CatchUp c, Instant now) {
    if (c.missed() == 0) {
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    long listed = c.lastMissed().size();
    if (c.missed() > listed) {
      int rest = (int) Math.min(Integer.MAX_VALUE, c.missed() - listed);
      chain = ScheduleFiring.record(conn, s, c.firstMissed(), now, ScheduleFiring.SKIPPED_MISSED, false, List.of(),
          null, rest);
    }
    for (Instant slot : c.lastMissed()) {
      chain = chain.compose(v -> ScheduleFiring.record(conn, s, slot, now, ScheduleFiring.SKIPPED_MISSED, false,
          List.of(), null, 1));
    }
    return chain;
  }

  /** Fires the slot: skipped while backing off or while a run of the schedule is live, else enqueued. */
  private Future<Void> fireSlot(SqlConnection conn, ScheduleRow s, Instant slot, Instant now,
      List<Runnable> announce) {
    if (s.backoffUntil() != null && s.backoffUntil().isAfter(now)) {
      return ScheduleFiring.record(conn, s, slot, now, ScheduleFiring.SKIPPED_BACKOFF, false, List.of(), null, 1)
          .map(v -> counted(announce, ScheduleFiring.SKIPPED_BACKOFF, slot, now));
    }
    return ScheduleFiring.hasLiveRun(conn, s.id()).compose(live -> live
        ? ScheduleFiring.record(conn, s, slot, now, ScheduleFiring.SKIPPED_OVERLAP, false, List.of(), null, 1)
            .map(v -> counted(announce, ScheduleFiring.SKIPPED_OVERLAP, slot, now))
        : firing.fire(conn, s, slot, now, false, null, RunRequest.SCHEDULED).map(fired -> {
          announce.add(fired.announce());
          counted(announce, fired.outcome(), slot, now);
          LOG.info("schedule {} (org {}) fired for {}: {}{}", s.id(), s.orgId(), slot, fired.outcome(),
              fired.error() == null ? "" : " (" + fired.error() + ")");
          return (Void) null;
        }));
  }

  /** Counts the slot's firing (outcome and lag) once its transaction committed; answers null for chaining. */
  private Void counted(List<Runnable> announce, String outcome, Instant slot, Instant now) {
    announce.add(() -> metrics.fired(outcome, slot, now));
    return null;
  }

  /** next_run_at: the slot after {@code slot} (not after now: no drift); none left = the window ended. */
  private Future<Void> advance(SqlConnection conn, ScheduleRow s, Instant slot, Instant now) {
    Optional<Instant> next = s.spec().next(slot);
    return conn.preparedQuery(ADVANCE).execute(Tuple.of(UUID.fromString(s.id()), UUID.fromString(s.orgId()),
            next.map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null), next.isPresent(),
            next.isPresent() ? null : now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  // ---- settling run outcomes ---------------------------------------------------------------------------------------

  /** Firings whose runs all ended, with their outcome: all succeeded, any failed (its error), else cancelled. */
  private static final String FINISHED_FIRINGS = """
      select f.id, f.schedule_id, f.org_id, o.ok, o.failed, o.error
        from schedule_firings f
        cross join lateral (
          select bool_and(r.status = 'succeeded') as ok, bool_or(r.status in ('failed', 'timed_out')) as failed,
                 min(coalesce(r.error_code, r.status) || ': ' || coalesce(r.error_message, ''))
                   filter (where r.status in ('failed', 'timed_out')) as error
            from runs r where r.id = any(f.run_ids)) o
       where f.settled_at is null and cardinality(f.run_ids) > 0
         and not exists (select 1 from runs r where r.id = any(f.run_ids) and r.status in ('queued', 'running'))
       order by f.id limit $1
       for update of f skip locked""";

  private static final String SETTLE_FIRING = """
      update schedule_firings set run_status = $2, settled_at = now() where id = $1""";

  private static final String LOCK_SCHEDULE = "select " + ScheduleRow.COLUMNS
      + " from schedules s where s.id = $1 and s.org_id = $2 for update";

  private static final String SUCCEEDED = """
      update schedules set consecutive_failures = 0, last_error = null, backoff_until = null, broken_reason = null
       where id = $1 and org_id = $2""";

  private static final String RUN_FAILED = """
      update schedules set consecutive_failures = consecutive_failures + 1, last_error = $3, backoff_until = $4
       where id = $1 and org_id = $2""";

  /** Feeds the outcome of finished firings back into their schedules (a batch per transaction). */
  private Future<Void> settle() {
    return pool.withTransaction(conn -> conn.preparedQuery(FINISHED_FIRINGS).execute(Tuple.of(SETTLE_BATCH))
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row f : rows) {
            chain = chain.compose(v -> settle(conn, f));
          }
          return chain.map(rows.size());
        }))
        .compose(n -> n == SETTLE_BATCH && !stopped ? settle() : Future.succeededFuture());
  }

  private Future<Void> settle(SqlConnection conn, Row f) {
    boolean ok = Boolean.TRUE.equals(f.getBoolean("ok"));
    boolean failed = Boolean.TRUE.equals(f.getBoolean("failed"));
    String status = ok ? "succeeded" : failed ? "failed" : "cancelled";
    Tuple schedule = Tuple.of(f.getUUID("schedule_id"), f.getUUID("org_id"));
    Future<?> settled = conn.preparedQuery(SETTLE_FIRING).execute(Tuple.of(f.getLong("id"), status));
    if (ok) {
      return settled.compose(v -> conn.preparedQuery(SUCCEEDED).execute(schedule)).mapEmpty();
    }
    if (!failed) {
      return settled.mapEmpty();
    }
    return settled.compose(v -> conn.preparedQuery(LOCK_SCHEDULE).execute(schedule)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.succeededFuture();
      }
      ScheduleRow s = ScheduleRow.of(rows.iterator().next());
      Instant at = clock.instant();
      Instant until = at.plus(s.spec().backoff(s.consecutiveFailures() + 1, at));
      return conn.preparedQuery(RUN_FAILED).execute(Tuple.of(f.getUUID("schedule_id"), f.getUUID("org_id"),
          f.getString("error"), until.atOffset(ZoneOffset.UTC))).mapEmpty();
    });
  }

  // ---- waking ----------------------------------------------------------------------------------------------------

  private static final String EARLIEST = """
      select min(next_run_at) as at from schedules where enabled and id <> all($1)""";

  /**
   * How long to sleep: until the earliest next_run_at of the schedules not left out, within [MIN_SLEEP_MS,
   * MAX_SLEEP_MS] (the MAX_SLEEP_MS wake-up also brings back a schedule left out once its time is up).
   */
  private Future<Long> sleepMillis() {
    return pool.preparedQuery(EARLIEST).execute(Tuple.of((Object) leftOut())).map(rows -> {
      OffsetDateTime at = rows.iterator().next().getOffsetDateTime("at");
      if (at == null) {
        return MAX_SLEEP_MS;
      }
      long ms = Duration.between(clock.instant(), at.toInstant()).toMillis() + 1;
      return Math.max(MIN_SLEEP_MS, Math.min(MAX_SLEEP_MS, ms));
    });
  }
}
