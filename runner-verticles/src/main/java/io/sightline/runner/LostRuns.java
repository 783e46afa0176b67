package io.sightline.runner;

import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.datasource.DatasourceRecords;
import io.sightline.shared.metrics.RunRecoveries;
import io.sightline.shared.runs.RunEvents;
import io.sightline.shared.runs.RunQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reaper (DESIGN.md §3, leases and crash cleanup), on any runner: fails queued runs past their queue timeout, and
 * recovers runs whose runner stopped renewing its lease. For each such run it takes the lease over (so no other reaper
 * does the same and the lost runner, should it come back, sees the run is no longer its), ends the run's datasource
 * sessions through its connector, then re-queues the run if its statement was never sent or fails it as runner_lost if
 * it may have run, and only then frees the run's datasource slot. When the sessions cannot be ended (datasource
 * unreachable) the slot is kept until its backstop TTL, so the cap still holds. Its state events carry the run's query
 * and fingerprint, as the engine's do, so a page showing that work (a dashboard tile) hears of it.
 */
final class LostRuns {
  private static final Logger LOG = LoggerFactory.getLogger(LostRuns.class);
  /** Runs taken over per pass. */
  private static final int BATCH = 20;
  /** How long cancelled statements get to end before their sessions are terminated. */
  static final long GRACE_MS = 1000;
  /** How long a takeover holds a run: ending its sessions (connect, cancel, grace, terminate) fits well within. */
  private static final int HOLD_SECONDS = 30;

  /** Any datasource of the run's org, archived or not: an archived one may still have the run's session open. */
  private static final String DATASOURCE = "select " + DatasourceRecords.COLUMNS
      + " from datasources where id = $1 and org_id = $2";

  private final Vertx vertx;
  private final Pool pool;
  private final SecretBox secrets;
  private final Connectors connectors;
  private final RunQueue queue;
  private final DatasourceSlots slots;
  private final String reaperId;
  private final RunnerMetrics metrics;
  private boolean reaping;

  LostRuns(Vertx vertx, Pool pool, SecretBox secrets, Connectors connectors, RunQueue queue, DatasourceSlots slots,
      String runnerId) {
    this.vertx = vertx;
    this.pool = pool;
    this.secrets = secrets;
    this.connectors = connectors;
    this.queue = queue;
    this.slots = slots;
    this.reaperId = "reaper:" + runnerId;
    this.metrics = RunnerMetrics.of(vertx);
  }

  /** One pass; a pass still running (a slow datasource) is not overlapped. */
  void reap() {
    if (reaping) {
      return;
    }
    reaping = true;
    queue.reapQueueTimeouts()
        .onSuccess(late -> metrics.queueTimeouts(late.size()))
        .onSuccess(late -> late.forEach(r -> RunEvents.publish(vertx, r.orgId(), RunEvents.state(r.runId(), r.status(),
            r.queryId(), r.fingerprint()))))
        .compose(v -> queue.takeOverLost(reaperId, HOLD_SECONDS, BATCH))
        .compose(lost -> Future.join(lost.stream()
            .map(r -> recover(r, RunRecoveries.Reason.LEASE_EXPIRED)).toList()))
        .onFailure(err -> LOG.warn("reaper failed: {}", err.toString()))
        .onComplete(v -> reaping = false);
  }

  /**
   * Recovers every running run of {@code lostRunner} at once, whatever its lease: its cluster member left
   * ({@link MemberLoss}). Each run is taken over by one node only (the same takeover as {@link #reap}, so every node
   * may race for them), and recovered the same way. Answers how many runs this node recovered.
   */
  Future<Integer> recoverRunner(String lostRunner) {
    return queue.takeOverRunner(reaperId, lostRunner, HOLD_SECONDS, BATCH).compose(lost -> {
      if (lost.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return Future.join(lost.stream().map(r -> recover(r, RunRecoveries.Reason.MEMBER_LOST)).toList())
          .transform(v -> recoverRunner(lostRunner)).map(more -> lost.size() + more);
    });
  }

  /** Ends the run's sessions, then the run, then (only if its sessions are gone) frees its slot. */
  private Future<Void> recover(RunQueue.LostRun lost, RunRecoveries.Reason reason) {
    return datasource(lost).compose(spec -> (spec == null ? Future.succeededFuture(false) : endSessions(spec, lost))
        .compose(ended -> queue.endLost(lost).compose(status -> {
          if (status != null) {
            metrics.recovered(reason);
            LOG.warn("run {} attempt {} lost by runner {} ({}): now {}", lost.runId(), lost.attempt(),
                lost.lostRunner(), lost.statementSent() ? "its statement was sent" : "nothing was sent", status);
            RunEvents.publish(vertx, lost.orgId(), RunEvents.state(lost.runId(), status, lost.queryId(),
                lost.fingerprint()));
          }
          if (!ended) {
            return Future.succeededFuture();
          }
          return slots.releaseRun(spec.id(), spec.maxConcurrency(), lost.runId()).mapEmpty();
        })))
        .onFailure(err -> LOG.warn("run {}: recovery failed, retried when the takeover expires: {}", lost.runId(),
            err.toString()))
        .mapEmpty();
  }

  /** Whether the run's sessions are gone; false (logged) when that cannot be known. */
  private Future<Boolean> endSessions(DatasourceSpec spec, RunQueue.LostRun lost) {
    Connector connector = connectors.forKind(spec.kind()).orElse(null);
    if (connector == null) {
      LOG.warn("run {}: no {} connector on this runner to end its sessions; its datasource slot is kept until it"
          + " expires", lost.runId(), spec.kind());
      return Future.succeededFuture(false);
    }
    long backendId = lost.backendPid() == null ? 0 : lost.backendPid();
    return connector.endSessions(vertx, spec, lost.runId(), backendId, GRACE_MS).map(left -> {
      if (left > 0) {
        LOG.warn("run {}: {} session(s) still on datasource {} after cancel and terminate; its slot is kept until it"
            + " expires", lost.runId(), left, spec.id());
      }
      return left == 0;
    }).recover(err -> {
      LOG.warn("run {}: could not end its sessions on datasource {} ({}); its slot is kept until it expires",
          lost.runId(), spec.id(), err.toString());
      return Future.succeededFuture(false);
    });
  }

  /** The run's datasource, or null (logged) when it is gone. */
  private Future<DatasourceSpec> datasource(RunQueue.LostRun lost) {
    return pool.preparedQuery(DATASOURCE)
        .execute(Tuple.of(UUID.fromString(lost.datasourceId()), UUID.fromString(lost.orgId())))
        .map(rows -> {
          if (rows.iterator().hasNext()) {
            return DatasourceRecords.spec(rows.iterator().next(), secrets);
          }
          LOG.warn("run {}: its datasource {} is gone; its sessions cannot be ended", lost.runId(),
              lost.datasourceId());
          return null;
        });
  }
}
