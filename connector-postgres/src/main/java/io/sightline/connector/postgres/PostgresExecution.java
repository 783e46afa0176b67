package io.sightline.connector.postgres;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * One run on one pooled connection: {@code BEGIN [READ ONLY]}, {@code SET LOCAL statement_timeout} and
 * {@code application_name = sightline-run-<id>}, then the statement through a cursor, a batch at a time, each batch
 * only once the sink is ready (back-pressure), until the end or until the sink is full. Always ends the transaction
 * (commit after success, rollback otherwise) and returns the connection.
 */
final class PostgresExecution {
  private final DatasourceSpec ds;
  private final ExecutionRequest request;
  private final RowSink sink;
  private List<ColumnMeta> columns;
  private long rows;

  private PostgresExecution(DatasourceSpec ds, ExecutionRequest request, RowSink sink) {
    this.ds = ds;
    this.request = request;
    this.sink = sink;
  }

  static Future<ExecutionOutcome> run(SqlConnection conn, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener) {
    return new PostgresExecution(ds, request, sink).run(conn, listener);
  }

  private Future<ExecutionOutcome> run(SqlConnection conn, ExecutionListener listener) {
    PgConnection pg = PgConnection.cast(conn);
    listener.started(new ExecutionHandle(request.runId(), pg.processId()));
    // one round trip for the transaction and its settings; the run id is a UUID (safe to inline) and tags the
    // session in pg_stat_activity
    String begin = (ds.readOnly() ? "BEGIN READ ONLY" : "BEGIN") + "; SET LOCAL statement_timeout = "
        + Math.max(1, request.timeoutMs()) + "; SET LOCAL application_name = 'sightline-run-"
        + java.util.UUID.fromString(request.runId()) + "'";
    return conn.query(begin).execute()
        .compose(v -> conn.prepare(request.sql()))
        .compose(ps -> stream(ps).eventually(ps::close))
        .compose(outcome -> conn.query("COMMIT").execute().map(outcome))
        .recover(err -> conn.query("ROLLBACK").execute()
            .transform(ignored -> Future.failedFuture(describe(err))));
  }

  private Future<ExecutionOutcome> stream(PreparedStatement ps) {
    Cursor cursor = ps.cursor(Tuple.from(bindValues(request.bindValues())));
    Promise<ExecutionOutcome> done = Promise.promise();
    next(cursor, done);
    return done.future().eventually(() -> cursor.isClosed() ? Future.succeededFuture() : cursor.close());
  }

  /**
   * Reads a batch, hands it over, waits for the sink, repeats: a loop of callbacks completing one promise. (A chain of
   * nested futures would recurse once per batch when it completes, and overflow the stack on large results.)
   */
  private void next(Cursor cursor, Promise<ExecutionOutcome> done) {
    cursor.read(request.fetchSize()).onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
        return;
      }
      RowSet<Row> batch = read.result();
      try {
        if (columns == null) {
          columns = PgValues.columns(batch.columnDescriptors());
          sink.columns(columns);
        }
        if (!accept(batch)) {
          done.complete(new ExecutionOutcome(rows, true));
          return;
        }
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (!cursor.hasMore()) {
        done.complete(new ExecutionOutcome(rows, false));
        return;
      }
      sink.ready().onComplete(ready -> {
        if (ready.failed()) {
          done.fail(ready.cause());
        } else if (sink.full()) {
          done.complete(new ExecutionOutcome(rows, true));
        } else {
          next(cursor, done);
        }
      });
    });
  }

  /** Hands a batch to the sink; false once the sink is full. */
  private boolean accept(RowSet<Row> batch) {
    for (Row row : batch) {
      if (sink.full()) {
        return false;
      }
      sink.row(PgValues.row(row, columns));
      rows++;
    }
    return !sink.full();
  }

  private static Object[] bindValues(List<Object> values) {
    Object[] out = new Object[values.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = values.get(i);
      List<?> list = v instanceof JsonArray a ? a.getList() : v instanceof List<?> l ? l : null;
      // arrays bind as text[] (multi-select parameters): pg-client wants a String[] for that
      out[i] = list == null ? v : list.stream().allMatch(e -> e == null || e instanceof String)
          ? list.toArray(new String[0]) : list.toArray();
    }
    return out;
  }

  static ExecutionException describe(Throwable err) {
    if (err instanceof ExecutionException e) {
      return e;
    }
    if (err instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "error" : pg.getSqlState();
      String message = pg.getErrorMessage() == null ? pg.getMessage() : pg.getErrorMessage();
      if (pg.getDetail() != null && !pg.getDetail().isBlank()) {
        message = message + " (" + pg.getDetail() + ")";
      }
      if (pg.getHint() != null && !pg.getHint().isBlank()) {
        message = message + " Hint: " + pg.getHint();
      }
      int position = 0;
      try {
        position = pg.getPosition() == null ? 0 : Integer.parseInt(pg.getPosition());
      } catch (NumberFormatException ignored) {
        // no usable position
      }
      if ("57014".equals(state)) {
        boolean timeout = message.contains("statement timeout");
        return new ExecutionException(timeout ? ExecutionException.Kind.TIMEOUT : ExecutionException.Kind.CANCELLED,
            state, message, 0);
      }
      return new ExecutionException(ExecutionException.Kind.ERROR, state, message, position);
    }
    String message = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return new ExecutionException(ExecutionException.Kind.CONNECTION, "connection_error",
        "Lost the connection to the datasource: " + message, 0);
  }
}
