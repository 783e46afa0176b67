package io.sightline.connector.postgres;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run's transaction and hands its pooled connection back clean. A statement can leave state on its session that
 * outlives the transaction — settings made with {@code set_config(…, false)} and committed (search_path,
 * client_encoding, role, work_mem…), session advisory locks (also after a rollback), prepared statements, WITH HOLD
 * cursors, temp tables, LISTEN — and the next run on that connection would inherit it. So {@code DISCARD ALL} follows
 * every COMMIT or ROLLBACK: it resets each setting to its value at connection start (the datasource's search_path,
 * sent in the startup packet, included), unlocks all advisory locks and drops the rest. It is sent right behind the end
 * of the transaction, pipelined, so it costs no extra round trip. A connection whose reset fails is closed instead of
 * being returned to the pool, and handed back only once the pool has dropped it ({@link #release}).
 */
final class SessionReset {
  private static final Logger LOG = LoggerFactory.getLogger(SessionReset.class);
  /** Cannot run inside a transaction block, hence its own message after COMMIT/ROLLBACK (not one multi-statement). */
  static final String RESET = "DISCARD ALL";
  /** How long a closed connection's release waits for the pool to drop it (it happens on the next turn). */
  private static final long DROP_WAIT_MS = 5_000;

  private SessionReset() {}

  /**
   * Sends {@code COMMIT} (if {@code commit}) or {@code ROLLBACK}, and the reset behind it without waiting. Completes as
   * the transaction's end did; the reset never fails it, it only decides whether the connection is reused.
   */
  static Future<Void> endTransaction(SqlConnection conn, boolean commit) {
    Future<Void> ended = conn.query(commit ? "COMMIT" : "ROLLBACK").execute().mapEmpty();
    Future<Void> reset = reset(conn, RESET);
    return Future.join(ended, reset).transform(ignored -> ended);
  }

  /** Runs {@code resetSql}; if it fails, closes the connection's socket so that the pool drops it. Never fails. */
  static Future<Void> reset(SqlConnection conn, String resetSql) {
    return conn.query(resetSql).execute().<Void>mapEmpty().recover(err -> {
      if (!isConnected(conn)) {
        return Future.succeededFuture(); // lost already: the pool drops it
      }
      LOG.warn("could not reset a datasource session ({}); closing its connection instead of reusing it",
          err.getMessage());
      return closeSocket(conn).otherwiseEmpty();
    });
  }

  /**
   * Watches a connection just taken from the pool: completes once the pool has dropped it after its socket closed (the
   * pool removes a connection right after notifying its close handler, hence the hop to a later turn). Call before
   * anything can close it.
   */
  static Future<Void> watchDrop(SqlConnection conn) {
    Promise<Void> dropped = Promise.promise();
    conn.closeHandler(v -> Vertx.currentContext().runOnContext(x -> dropped.tryComplete()));
    return dropped.future();
  }

  /**
   * Hands {@code conn} back to the pool: a live connection for reuse; one whose socket is closed only once the pool has
   * dropped it ({@code dropped}, from {@link #watchDrop}) — handed back earlier, the pool could lend it out again.
   */
  static Future<Void> release(SqlConnection conn, Future<Void> dropped) {
    if (isConnected(conn)) {
      return conn.close();
    }
    return dropped.timeout(DROP_WAIT_MS, TimeUnit.MILLISECONDS).otherwiseEmpty().compose(v -> conn.close());
  }

  /** Whether the network connection under {@code conn} is still open. */
  static boolean isConnected(SqlConnection conn) {
    return !(conn instanceof SqlConnectionInternal internal) || socket(internal).isValid();
  }

  /** The socket connection: a pooled connection's unwrap() is the pool's wrapper (always "valid"), whose is the socket. */
  private static Connection socket(SqlConnectionInternal conn) {
    return conn.unwrap().unwrap();
  }

  /**
   * Closes the network connection under {@code conn}. ({@link SqlConnection#close()} of a pooled connection only hands
   * it back to the pool, which would reuse it; a closed socket makes the pool drop it, and ends the server session.)
   */
  static Future<Void> closeSocket(SqlConnection conn) {
    if (!(conn instanceof SqlConnectionInternal internal)) {
      return conn.close();
    }
    Promise<Void> closed = Promise.promise();
    socket(internal).close(null, closed);
    return closed.future();
  }
}
