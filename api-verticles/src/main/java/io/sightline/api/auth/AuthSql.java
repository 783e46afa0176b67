package io.sightline.api.auth;

/** The SQL of sign-in, sessions and API-key authentication. */
final class AuthSql {
  private AuthSql() {}

  static final String USER_BY_EMAIL = """
      select id, password_hash, disabled_at is not null as disabled
      from users where lower(email) = lower($1)""";

  /** The org a sign-in lands in: the one asked for if the user is an active member, else the oldest membership. */
  static final String LOGIN_ORG = """
      select org_id from memberships
      where user_id = $1 and disabled_at is null
      order by (org_id = $2) desc, created_at, org_id
      limit 1""";

  static final String CREATE_SESSION = """
      insert into sessions (user_id, org_id, expires_at, user_agent, ip)
      values ($1, $2, now() + make_interval(hours => $3), left($4, 400), $5::text::inet)
      returning id, expires_at""";

  /** Records a sign-in: account-wide, and as the last sign-in to the org it lands in (what that org's admins see). */
  static final String TOUCH_LOGIN = """
      with account as (update users set last_login_at = now() where id = $1)
      update memberships set last_login_at = now() where user_id = $1 and org_id = $2""";

  /** Switching to an org counts as signing in to it, for that org's admins. */
  static final String TOUCH_ORG_LOGIN = """
      update memberships set last_login_at = now() where user_id = $1 and org_id = $2""";

  /** $3: the idle timeout in minutes, 0 for none; {@code stale}: last_seen_at is worth refreshing. */
  static final String SESSION_PRINCIPAL = """
      select s.user_id, s.org_id, m.role, u.email, u.must_change_password,
             (s.last_seen_at is null or s.last_seen_at < now() - interval '1 minute') as stale
      from sessions s
      join users u on u.id = s.user_id
      join memberships m on m.user_id = s.user_id and m.org_id = s.org_id
      where s.id = $1 and s.user_id = $2 and s.revoked_at is null and s.expires_at > now()
        and ($3 = 0 or coalesce(s.last_seen_at, s.created_at) > now() - make_interval(mins => $3))
        and u.disabled_at is null and m.disabled_at is null""";

  static final String TOUCH_SESSION = "update sessions set last_seen_at = now() where id = $1";

  /**
   * {@code expired}: the key's {@code expires_at} has passed (by the database's clock); {@code stale}: last_used_at is
   * worth refreshing.
   */
  static final String API_KEY_PRINCIPAL = """
      select k.id, k.user_id, k.org_id, m.role, u.email, k.expires_at,
             coalesce(k.expires_at <= now(), false) as expired,
             (k.last_used_at is null or k.last_used_at < now() - interval '1 minute') as stale
      from api_keys k
      join users u on u.id = k.user_id
      join memberships m on m.user_id = k.user_id and m.org_id = k.org_id
      where k.key_hash = $1 and k.revoked_at is null and u.disabled_at is null and m.disabled_at is null""";

  static final String TOUCH_API_KEY = "update api_keys set last_used_at = now() where id = $1";

  static final String REVOKE_SESSION = "update sessions set revoked_at = now() where id = $1 and revoked_at is null";

  static final String REVOKE_OTHER_SESSIONS = """
      update sessions set revoked_at = now()
      where user_id = $1 and revoked_at is null and id is distinct from $2""";

  static final String SWITCH_ORG = """
      update sessions s set org_id = $3
      where s.id = $1 and s.user_id = $2 and s.revoked_at is null
        and exists (select 1 from memberships m where m.user_id = $2 and m.org_id = $3 and m.disabled_at is null)""";

  static final String ME = """
      select u.id, u.email, u.display_name, u.must_change_password,
             o.id as org_id, o.name as org_name, o.slug as org_slug, o.timezone as org_timezone, m.role
      from users u
      join memberships m on m.user_id = u.id and m.org_id = $2
      join orgs o on o.id = m.org_id
      where u.id = $1""";

  static final String MY_ORGS = """
      select o.id, o.name, o.slug, m.role from memberships m join orgs o on o.id = m.org_id
      where m.user_id = $1 and m.disabled_at is null order by o.name, o.id""";

  static final String PASSWORD_HASH = "select password_hash from users where id = $1";

  static final String SET_PASSWORD = """
      update users set password_hash = $2, must_change_password = $3, updated_at = now() where id = $1""";

  /**
   * Serialises the sign-in attempts of one account ({@code $1}, its hash) and of one client address ({@code $2}) until
   * the transaction ends. Always account first, then address, so two attempts cannot wait on each other; the two-key
   * advisory lock space does not overlap the one-key space other locks use.
   */
  static final String LOCK_ATTEMPTS = """
      select pg_advisory_xact_lock(1397507393, hashtext(encode($1, 'hex'))),
             pg_advisory_xact_lock(1397507394, hashtext($2))""";

  /**
   * Under the locks above: counts the failures of the account and of the address in the window ({@code $3} minutes)
   * and, when both are under their limits ({@code $4}, {@code $5}), records this attempt as a failure before its
   * password is checked (a success removes it again). Answers the counts, the seconds until the limit-th most recent
   * failure leaves the window, and the id of the recorded attempt (null when refused).
   */
  static final String RESERVE_ATTEMPT = """
      with account as (
        select count(*)::int as failures,
               (select ceil(extract(epoch from (at + make_interval(mins => $3) - now())))::int from login_failures
                where account_hash = $1 and at > now() - make_interval(mins => $3)
                order by at desc offset greatest($4 - 1, 0) limit 1) as retry_after
        from login_failures where account_hash = $1 and at > now() - make_interval(mins => $3)),
      address as (
        select count(*)::int as failures,
               (select ceil(extract(epoch from (at + make_interval(mins => $3) - now())))::int from login_failures
                where address = $2 and at > now() - make_interval(mins => $3)
                order by at desc offset greatest($5 - 1, 0) limit 1) as retry_after
        from login_failures where address = $2 and at > now() - make_interval(mins => $3)),
      attempt as (
        insert into login_failures (account_hash, address)
        select $1, $2 from account, address where account.failures < $4 and address.failures < $5
        returning id)
      select account.failures as account_failures, account.retry_after as account_retry_after,
             address.failures as address_failures, address.retry_after as address_retry_after,
             (select id from attempt) as attempt_id
      from account, address""";

  static final String FORGET_OLD_FAILURES = """
      delete from login_failures
      where (account_hash = $1 or address = $2) and at < now() - make_interval(mins => $3)""";

  static final String FORGET_ACCOUNT_FAILURES = "delete from login_failures where account_hash = $1";
}
