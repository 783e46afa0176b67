package io.sightline.shared.bus;

import io.sightline.shared.boot.NodeRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves the event bus reaches every cluster member: each node answers on {@link Addresses#node(String)}, and pings
 * every other member at start-up and whenever one joins, logging who answered and how fast. A misconfigured cluster
 * (members that join Hazelcast but cannot exchange event-bus messages) shows up in seconds instead of as lost runs.
 * The latest answers feed the readiness check. It owns the cluster manager's (single) node listener, and tells the
 * rest of its process that a member left with a local-only message on {@link Addresses#MEMBER_LEFT}.
 */
public final class EventBusChecker {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusChecker.class);
  private static final long PING_TIMEOUT_MS = 1000;
  /** A member that just joined may not have deployed its consumer yet: ask again, spaced out. */
  private static final int ATTEMPTS = 10;
  private static final long RETRY_DELAY_MS = 1000;

  /** What one peer answered. */
  public record Peer(String nodeId, String role, long pid, double rttMs) {
    JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("role", role).put("pid", pid).put("rttMs", rttMs);
    }
  }

  private final Vertx vertx;
  private final NodeRole role;
  private final String nodeId;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public EventBusChecker(Vertx vertx, NodeRole role) {
    this.vertx = vertx;
    this.role = role;
    ClusterManager cm = clusterManager();
    this.nodeId = cm == null ? "local" : cm.getNodeId();
  }

  public String nodeId() {
    return nodeId;
  }

  /** Answers pings; in a cluster, also pings every member now and each one that joins later. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.node(nodeId), msg -> msg.reply(identity()));
    ClusterManager cm = clusterManager();
    if (cm == null) {
      return consumer.completion();
    }
    cm.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String id) {
        vertx.runOnContext(v -> ping(id, 1));
      }

      @Override
      public void nodeLeft(String id) {
        Peer gone = peers.remove(id);
        LOG.warn("cluster member left: {} ({})", id, gone == null ? "unknown role" : gone.role());
        vertx.eventBus().publish(Addresses.MEMBER_LEFT, new JsonObject().put("nodeId", id),
            new DeliveryOptions().setLocalOnly(true));
      }
    });
    return consumer.completion().onSuccess(v -> {
      List<String> others = cm.getNodes().stream().filter(id -> !id.equals(nodeId)).toList();
      LOG.info("{} node {} joined cluster with {} other member(s)", role.label(), nodeId, others.size());
      others.forEach(id -> ping(id, 1));
    });
  }

  /** Peers that answered, newest answer per member still in the cluster. */
  public JsonArray peersJson() {
    JsonArray out = new JsonArray();
    peers.values().stream().sorted((a, b) -> a.nodeId().compareTo(b.nodeId())).forEach(p -> out.add(p.toJson()));
    return out;
  }

  public int clusterSize() {
    ClusterManager cm = clusterManager();
    return cm == null ? 1 : cm.getNodes().size();
  }

  public boolean clustered() {
    return clusterManager() != null;
  }

  private void ping(String id, int attempt) {
    long sent = System.nanoTime();
    vertx.eventBus().<JsonObject>request(Addresses.node(id), new JsonObject().put("from", nodeId),
            new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .onSuccess(reply -> {
          double rttMs = (System.nanoTime() - sent) / 10_000 / 100.0;
          JsonObject body = reply.body();
          Peer peer = new Peer(id, body.getString("role", "?"), body.getLong("pid", -1L), rttMs);
          peers.put(id, peer);
          LOG.info("event bus: {} node {} (pid {}) answered in {} ms", peer.role(), id, peer.pid(), rttMs);
        })
        .onFailure(err -> {
          if (attempt < ATTEMPTS && clusterManagerHas(id)) {
            vertx.setTimer(RETRY_DELAY_MS, t -> ping(id, attempt + 1));
          } else if (clusterManagerHas(id)) {
            LOG.error("event bus: member {} did not answer after {} attempts ({}): check that SIGHTLINE_CLUSTER_HOST is"
                + " reachable from the other members and the event-bus port is open", id, attempt, err.getMessage());
          }
        });
  }

  private boolean clusterManagerHas(String id) {
    ClusterManager cm = clusterManager();
    return cm != null && cm.getNodes().contains(id);
  }

  private JsonObject identity() {
    return new JsonObject().put("nodeId", nodeId).put("role", role.label()).put("pid", ProcessHandle.current().pid());
  }

  private ClusterManager clusterManager() {
    return clusterManager(vertx);
  }

  /** This process's cluster manager, or null when it is not clustered. */
  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx instanceof VertxInternal vi ? vi.clusterManager() : null;
  }

  /** This process's cluster member id, or null when it is not clustered. */
  public static String clusterNodeId(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null ? null : cm.getNodeId();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
