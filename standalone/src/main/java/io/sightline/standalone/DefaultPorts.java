package io.sightline.standalone;

import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second Sightline home on one machine, or another service on 8080, should not stop a standalone start: a port left
 * at its packaged default that is taken is replaced — HTTP 8080 by the next free one, the embedded Postgres's 54329
 * by any free port — and the log says so (the ready line shows the address). A port the user chose ({@code SIGHTLINE_HTTP_PORT},
 * {@code SIGHTLINE_EMBEDDED_PG_PORT}, or a config file's other value) is never changed: taken, it fails start-up in
 * one line naming the setting.
 */
final class DefaultPorts {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPorts.class);
  private static final int TRIES = 100;

  private DefaultPorts() {}

  static SightlineConfig resolve(SightlineConfig config, Map<String, String> env) {
    SightlineConfig defaults = ConfigLoader.load(Map.of());
    int http = config.http().port();
    if (!env.containsKey("SIGHTLINE_HTTP_PORT") && http == defaults.http().port()) {
      http = firstFree(config.http().host(), http, "SIGHTLINE_HTTP_PORT", "HTTP");
    }
    int embedded = config.embedded().port();
    if (config.database().url() == null && !env.containsKey("SIGHTLINE_EMBEDDED_PG_PORT")
        && embedded == defaults.embedded().port() && embedded != 0 && !free("127.0.0.1", embedded)) {
      // any free port, chosen by the embedded server: two homes starting at once do not pick the same one
      LOG.info("embedded Postgres port {} is in use; using any free port (set SIGHTLINE_EMBEDDED_PG_PORT to choose"
          + " one)", embedded);
      embedded = 0;
    }
    return config.withPorts(http, embedded);
  }

  private static int firstFree(String host, int port, String setting, String what) {
    for (int candidate = port; candidate < Math.min(65_536, port + TRIES); candidate++) {
      if (free(host, candidate)) {
        if (candidate != port) {
          LOG.info("{} port {} is in use; using {} (set {} to choose one)", what, port, candidate, setting);
        }
        return candidate;
      }
    }
    return port; // none free nearby: binding fails with the setting's name, as for a chosen port
  }

  private static boolean free(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
