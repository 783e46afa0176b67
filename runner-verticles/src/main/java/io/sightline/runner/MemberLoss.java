package io.sightline.runner;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.bus.EventBusChecker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast recovery when a runner's cluster member dies (DESIGN.md §3, leases): every runner records in the cluster map
 * {@value #MAP} which member it runs on ({@code runnerId → member id}); when Hazelcast removes a member, each surviving
 * runner looks up the runner ids that lived there and races to take over their running runs ({@link
 * LostRuns#recoverRunner}: each run is taken by one node only), ending their datasource sessions before it re-queues or
 * fails them and frees their slots, exactly as the lease reaper does. The reaper stays the fallback: a runner that is
 * cut off but alive, or whose map entry was lost, is recovered when its leases expire. A runner restarted under the
 * same id has overwritten the entry with its new member, so the old member's departure does not touch its runs.
 * Nothing happens outside a cluster (standalone).
 */
final class MemberLoss {
  private static final Logger LOG = LoggerFactory.getLogger(MemberLoss.class);
  static final String MAP = "sightline.runner-members";

  private final Vertx vertx;
  private final LostRuns lostRuns;
  private final String runnerId;
  private final String nodeId;
  private MessageConsumer<JsonObject> consumer;

  MemberLoss(Vertx vertx, LostRuns lostRuns, String runnerId) {
    this.vertx = vertx;
    this.lostRuns = lostRuns;
    this.runnerId = runnerId;
    this.nodeId = EventBusChecker.clusterNodeId(vertx);
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** Records this runner's member and listens for members leaving; completes before the runner claims anything. */
  Future<Void> start() {
    if (nodeId == null) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().localConsumer(Addresses.MEMBER_LEFT, msg -> memberLeft(msg.body().getString("nodeId")));
    return consumer.completion().compose(v -> register());
  }

  /** (Re)records this runner's member: called with each lease renewal, so an entry lost with a partition comes back. */
  Future<Void> register() {
    if (nodeId == null) {
      return Future.succeededFuture();
    }
    return map().compose(m -> m.put(runnerId, nodeId));
  }

  Future<Void> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    return consumer.unregister().eventually(() -> map().compose(m -> m.removeIfPresent(runnerId, nodeId)))
        .mapEmpty();
  }

  private void memberLeft(String left) {
    long detected = System.nanoTime();
    map().compose(m -> m.entries().map(entries -> runnersOn(entries, left)).compose(lost -> Future.join(lost.stream()
        .map(lostRunner -> lostRuns.recoverRunner(lostRunner).onSuccess(n -> {
          if (n > 0) {
            LOG.warn("runner {} left the cluster with member {}: recovered {} of its runs in {} ms", lostRunner, left,
                n, (System.nanoTime() - detected) / 1_000_000);
          }
        }).compose(n -> m.removeIfPresent(lostRunner, left))).toList())))
        .onFailure(err -> LOG.warn("member {} left: recovering its runners' runs failed ({}); the lease reaper will",
            left, err.toString()));
  }

  private static List<String> runnersOn(Map<String, String> entries, String member) {
    return entries.entrySet().stream().filter(e -> member.equals(e.getValue())).map(Map.Entry::getKey).toList();
  }
}
