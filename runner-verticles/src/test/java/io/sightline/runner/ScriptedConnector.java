package io.sightline.runner;

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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only connector (registered through ServiceLoader) whose "SQL" is a script of how the execution goes, to drive
 * the engine through failures a real datasource gives only by chance. {@code <script>:<key>}, where script is:
 * <ul>
 *   <li>{@code lost-after-start}: reports its session (the statement is sent), then fails as a lost connection;
 *   <li>{@code refused}: fails as a refused connection before any session;
 *   <li>{@code connecting}: never gets a connection (until cancelled by closing).
 * </ul>
 * Each execution counts under its key ({@link #executions}), so a test sees how often a statement was sent.
 */
public final class ScriptedConnector implements Connector {
  public static final String KIND = "scripted";
  private static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  /** How many times a statement with this key was sent to the (pretend) datasource. */
  static int executions(String key) {
    return EXECUTIONS.getOrDefault(key, new AtomicInteger()).get();
  }

  /** How many times an execution with this key was tried at all. */
  static int attempts(String key) {
    return ATTEMPTS.getOrDefault(key, new AtomicInteger()).get();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Future<ConnectionCheck> testConnection(Vertx vertx, DatasourceSpec ds) {
    return Future.succeededFuture(new ConnectionCheck("scripted 1.0", 0));
  }

  @Override
  public Future<SchemaCatalog> introspect(Vertx vertx, DatasourceSpec ds) {
    return Future.succeededFuture(new SchemaCatalog(List.of(), false));
  }

  @Override
  public Future<ExecutionOutcome> execute(Vertx vertx, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener) {
    String[] parts = request.sql().split(":", 2);
    String key = parts.length > 1 ? parts[1] : "";
    ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    switch (parts[0]) {
      case "lost-after-start" -> {
        return listener.started(new ExecutionHandle(request.runId(), 0)).compose(v -> {
          EXECUTIONS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CONNECTION, "connection_error",
              "Lost the connection to the datasource: closed", 0));
        });
      }
      case "refused" -> {
        return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CONNECTION, "connection_refused",
            "Connection refused", 0));
      }
      case "connecting" -> {
        return Promise.<ExecutionOutcome>promise().future();
      }
      default -> {
        return Future.failedFuture(new ExecutionException(ExecutionException.Kind.ERROR, "syntax", "unknown script",
            1));
      }
    }
  }

  @Override
  public Future<Void> cancel(Vertx vertx, DatasourceSpec ds, ExecutionHandle handle) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> endSessions(Vertx vertx, DatasourceSpec ds, String runId, long backendId, long graceMs) {
    return Future.succeededFuture(0);
  }
}
