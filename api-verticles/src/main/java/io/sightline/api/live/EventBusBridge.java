package io.sightline.api.live;

import io.sightline.api.auth.SessionAuthenticator;
import io.sightline.api.auth.SessionTokens;
import io.sightline.api.http.ApiMetrics;
import io.sightline.api.http.Principal;
import io.sightline.shared.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus} (DESIGN.md §8): browsers receive live run updates and nothing else.
 *
 * <ul>
 *   <li>No inbound addresses: a client can never send or publish into the bus (every SEND and PUBLISH is refused).
 *   <li>Outbound only {@code sightline.run.*} and {@code sightline.org.*}, and of those a socket may register only
 *       {@code sightline.org.<its org>.runs} and {@code sightline.run.<id>} of a run of its org.
 *   <li>A socket acts as whoever its opening HTTP request authenticates as (session cookie or API key, with the same
 *       checks as the REST API; no CSRF token, since the bridge changes nothing). A request from a page of another
 *       origin is treated as anonymous. An anonymous socket may connect, but every registration is refused.
 *   <li>Every registration checks the credentials again, and a socket that receives messages or pings re-checks them
 *       at least every {@link #RECHECK_MS}; once they are revoked, expired, disabled or now name another org, the
 *       socket receives nothing more and is closed.
 *   <li>At most {@link #MAX_REGISTRATIONS} registrations per socket.
 *   <li>A live socket is never idle for the HTTP server's idle timeout ({@code http.idleTimeoutSeconds}): the server
 *       writes to each at least every half of it (SockJS transports get their {@code h} heartbeat frames that often;
 *       raw WebSockets at {@code /eventbus/websocket} a {@code {"type":"pong"}} frame, the bridge protocol's answer to
 *       a ping, which clients ignore). Clients must still ping within {@link #PING_TIMEOUT_MS}, or the bridge closes
 *       the socket (the web app pings every 5 s).
 * </ul>
 *
 * <p>Across the cluster nothing special is needed: a registration is an event-bus consumer on the node holding the
 * socket, so a runner on any node publishing a run's events reaches it.
 */
public final class EventBusBridge {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);

  public static final String PATH = "/eventbus";
  /** Registrations one socket may hold (and have pending) at once. */
  public static final int MAX_REGISTRATIONS = 200;
  /** A socket in use re-checks its credentials at least this often (registrations always check them). */
  public static final long RECHECK_MS = 30_000;
  /** The longest address worth looking at ({@code sightline.org.<uuid>.runs} is 55 characters). */
  private static final int MAX_ADDRESS_LENGTH = 128;
  /** A socket whose client sent no ping for this long is closed by the bridge (Vert.x's default, stated here). */
  public static final long PING_TIMEOUT_MS = 10_000;
  /** The longest pause between server writes to a live socket (SockJS's own default heartbeat). */
  private static final long MAX_KEEP_ALIVE_MS = 25_000;
  private static final Buffer PONG = new JsonObject().put("type", "pong").toBuffer();
  /** Largest body of an XHR-transport POST (a batch of frames). */
  private static final int MAX_POST_BYTES = 64 * 1024;
  private static final String STATE_KEY = "sightline.bridge.socket";
  private static final String CREDENTIALS_KEY = "sightline.bridge.credentials";
  private static final String RUN_IN_ORG = "select 1 from runs where id = $1 and org_id = $2";

  private final Vertx vertx;
  private final Pool pool;
  private final SessionAuthenticator authenticator;
  private final long keepAliveMs;
  private final ApiMetrics metrics;

  /** {@code idleTimeoutSeconds}: the HTTP server's idle timeout, which live sockets must never reach. */
  public EventBusBridge(Vertx vertx, Pool pool, SessionAuthenticator authenticator, int idleTimeoutSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.authenticator = authenticator;
    this.keepAliveMs = Math.min(MAX_KEEP_ALIVE_MS, idleTimeoutSeconds * 1000L / 2);
    this.metrics = ApiMetrics.of(vertx);
  }

  /** Mounts the bridge's SockJS endpoints under {@link #PATH}. */
  public void mount(Router router) {
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
        // no inbound permitted at all; outbound only the run feeds (the hook narrows these per socket)
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(regexPrefix(Addresses.RUN_PREFIX) + ".+"))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(regexPrefix(Addresses.ORG_PREFIX) + ".+"))
        .setMaxHandlersPerSocket(MAX_REGISTRATIONS)
        .setMaxAddressLength(MAX_ADDRESS_LENGTH)
        .setPingTimeout(PING_TIMEOUT_MS);
    // JSONP and htmlfile are legacy transports for browsers without XHR/WebSocket; JSONP is readable cross-origin
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .setHeartbeatInterval(keepAliveMs)
        .addDisabledTransport(Transport.JSON_P.toString())
        .addDisabledTransport(Transport.HTML_FILE.toString());
    // SockJS removes the Cookie header from a request that opens a session: take the credentials first
    router.route(PATH + "/*").handler(EventBusBridge::keepCredentials);
    // the XHR transports' POSTs (frames from the client) need their body read; frames are small
    router.post(PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_POST_BYTES));
    router.route(PATH + "/*").subRouter(SockJSHandler.create(vertx, sockJs).bridge(bridge, this::handle));
  }

  /** The credentials of a request to the bridge, as it arrived; null ones when it comes from another origin. */
  private record Credentials(String authorization, String sessionToken) {}

  private static void keepCredentials(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (sameOrigin(request)) {
      Cookie session = request.getCookie(SessionTokens.SESSION_COOKIE);
      ctx.put(CREDENTIALS_KEY, new Credentials(request.getHeader("Authorization"),
          session == null ? null : session.getValue()));
    } else {
      LOG.debug("event-bus request from another origin ({}): anonymous", request.getHeader("Origin"));
      ctx.put(CREDENTIALS_KEY, new Credentials(null, null));
    }
    ctx.next();
  }

  private static String regexPrefix(String prefix) {
    return prefix.replace(".", "\\.");
  }

  /** What one socket is allowed, kept on the routing context of its opening request. Used on its event loop. */
  private static final class SocketState {
    final Context context;
    final Credentials credentials;
    /** Who the socket acts as: null for anonymous; failed if the database could not be asked (retried). */
    volatile Future<Principal> identity;
    volatile boolean revoked;
    /** The periodic timer writing keep-alive frames to a raw WebSocket; -1 for none. */
    long keepAlive = -1;
    final Set<String> addresses = new HashSet<>();
    int pending;
    long checkedAt = System.nanoTime();
    boolean checking;

    SocketState(Context context, Credentials credentials) {
      this.context = context;
      this.credentials = credentials;
    }
  }

  private void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    switch (event.type()) {
      case SOCKET_CREATED -> {
        opened(socket);
        // complete at once: the socket's handlers are installed only then, and frames sent before would be lost
        event.complete(true);
      }
      case REGISTER -> register(event);
      case RECEIVE -> event.complete(receive(socket));
      case UNREGISTER -> {
        SocketState s = state(socket);
        if (s != null && s.addresses.remove(event.getRawMessage().getString("address"))) {
          metrics.registrationsHeld(-1);
        }
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        SocketState s = state(socket);
        if (s != null && s.keepAlive != -1) {
          vertx.cancelTimer(s.keepAlive);
        }
        if (s != null) {
          metrics.sockets(-1);
          metrics.registrationsHeld(-s.addresses.size());
          s.addresses.clear();
        }
        event.complete(true);
      }
      case SOCKET_PING -> {
        SocketState s = state(socket);
        if (s != null) {
          recheckIfDue(socket, s);
        }
        event.complete(true);
      }
      // no inbound addresses at all: clients cannot send or publish, not even replies
      case SEND, PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  private void opened(SockJSSocket socket) {
    RoutingContext ctx = socket.routingContext();
    Credentials credentials = ctx.get(CREDENTIALS_KEY);
    SocketState s = new SocketState(vertx.getOrCreateContext(),
        credentials == null ? new Credentials(null, null) : credentials);
    s.identity = identify(s);
    s.identity.onFailure(err -> LOG.warn("event-bus socket: could not check its credentials yet: {}", err.toString()));
    if (rawWebSocket(socket)) {
      // SockJS heartbeats do not exist on the raw transport: keep the connection busy ourselves
      s.keepAlive = vertx.setPeriodic(keepAliveMs, id -> socket.write(PONG).onFailure(err -> vertx.cancelTimer(id)));
    }
    ctx.put(STATE_KEY, s);
    metrics.sockets(1);
  }

  /** Whether a socket uses the raw WebSocket transport ({@code /eventbus/websocket}), which has no heartbeats. */
  private static boolean rawWebSocket(SockJSSocket socket) {
    String uri = socket.uri();
    int query = uri.indexOf('?');
    return (query < 0 ? uri : uri.substring(0, query)).equals(PATH + "/websocket");
  }

  private static SocketState state(SockJSSocket socket) {
    RoutingContext ctx = socket.routingContext();
    return ctx == null ? null : ctx.get(STATE_KEY);
  }

  private void register(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    SocketState s = state(socket);
    String address = event.getRawMessage().getString("address");
    Target target = Target.parse(address);
    if (s == null || s.revoked || target == null) {
      refuse(event, address, s == null ? "no socket state" : s.revoked ? "credentials revoked" : "not a run feed");
      return;
    }
    if (!s.addresses.contains(address) && s.addresses.size() + s.pending >= MAX_REGISTRATIONS) {
      refuse(event, address, "too many registrations");
      return;
    }
    s.pending++;
    current(s)
        .compose(principal -> principal == null ? Future.succeededFuture(false) : allowed(principal, target))
        .onComplete(ar -> s.context.runOnContext(v -> {
          s.pending--;
          if (ar.failed()) {
            LOG.warn("event-bus registration of {} refused: could not check it: {}", address, ar.cause().toString());
          }
          boolean ok = ar.succeeded() && ar.result() && !s.revoked;
          if (ok) {
            metrics.registration(true);
            if (s.addresses.add(address)) {
              metrics.registrationsHeld(1);
            }
            s.checkedAt = System.nanoTime();
            event.complete(true);
          } else {
            refuse(event, address, s.revoked ? "credentials revoked" : "not allowed");
          }
          if (s.revoked) {
            // after the refusal has been written
            s.context.runOnContext(x -> socket.close());
          }
        }));
  }

  private void refuse(BridgeEvent event, String address, String why) {
    LOG.debug("event-bus registration of {} refused: {}", address, why);
    metrics.registration(false);
    event.complete(false); // the bridge answers {"type":"err","body":"rejected"}
  }

  /**
   * The socket's principal, its credentials checked again now; null if anonymous, if it must change its password
   * first, or if its credentials no longer hold or now name another user or org (the socket is then marked revoked).
   */
  private Future<Principal> current(SocketState s) {
    return s.identity
        .recover(err -> s.identity = identify(s))
        .compose(initial -> initial == null ? Future.succeededFuture(null)
            : identify(s).map(now -> {
              if (now == null || !now.userId().equals(initial.userId()) || !now.orgId().equals(initial.orgId())) {
                s.revoked = true;
                return null;
              }
              return now.mustChangePassword() ? null : now;
            }));
  }

  private Future<Principal> identify(SocketState s) {
    return authenticator.identify(s.credentials.authorization(), s.credentials.sessionToken());
  }

  private Future<Boolean> allowed(Principal principal, Target target) {
    if (target.org()) {
      return Future.succeededFuture(target.id().toString().equals(principal.orgId()));
    }
    return pool.preparedQuery(RUN_IN_ORG).execute(Tuple.of(target.id(), UUID.fromString(principal.orgId())))
        .map(rows -> rows.size() > 0);
  }

  /** Decided at once, so messages keep their order; a revoked socket gets nothing more. */
  private boolean receive(SockJSSocket socket) {
    SocketState s = state(socket);
    if (s == null || s.revoked) {
      return false;
    }
    recheckIfDue(socket, s);
    return true;
  }

  private void recheckIfDue(SockJSSocket socket, SocketState s) {
    if (s.revoked || s.checking || System.nanoTime() - s.checkedAt < RECHECK_MS * 1_000_000) {
      return;
    }
    s.checking = true;
    current(s).onComplete(ar -> s.context.runOnContext(v -> {
      s.checking = false;
      s.checkedAt = System.nanoTime();
      if (s.revoked) {
        LOG.debug("event-bus socket closed: its credentials no longer hold");
        socket.close();
      }
    }));
  }

  /**
   * Whether a browser request comes from a page of this server: the authority of its {@code Origin} (if any; only
   * browsers send one) must be the {@code Host} it was sent to, or the {@code X-Forwarded-Host} of a proxy.
   */
  static boolean sameOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String authority;
    try {
      authority = URI.create(origin.trim()).getRawAuthority();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (authority == null) {
      return false; // "null": sandboxed frames, file: pages
    }
    String host = request.getHeader("Host");
    String forwarded = request.getHeader("X-Forwarded-Host");
    if (forwarded != null) {
      forwarded = forwarded.split(",", 2)[0].trim();
    }
    return authority.equalsIgnoreCase(host) || authority.equalsIgnoreCase(forwarded);
  }

  /** A registrable address: an org's run feed or one run's feed, by canonical (lower-case) UUID. */
  record Target(boolean org, UUID id) {
    static Target parse(String address) {
      if (address == null || address.length() > MAX_ADDRESS_LENGTH) {
        return null;
      }
      if (address.startsWith(Addresses.RUN_PREFIX)) {
        UUID id = canonicalUuid(address.substring(Addresses.RUN_PREFIX.length()));
        return id == null ? null : new Target(false, id);
      }
      String suffix = ".runs";
      if (address.startsWith(Addresses.ORG_PREFIX) && address.endsWith(suffix)
          && address.length() > Addresses.ORG_PREFIX.length() + suffix.length()) {
        UUID id = canonicalUuid(address.substring(Addresses.ORG_PREFIX.length(), address.length() - suffix.length()));
        return id == null ? null : new Target(true, id);
      }
      return null;
    }

    private static UUID canonicalUuid(String text) {
      try {
        UUID id = UUID.fromString(text);
        return id.toString().equals(text) ? id : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
