package io.sightline.shared.connector;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The plugin boundary between Sightline and a kind of datasource (DESIGN.md §4). Implementations live in their own
 * module ({@code connector-postgres}), are registered in {@code META-INF/services/io.sightline.shared.connector.Connector}
 * and found by runners with {@link java.util.ServiceLoader}; nothing else in Sightline imports them. A connector knows
 * nothing of runs, queues or HTTP, and every type crossing this interface is a plain, JSON-serialisable record, so a
 * connector can later move out of process without changing the api or the run model.
 *
 * <p>Failures the user can act on are {@link ConnectorException}s with a stable code and a human message.
 */
public interface Connector {

  /** The datasource kind this connector serves, as stored in {@code datasources.kind} (e.g. {@code "postgres"}). */
  String kind();

  /** Connects with {@code ds}'s settings and checks the server answers, within 10 seconds. */
  Future<ConnectionCheck> testConnection(Vertx vertx, DatasourceSpec ds);

  /** Lists the schemas, relations and columns {@code ds}'s user can see. */
  Future<SchemaCatalog> introspect(Vertx vertx, DatasourceSpec ds);

  /**
   * Executes {@code request} on a connection of {@code ds}'s pool (at most {@code ds.maxConcurrency()} at once), inside
   * a read-only transaction unless {@code ds.readOnly()} is false, with the statement timeout set, streaming rows into
   * {@code sink} with back-pressure. Reports the server session through {@code listener} before the statement runs.
   * A read-only execution never commits (it ends with a rollback); a connection goes back to the pool only with its
   * session reset. A statement without a result gives the sink zero columns and its row count in
   * {@link ExecutionOutcome#affectedRows()}. Fails with {@link ExecutionException} for SQL errors, timeouts,
   * cancellations and lost connections, saying whether the statement may have been sent
   * ({@link ExecutionException#statementSent()}).
   */
  Future<ExecutionOutcome> execute(Vertx vertx, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener);

  /** Cancels the statement of {@code handle} (Postgres: pg_cancel_backend); completes once the request was sent. */
  Future<Void> cancel(Vertx vertx, DatasourceSpec ds, ExecutionHandle handle);

  /**
   * Ends every datasource session a run may have left behind, from any node — also when the runner that started it is
   * gone (killed): the sessions are found by the run's tag (Postgres: {@code application_name = sightline-run-<runId>})
   * and by {@code backendId} when one was recorded (0 = none). Cancels their statements first, then terminates the
   * sessions still there after {@code graceMs}. Completes with how many sessions of the run are still alive afterwards
   * (0 when none is left); fails when the datasource could not be reached.
   *
   * <p>The node that recovers a lost run calls this before the run is re-queued or failed and before its datasource
   * slot is given to another run, so a concurrency cap holds across crashes (DESIGN.md §3, crash cleanup).
   */
  default Future<Integer> endSessions(Vertx vertx, DatasourceSpec ds, String runId, long backendId, long graceMs) {
    return Future.failedFuture(new UnsupportedOperationException(kind() + " connector cannot end sessions"));
  }

  /** Frees what the connector holds for {@code vertx} (pools); called when a runner stops. */
  default Future<Void> close(Vertx vertx) {
    return Future.succeededFuture();
  }

  /** A successful connection test: what answered and how fast. */
  record ConnectionCheck(String serverVersion, long latencyMs) {}
}
