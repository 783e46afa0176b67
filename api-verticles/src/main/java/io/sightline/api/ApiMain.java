package io.sightline.api;

import io.sightline.api.auth.FirstAdmin;
import io.sightline.api.auth.InitialAdmin;
import io.sightline.api.server.ConnectionCap;
import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The api process: joins the cluster and serves HTTP. Needs SIGHTLINE_DATABASE_URL. */
public final class ApiMain {
  private ApiMain() {}

  public static void main(String[] args) {
    Launcher.run("sightline-api", lifecycle -> {
      SightlineConfig config = ConfigLoader.load();
      Node node = lifecycle.closeAtShutdown(Node.start(config, NodeRole.API, true));
      Optional<FirstAdmin.Created> created = deploy(node);
      System.out.println("Sightline api is ready at " + url(config));
      created.ifPresent(admin -> announce(admin, config, Optional.empty()));
    });
  }

  /**
   * Creates the first admin when no user exists, then deploys one api verticle per core over the node's pool. Also
   * used by the standalone process. Answers the admin created, if any: the caller prints it after its ready line
   * ({@link #announce}).
   */
  public static Optional<FirstAdmin.Created> deploy(Node node) {
    Optional<FirstAdmin.Created> created;
    try {
      created = FirstAdmin.ensure(node.pool(), node.config().admin()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the first admin: " + e.getMessage(), e);
    }
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    ConnectionCap connections = new ConnectionCap(node.config().http().maxConnections());
    node.deploy(() -> new ApiVerticle(node.config(), node.pool(), node.readiness(), node.secrets(), connections),
        instances);
    return created;
  }

  /**
   * Prints, after the ready line, who the first admin is — and a generated one-time password in a framed block,
   * kept in {@code file} when given (the standalone's home) until it is changed.
   */
  public static void announce(FirstAdmin.Created created, SightlineConfig config, Optional<Path> file) {
    String url = url(config);
    created.oneTimePassword().ifPresentOrElse(
        password -> System.out.print(InitialAdmin.banner("Sightline created its first admin.", url,
            created.email(), password, file)),
        () -> System.out.println("Created the first admin " + created.email() + " with the configured password"));
    System.out.flush();
  }

  public static String url(SightlineConfig config) {
    String host = config.http().host();
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + config.http().port() + "/";
  }
}
