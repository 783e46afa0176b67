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
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * One run on one pooled connection: {@code BEGIN [READ ONLY]}, {@code SET LOCAL statement_timeout} and
 * {@code application_name = sightline-run-<id>}, then the statement through a cursor, a batch at a time and one batch
 * ahead (the next batch is asked for as one arrives; the one after only once the sink is ready: back-pressure), until
 * the end or until the sink is full. A statement without a result
 * (INSERT without RETURNING, DDL, SET, LISTEN…) gives the sink zero columns and reports its command's row count.
 * Always ends the transaction — COMMIT only after success on a writable datasource; a read-only run is always rolled
 * back, it has nothing to commit (and functions such as {@code lo_create} write even in a read-only transaction) —
 * and resets the session before the connection goes back to the pool ({@link SessionReset}).
 */
final class PostgresExecution {
  private final DatasourceSpec ds;
  private final ExecutionRequest request;
  private final RowSink sink;
  private List<ColumnMeta> columns;
  private long rows;
  /** Set once the run's statement may have reached the server: from then on the run must never be retried. */
  private boolean statementSent;

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
    Future<Void> recorded;
    try {
      recorded = listener.started(new ExecutionHandle(request.runId(), PgConnection.cast(conn).processId()));
    } catch (RuntimeException e) {
      return Future.failedFuture(failure(e, conn));
    }
    // one round trip for the transaction and its settings; the run id is a UUID (safe to inline) and tags the
    // session in pg_stat_activity
    String begin = (ds.readOnly() ? "BEGIN READ ONLY" : "BEGIN") + "; SET LOCAL statement_timeout = "
        + Math.max(1, request.timeoutMs()) + "; SET LOCAL application_name = 'sightline-run-"
        + java.util.UUID.fromString(request.runId()) + "'";
    // the transaction opens while the runner records the session; the user's SQL goes out only once it is recorded
    Future<ExecutionOutcome> executed = conn.query(begin).execute()
        .compose(v -> recorded)
        .compose(v -> {
          statementSent = true;
          return conn.prepare(request.sql());
        })
        .compose(ps -> stream(ps).eventually(ps::close));
    return executed.transform(ran -> SessionReset.endTransaction(conn, ran.succeeded() && !ds.readOnly())
        .transform(ended -> ran.failed() ? Future.failedFuture(failure(ran.cause(), conn))
            : ended.failed() ? Future.failedFuture(failure(ended.cause(), conn))
            : Future.succeededFuture(ran.result())));
  }

  private ExecutionException failure(Throwable err, SqlConnection conn) {
    return ExecutionFailures.describe(err, conn, statementSent, request.runId());
  }

  private Future<ExecutionOutcome> stream(PreparedStatement ps) {
    Cursor cursor = ps.cursor(Tuple.from(bindValues(request.bindValues())));
    Promise<ExecutionOutcome> done = Promise.promise();
    next(cursor, cursor.read(request.fetchSize()), done);
    return done.future().eventually(() -> cursor.isClosed() ? Future.succeededFuture() : cursor.close());
  }

  /**
   * Takes a batch, asks for the next one at once — Postgres produces it while this one is converted and handed over,
   * instead of idling for a round trip per batch; one batch ahead at most — hands this one over, waits for the sink,
   * repeats: a loop of callbacks completing one promise. (A chain of nested futures would recurse once per batch when
   * it completes, and overflow the stack on large results.) Back-pressure holds: the batch after the one read ahead is
   * asked for only once the sink is ready.
   */
  private void next(Cursor cursor, Future<RowSet<Row>> read, Promise<ExecutionOutcome> done) {
    read.onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      RowSet<Row> batch = ar.result();
      Future<RowSet<Row>> ahead = null;
      try {
        if (columns == null) {
          List<ColumnDescriptor> descriptors = batch.columnDescriptors();
          if (descriptors == null) {
            // no row description: a command, whose only result is its tag's row count ("INSERT 0 1")
            columns = List.of();
            giveColumns();
            done.complete(ExecutionOutcome.command(CommandCounts.affectedRows(request.sql(), batch.rowCount())));
            return;
          }
          columns = PgValues.columns(descriptors);
          giveColumns();
        }
        if (cursor.hasMore() && !sink.full()) {
          ahead = cursor.read(request.fetchSize());
        }
        if (!accept(batch)) {
          settle(ahead, done, Future.succeededFuture(new ExecutionOutcome(rows, true)));
          return;
        }
      } catch (RuntimeException e) {
        settle(ahead, done, Future.failedFuture(e));
        return;
      }
      if (ahead == null) {
        done.complete(new ExecutionOutcome(rows, false));
        return;
      }
      Future<RowSet<Row>> following = ahead;
      sink.ready().onComplete(ready -> {
        if (ready.failed()) {
          settle(following, done, Future.failedFuture(new ExecutionFailures.SinkFailure(ready.cause())));
        } else if (sink.full()) {
          settle(following, done, Future.succeededFuture(new ExecutionOutcome(rows, true)));
        } else {
          next(cursor, following, done);
        }
      });
    });
  }

  /** Ends the run with {@code outcome} once the batch read ahead (if any) has arrived; its rows are not wanted. */
  private static void settle(Future<RowSet<Row>> ahead, Promise<ExecutionOutcome> done,
      Future<ExecutionOutcome> outcome) {
    if (ahead == null) {
      outcome.onComplete(done);
    } else {
      ahead.onComplete(ignored -> outcome.onComplete(done));
    }
  }

  /** Hands a batch to the sink; false once the sink is full. */
  private boolean accept(RowSet<Row> batch) {
    for (Row row : batch) {
      if (sink.full()) {
        return false;
      }
      Object[] values = PgValues.row(row, columns);
      try {
        sink.row(values);
      } catch (RuntimeException e) {
        throw new ExecutionFailures.SinkFailure(e);
      }
      rows++;
    }
    return !sink.full();
  }

  private void giveColumns() {
    try {
      sink.columns(columns);
    } catch (RuntimeException e) {
      throw new ExecutionFailures.SinkFailure(e);
    }
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
}
