package io.sightline.api;

import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;

/** The api process: joins the cluster and serves HTTP. Needs SIGHTLINE_DATABASE_URL. */
public final class ApiMain {
  private ApiMain() {}

  public static void main(String[] args) {
    Launcher.run("sightline-api", lifecycle -> {
      SightlineConfig config = ConfigLoader.load();
      Node node = lifecycle.closeAtShutdown(Node.start(config, NodeRole.API, true));
      deploy(node);
      System.out.println("Sightline api is ready at " + url(config));
    });
  }

  /** Deploys one api verticle per core over the node's pool (also used by the standalone process). */
  public static void deploy(Node node) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    node.deploy(() -> new ApiVerticle(node.config(), node.pool(), node.readiness()), instances);
  }

  public static String url(SightlineConfig config) {
    String host = config.http().host();
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + config.http().port() + "/";
  }
}
