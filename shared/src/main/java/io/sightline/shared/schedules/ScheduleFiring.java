package io.sightline.shared.schedules;

import io.sightline.shared.params.ParameterException;
import io.sightline.shared.runs.RunLimitException;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * One firing of a schedule inside the caller's transaction (the runner's due scan, holding the schedule's row lock, or
 * a run-now): resolves the target, enqueues its runs through {@link RunService#enqueueIn} (the engine's own enqueue
 * SQL: dedup by fingerprint, request attributed to the schedule), records the firing (a second firing of the same slot
 * violates the unique (schedule_id, slot_at) of scheduled firings and rolls the whole transaction back) and updates the schedule. A
 * target that cannot be enqueued is recorded {@code failed_to_enqueue} with the reason, counts as a failure, marks the
 * schedule broken and backs it off — it is never disabled. Once the transaction committed, {@link Fired#announce}
 * tells the runners and listeners about the new runs.
 */
public final class ScheduleFiring {
  private final RunService runs;

  public ScheduleFiring(RunService runs) {
    this.runs = runs;
  }

  /** The outcomes a firing can record. */
  public static final String ENQUEUED = "enqueued";
  public static final String REUSED = "reused";
  public static final String SKIPPED_OVERLAP = "skipped_overlap";
  public static final String SKIPPED_MISSED = "skipped_missed";
  public static final String SKIPPED_BACKOFF = "skipped_backoff";
  public static final String FAILED_TO_ENQUEUE = "failed_to_enqueue";

  /** What one firing did; {@link #announce} after the commit. */
  public record Fired(String outcome, List<String> runIds, String error, Runnable announce) {}

  /**
   * Fires {@code s} for {@code slot}: enqueues (or fails to) and records it. {@code manual}: a run-now, attributed to
   * {@code requestedBy}.
   */
  public Future<Fired> fire(SqlConnection conn, ScheduleRow s, Instant slot, Instant now, boolean manual,
      String requestedBy, int priority) {
    ScheduleTargets.Attribution who = new ScheduleTargets.Attribution(s.id(), requestedBy, priority);
    return ScheduleTargets.resolve(conn, s.orgId(), s.queryId(), s.dashboardId(), s.params(), now, who)
        .compose(resolved -> enqueueAll(conn, resolved))
        .compose(done -> {
          String error = done.errors.isEmpty() ? null : String.join("; ", done.errors);
          if (done.runIds.isEmpty()) {
            return failed(conn, s, slot, now, manual, error);
          }
          String outcome = done.allShared ? REUSED : ENQUEUED;
          return record(conn, s, slot, now, outcome, manual, done.runIds, error, 1)
              .compose(v -> conn.preparedQuery(ScheduleSql.FIRED).execute(Tuple.of(uuid(s.id()), uuid(s.orgId()),
                  now.atOffset(ZoneOffset.UTC), uuid(done.runIds.get(0)), error)))
              .map(v -> new Fired(outcome, done.runIds, error, () -> done.announcements.forEach(Runnable::run)));
        }, err -> reason(err) == null ? Future.failedFuture(err) : failed(conn, s, slot, now, manual, reason(err)));
  }

  /** Why resolving or enqueueing failed for good (the schedule is broken), or null for a failure to retry. */
  private static String reason(Throwable err) {
    if (err instanceof ScheduleException e) {
      return e.getMessage();
    }
    if (err instanceof ParameterException e) {
      return "its parameters no longer pass the check: " + e.getMessage();
    }
    if (err instanceof NoSuchElementException) {
      return "its query's datasource was deleted";
    }
    if (err instanceof RunLimitException e) {
      return "its run options " + e.getMessage();
    }
    return null;
  }

  private static final class Enqueued {
    final List<String> runIds = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<Runnable> announcements = new ArrayList<>();
    boolean allShared = true;
  }

  /** Enqueues each request in turn (one connection), collecting runs and the errors of those that cannot run. */
  private Future<Enqueued> enqueueAll(SqlConnection conn, ScheduleTargets.Resolved resolved) {
    Enqueued done = new Enqueued();
    done.errors.addAll(resolved.tileErrors());
    Future<Void> chain = Future.succeededFuture();
    for (RunRequest req : resolved.requests()) {
      chain = chain.compose(v -> runs.enqueueIn(conn, req).map(e -> {
        if (!done.runIds.contains(e.runId())) {
          done.runIds.add(e.runId());
        }
        done.allShared &= !e.created();
        done.announcements.add(() -> runs.announce(req, e));
        return (Void) null;
      }).recover(err -> {
        String why = reason(err);
        if (why == null || resolved.requests().size() == 1) {
          return Future.failedFuture(err);
        }
        done.errors.add(why);
        return Future.succeededFuture();
      }));
    }
    return chain.map(done);
  }

  /**
   * Records a firing that could not enqueue ({@code failed_to_enqueue} with {@code error}): one more failure, backed
   * off, broken with the reason. Also the runner's record of a firing that failed with an error of its own.
   */
  public Future<Fired> failed(SqlConnection conn, ScheduleRow s, Instant slot, Instant now, boolean manual,
      String error) {
    Instant backoffUntil = now.plus(s.spec().backoff(s.consecutiveFailures() + 1, now));
    return record(conn, s, slot, now, FAILED_TO_ENQUEUE, manual, List.of(), error, 1)
        .compose(v -> conn.preparedQuery(ScheduleSql.FAILED_TO_ENQUEUE).execute(Tuple.of(uuid(s.id()),
            uuid(s.orgId()), now.atOffset(ZoneOffset.UTC), backoffUntil.atOffset(ZoneOffset.UTC), error)))
        .map(v -> new Fired(FAILED_TO_ENQUEUE, List.of(), error, () -> { }));
  }

  /** Records a firing row; {@code slots} > 1 only for the summary of a long run of missed slots. */
  public static Future<Void> record(SqlConnection conn, ScheduleRow s, Instant slot, Instant now, String outcome,
      boolean manual, List<String> runIds, String error, int slots) {
    return conn.preparedQuery(ScheduleSql.INSERT_FIRING).execute(Tuple.tuple().addValue(uuid(s.id()))
            .addValue(uuid(s.orgId())).addValue(slot.atOffset(ZoneOffset.UTC)).addValue(outcome).addValue(manual)
            .addValue(runIds.stream().map(UUID::fromString).toArray(UUID[]::new)).addValue(error).addValue(slots)
            .addValue(now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** Whether a run of the schedule is still queued or running (then a slot is skipped as overlapping). */
  public static Future<Boolean> hasLiveRun(SqlConnection conn, String scheduleId) {
    return conn.preparedQuery(ScheduleSql.LIVE_RUN).execute(Tuple.of(uuid(scheduleId)))
        .map(rows -> rows.iterator().next().getBoolean("live"));
  }

  static UUID uuid(String id) {
    return UUID.fromString(id);
  }
}
