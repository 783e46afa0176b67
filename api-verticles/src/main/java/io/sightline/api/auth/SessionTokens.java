package io.sightline.api.auth;

import io.sightline.shared.crypto.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The session cookie (an HS256 JWT naming the user and the server-side session, signed with a key derived from
 * SIGHTLINE_SECRET_KEY) and the CSRF token bound to that session (HMAC of the session id, sent back by the app in a
 * header). The JWT alone never grants access: every request also checks the session row, so sign-out and disabling
 * take effect at once.
 */
public final class SessionTokens {
  public static final String SESSION_COOKIE = "sightline_session";
  public static final String CSRF_COOKIE = "XSRF-TOKEN";
  public static final String CSRF_HEADER = "X-XSRF-TOKEN";

  private final JWTAuth jwt;
  private final byte[] csrfKey;

  public SessionTokens(Vertx vertx, SecretBox secrets) {
    String signingKey = Base64.getUrlEncoder().withoutPadding().encodeToString(secrets.derive("sightline session jwt"));
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(signingKey)));
    this.csrfKey = secrets.derive("sightline csrf");
  }

  /** The claims of a session: who ({@code sub}) and which server-side session ({@code sid}). */
  public record Claims(String userId, String sessionId) {}

  public String issue(String userId, String sessionId, long ttlSeconds) {
    return jwt.generateToken(new JsonObject().put("sub", userId).put("sid", sessionId),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttlSeconds).setIssuer("sightline"));
  }

  /** Verifies signature, issuer and expiry; fails otherwise. */
  public Future<Claims> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      JsonObject p = user.principal();
      String sub = p.getString("sub");
      String sid = p.getString("sid");
      if (sub == null || sid == null || !"sightline".equals(p.getString("iss"))) {
        return Future.failedFuture("incomplete session token");
      }
      return Future.succeededFuture(new Claims(sub, sid));
    });
  }

  public String csrfToken(String sessionId) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(csrfKey, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean csrfMatches(String sessionId, String presented) {
    return presented != null && SecretBox.equal(csrfToken(sessionId).getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  public static Cookie sessionCookie(String token, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(SESSION_COOKIE, token).setPath("/").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
  }

  /** Readable by the app's script, which echoes it in {@link #CSRF_HEADER}. */
  public static Cookie csrfCookie(String token, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(CSRF_COOKIE, token).setPath("/").setHttpOnly(false).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
  }
}
