package io.sightline.runner;

import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;

/** The runner process: joins the cluster and executes runs. Needs SIGHTLINE_DATABASE_URL. */
public final class RunnerMain {
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
   * all of them through the slot map.
   */
  public static void deploy(Node node) {
    int instances = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
        node.config().runner().concurrency()));
    node.deploy(() -> new RunnerVerticle(node.config(), node.pool(), node.secrets(), instances), instances);
  }
}
