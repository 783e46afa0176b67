package io.sightline.runner;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.sightline.shared.connector.SchemaCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A test-only second connector, registered through ServiceLoader (src/test/resources/META-INF/services): its "SQL" is
 * {@code rows:N}, and it streams N generated rows. It runs through the same engine as Postgres without any change
 * outside this file and its registration — the proof that connectors are a plugin boundary.
 */
public final class GeneratedRowsConnector implements Connector {
  public static final String KIND = "generated";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Future<ConnectionCheck> testConnection(Vertx vertx, DatasourceSpec ds) {
    return Future.succeededFuture(new ConnectionCheck("generated rows 1.0", 0));
  }

  @Override
  public Future<SchemaCatalog> introspect(Vertx vertx, DatasourceSpec ds) {
    return Future.succeededFuture(new SchemaCatalog(List.of(), false));
  }

  @Override
  public Future<ExecutionOutcome> execute(Vertx vertx, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener) {
    if (!request.sql().startsWith("rows:")) {
      return Future.failedFuture(new ExecutionException(ExecutionException.Kind.ERROR, "syntax",
          "expected rows:N", 1));
    }
    long n = Long.parseLong(request.sql().substring(5).trim());
    return listener.started(new ExecutionHandle(request.runId(), 0)).compose(v -> {
      sink.columns(List.of(new ColumnMeta("n", "bigint", "generated"), new ColumnMeta("label", "text", "generated")));
      io.vertx.core.Promise<ExecutionOutcome> done = io.vertx.core.Promise.promise();
      emit(sink, 0, n, request.fetchSize(), done);
      return done.future();
    });
  }

  private void emit(RowSink sink, long from, long n, int batch, io.vertx.core.Promise<ExecutionOutcome> done) {
    long i = from;
    for (; i < n && i < from + batch; i++) {
      if (sink.full()) {
        done.complete(new ExecutionOutcome(i, true));
        return;
      }
      sink.row(new Object[] {i, "row " + i});
    }
    if (i >= n) {
      done.complete(new ExecutionOutcome(i, false));
      return;
    }
    long next = i;
    // a fresh event-loop turn per batch: no recursion even when the sink is always ready
    sink.ready().onComplete(ar -> Vertx.currentContext().runOnContext(v -> emit(sink, next, n, batch, done)));
  }

  @Override
  public Future<Void> cancel(Vertx vertx, DatasourceSpec ds, ExecutionHandle handle) {
    return Future.succeededFuture();
  }
}
