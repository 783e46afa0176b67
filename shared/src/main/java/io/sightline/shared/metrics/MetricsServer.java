package io.sightline.shared.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.shared.health.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The management listener: {@code /metrics} in Prometheus text format, plus {@code /healthz} and {@code /readyz} (the
 * same answers as the api's, so a runner — which has no HTTP port — gets health checks too), on its own host and port
 * ({@code SIGHTLINE_METRICS_HOST}, {@code SIGHTLINE_METRICS_PORT}), never on the public API port. A scrape is rendered
 * on a worker thread, not on the event loop. Any other path is 404; other methods than GET/HEAD are 405.
 */
public final class MetricsServer {
  /** The Prometheus text exposition format that {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts listening; fails when the port is taken. */
  public static Future<MetricsServer> start(Vertx vertx, PrometheusMeterRegistry registry, Readiness readiness,
      String host, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setIdleTimeout(60));
    return server.requestHandler(req -> handle(vertx, registry, readiness, req)).listen()
        .map(s -> new MetricsServer(s));
  }

  private static void handle(Vertx vertx, PrometheusMeterRegistry registry, Readiness readiness,
      HttpServerRequest req) {
    String path = req.path();
    if (!"/metrics".equals(path) && !"/healthz".equals(path) && !"/readyz".equals(path)) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    if ("/healthz".equals(path)) {
      json(req, 200, new JsonObject().put("status", "up"));
      return;
    }
    if ("/readyz".equals(path)) {
      readiness.check().onComplete(ar -> {
        JsonObject report = ar.succeeded() ? ar.result()
            : new JsonObject().put("status", "not_ready").put("detail", String.valueOf(ar.cause().getMessage()));
        json(req, "ready".equals(report.getString("status")) ? 200 : 503, report);
      });
      return;
    }
    vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.failed()) {
        req.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("scrape failed: " + ar.cause());
        return;
      }
      req.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
    });
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /** The port actually bound (the configured one, or the one picked for {@code 0}). */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
