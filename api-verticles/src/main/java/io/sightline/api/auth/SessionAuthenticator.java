package io.sightline.api.auth;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Authenticator;
import io.sightline.api.http.Principal;
import io.sightline.api.http.Problem;
import io.sightline.api.http.Role;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Authenticates each request against the metadata database: an API key ({@code Authorization: Bearer sl_…}) or the
 * session cookie. Either way the user, the membership and the session or key must still be live (an expired key is a
 * 401 "API key expired"), so revoking or disabling takes effect on the next request. Cookie-authenticated writes must echo the CSRF token.
 */
public final class SessionAuthenticator implements Authenticator {
  static final String PRINCIPAL_KEY = "sightline.principal";

  private final Pool pool;
  private final SessionTokens tokens;
  private final int idleMinutes;

  /**
   * {@code idleMinutes}: a session without a request for that long has ended (0: only its expiry ends it); while it
   * is on, a session's {@code last_seen_at} is refreshed at most once a minute.
   */
  public SessionAuthenticator(Pool pool, SessionTokens tokens, int idleMinutes) {
    this.pool = pool;
    this.tokens = tokens;
    this.idleMinutes = idleMinutes;
  }

  @Override
  public Future<Principal> authenticate(RoutingContext ctx, boolean required) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      return byApiKey(authorization);
    }
    Cookie cookie = ctx.request().getCookie(SessionTokens.SESSION_COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      return required ? Future.failedFuture(ApiException.unauthenticated("Sign in or send an API key."))
          : Future.succeededFuture(null);
    }
    return bySession(cookie.getValue())
        .recover(err -> required ? Future.failedFuture(err) : Future.succeededFuture(null))
        .compose(principal -> {
          if (principal != null && isWrite(ctx.request().method())
              && !tokens.csrfMatches(principal.sessionId(), ctx.request().getHeader(SessionTokens.CSRF_HEADER))) {
            return Future.failedFuture(new ApiException(Problem.of(403, "csrf", "CSRF token missing or wrong",
                "Cookie-authenticated changes must send the " + SessionTokens.CSRF_HEADER + " header with the value of"
                    + " the " + SessionTokens.CSRF_COOKIE + " cookie.")));
          }
          return Future.succeededFuture(principal);
        })
        .onSuccess(p -> ctx.put(PRINCIPAL_KEY, p));
  }

  /**
   * Who a request's credentials act as — its {@code Authorization} header if it sent one, else its session cookie's
   * value — with the same checks as {@link #authenticate} but no CSRF check; null when there are none or they are not,
   * or no longer, valid; fails only when they could not be checked (the database unreachable). For read-only channels
   * such as the event-bus bridge, whose SockJS transports may open with a POST and hide the cookies of their request.
   */
  public Future<Principal> identify(String authorization, String sessionToken) {
    if (authorization != null) {
      return invalidAsNull(byApiKey(authorization));
    }
    return sessionToken == null || sessionToken.isEmpty() ? Future.succeededFuture(null)
        : invalidAsNull(bySession(sessionToken));
  }

  /** Refused credentials become null; other failures (the database unreachable) stay failures. */
  private static Future<Principal> invalidAsNull(Future<Principal> principal) {
    return principal.recover(err -> err instanceof ApiException ? Future.succeededFuture(null)
        : Future.failedFuture(err));
  }

  private Future<Principal> bySession(String token) {
    ApiException expired = ApiException.unauthenticated("Your session has ended; sign in again.");
    return tokens.verify(token)
        .recover(err -> Future.failedFuture(expired))
        .compose(claims -> {
          UUID sid;
          UUID uid;
          try {
            sid = UUID.fromString(claims.sessionId());
            uid = UUID.fromString(claims.userId());
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(expired);
          }
          Tuple args = Tuple.of(sid, uid, idleMinutes);
          return pool.preparedQuery(AuthSql.SESSION_PRINCIPAL).execute(args).compose(rows -> {
            if (!rows.iterator().hasNext()) {
              return Future.failedFuture(expired);
            }
            Row r = rows.iterator().next();
            if (idleMinutes > 0 && r.getBoolean("stale")) {
              pool.preparedQuery(AuthSql.TOUCH_SESSION).execute(Tuple.of(sid));
            }
            return Future.succeededFuture(new Principal(r.getUUID("user_id").toString(), r.getString("email"),
                r.getUUID("org_id").toString(), Role.fromWire(r.getString("role")), claims.sessionId(), null,
                r.getBoolean("must_change_password")));
          });
        });
  }

  private Future<Principal> byApiKey(String authorization) {
    ApiException invalid = ApiException.unauthenticated(
        "The API key is not valid (unknown, revoked, or its user no longer has access).");
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiException.unauthenticated("Use Authorization: Bearer <API key>."));
    }
    String key = authorization.substring(7).trim();
    if (!ApiKeys.looksLikeKey(key)) {
      return Future.failedFuture(invalid);
    }
    return pool.preparedQuery(AuthSql.API_KEY_PRINCIPAL).execute(Tuple.of(Buffer.buffer(ApiKeys.hash(key))))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(invalid);
          }
          Row r = rows.iterator().next();
          if (r.getBoolean("expired")) {
            return Future.failedFuture(expired(r.getOffsetDateTime("expires_at")));
          }
          UUID keyId = r.getUUID("id");
          if (r.getBoolean("stale")) {
            pool.preparedQuery(AuthSql.TOUCH_API_KEY).execute(Tuple.of(keyId));
          }
          // an API key is its own credential: a pending password change of its user does not block it
          return Future.succeededFuture(new Principal(r.getUUID("user_id").toString(), r.getString("email"),
              r.getUUID("org_id").toString(), Role.fromWire(r.getString("role")), null, keyId.toString(), false));
        });
  }

  /** A key past its {@code expires_at}: never accepted, and told apart from an unknown or revoked one. */
  private static ApiException expired(OffsetDateTime at) {
    return new ApiException(Problem.of(401, "api-key-expired", "API key expired", "This API key expired at "
        + at.toInstant() + ". Create a new key (Admin → API keys) and revoke this one."));
  }

  private static boolean isWrite(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }
}
