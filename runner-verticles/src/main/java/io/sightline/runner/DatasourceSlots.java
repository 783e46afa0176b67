package io.sightline.runner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The cluster-wide per-datasource cap (DESIGN.md §3): a datasource with {@code max_concurrency} n has slots
 * {@code <id>/0 … <id>/n-1} in a cluster map; a runner takes one ({@code putIfAbsent} with a TTL) before it claims a
 * run of that datasource, renews it with its lease, and frees it when the run ends. A runner that dies loses its slots
 * when their TTL runs out. The same code runs on the local map (standalone) and on Hazelcast (cluster).
 */
final class DatasourceSlots {
  static final String MAP = "sightline.datasource-slots";

  private final Vertx vertx;
  private final long ttlMs;

  DatasourceSlots(Vertx vertx, long ttlMs) {
    this.vertx = vertx;
    this.ttlMs = ttlMs;
  }

  /** A held slot: its key and the token that proves it is ours. */
  record Slot(String key, String token) {}

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
    return m.putIfAbsent(key, token, ttlMs).compose(previous -> previous == null
        ? Future.succeededFuture(new Slot(key, token))
        : tryFrom(m, datasourceId, i + 1, max, token));
  }

  /** Extends a slot's TTL while it is still ours; false when it expired and may be someone else's. */
  Future<Boolean> renew(Slot slot) {
    return map().compose(m -> m.get(slot.key()).compose(current -> {
      if (current == null) {
        return m.putIfAbsent(slot.key(), slot.token(), ttlMs).map(prev -> prev == null);
      }
      if (!current.equals(slot.token())) {
        return Future.succeededFuture(false);
      }
      return m.put(slot.key(), slot.token(), ttlMs).map(true);
    }));
  }

  Future<Void> release(Slot slot) {
    return map().compose(m -> m.removeIfPresent(slot.key(), slot.token())).mapEmpty();
  }
}
