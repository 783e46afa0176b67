package io.sightline.connector.postgres;

import io.sightline.shared.connector.DatasourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Ends the sessions a run left on a Postgres datasource (Connector#endSessions), from any node, also when the runner
 * that opened them is gone: on a fresh connection of its own (never one of the run pool's, which may be full or gone),
 * finds the run's backends by the tag every run sets, {@code application_name = sightline-run-<id>} (a pid alone could
 * by now belong to an unrelated session), cancels their statements ({@code pg_cancel_backend}), waits up to the grace
 * period for them to leave, terminates the rest ({@code pg_terminate_backend}) and answers how many are still there. A
 * datasource role may cancel and terminate its own backends, so no extra privilege is needed.
 */
final class RunSessions {
  static final String APPLICATION_NAME = "sightline-reaper";
  private static final long CONNECT_TIMEOUT_MS = 10_000;
  private static final long POLL_MS = 100;
  /** How long a terminated backend may take to leave pg_stat_activity. */
  private static final long TERMINATE_WAIT_MS = 2000;

  private static final String CANCEL = """
      select pg_cancel_backend(pid) from pg_stat_activity
      where application_name = $1 and pid <> pg_backend_pid()""";
  private static final String COUNT = """
      select count(*)::int from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()""";
  private static final String TERMINATE = """
      select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = $1 and pid <> pg_backend_pid()""";

  private final Vertx vertx;
  private final SqlConnection conn;
  private final Tuple tag;

  private RunSessions(Vertx vertx, SqlConnection conn, String runId) {
    this.vertx = vertx;
    this.conn = conn;
    this.tag = Tuple.of("sightline-run-" + UUID.fromString(runId));
  }

  static Future<Integer> end(Vertx vertx, DatasourceSpec ds, String runId, long graceMs) {
    long budgetMs = CONNECT_TIMEOUT_MS + graceMs + 2 * TERMINATE_WAIT_MS;
    return PgConnection.connect(vertx, ConnectOptions.of(ds, APPLICATION_NAME, CONNECT_TIMEOUT_MS))
        .timeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(ConnectionErrors.describe(err, ds, CONNECT_TIMEOUT_MS)))
        .compose(conn -> new RunSessions(vertx, conn, runId).end(graceMs).eventually(conn::close))
        .timeout(budgetMs, TimeUnit.MILLISECONDS);
  }

  private Future<Integer> end(long graceMs) {
    return conn.preparedQuery(CANCEL).execute(tag)
        .compose(cancelled -> cancelled.size() == 0 ? Future.succeededFuture(0)
            : awaitGone(System.nanoTime() + graceMs * 1_000_000))
        .compose(left -> left == 0 ? Future.succeededFuture(0)
            : conn.preparedQuery(TERMINATE).execute(tag)
                .compose(v -> awaitGone(System.nanoTime() + TERMINATE_WAIT_MS * 1_000_000)));
  }

  /** Polls until no session of the run is left or the deadline passes; answers how many are left. */
  private Future<Integer> awaitGone(long deadlineNanos) {
    return conn.preparedQuery(COUNT).execute(tag).map(rows -> rows.iterator().next().getInteger(0))
        .compose(left -> {
          if (left == 0 || System.nanoTime() >= deadlineNanos) {
            return Future.succeededFuture(left);
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(POLL_MS, t -> later.complete());
          return later.future().compose(v -> awaitGone(deadlineNanos));
        });
  }
}
