package io.sightline.api.auth;

import static io.sightline.api.http.Schemas.email;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.audit.Audit;
import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Principal;
import io.sightline.api.http.Problem;
import io.sightline.api.http.Reply;
import io.sightline.api.http.RouteSpec;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;

/** Sign-in, sign-out, the current user ({@code /me}), switching org and changing one's password. */
public final class AuthResource {
  private static final String TAG = "auth";

  private final Function<String, Future<?>> passwordChanged;
  private final Pool pool;
  private final Passwords passwords;
  private final SessionTokens tokens;
  private final LoginThrottle throttle;
  private final SightlineConfig.Auth settings;

  /**
   * @param passwordChanged called with a member's email once they chose a new password (e.g. to delete the file
   *     holding a first start's one-time password); its failure never fails the change
   */
  public AuthResource(Pool pool, Passwords passwords, SessionTokens tokens, LoginThrottle throttle,
      SightlineConfig.Auth settings, Function<String, Future<?>> passwordChanged) {
    this.passwordChanged = passwordChanged;
    this.pool = pool;
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
    this.settings = settings;
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/auth/login").access(Access.PUBLIC)
        .doc("login", TAG, "Sign in: sets the session cookie and the XSRF-TOKEN cookie; answers like GET /me")
        .body(object(props()
            .put("email", email())
            .put("password", string(1, Passwords.MAX_LENGTH, "correct horse battery staple"))
            .put("orgId", uuid()), "email", "password"))
        .returns(200, meSchema())
        .handler(this::login));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/auth/logout").access(Access.anyMemberDuringPasswordChange())
        .doc("logout", TAG, "Sign out: ends this session at once; with everywhere=true, every session of yours (all"
            + " browsers and devices; API keys stay valid)")
        .query("everywhere", io.sightline.api.http.Schemas.enumOf("true", "false"), "end all your sessions")
        .returns(204, null)
        .handler(this::logout));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/me").access(Access.anyMemberDuringPasswordChange())
        .doc("getMe", TAG, "Who I am, in which org, with which role; my other orgs; the CSRF token")
        .returns(200, meSchema()).handler(this::me));
    routes.add(RouteSpec.route(HttpMethod.PUT, "/api/v1/me/org").access(Access.member(io.sightline.api.http.Role.VIEWER))
        .doc("switchOrg", TAG, "Act in another org I belong to (session sign-ins only)")
        .body(object(props().put("orgId", uuid()), "orgId"))
        .returns(200, meSchema()).handler(this::switchOrg));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/me/password").access(Access.anyMemberDuringPasswordChange())
        .doc("changePassword", TAG, "Change my password (required after a one-time password); ends my other sessions")
        .body(object(props()
            .put("currentPassword", string(1, Passwords.MAX_LENGTH, "one-time-password"))
            .put("newPassword", string(Passwords.MIN_LENGTH, Passwords.MAX_LENGTH, "a long new passphrase")),
            "currentPassword", "newPassword"))
        .returns(204, null).handler(this::changePassword));
  }

  private Future<Reply> login(ApiRequest req) {
    String emailText = req.body().getString("email");
    String password = req.body().getString("password");
    String wantedOrg = req.body().getString("orgId");
    String address = req.clientAddress();
    return throttle.begin(emailText, address)
        .compose(v -> pool.preparedQuery(AuthSql.USER_BY_EMAIL).execute(Tuple.of(emailText)))
        .compose(rows -> {
          Row user = rows.iterator().hasNext() ? rows.iterator().next() : null;
          boolean usable = user != null && !user.getBoolean("disabled");
          String hash = usable ? user.getString("password_hash") : null;
          return passwords.verify(password, hash).compose(ok -> {
            if (ok && usable) {
              return Future.succeededFuture(user.getUUID("id"));
            }
            // the throttle counted the attempt before the password was checked; the metrics and the audit log
            // record it
            throttle.recordFailure();
            String reason = user == null ? "unknown_account" : usable ? "wrong_password" : "account_disabled";
            return Audit.signInFailed(pool, req, emailText, reason).<UUID>transform(written -> Future.failedFuture(
                new ApiException(Problem.of(401, "sign-in-failed", "Sign-in failed",
                    "The email or password is incorrect."))));
          });
        })
        .compose(userId -> {
          return throttle.recordSuccess(emailText).compose(v -> startSession(req, userId, wantedOrg));
        });
  }

  private Future<Reply> startSession(ApiRequest req, UUID userId, String wantedOrg) {
    UUID wanted = parseUuid(wantedOrg);
    return pool.preparedQuery(AuthSql.LOGIN_ORG).execute(Tuple.of(userId, wanted)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.failedFuture(ApiException.forbidden(
            "Your account has no active membership in any org; ask an admin to add you."));
      }
      UUID orgId = rows.iterator().next().getUUID("org_id");
      RoutingContext ctx = req.ctx();
      String userAgent = ctx.request().getHeader("User-Agent");
      return pool.withTransaction(conn -> conn.preparedQuery(AuthSql.CREATE_SESSION)
              .execute(Tuple.of(userId, orgId, settings.sessionHours(), userAgent == null ? "" : userAgent,
                  req.clientAddress()))
              .compose(created -> conn.preparedQuery(AuthSql.TOUCH_LOGIN).execute(Tuple.of(userId, orgId))
                  .compose(v -> Audit.asUser(req, orgId, userId, req.body().getString("email"), "auth.sign_in")
                      .target("user", userId, req.body().getString("email")).write(conn))
                  .map(created.iterator().next().getUUID("id"))))
          .compose(sessionId -> {
            long ttl = settings.sessionHours() * 3600L;
            boolean secure = secure(ctx);
            String sid = sessionId.toString();
            ctx.response().addCookie(SessionTokens.sessionCookie(tokens.issue(userId.toString(), sid, ttl), ttl, secure));
            ctx.response().addCookie(SessionTokens.csrfCookie(tokens.csrfToken(sid), ttl, secure));
            Principal principal = new Principal(userId.toString(), null, orgId.toString(), null, sid, null, false);
            return me(principal).map(Reply::ok);
          });
    });
  }

  private Future<Reply> logout(ApiRequest req) {
    Principal p = req.principal();
    String everywhere = req.ctx().queryParams().get("everywhere");
    if (everywhere != null && !everywhere.equals("true") && !everywhere.equals("false")) {
      return Future.failedFuture(io.sightline.api.http.ApiException.invalid("?everywhere", "must be true or false"));
    }
    Future<?> revoke = "true".equals(everywhere)
        ? pool.preparedQuery(AuthSql.REVOKE_OTHER_SESSIONS).execute(Tuple.of(UUID.fromString(p.userId()), (UUID) null))
        : p.viaSession()
        ? pool.preparedQuery(AuthSql.REVOKE_SESSION).execute(Tuple.of(UUID.fromString(p.sessionId())))
        : Future.succeededFuture();
    return revoke.map(v -> {
      boolean secure = secure(req.ctx());
      req.ctx().response().addCookie(SessionTokens.sessionCookie("", 0, secure));
      req.ctx().response().addCookie(SessionTokens.csrfCookie("", 0, secure));
      return Reply.noContent();
    });
  }

  private Future<Reply> me(ApiRequest req) {
    return me(req.principal()).map(Reply::ok);
  }

  private Future<Reply> switchOrg(ApiRequest req) {
    Principal p = req.principal();
    if (!p.viaSession()) {
      return Future.failedFuture(ApiException.badRequest("Not possible with an API key",
          "An API key belongs to one org; create a key in the other org instead."));
    }
    UUID orgId = UUID.fromString(req.body().getString("orgId"));
    return pool.preparedQuery(AuthSql.SWITCH_ORG)
        .execute(Tuple.of(UUID.fromString(p.sessionId()), UUID.fromString(p.userId()), orgId))
        .compose(result -> result.rowCount() == 0 ? Future.failedFuture(ApiException.notFound("That org"))
            : pool.preparedQuery(AuthSql.TOUCH_ORG_LOGIN).execute(Tuple.of(UUID.fromString(p.userId()), orgId)))
        .compose(touched -> me(new Principal(p.userId(), p.email(), orgId.toString(), null, p.sessionId(), null,
            false)))
        .map(Reply::ok);
  }

  private Future<Reply> changePassword(ApiRequest req) {
    Principal p = req.principal();
    UUID userId = UUID.fromString(p.userId());
    String current = req.body().getString("currentPassword");
    String next = req.body().getString("newPassword");
    if (next.equals(current)) {
      return Future.failedFuture(ApiException.invalid("/newPassword", "must differ from the current password"));
    }
    return pool.preparedQuery(AuthSql.PASSWORD_HASH).execute(Tuple.of(userId))
        .compose(rows -> passwords.verify(current, rows.iterator().next().getString("password_hash")))
        .compose(ok -> ok ? passwords.hash(next)
            : Future.failedFuture(ApiException.invalid("/currentPassword", "is not your current password")))
        .compose(hash -> pool.withTransaction(conn -> conn.preparedQuery(AuthSql.SET_PASSWORD)
            .execute(Tuple.of(userId, hash, false))
            .compose(v -> conn.preparedQuery(AuthSql.REVOKE_OTHER_SESSIONS)
                .execute(Tuple.of(userId, p.sessionId() == null ? null : UUID.fromString(p.sessionId()))))
            .compose(v -> Audit.of(req, "auth.password_changed").target("user", userId, p.email()).write(conn))))
        .compose(v -> passwordChanged.apply(p.email()).transform(done -> Future.succeededFuture()))
        .map(v -> Reply.noContent());
  }

  /** The {@code /me} document of a principal (its org as stored, role re-read). */
  private Future<JsonObject> me(Principal p) {
    UUID userId = UUID.fromString(p.userId());
    return pool.preparedQuery(AuthSql.ME).execute(Tuple.of(userId, UUID.fromString(p.orgId())))
        .compose(meRows -> pool.preparedQuery(AuthSql.MY_ORGS).execute(Tuple.of(userId)).map(orgRows -> {
          Row r = meRows.iterator().next();
          JsonArray orgs = new JsonArray();
          for (Row o : orgRows) {
            orgs.add(new JsonObject().put("id", o.getUUID("id").toString()).put("name", o.getString("name"))
                .put("slug", o.getString("slug")).put("role", o.getString("role")));
          }
          JsonObject me = new JsonObject()
              .put("user", new JsonObject().put("id", userId.toString()).put("email", r.getString("email"))
                  .put("displayName", r.getString("display_name"))
                  .put("mustChangePassword", r.getBoolean("must_change_password")))
              .put("org", new JsonObject().put("id", r.getUUID("org_id").toString()).put("name", r.getString("org_name"))
                  .put("slug", r.getString("org_slug")).put("timezone", r.getString("org_timezone")))
              .put("role", r.getString("role"))
              .put("orgs", orgs);
          if (p.viaSession()) {
            me.put("csrfToken", tokens.csrfToken(p.sessionId()));
          }
          return me;
        }));
  }

  static JsonObject meSchema() {
    return response(props()
        .put("user", response(props().put("id", uuid()).put("email", email())
            .put("displayName", string(0, 200, "Ops Lead")).put("mustChangePassword", io.sightline.api.http.Schemas.bool(false))))
        .put("org", response(props().put("id", uuid()).put("name", string(1, 200, "Trading ops"))
            .put("slug", string(1, 100, "trading-ops")).put("timezone", string(1, 64, "Europe/London"))))
        .put("role", io.sightline.api.http.Schemas.enumOf("admin", "editor", "viewer"))
        .put("orgs", io.sightline.api.http.Schemas.arrayOf(response(props().put("id", uuid())
            .put("name", string(1, 200, "Outages")).put("slug", string(1, 100, "outages"))
            .put("role", io.sightline.api.http.Schemas.enumOf("admin", "editor", "viewer")))))
        .put("csrfToken", string(1, 100, "value for the X-XSRF-TOKEN header")));
  }

  static boolean secure(RoutingContext ctx) {
    return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
  }

  private static UUID parseUuid(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
