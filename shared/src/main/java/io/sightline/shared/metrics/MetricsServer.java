package io.sightline.shared.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code /metrics} listener: Prometheus text format on its own host and port ({@code SIGHTLINE_METRICS_HOST},
 * {@code SIGHTLINE_METRICS_PORT}), never on the public API port. A scrape is rendered on a worker thread, not on the
 * event loop. Anything but {@code GET|HEAD /metrics} is 404 (405 for other methods on it).
 */
public final class MetricsServer {
  /** The Prometheus text exposition format that {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts listening; fails when the port is taken. */
  public static Future<MetricsServer> start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setIdleTimeout(60));
    return server.requestHandler(req -> handle(vertx, registry, req)).listen().map(s -> new MetricsServer(s));
  }

  private static void handle(Vertx vertx, PrometheusMeterRegistry registry, HttpServerRequest req) {
    if (!"/metrics".equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
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

  /** The port actually bound (the configured one, or the one picked for {@code 0}). */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
