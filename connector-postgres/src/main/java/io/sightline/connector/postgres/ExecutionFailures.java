package io.sightline.connector.postgres;

import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionException.Kind;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.sql.SQLException;
import java.time.DateTimeException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever ended an execution into an {@link ExecutionException} a user can read: the datasource's SQL error
 * (SQLSTATE, message, position), a timeout or cancellation, a lost connection — or, for anything unexpected inside the
 * connector, a plain {@code internal} error (the details go to the log, never to the user). Only a connection that was
 * really lost (a closed socket, an I/O error, a session the server ended) is {@link Kind#CONNECTION}.
 */
final class ExecutionFailures {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionFailures.class);

  private ExecutionFailures() {}

  /**
   * @param conn the run's connection, to tell a lost connection from a failure on a live one
   * @param statementSent whether the run's statement may have reached the server
   */
  static ExecutionException describe(Throwable err, SqlConnection conn, boolean statementSent, String runId) {
    if (err instanceof ExecutionException e) {
      return e;
    }
    if (err instanceof PgException pg) {
      return sqlError(pg, statementSent);
    }
    if (err instanceof SinkFailure sink) {
      Throwable cause = sink.getCause();
      return new ExecutionException(Kind.ERROR, "result_storage", "The result could not be stored: "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), 0, statementSent);
    }
    if (connectionLost(err, conn)) {
      String message = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
      return new ExecutionException(Kind.CONNECTION, "connection_error",
          "Lost the connection to the datasource: " + message, 0, statementSent);
    }
    if (unreadable(err)) {
      return new ExecutionException(Kind.ERROR, "unreadable_value", "The result holds a value the Postgres client"
          + " cannot read (such as numeric 'Infinity', time '24:00' or a multi-dimensional numeric array): cast that"
          + " column to text in the query.", 0, statementSent);
    }
    LOG.error("run {}: unexpected failure in the Postgres connector", runId, err);
    return new ExecutionException(Kind.ERROR, "internal", "The connector failed unexpectedly while running the"
        + " statement; the details are in the runner's log.", 0, statementSent);
  }

  /** The sink (the result writer) failed: not the datasource's doing, whatever the cause's type. */
  static final class SinkFailure extends RuntimeException {
    SinkFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /**
   * The same for the COPY read path's pgjdbc connection ({@link CopyExecution}): a server error's positions are counted
   * in the user's text ({@code positionShift} is what the COPY around it added before it).
   */
  static ExecutionException describeJdbc(Throwable err, boolean statementSent, String runId, int positionShift) {
    if (err instanceof ExecutionException e) {
      return e;
    }
    if (err instanceof SinkFailure) {
      return describe(err, null, statementSent, runId);
    }
    if (err instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage m = psql.getServerErrorMessage();
      int position = m.getPosition() > positionShift ? m.getPosition() - positionShift : 0;
      return sqlError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getHint(), m.getSeverity(), position,
          statementSent);
    }
    if (err instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
      String message = sql.getMessage() == null ? sql.getClass().getSimpleName() : sql.getMessage();
      return new ExecutionException(Kind.CONNECTION, "connection_error",
          "Lost the connection to the datasource: " + message, 0, statementSent);
    }
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return new ExecutionException(Kind.CONNECTION, "connection_error",
            "Lost the connection to the datasource: " + t.getMessage(), 0, statementSent);
      }
    }
    LOG.error("run {}: unexpected failure in the Postgres connector's COPY path", runId, err);
    return new ExecutionException(Kind.ERROR, "internal", "The connector failed unexpectedly while running the"
        + " statement; the details are in the runner's log.", 0, statementSent);
  }

  private static ExecutionException sqlError(PgException pg, boolean statementSent) {
    int position = 0;
    try {
      position = pg.getPosition() == null ? 0 : Integer.parseInt(pg.getPosition());
    } catch (NumberFormatException ignored) {
      // no usable position
    }
    return sqlError(pg.getSqlState(), pg.getErrorMessage() == null ? pg.getMessage() : pg.getErrorMessage(),
        pg.getDetail(), pg.getHint(), pg.getSeverity(), position, statementSent);
  }

  private static ExecutionException sqlError(String sqlState, String errorMessage, String detail, String hint,
      String severity, int position, boolean statementSent) {
    String state = sqlState == null ? "error" : sqlState;
    String message = errorMessage;
    if (detail != null && !detail.isBlank()) {
      message = message + " (" + detail + ")";
    }
    if (hint != null && !hint.isBlank()) {
      message = message + " Hint: " + hint;
    }
    if ("FATAL".equals(severity) || "PANIC".equals(severity) || state.startsWith("08")) {
      // the server ended the session (terminated, shut down, crashed)
      return new ExecutionException(Kind.CONNECTION, state, "Lost the connection to the datasource: " + message, 0,
          statementSent);
    }
    if ("57014".equals(state)) {
      boolean timeout = message.contains("statement timeout");
      return new ExecutionException(timeout ? Kind.TIMEOUT : Kind.CANCELLED, state, message, 0, statementSent);
    }
    return new ExecutionException(Kind.ERROR, state, message, position, statementSent);
  }

  /**
   * I/O errors and the client's "connection closed" failures; a plain {@link VertxException} counts only when the
   * connection is indeed no longer usable (the client reports a closed connection with several messages).
   */
  private static boolean connectionLost(Throwable err, SqlConnection conn) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return err.getClass() == VertxException.class && !SessionReset.isConnected(conn);
  }

  /** What vertx-pg-client 5.0.7 throws for values it cannot decode (see ClientDecodingLimitsTest). */
  private static boolean unreadable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof NumberFormatException || t instanceof DateTimeException) {
        return true;
      }
    }
    return false;
  }
}
