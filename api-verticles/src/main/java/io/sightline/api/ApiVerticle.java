package io.sightline.api;

import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.sightline.api.apikeys.ApiKeyResource;
import io.sightline.api.audit.AuditResource;
import io.sightline.api.auth.AuthResource;
import io.sightline.api.auth.InitialAdmin;
import io.sightline.api.auth.LoginThrottle;
import io.sightline.api.http.ApiMetrics;
import io.sightline.api.auth.Passwords;
import io.sightline.api.auth.SessionAuthenticator;
import io.sightline.api.auth.SessionTokens;
import io.sightline.api.dashboards.DashboardResource;
import io.sightline.api.datasources.DatasourceResource;
import io.sightline.api.demo.DemoResource;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.ClientAddress;
import io.sightline.api.http.Failures;
import io.sightline.api.http.RequestIds;
import io.sightline.api.live.EventBusBridge;
import io.sightline.api.runners.RunnerClient;
import io.sightline.api.queries.QueryResource;
import io.sightline.api.runs.RunResource;
import io.sightline.api.schedules.ScheduleResource;
import io.sightline.api.server.ConnectionCap;
import io.sightline.api.server.ConnectionGuard;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.result.ResultStore;
import io.sightline.shared.result.ResultStores;
import io.sightline.shared.runs.RunService;
import io.sightline.api.users.UserResource;
import io.sightline.api.visualizations.VisualizationResource;
import io.sightline.api.viz.ShapeResource;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.api.web.WebApp;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.health.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP face of Sightline: health and readiness, the REST API under {@code /api/v1}, and the web app. Stateless;
 * any number of instances (and api processes) can serve the same port and database. Never executes user SQL.
 */
public final class ApiVerticle extends VerticleBase {
  private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("io.sightline.api.access");

  private final SightlineConfig config;
  private final Pool pool;
  private final Readiness readiness;
  private final SecretBox secrets;
  private final ConnectionCap connections;
  private HttpServer server;
  private Router router;
  private ResultStore resultStore;

  /** An api verticle with a connection cap of its own (tests that deploy one beside a running api). */
  public ApiVerticle(SightlineConfig config, Pool pool, Readiness readiness, SecretBox secrets) {
    this(config, pool, readiness, secrets, new ConnectionCap(config.http().maxConnections()));
  }

  /** {@code connections} is shared by every instance of the process: the cap holds for all of them together. */
  public ApiVerticle(SightlineConfig config, Pool pool, Readiness readiness, SecretBox secrets,
      ConnectionCap connections) {
    this.config = config;
    this.pool = pool;
    this.readiness = readiness;
    this.secrets = secrets;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    // building an S3 client loads much of the AWS SDK: a worker's job, not an event loop's
    return vertx.executeBlocking(() -> ResultStores.create(vertx, config))
        .compose(store -> {
          resultStore = store;
          return WebApp.load(vertx);
        })
        .compose(this::startHttp);
  }

  private Future<HttpServer> startHttp(WebApp webApp) {
    SightlineConfig.Http http = config.http();
    ConnectionGuard guard = new ConnectionGuard(vertx, http, connections);
    router = Router.router(vertx);
    router.route().handler(guard::track);
    router.route().handler(RequestIds::assign);
    router.route().handler(ApiVerticle::securityHeaders);
    router.route().handler(new ClientAddress(http.trustedProxies())::handle);
    router.route("/api/*").handler(ApiVerticle::accessLog);
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/readyz").handler(this::readyz);
    SessionTokens tokens = new SessionTokens(vertx, secrets);
    SessionAuthenticator authenticator = new SessionAuthenticator(pool, tokens, config.auth().sessionIdleMinutes());
    apiRoutes(tokens, authenticator).mount(router);
    router.route("/api/*").handler(ctx -> Failures.notFound(ctx).send(ctx.response()));
    new EventBusBridge(vertx, pool, authenticator, http.idleTimeoutSeconds()).mount(router);
    webApp.mount(router);
    router.route().last().handler(ctx -> Failures.notFound(ctx).send(ctx.response()));
    router.route().failureHandler(Failures::handle);

    return guard.install(vertx.createHttpServer(guard.apply(new HttpServerOptions().setHost(http.host())
            .setPort(http.port()).setCompressionSupported(true).setCompressors(COMPRESSORS)
            .setHttp2ClearTextEnabled(false))))
        .requestHandler(router)
        .listen()
        .recover(err -> Future.failedFuture(err instanceof BindException
            ? new ConfigException("SIGHTLINE_HTTP_PORT (http.port): " + http.host() + ":" + http.port()
                + " is already in use (or not an address of this machine)")
            : err))
        .onSuccess(s -> server = s);
  }

  /**
   * Response compression, chosen by the client's Accept-Encoding: zstd (Chrome, Edge and Firefox ask for it) or gzip,
   * both at their fastest level. Measured on 1,000-row result pages (84 KB of JSON, bench/results_bench.py): gzip at
   * Vert.x's default level 6 cost the server 2.4 ms of CPU per page against 0.38 ms uncompressed; level 1 compresses
   * these rows nearly as well for a fraction of that, and zstd level 1 smaller and faster still (docs/benchmarks.md).
   */
  static final List<CompressionOptions> COMPRESSORS = compressors();

  private static List<CompressionOptions> compressors() {
    List<CompressionOptions> list = new ArrayList<>();
    if (io.netty.handler.codec.compression.Zstd.isAvailable()) {
      list.add(StandardCompressionOptions.zstd(1, 64 << 10, 32 << 20));
    }
    list.add(StandardCompressionOptions.gzip(1, 15, 8));
    list.add(StandardCompressionOptions.deflate(1, 15, 8));
    return List.copyOf(list);
  }

  /** Every REST resource, registered on one {@link ApiRoutes} (handler chain, role matrix, OpenAPI document). */
  private ApiRoutes apiRoutes(SessionTokens tokens, SessionAuthenticator authenticator) {
    Passwords passwords = new Passwords(vertx);
    ApiRoutes routes = new ApiRoutes(authenticator, config.http().maxBodyBytes());
    new AuthResource(pool, passwords, tokens, new LoginThrottle(pool, config.auth(), ApiMetrics.of(vertx)), config.auth(),
        email -> vertx.executeBlocking(() -> {
          InitialAdmin.forget(config.home(), email);
          return null;
        })).register(routes);
    new UserResource(pool, passwords).register(routes);
    new ApiKeyResource(pool).register(routes);
    new AuditResource(pool).register(routes);
    new DatasourceResource(pool, secrets, new RunnerClient(vertx)).register(routes);
    RunService runs = new RunService(vertx, pool, config.runs());
    ResultReader results = new ResultReader(vertx, pool, resultStore);
    new RunResource(vertx, pool, runs, results).register(routes);
    new QueryResource(pool, runs, results).register(routes);
    new VisualizationResource(pool).register(routes);
    new ShapeResource(vertx, pool, results).register(routes);
    new DashboardResource(pool, runs, results).register(routes);
    new ScheduleResource(vertx, pool, runs, results).register(routes);
    new DemoResource(vertx, pool).register(routes);
    return routes;
  }

  /** The mounted router (tests compare its routes with the OpenAPI document). */
  public Router router() {
    return router;
  }

  private void readyz(RoutingContext ctx) {
    readiness.check().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonObject report = ar.result();
      json(ctx, "ready".equals(report.getString("status")) ? 200 : 503, report);
    });
  }

  /**
   * The web app's Content-Security-Policy (on every response; for JSON it is inert): scripts, workers, fonts and
   * connections only from this origin (the event-bus WebSocket included), images also as data/blob URLs (charts saved
   * as PNG), inline styles allowed (Monaco and Vue set them; no inline script is), never framed — a kiosk dashboard is
   * a page, not an embed. The browser e2e suite fails on any violation the app causes.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
      "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:", "object-src 'none'",
      "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'");

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }

  /** One line per API request: method, path (never the query string or body), status, duration. */
  private static void accessLog(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(v -> ACCESS.info("{} {} {} {} ms", ctx.request().method(), ctx.request().path(),
        ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000));
    ctx.next();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /** The port actually bound (differs from the configured one only when that is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /**
   * Stops accepting connections and lets in-flight requests finish within {@code SIGHTLINE_HTTP_DRAIN_SECONDS} (0:
   * closes at once); event-bus sockets are closed with a close frame, so that clients reconnect to another api.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.http().drainSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }
}
