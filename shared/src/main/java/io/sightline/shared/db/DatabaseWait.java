package io.sightline.shared.db;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start-up until the metadata database accepts connections, for a bounded time. Errors that waiting cannot
 * mend (wrong password, no such database) fail at once with a message that says which. Blocking: launcher thread only.
 */
public final class DatabaseWait {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseWait.class);
  /** SQLSTATEs that retrying cannot fix: bad password / no such role / no such database / no permission. */
  private static final Set<String> PERMANENT = Set.of("28P01", "28000", "3D000", "42501");

  private DatabaseWait() {}

  public static void untilReachable(DatabaseUrl url, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 250;
    int attempt = 0;
    while (true) {
      attempt++;
      try (Connection c = connect(url)) {
        if (attempt > 1) {
          LOG.info("database {} is reachable (after {} attempts)", url.describe(), attempt);
        }
        return;
      } catch (SQLException e) {
        String reason = reason(e);
        if (e.getSQLState() != null && PERMANENT.contains(e.getSQLState())) {
          throw new ConfigException(DatabaseUrl.SETTING + ": database " + url.describe() + " refused the connection: "
              + reason);
        }
        if (System.nanoTime() >= deadline) {
          throw new ConfigException(DatabaseUrl.SETTING + ": database " + url.describe() + " still unreachable after "
              + timeout.toSeconds() + " s (" + reason + "); raise SIGHTLINE_DATABASE_STARTUP_TIMEOUT to wait longer");
        }
        if (attempt == 1) {
          LOG.warn("database {} not reachable yet ({}); retrying for up to {} s", url.describe(), reason,
              timeout.toSeconds());
        }
        sleep(Math.min(backoffMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        backoffMs = Math.min(backoffMs * 2, 2000);
      }
    }
  }

  static Connection connect(DatabaseUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password().value());
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  private static String reason(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return msg.replaceAll("\\s+", " ").trim();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the database", e);
    }
  }
}
