package io.sightline.standalone;

import io.sightline.api.ApiMain;
import io.sightline.api.auth.FirstAdmin;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Launcher;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.db.EmbeddedDatabase;
import io.sightline.standalone.demo.DemoInstaller;
import java.util.Arrays;
import java.util.Optional;

/**
 * Sightline on one machine: api and runner verticles in one JVM on a non-clustered Vert.x, over an embedded Postgres
 * kept in {@code SIGHTLINE_HOME} (or over SIGHTLINE_DATABASE_URL when set, with no embedded server).
 * The first start of a fresh home installs the demo after the ready line ({@link DemoInstaller}).
 * SIGTERM / Ctrl+C stops the verticles, then Postgres, then releases the data directory.
 */
public final class StandaloneMain {
  static final String DATABASE = "sightline";

  private StandaloneMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(ResetAdminPassword.COMMAND)) {
      System.exit(ResetAdminPassword.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0) {
      System.err.println("usage: sightline.jar [" + ResetAdminPassword.COMMAND + " EMAIL]");
      System.exit(64);
    }
    long started = System.nanoTime();
    Launcher.run("sightline", lifecycle -> {
      SightlineConfig config = ConfigLoader.load();
      HomeDirectory home = lifecycle.closeAtShutdown(HomeDirectory.lock(config.home()));
      config = DefaultPorts.resolve(home.withSecretKey(config), System.getenv());
      EmbeddedDatabase postgres = null;
      if (config.database().url() == null) {
        postgres = lifecycle.closeAtShutdown(
            EmbeddedDatabase.startDurable(home.postgresData(), config.embedded().port()));
        config = config.withDatabaseUrl(postgres.ensureDatabase(DATABASE));
      }
      Node node = lifecycle.closeAtShutdown(Node.start(config, NodeRole.STANDALONE, false));
      if (postgres != null) {
        DemoInstaller.serveDropHook(node.vertx(), postgres);
      }
      RunnerMain.deploy(node);
      Optional<FirstAdmin.Created> created = ApiMain.deploy(node);
      System.out.println("Sightline is ready at " + ApiMain.url(config) + " (started in "
          + (System.nanoTime() - started) / 1_000_000 + " ms; data in " + config.home() + ")");
      SightlineConfig ready = config;
      created.ifPresent(admin -> ApiMain.announce(admin, ready, admin.oneTimePassword()
          .map(password -> ResetAdminPassword.keep(ready, admin.email(), password))));
      DemoInstaller.start(node, postgres, ready, created.isPresent());
    });
  }
}
