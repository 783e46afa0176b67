package io.sightline.api;

import io.sightline.api.auth.FirstAdmin;
import io.sightline.api.server.ConnectionCap;
import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import java.util.concurrent.TimeUnit;

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

  /**
   * Creates the first admin when no user exists (printing a generated one-time password once), then deploys one api
   * verticle per core over the node's pool. Also used by the standalone process.
   */
  public static void deploy(Node node) {
    try {
      FirstAdmin.ensure(node.pool(), node.config().admin()).await(30, TimeUnit.SECONDS).ifPresent(created -> {
        System.out.println("Created the first admin: " + created.email());
        created.oneTimePassword().ifPresent(password -> System.out.println("One-time password: " + password
            + "   (shown only now; you will choose a new one at first sign-in)"));
      });
    } catch (Exception e) {
      throw new IllegalStateException("could not create the first admin: " + e.getMessage(), e);
    }
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    ConnectionCap connections = new ConnectionCap(node.config().http().maxConnections());
    node.deploy(() -> new ApiVerticle(node.config(), node.pool(), node.readiness(), node.secrets(), connections),
        instances);
  }

  public static String url(SightlineConfig config) {
    String host = config.http().host();
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + config.http().port() + "/";
  }
}
