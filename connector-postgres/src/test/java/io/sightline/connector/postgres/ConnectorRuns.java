package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.sightline.testkit.Await;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs SQL through a real {@link PostgresConnector} the way a runner does (its pools, transactions and session resets),
 * against a test database, and keeps what each run gave its sink.
 */
final class ConnectorRuns implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final PostgresConnector connector = new PostgresConnector();
  private final TestDatabase db;

  ConnectorRuns(TestDatabase db) {
    this.db = db;
  }

  /** A datasource on the test database with one pooled connection, so each run reuses the previous run's session. */
  DatasourceSpec datasource(boolean readOnly, String searchPath) {
    return new DatasourceSpec(UUID.randomUUID().toString(), PostgresConnector.KIND, db.url().host(), db.url().port(),
        db.url().database(), db.url().user(), db.url().password(), "disable", searchPath, readOnly, 1);
  }

  Run run(DatasourceSpec ds, String sql) {
    return run(ds, sql, handle -> Future.succeededFuture());
  }

  Run run(DatasourceSpec ds, String sql, ExecutionListener listener) {
    return Await.result(start(ds, sql, listener));
  }

  /** Starts a run; {@code listener} hears of its server session before the statement is sent. */
  Future<Run> start(DatasourceSpec ds, String sql, ExecutionListener listener) {
    Sink sink = new Sink();
    AtomicLong backend = new AtomicLong();
    ExecutionRequest request = new ExecutionRequest(UUID.randomUUID().toString(), sql, List.of(), 30_000, 100);
    Future<ExecutionOutcome> done = connector.execute(vertx, ds, request, sink, handle -> {
      backend.set(handle.backendId());
      return listener.started(handle);
    });
    return done.transform(ar -> Future.succeededFuture(new Run(sql, ar.result(),
        ar.failed() ? (ExecutionException) ar.cause() : null, sink.columns, List.copyOf(sink.rows), backend.get())));
  }

  @Override
  public void close() {
    Await.result(connector.close(vertx));
    Await.result(vertx.close());
  }

  /** What one run gave: its outcome or its failure, the columns and rows its sink got, its server session. */
  record Run(String sql, ExecutionOutcome outcome, ExecutionException failure, List<ColumnMeta> columns,
      List<Object[]> rows, long backendId) {

    Run succeeded() {
      assertThat(failure).as(sql).isNull();
      return this;
    }

    /** The first value of the first row of a successful run. */
    Object value() {
      succeeded();
      assertThat(rows).as(sql).isNotEmpty();
      return rows.get(0)[0];
    }
  }

  private static final class Sink implements RowSink {
    volatile List<ColumnMeta> columns;
    final List<Object[]> rows = new CopyOnWriteArrayList<>();

    @Override
    public void columns(List<ColumnMeta> columns) {
      this.columns = columns;
    }

    @Override
    public void row(Object[] values) {
      rows.add(values);
    }

    @Override
    public Future<Void> ready() {
      return Future.succeededFuture();
    }

    @Override
    public boolean full() {
      return false;
    }
  }
}
