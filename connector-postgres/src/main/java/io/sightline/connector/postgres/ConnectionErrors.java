package io.sightline.connector.postgres;

import io.sightline.shared.connector.ConnectorException;
import io.sightline.shared.connector.DatasourceSpec;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns what the driver and the network report into errors a person can act on, with a stable code. */
final class ConnectionErrors {
  private ConnectionErrors() {}

  /**
   * JDK and Vert.x timeouts: Future.timeout fails with Vert.x's own, stackless kind; a pool's connection timeout
   * (vertx-sql-client 5.0.7) with a bare stackless throwable whose message is "Timeout" (or "Timeout waiting for
   * connection").
   */
  private static boolean isTimeout(Throwable t) {
    return t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")
        || (t.getClass().getName().startsWith("io.vertx.") && t.getMessage() != null
            && t.getMessage().startsWith("Timeout"));
  }

  /**
   * A failure to get a connection for a run: as {@link #describe}, except that a timeout is {@code connect_timeout}
   * ("Could not connect … within 10 s"), not to be confused with the statement's own timeout.
   */
  static ConnectorException connecting(Throwable err, DatasourceSpec ds, long timeoutMs) {
    ConnectorException described = describe(err, ds, timeoutMs);
    if (!described.code().equals("timeout")) {
      return described;
    }
    return new ConnectorException("connect_timeout", "Could not connect to " + ds.host() + ":" + ds.port()
        + " within " + timeoutMs / 1000 + " s: the server did not answer (is it starting up, shutting down or"
        + " overloaded?).");
  }

  static ConnectorException describe(Throwable err, DatasourceSpec ds, long timeoutMs) {
    if (err instanceof ConnectorException ce) {
      return ce;
    }
    String where = ds.host() + ":" + ds.port();
    Throwable root = err;
    for (Throwable t = err; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof PgException || t instanceof UnknownHostException || t instanceof ConnectException
          || t instanceof NoRouteToHostException || t instanceof SSLException || isTimeout(t)) {
        break;
      }
    }
    if (root instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      String message = pg.getErrorMessage() == null ? "" : pg.getErrorMessage();
      String lower = message.toLowerCase(Locale.ROOT);
      if (state.equals("28P01") || lower.contains("password authentication failed")) {
        return new ConnectorException("authentication_failed", "Authentication failed for user \"" + ds.user()
            + "\" on " + where + ": check the user name and password.");
      }
      if (state.equals("28000") && lower.contains("no encryption")) {
        return new ConnectorException("ssl_required", "The server at " + where
            + " only accepts encrypted connections: set sslmode to require (or verify-full).");
      }
      if (state.equals("28000")) {
        return new ConnectorException("authentication_failed", "The server at " + where + " refused user \""
            + ds.user() + "\" for database \"" + ds.database() + "\" (pg_hba.conf): " + message);
      }
      if (state.equals("3D000")) {
        return new ConnectorException("database_not_found", "Database \"" + ds.database() + "\" does not exist on "
            + where + ".");
      }
      if (state.equals("42501")) {
        return new ConnectorException("permission_denied", "User \"" + ds.user() + "\" may not connect: " + message);
      }
      return new ConnectorException(state.isEmpty() ? "error" : state, message);
    }
    if (root instanceof UnknownHostException) {
      return new ConnectorException("host_not_found", "Host \"" + ds.host() + "\" was not found (DNS).");
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      String msg = root.getMessage() == null ? "" : root.getMessage().toLowerCase(Locale.ROOT);
      if (msg.contains("refused")) {
        return new ConnectorException("connection_refused", "Connection refused by " + where
            + ": is Postgres running there, and listening on that port?");
      }
      return new ConnectorException("host_unreachable", "Cannot reach " + where + " (" + root.getMessage() + ").");
    }
    if (root instanceof SSLException) {
      return new ConnectorException("ssl_error", "SSL with " + where + " failed: " + root.getMessage());
    }
    if (isTimeout(root)) {
      return new ConnectorException("timeout", "No answer from " + where + " within " + timeoutMs / 1000 + " s.");
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String lowerMsg = msg.toLowerCase(Locale.ROOT);
    if (lowerMsg.contains("ssl") && (lowerMsg.contains("does not handle") || lowerMsg.contains("not supported")
        || lowerMsg.contains("does not support"))) {
      return new ConnectorException("ssl_not_supported", "The server at " + where
          + " does not support SSL, but sslmode is " + ds.sslMode() + ".");
    }
    return new ConnectorException("error", "Connection to " + where + " failed: " + msg);
  }
}
