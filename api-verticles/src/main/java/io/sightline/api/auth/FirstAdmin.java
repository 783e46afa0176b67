package io.sightline.api.auth;

import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * First run: when no user exists, creates an org and its admin, from SIGHTLINE_ADMIN_EMAIL / SIGHTLINE_ADMIN_PASSWORD or
 * with a generated one-time password that must be changed at first sign-in. Several api processes starting at once
 * create exactly one (a transaction-scoped advisory lock serialises them).
 */
public final class FirstAdmin {
  public static final String DEFAULT_EMAIL = "admin@localhost";

  /** What was created; {@code oneTimePassword} is empty when the password came from the configuration. */
  public record Created(String email, Optional<String> oneTimePassword) {}

  private FirstAdmin() {}

  public static Future<Optional<Created>> ensure(Pool pool, SightlineConfig.Admin admin) {
    String email = admin.email().isEmpty() ? DEFAULT_EMAIL : admin.email();
    boolean generated = !admin.password().isSet();
    String password = generated ? Passwords.generateOneTime() : admin.password().value();
    String hash = Passwords.hashNow(password);
    return pool.withTransaction(conn -> conn.query("select pg_advisory_xact_lock(hashtext('sightline.first-admin'))")
        .execute()
        .compose(v -> conn.query("select exists (select 1 from users) as any").execute())
        .compose(rows -> {
          if (rows.iterator().next().getBoolean("any")) {
            return Future.succeededFuture(Optional.<Created>empty());
          }
          return conn.query("insert into orgs (name, slug) values ('Default', 'default') returning id").execute()
              .compose(org -> conn.preparedQuery("insert into users (email, display_name, password_hash,"
                      + " must_change_password) values ($1, 'Administrator', $2, $3) returning id")
                  .execute(Tuple.of(email, hash, generated))
                  .compose(user -> conn.preparedQuery("insert into memberships (user_id, org_id, role)"
                          + " values ($1, $2, 'admin')")
                      .execute(Tuple.of(user.iterator().next().getUUID("id"), org.iterator().next().getUUID("id")))))
              .map(v -> Optional.of(new Created(email, generated ? Optional.of(password) : Optional.empty())));
        }));
  }
}
