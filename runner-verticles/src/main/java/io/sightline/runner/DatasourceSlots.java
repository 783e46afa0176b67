package io.sightline.runner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster-wide per-datasource cap (DESIGN.md §3): a datasource with {@code max_concurrency} n has slots
 * {@code <id>/0 … <id>/n-1} in a cluster map. A runner takes one ({@code putIfAbsent}, expiring with the lease) before
 * it claims a run of that datasource; once the run is claimed the slot is bound to it (its value names the run) and
 * renewed with the lease, and freed when the run ends. A bound slot outlives its runner: when a runner dies, the node
 * that recovers its run ends the run's datasource sessions first and only then frees the slot ({@link #releaseRun}),
 * so the cap holds across crashes. Its TTL is only a backstop (several leases) for when that cleanup cannot reach the
 * datasource. The same code runs on the local map (standalone) and on Hazelcast (cluster).
 */
final class DatasourceSlots {
  static final String MAP = "sightline.datasource-slots";
  /** A bound slot's TTL, in leases: a backstop only, the recovering node frees it. */
  static final int BACKSTOP_LEASES = 4;

  private final Vertx vertx;
  private final long claimTtlMs;
  private final long runTtlMs;

  DatasourceSlots(Vertx vertx, long leaseMs) {
    this.vertx = vertx;
    this.claimTtlMs = leaseMs;
    this.runTtlMs = leaseMs * BACKSTOP_LEASES;
  }

  /** A held slot: its key and the value that proves it is ours. */
  record Slot(String key, String token) {}

  /** The value of a slot bound to a run. */
  static String runToken(String runId) {
    return "run:" + runId;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** Takes a free slot of the datasource, or completes with null when all {@code max} are taken. */
  Future<Slot> acquire(String datasourceId, int max, String token) {
    return map().compose(m -> tryFrom(m, datasourceId, 0, max, token));
  }

  private Future<Slot> tryFrom(AsyncMap<String, String> m, String datasourceId, int i, int max, String token) {
    if (i >= max) {
      return Future.succeededFuture(null);
    }
    String key = datasourceId + "/" + i;
    return m.putIfAbsent(key, token, claimTtlMs).compose(previous -> previous == null
        ? Future.succeededFuture(new Slot(key, token))
        : tryFrom(m, datasourceId, i + 1, max, token));
  }

  /**
   * Binds a slot taken for a claim to the run claimed with it: its value then names the run, and it lives until freed
   * (or the backstop TTL). Answers the bound slot; {@code held} false when it had expired and was taken meanwhile.
   */
  Future<Bound> bind(Slot slot, String runId) {
    Slot bound = new Slot(slot.key(), runToken(runId));
    return map().compose(m -> m.replaceIfPresent(slot.key(), slot.token(), bound.token())
        .compose(replaced -> replaced ? Future.succeededFuture(true)
            : m.putIfAbsent(slot.key(), bound.token()).map(previous -> previous == null))
        // Hazelcast's replace keeps no TTL: set the run's
        .compose(held -> held ? m.put(slot.key(), bound.token(), runTtlMs).map(true) : Future.succeededFuture(false)))
        .map(held -> new Bound(bound, held));
  }

  /** A slot bound to a run, and whether it was still ours to bind. */
  record Bound(Slot slot, boolean held) {}

  /** Extends a slot's TTL while it is still ours; false when it expired and may be someone else's. */
  Future<Boolean> renew(Slot slot) {
    return map().compose(m -> m.get(slot.key()).compose(current -> {
      if (current == null) {
        return m.putIfAbsent(slot.key(), slot.token(), runTtlMs).map(prev -> prev == null);
      }
      if (!current.equals(slot.token())) {
        return Future.succeededFuture(false);
      }
      return m.put(slot.key(), slot.token(), runTtlMs).map(true);
    }));
  }

  Future<Void> release(Slot slot) {
    return map().compose(m -> m.removeIfPresent(slot.key(), slot.token())).mapEmpty();
  }

  /**
   * Frees the slots bound to {@code runId} among the datasource's {@code max} (a lost run's, once its sessions were
   * ended); answers how many it freed. A slot above a since-lowered cap is no longer counted and expires on its own.
   */
  Future<Integer> releaseRun(String datasourceId, int max, String runId) {
    String token = runToken(runId);
    return map().compose(m -> {
      List<Future<Boolean>> removals = new ArrayList<>();
      for (int i = 0; i < max; i++) {
        removals.add(m.removeIfPresent(datasourceId + "/" + i, token));
      }
      return Future.all(removals).map(all -> (int) removals.stream().filter(Future::result).count());
    });
  }
}
