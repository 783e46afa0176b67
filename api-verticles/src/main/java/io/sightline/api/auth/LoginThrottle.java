package io.sightline.api.auth;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.Map;

/**
 * Throttles password guessing: after too many failed sign-ins of one account, or from one client address, within the
 * window, further attempts get 429 with Retry-After until the oldest counted failure ages out. Counts live in Postgres,
 * so every api node of a cluster enforces the same limit. The answer is the same whether the account exists.
 */
public final class LoginThrottle {
  private final Pool pool;
  private final SightlineConfig.Auth settings;

  public LoginThrottle(Pool pool, SightlineConfig.Auth settings) {
    this.pool = pool;
    this.settings = settings;
  }

  static byte[] accountHash(String email) {
    return ApiKeys.hash("login:" + email.trim().toLowerCase(Locale.ROOT));
  }

  /** Fails with 429 when either the account or the address is over its limit. */
  public Future<Void> check(String email, String address) {
    Future<Void> account = checkOne("account_hash", Buffer.buffer(accountHash(email)),
        settings.loginFailuresPerAccount());
    return account.compose(v -> checkOne("address", address, settings.loginFailuresPerAddress()));
  }

  private Future<Void> checkOne(String column, Object key, int limit) {
    return pool.preparedQuery(String.format(AuthSql.FAILURES, column))
        .execute(Tuple.of(key, settings.loginWindowMinutes(), limit))
        .compose(rows -> {
          Row r = rows.iterator().next();
          if (r.getInteger("failures") < limit) {
            return Future.succeededFuture();
          }
          int retryAfter = Math.max(1, r.getInteger("retry_after") == null ? 1 : r.getInteger("retry_after"));
          return Future.failedFuture(new ApiException(Problem.of(429, "too-many-sign-in-attempts",
              "Too many failed sign-ins", "Try again in " + retryAfter + " seconds."),
              Map.of("Retry-After", Integer.toString(retryAfter))));
        });
  }

  public Future<Void> recordFailure(String email, String address) {
    Buffer account = Buffer.buffer(accountHash(email));
    return pool.preparedQuery(AuthSql.RECORD_FAILURE).execute(Tuple.of(account, address))
        .compose(v -> pool.preparedQuery(AuthSql.FORGET_OLD_FAILURES)
            .execute(Tuple.of(account, address, settings.loginWindowMinutes())))
        .mapEmpty();
  }

  public Future<Void> recordSuccess(String email) {
    return pool.preparedQuery(AuthSql.FORGET_ACCOUNT_FAILURES).execute(Tuple.of(Buffer.buffer(accountHash(email))))
        .mapEmpty();
  }
}
