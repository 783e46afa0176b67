package io.sightline.runner;

import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runner process: joins the cluster and executes runs. Needs SIGHTLINE_DATABASE_URL. */
public final class RunnerMain {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerMain.class);

  private RunnerMain() {}

  public static void main(String[] args) {
    Launcher.run("sightline-runner", lifecycle -> {
      SightlineConfig config = ConfigLoader.load();
      Node node = lifecycle.closeAtShutdown(Node.start(config, NodeRole.RUNNER, true));
      deploy(node);
      System.out.println("Sightline runner is ready (cluster '" + config.cluster().name() + "', node "
          + node.bus().nodeId() + ")");
    });
  }

  /**
   * Deploys one runner verticle per core over the node's pool (also used by the standalone process): each has its own
   * event loop, share of {@code SIGHTLINE_RUNNER_CONCURRENCY} and connector pools; the per-datasource caps hold across
   * all of them through the slot map. The shares add up to the setting exactly, and the process logs that total once.
   */
  public static void deploy(Node node) {
    int total = node.config().runner().concurrency();
    int instances = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), total));
    AtomicInteger next = new AtomicInteger();
    List<RunnerVerticle> deployed = new CopyOnWriteArrayList<>();
    node.deploy(() -> {
      int i = next.getAndIncrement();
      // total = instances × base + rest: the first `rest` verticles take one run more
      int share = total / instances + (i < total % instances ? 1 : 0);
      RunnerVerticle verticle = new RunnerVerticle(node.config(), node.pool(), node.secrets(), share);
      deployed.add(verticle);
      return verticle;
    }, instances);
    if (node.config().runner().warmupRows() > 0) {
      node.deploy(() -> new RunnerWarmup(node.config()), 1);   // in the background: the runner is ready already
    }
    LOG.info("runner {} ready: connectors {}, up to {} concurrent runs ({} event loops)",
        RunnerVerticle.runnerId(node.config()), new java.util.TreeSet<>(deployed.get(0).connectorKinds()), total,
        instances);
  }
}
