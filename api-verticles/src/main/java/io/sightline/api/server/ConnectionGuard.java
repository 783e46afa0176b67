package io.sightline.api.server;

import io.sightline.api.http.Problem;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow or silent clients from holding connections (slow-loris): one per api verticle instance, used only on its
 * event loop.
 *
 * <ul>
 *   <li>A connection must deliver a complete request head within {@code http.headerTimeoutSeconds} of opening — one
 *       that sends nothing, or half a header a byte at a time, is closed then. Vert.x has no such timeout of its own:
 *       a timer per connection, cancelled when the head arrives.
 *   <li>Between requests, a keep-alive connection waits at most {@code http.idleTimeoutSeconds} for its next request
 *       head. While a request is being answered nothing of this applies: a streamed download to a slow reader, a
 *       WebSocket or a SockJS stream lives as long as it needs.
 *   <li>A request body must arrive completely within {@code http.bodyTimeoutSeconds} of the head; otherwise the request
 *       is answered 408 (or, if its answer has begun, the connection is closed).
 *   <li>A connection on which nothing at all moves, in or out, for {@code http.idleTimeoutSeconds} is closed by Vert.x
 *       ({@link HttpServerOptions#setIdleTimeout}); writes count, so a download that the client is reading stays open,
 *       and the event-bus bridge writes to its sockets often enough (see {@code EventBusBridge}).
 *   <li>At most {@code http.maxConnections} connections per process ({@link ConnectionCap}); more are closed at once.
 * </ul>
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final SightlineConfig.Http http;
  private final ConnectionCap cap;
  private final Map<HttpConnection, Tracked> connections = new HashMap<>();

  public ConnectionGuard(Vertx vertx, SightlineConfig.Http http, ConnectionCap cap) {
    this.vertx = vertx;
    this.http = http;
    this.cap = cap;
  }

  /**
   * The server options with the idle timeout (no traffic either way) applied — never shorter than the body timeout
   * plus a second, so a stalled body is answered 408 by {@link #bodyTimedOut} rather than cut without a word by the
   * idle timer racing it.
   */
  public HttpServerOptions apply(HttpServerOptions options) {
    int idle = Math.max(http.idleTimeoutSeconds(), http.bodyTimeoutSeconds() + 1);
    return options.setIdleTimeout(idle).setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /** Watches every connection {@code server} accepts. */
  public HttpServer install(HttpServer server) {
    return server.connectionHandler(this::opened);
  }

  /** The first handler of every request: its head has arrived; watch its body and wait for its end. */
  public void track(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Tracked conn = connections.get(request.connection());
    if (conn == null) {
      ctx.next();
      return;
    }
    conn.inFlight++;
    conn.cancelTimer();
    if (!request.isEnded()) {
      long bodyTimer = vertx.setTimer(TimeUnit.SECONDS.toMillis(http.bodyTimeoutSeconds()),
          id -> bodyTimedOut(ctx, conn));
      request.end().onComplete(ar -> vertx.cancelTimer(bodyTimer));
    }
    ctx.addEndHandler(ar -> {
      conn.inFlight--;
      // 101: the connection is a WebSocket now; it lives as long as the socket (the bridge keeps it busy)
      if (conn.inFlight == 0 && ctx.response().getStatusCode() != 101) {
        conn.await(http.idleTimeoutSeconds(), "no next request on a keep-alive connection");
      }
    });
    ctx.next();
  }

  private void opened(HttpConnection connection) {
    if (!cap.tryOpen()) {
      cap.refused(vertx, connection.remoteAddress());
      connection.close();
      return;
    }
    Tracked conn = new Tracked(connection);
    connections.put(connection, conn);
    connection.closeHandler(v -> {
      conn.cancelTimer();
      connections.remove(connection);
      cap.closed();
    });
    conn.await(http.headerTimeoutSeconds(), "no complete request head");
  }

  private void bodyTimedOut(RoutingContext ctx, Tracked conn) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      return;
    }
    LOG.debug("closing a connection from {}: request body incomplete after {} s ({} bytes read)",
        conn.connection.remoteAddress(), http.bodyTimeoutSeconds(), request.bytesRead());
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      conn.connection.close();
      return;
    }
    Problem problem = Problem.of(408, "request-timeout", "Request timeout",
        "The request body did not arrive within " + http.bodyTimeoutSeconds() + " s.");
    response.setStatusCode(408).putHeader("Content-Type", Problem.CONTENT_TYPE).putHeader("Connection", "close")
        .end(problem.toJson().encode())
        .onComplete(ar -> conn.connection.close());
  }

  /** One open connection: its requests in progress and the timer that closes it if it dawdles between them. */
  private final class Tracked {
    final HttpConnection connection;
    int inFlight;
    long timer = -1;

    Tracked(HttpConnection connection) {
      this.connection = connection;
    }

    /** Closes the connection unless a request head arrives within {@code seconds}. */
    void await(int seconds, String why) {
      cancelTimer();
      timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(seconds), id -> {
        timer = -1;
        if (inFlight == 0) {
          LOG.debug("closing a connection from {}: {} within {} s", connection.remoteAddress(), why, seconds);
          connection.close();
        }
      });
    }

    void cancelTimer() {
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
