package io.sightline.api.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;

/**
 * Serves the built web app from {@code classpath:webroot/} (the sightline-webapp jar): hashed assets cached for a
 * year, everything else revalidated, and {@code index.html} for any other GET that wants HTML so deep links work
 * (SPA fallback). Built with {@code -Dskip.web}, the jar is empty and a notice page explains it instead.
 */
public final class WebApp {
  static final String WEBROOT = "webroot";
  /** Paths that belong to the server, never to the SPA. */
  private static final List<String> SERVER_PREFIXES = List.of("/api/", "/eventbus", "/healthz", "/readyz", "/metrics");

  private final Buffer index;
  private final boolean built;

  private WebApp(Buffer index, boolean built) {
    this.index = index;
    this.built = built;
  }

  /** Reads index.html once (it is small) off the event loop's hot path. */
  public static Future<WebApp> load(Vertx vertx) {
    return vertx.fileSystem().readFile(WEBROOT + "/index.html")
        .map(buf -> new WebApp(buf, true))
        .recover(err -> Future.succeededFuture(new WebApp(Buffer.buffer(NOT_BUILT), false)));
  }

  public boolean built() {
    return built;
  }

  public void mount(Router router) {
    router.get("/assets/*").handler(StaticHandler.create(WEBROOT).setMaxAgeSeconds(365L * 24 * 3600)
        .setSendVaryHeader(true));
    router.get("/").handler(this::index);
    router.get("/index.html").handler(this::index);
    router.get("/*").handler(StaticHandler.create(WEBROOT).setMaxAgeSeconds(300).setIndexPage("index.html")
        .setDirectoryListing(false));
    router.get("/*").handler(this::fallback);
  }

  private void fallback(RoutingContext ctx) {
    String path = ctx.request().path();
    boolean serverPath = SERVER_PREFIXES.stream().anyMatch(path::startsWith) || path.equals("/api")
        || path.startsWith("/assets/");
    String accept = ctx.request().getHeader("Accept");
    // only a browser navigating (Accept: text/html) gets the app; a missing script or image stays a 404
    if (serverPath || accept == null || !accept.contains("text/html")) {
      ctx.next();
      return;
    }
    index(ctx);
  }

  private void index(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(index);
  }

  private static final String NOT_BUILT = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Sightline</title></head>
      <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
      <h1>Sightline</h1>
      <p>The server is running, but this build has no web app: it was built with <code>-Dskip.web</code>.
      Build without that switch (see the README) to get the user interface.</p>
      <p>The API is at <code>/api/v1</code>; health at <a href="/healthz">/healthz</a> and
      <a href="/readyz">/readyz</a>.</p>
      </body></html>
      """;
}
