package io.sightline.api.auth;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiMetrics;
import io.sightline.api.http.Problem;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.Map;

/**
 * Throttles password guessing: after too many failed sign-ins of one account, or from one client address, within the
 * window, further attempts get 429 with Retry-After until the oldest counted failure ages out. Counts live in Postgres,
 * so every api node of a cluster enforces the same limit. The answer is the same whether the account exists.
 *
 * <p>An attempt is counted <em>before</em> its password is checked: under a transaction-scoped advisory lock of the
 * account and of the address, one statement counts the failures in the window and, when under both limits, records the
 * attempt as a failure. N parallel guesses therefore count as N, and at most the limit of them ever reach the password
 * check; a successful sign-in then clears the account's failures (its own included).
 */
public final class LoginThrottle {
  private final Pool pool;
  private final SightlineConfig.Auth settings;
  private final ApiMetrics metrics;

  public LoginThrottle(Pool pool, SightlineConfig.Auth settings, ApiMetrics metrics) {
    this.pool = pool;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The key of an account's failed sign-ins (never the email itself). */
  public static byte[] accountHash(String email) {
    return ApiKeys.hash("login:" + email.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Counts this attempt as a failure unless it succeeds ({@link #recordSuccess}); fails with 429 (and counts nothing)
   * when the account or the address is already at its limit.
   */
  public Future<Void> begin(String email, String address) {
    Buffer account = Buffer.buffer(accountHash(email));
    int window = settings.loginWindowMinutes();
    return pool.withTransaction(conn -> conn.preparedQuery(AuthSql.LOCK_ATTEMPTS).execute(Tuple.of(account, address))
        .compose(locked -> conn.preparedQuery(AuthSql.RESERVE_ATTEMPT).execute(Tuple.of(account, address, window,
            settings.loginFailuresPerAccount(), settings.loginFailuresPerAddress())))
        .compose(rows -> conn.preparedQuery(AuthSql.FORGET_OLD_FAILURES).execute(Tuple.of(account, address, window))
            .map(rows.iterator().next())))
        .compose(r -> {
          if (r.getLong("attempt_id") != null) {
            return Future.succeededFuture();
          }
          Integer retry = r.getInteger("account_failures") >= settings.loginFailuresPerAccount()
              ? r.getInteger("account_retry_after") : r.getInteger("address_retry_after");
          int retryAfter = Math.max(1, retry == null ? 1 : retry);
          metrics.loginThrottled();
          return Future.failedFuture(new ApiException(Problem.of(429, "too-many-sign-in-attempts",
              "Too many failed sign-ins", "Try again in " + retryAfter + " seconds."),
              Map.of("Retry-After", Integer.toString(retryAfter))));
        });
  }

  /** A sign-in begun with {@link #begin} was refused (wrong credentials): it stays counted; this only measures it. */
  public void recordFailure() {
    metrics.loginFailed();
  }

  /** A sign-in succeeded: the account's failures in the window, this attempt's included, no longer count. */
  public Future<Void> recordSuccess(String email) {
    return pool.preparedQuery(AuthSql.FORGET_ACCOUNT_FAILURES).execute(Tuple.of(Buffer.buffer(accountHash(email))))
        .mapEmpty();
  }
}
