package io.sightline.shared.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The ids a log line carries ({@code request_id}, {@code org_id}, {@code run_id}, {@code datasource_id}) where they
 * apply. Vert.x hops between callbacks on one event-loop thread, so a thread-bound MDC would leak one request's ids
 * into the next; instead the ids live on the Vert.x <em>duplicated</em> context of the request (Vert.x gives every HTTP
 * request its own, and it follows the request's futures), read when a line is written ({@link LogIdsJsonProvider}).
 * Ids are never put on a shared event-loop context. Code that logs outside a request (the runner's per-run lines, the
 * CLI) scope them with {@link #logWith} / {@link #scope}, an MDC entry removed when the block ends.
 *
 * <p>Registered as a {@link VertxServiceProvider} so that its context local exists before any Vert.x instance.
 */
public final class LogIds implements VertxServiceProvider {
  public static final String REQUEST_ID = "request_id";
  public static final String ORG_ID = "org_id";
  public static final String RUN_ID = "run_id";
  public static final String DATASOURCE_ID = "datasource_id";
  /** Every id a line may carry, in the order they are written. */
  public static final List<String> KEYS = List.of(REQUEST_ID, ORG_ID, RUN_ID, DATASOURCE_ID);

  /** The ids bound to one duplicated context (mutable: a request learns its org after authentication). */
  public static final class Ids {
    private final Map<String, String> values = Collections.synchronizedMap(new LinkedHashMap<>());
  }

  private static final ContextLocal<Ids> IDS = ContextLocal.registerLocal(Ids.class);

  @Override
  public void init(VertxBootstrap builder) {
    // nothing: loading this class registered the context local
  }

  /**
   * Binds {@code key} to {@code value} for the rest of the current request (its duplicated context). Outside a
   * duplicated context (a verticle's own event-loop context, a plain thread) nothing is bound: the ids would outlive
   * the request there.
   */
  public static void bind(String key, String value) {
    Context ctx = Vertx.currentContext();
    if (value == null || !(ctx instanceof ContextInternal internal) || !internal.isDuplicate()) {
      return;
    }
    ctx.getLocal(IDS, Ids::new).values.put(key, value);
  }

  /**
   * Runs {@code line} (a logging call) with {@code keysAndValues} (pairs; null values skipped) in the MDC, removed
   * again before returning: for lines about a run, written from callbacks no single request owns.
   */
  public static void logWith(Runnable line, String... keysAndValues) {
    try (Scope ids = scope(keysAndValues)) {
      line.run();
    }
  }

  /** An MDC scope that cannot fail to close. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** An MDC scope for {@code keysAndValues} (pairs), for lines logged outside a request; close it after logging. */
  public static Scope scope(String... keysAndValues) {
    List<String> put = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null && MDC.get(keysAndValues[i]) == null) {
        MDC.put(keysAndValues[i], keysAndValues[i + 1]);
        put.add(keysAndValues[i]);
      }
    }
    return () -> put.forEach(MDC::remove);
  }

  /** The ids that apply on this thread right now: the MDC's, then the current duplicated context's. */
  public static Map<String, String> current() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = MDC.get(key);
      if (value != null) {
        out.put(key, value);
      }
    }
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      Ids ids = ctx.getLocal(IDS);
      if (ids != null) {
        synchronized (ids.values) {
          ids.values.forEach(out::putIfAbsent);
        }
      }
    }
    return out;
  }
}
