package io.sightline.shared.db;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells failures that mean "the metadata database cannot be reached right now" (refused or timed-out connects, no
 * free connection within the pool's wait, connections dropped or reset by a restart, a server shutting down or starting
 * up) from every other failure. Those are worth retrying later; the api answers them with 503 and {@code Retry-After}.
 */
public final class DatabaseUnavailable {
  /**
   * SQLSTATEs of a server that is going away or not yet there: class 08 (connection exceptions) is matched by prefix;
   * admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting down, in recovery), too_many_connections.
   */
  private static final Set<String> SQL_STATES = Set.of("57P01", "57P02", "57P03", "53300");
  /** The messages of the pool's own waits for a connection (Vert.x SQL client 5: "Timeout" and this one). */
  private static final Set<String> POOL_TIMEOUTS = Set.of("Timeout", "Timeout waiting for connection");
  /**
   * How a socket torn down under the client reads when it is a plain {@link IOException} (NIO: "Connection reset by
   * peer", "Broken pipe"); a {@link SocketException} ("Connection reset", refused, no route) counts whatever it says.
   */
  private static final Set<String> SOCKET_TEARDOWNS = Set.of("connection reset", "broken pipe");

  private DatabaseUnavailable() {}

  /** Whether {@code failure} (or one of its causes) says the database is unreachable for now. */
  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketException || t instanceof UnknownHostException || t instanceof ClosedConnectionException
          || t instanceof ClosedChannelException || socketTornDown(t)) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null
          && (db.getSqlState().startsWith("08") || SQL_STATES.contains(db.getSqlState()))) {
        return true;
      }
      if (t instanceof VertxException && POOL_TIMEOUTS.contains(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static boolean socketTornDown(Throwable t) {
    if (!(t instanceof IOException) || t.getMessage() == null) {
      return false;
    }
    String message = t.getMessage().toLowerCase(Locale.ROOT);
    return SOCKET_TEARDOWNS.stream().anyMatch(message::startsWith);
  }
}
