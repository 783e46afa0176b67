package io.sightline.runner;

import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.result.ResultJanitor;
import io.sightline.shared.result.ResultStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's periodic clean-up of the result store (DESIGN.md §5, retention; §3, crash clean-up): every minute it
 * deletes expired results in batches until none is left, and every 15 minutes it sweeps orphans — objects no
 * {@code results} row owns (partial chunks of killed or lost runs), idle longer than any run may write. Any number of
 * runners may do both at once; the first sweep waits a random part of the period so nodes spread out.
 */
final class ResultHousekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(ResultHousekeeping.class);
  private static final long EXPIRY_MS = 60_000;
  private static final int EXPIRY_BATCH = 100;
  private static final long ORPHAN_SWEEP_MS = 15 * 60_000;
  private static final int ORPHAN_SWEEP_BATCH = 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final ResultStore store;
  private final Duration orphanGrace;
  private final List<Long> timers = new ArrayList<>();
  private boolean stopped;
  private boolean sweeping;
  private final RunnerMetrics metrics;

  ResultHousekeeping(Vertx vertx, Pool pool, ResultStore store, SightlineConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.orphanGrace = ResultJanitor.orphanGrace(config.runs().maxTimeoutMs());
    this.metrics = RunnerMetrics.of(vertx);
  }

  void start() {
    timers.add(vertx.setPeriodic(EXPIRY_MS, t -> deleteExpired()));
    long firstSweep = 60_000 + ThreadLocalRandom.current().nextLong(ORPHAN_SWEEP_MS);
    timers.add(vertx.setPeriodic(firstSweep, ORPHAN_SWEEP_MS, t -> sweepOrphans()));
  }

  void stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
  }

  /** Deletes expired results (objects, then rows) in batches until none is left. */
  private void deleteExpired() {
    ResultJanitor.deleteExpired(pool, store, EXPIRY_BATCH).onSuccess(deleted -> {
      if (deleted > 0) {
        metrics.janitorDeleted("expired", deleted);
        LOG.info("deleted {} expired result(s)", deleted);
        if (deleted == EXPIRY_BATCH && !stopped) {
          vertx.runOnContext(v -> deleteExpired());
        }
      }
    }).onFailure(err -> LOG.warn("result janitor failed: {}", err.toString()));
  }

  /** One full pass over the store (the sweep pages through it itself); never two at once on this runner. */
  private void sweepOrphans() {
    if (sweeping || stopped) {
      return;
    }
    sweeping = true;
    ResultJanitor.sweepOrphans(pool, store, orphanGrace, ORPHAN_SWEEP_BATCH)
        .onComplete(ar -> sweeping = false)
        .onSuccess(n -> {
          if (n > 0) {
            metrics.janitorDeleted("orphan", n);
            LOG.info("deleted {} orphaned partial result(s)", n);
          }
        })
        .onFailure(err -> LOG.warn("orphan sweep failed: {}", err.toString()));
  }
}
