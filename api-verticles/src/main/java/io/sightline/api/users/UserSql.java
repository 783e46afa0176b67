package io.sightline.api.users;

/** The SQL of org member management. Every statement is scoped to the caller's org. */
final class UserSql {
  private UserSql() {}

  /** A member as an org sees it: the last sign-in is to this org ({@code memberships.last_login_at}), never another. */
  private static final String MEMBER_COLUMNS = """
      select u.id, u.email, u.display_name, m.role, m.disabled_at, m.last_login_at, u.must_change_password,
             m.created_at
      from memberships m join users u on u.id = m.user_id""";

  static final String LIST = MEMBER_COLUMNS + " where m.org_id = $1 order by lower(u.email), u.id";

  static final String GET = MEMBER_COLUMNS + " where m.org_id = $1 and u.id = $2";

  static final String USER_BY_EMAIL = "select id from users where lower(email) = lower($1)";

  static final String INSERT_USER = """
      insert into users (email, display_name, password_hash, must_change_password)
      values ($1, $2, $3, $4) returning id""";

  static final String INSERT_MEMBERSHIP = """
      insert into memberships (user_id, org_id, role) values ($1, $2, $3)
      on conflict (user_id, org_id) do nothing returning user_id""";

  /** Locks the org's active admins, so two concurrent demotions cannot both pass the last-admin check. */
  static final String LOCK_ACTIVE_ADMINS = """
      select user_id from memberships
      where org_id = $1 and role = 'admin' and disabled_at is null
      order by user_id for update""";

  static final String LOCK_MEMBER = """
      select m.role, m.disabled_at is not null as disabled, u.display_name
      from memberships m join users u on u.id = m.user_id
      where m.org_id = $1 and m.user_id = $2 for update""";

  static final String UPDATE_MEMBERSHIP = """
      update memberships set role = $3,
             disabled_at = case when $4 then coalesce(disabled_at, now()) else null end,
             updated_at = now()
      where org_id = $1 and user_id = $2""";

  static final String UPDATE_DISPLAY_NAME = "update users set display_name = $2, updated_at = now() where id = $1";

  static final String REVOKE_ORG_SESSIONS = """
      update sessions set revoked_at = now() where user_id = $1 and org_id = $2 and revoked_at is null""";

  static final String REVOKE_ALL_SESSIONS = """
      update sessions set revoked_at = now() where user_id = $1 and revoked_at is null""";

  /**
   * Memberships of the target in orgs where the caller is not an active admin: must be none to change anything of the
   * account itself (its password, its display name), which every org the user belongs to sees.
   */
  static final String ORGS_OUTSIDE_CALLER = """
      select count(*)::int from memberships m
      where m.user_id = $1 and not exists (
        select 1 from memberships a
        where a.user_id = $2 and a.org_id = m.org_id and a.role = 'admin' and a.disabled_at is null)""";

  static final String SET_PASSWORD = """
      update users set password_hash = $2, must_change_password = true, updated_at = now() where id = $1""";
}
