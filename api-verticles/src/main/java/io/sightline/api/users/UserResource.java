package io.sightline.api.users;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.email;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.auth.Passwords;
import io.sightline.api.audit.Audit;
import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Org members, managed by the org's admins: invite (a new account, or an existing one by email), change role,
 * disable/enable access to this org, reset a password. An org always keeps at least one active admin.
 *
 * <p>An account can belong to several orgs. What is the account's own — its password and display name — may only be
 * changed by the user themself or by an admin of every org they belong to; an org sees the member's last sign-in to
 * that org only, and inviting an existing account answers nothing another org or the user set.
 */
public final class UserResource {
  private static final String TAG = "users";

  private final Pool pool;
  private final Passwords passwords;

  public UserResource(Pool pool, Passwords passwords) {
    this.pool = pool;
    this.passwords = passwords;
  }

  public void register(ApiRoutes routes) {
    Access admin = Access.member(Role.ADMIN);
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/users").access(admin)
        .doc("listUsers", TAG, "Members of this org").returns(200, arrayOf(memberSchema())).handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/users").access(admin)
        .doc("inviteUser", TAG, "Add a member: a new account (with the given or a one-time password, shown once) or an"
            + " existing account by email")
        .body(object(props()
            .put("email", email())
            .put("displayName", string(0, 200, "Night shift lead"))
            .put("role", enumOf("viewer", "editor", "admin"))
            .put("password", string(Passwords.MIN_LENGTH, Passwords.MAX_LENGTH, "a long initial passphrase")),
            "email", "role"))
        .returns(201, memberSchema().put("properties", memberSchema().getJsonObject("properties").copy()
            .put("oneTimePassword", string(1, 100, "abcde-fghjk-mnpqr-stuvw"))))
        .handler(this::invite));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/users/{userId}").access(admin)
        .doc("getUser", TAG, "One member of this org").returns(200, memberSchema()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PATCH, "/api/v1/users/{userId}").access(admin)
        .doc("updateUser", TAG, "Change a member's role, display name, or access to this org (disabled ends their"
            + " sessions and API keys here at once). The display name belongs to the account: someone who also"
            + " belongs to orgs you do not administer renames themself (403 otherwise)")
        .body(object(props()
            .put("role", enumOf("viewer", "editor", "admin"))
            .put("displayName", string(0, 200, "Day shift lead"))
            .put("disabled", bool(false))))
        .returns(200, memberSchema()).handler(this::update));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/users/{userId}/password-reset").access(admin)
        .doc("resetPassword", TAG, "Give a member a one-time password (shown once) and end their sessions")
        .returns(200, response(props().put("oneTimePassword", string(1, 100, "abcde-fghjk-mnpqr-stuvw"))))
        .handler(this::resetPassword));
  }

  private Future<Reply> list(ApiRequest req) {
    return pool.preparedQuery(UserSql.LIST).execute(Tuple.of(UUID.fromString(req.orgId()))).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(member(r)));
      return Reply.ok(out);
    });
  }

  private Future<Reply> get(ApiRequest req) {
    UUID userId = req.id("userId", "That user");
    return fetch(pool, UUID.fromString(req.orgId()), userId).map(Reply::ok);
  }

  private Future<Reply> invite(ApiRequest req) {
    JsonObject body = req.body();
    String emailText = body.getString("email").trim();
    Role role = Role.fromWire(body.getString("role"));
    String given = body.getString("password");
    String oneTime = given == null ? Passwords.generateOneTime() : null;
    UUID orgId = UUID.fromString(req.orgId());
    return passwords.hash(given != null ? given : oneTime).compose(hash -> pool.withTransaction(conn ->
        conn.preparedQuery(UserSql.USER_BY_EMAIL).execute(Tuple.of(emailText)).compose(found -> {
          if (found.iterator().hasNext()) {
            return Future.succeededFuture(new Invited(found.iterator().next().getUUID("id"), false));
          }
          return conn.preparedQuery(UserSql.INSERT_USER)
              .execute(Tuple.of(emailText, body.getString("displayName", ""), hash, oneTime != null))
              .map(rows -> new Invited(rows.iterator().next().getUUID("id"), true));
        }).compose(invited -> conn.preparedQuery(UserSql.INSERT_MEMBERSHIP)
            .execute(Tuple.of(invited.userId(), orgId, role.wire()))
            .compose(rows -> rows.rowCount() == 0
                ? Future.failedFuture(ApiException.conflict("Already a member",
                    emailText + " is already a member of this org."))
                : fetch(conn, orgId, invited.userId()))
            .compose(member -> Audit.of(req, "member.invited").target("user", invited.userId(), emailText)
                .detail("role", role.wire()).detail("existingAccount", !invited.created()).write(conn).map(member))
            .map(member -> {
              if (!invited.created()) {
                // the account's profile was set by the user or another org: this org learns it only from the list
                // of its members, like any member's, not by probing addresses
                member.put("displayName", "").put("mustChangePassword", false);
              }
              member.put("existingAccount", !invited.created());
              if (invited.created() && oneTime != null) {
                member.put("oneTimePassword", oneTime);
              }
              return Reply.created(member);
            }))));
  }

  private record Invited(UUID userId, boolean created) {}

  private Future<Reply> update(ApiRequest req) {
    UUID orgId = UUID.fromString(req.orgId());
    UUID userId = req.id("userId", "That user");
    UUID caller = UUID.fromString(req.principal().userId());
    JsonObject body = req.body();
    return pool.withTransaction(conn -> conn.preparedQuery(UserSql.LOCK_ACTIVE_ADMINS).execute(Tuple.of(orgId))
        .compose(admins -> conn.preparedQuery(UserSql.LOCK_MEMBER).execute(Tuple.of(orgId, userId)).compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(ApiException.notFound("That user"));
          }
          Row current = rows.iterator().next();
          boolean renames = body.containsKey("displayName")
              && !body.getString("displayName").equals(current.getString("display_name"));
          return (renames && !caller.equals(userId)
              ? requireAdminOfAllTheirOrgs(conn, userId, caller, "change their display name")
              : Future.<Void>succeededFuture())
              .compose(allowed -> applyUpdate(req, conn, userId, current, admins.size(), renames));
        }))).map(Reply::ok);
  }

  /** Applies a checked member update (role, access to this org, display name) and answers the member. */
  private static Future<JsonObject> applyUpdate(ApiRequest req, SqlConnection conn, UUID userId, Row current,
      int activeAdmins, boolean renames) {
    UUID orgId = UUID.fromString(req.orgId());
    JsonObject body = req.body();
    Role currentRole = Role.fromWire(current.getString("role"));
    boolean currentlyDisabled = current.getBoolean("disabled");
    Role nextRole = body.containsKey("role") ? Role.fromWire(body.getString("role")) : currentRole;
    boolean nextDisabled = body.containsKey("disabled") ? body.getBoolean("disabled") : currentlyDisabled;
    boolean isActiveAdmin = currentRole == Role.ADMIN && !currentlyDisabled;
    boolean staysActiveAdmin = nextRole == Role.ADMIN && !nextDisabled;
    if (isActiveAdmin && !staysActiveAdmin && activeAdmins <= 1) {
      return Future.failedFuture(ApiException.conflict("An org needs an admin",
          "This is the org's last active admin. Make another member admin first."));
    }
    Future<?> name = renames
        ? conn.preparedQuery(UserSql.UPDATE_DISPLAY_NAME).execute(Tuple.of(userId, body.getString("displayName")))
        : Future.succeededFuture();
    return name
        .compose(v -> conn.preparedQuery(UserSql.UPDATE_MEMBERSHIP)
            .execute(Tuple.of(orgId, userId, nextRole.wire(), nextDisabled)))
        .compose(v -> nextDisabled && !currentlyDisabled
            ? conn.preparedQuery(UserSql.REVOKE_ORG_SESSIONS).execute(Tuple.of(userId, orgId))
            : Future.succeededFuture())
        .compose(v -> fetch(conn, orgId, userId))
        .compose(member -> {
          Future<Void> audited = Future.succeededFuture();
          if (nextRole != currentRole) {
            audited = audited.compose(v -> Audit.of(req, "member.role_changed")
                .target("user", userId, member.getString("email"))
                .detail("from", currentRole.wire()).detail("to", nextRole.wire()).write(conn));
          }
          if (nextDisabled != currentlyDisabled) {
            audited = audited.compose(v -> Audit.of(req, nextDisabled ? "member.disabled" : "member.enabled")
                .target("user", userId, member.getString("email")).write(conn));
          }
          return audited.map(member);
        });
  }

  /**
   * Succeeds only when {@code caller} is an active admin of every org {@code userId} belongs to; else 403 saying that
   * only such an admin can {@code action} (what the account's other orgs would see changed).
   */
  private static Future<Void> requireAdminOfAllTheirOrgs(SqlClient client, UUID userId, UUID caller, String action) {
    return client.preparedQuery(UserSql.ORGS_OUTSIDE_CALLER).execute(Tuple.of(userId, caller))
        .compose(rows -> rows.iterator().next().getInteger(0) > 0
            ? Future.failedFuture(ApiException.forbidden("This user also belongs to orgs you do not administer; only"
                + " they or an admin of all their orgs can " + action + "."))
            : Future.succeededFuture());
  }

  private Future<Reply> resetPassword(ApiRequest req) {
    UUID orgId = UUID.fromString(req.orgId());
    UUID userId = req.id("userId", "That user");
    UUID caller = UUID.fromString(req.principal().userId());
    String oneTime = Passwords.generateOneTime();
    return fetch(pool, orgId, userId)
        .compose(member -> requireAdminOfAllTheirOrgs(pool, userId, caller, "reset their password")
            .compose(allowed -> passwords.hash(oneTime))
            .compose(hash -> pool.withTransaction(conn -> conn.preparedQuery(UserSql.SET_PASSWORD)
                .execute(Tuple.of(userId, hash))
                .compose(v -> conn.preparedQuery(UserSql.REVOKE_ALL_SESSIONS).execute(Tuple.of(userId)))
                .compose(v -> Audit.of(req, "auth.password_reset").target("user", userId, member.getString("email"))
                    .write(conn)))))
        .map(v -> Reply.ok(new JsonObject().put("oneTimePassword", oneTime)));
  }

  private static Future<JsonObject> fetch(SqlClient client, UUID orgId, UUID userId) {
    return client.preparedQuery(UserSql.GET).execute(Tuple.of(orgId, userId)).compose(rows -> rows.iterator().hasNext()
        ? Future.succeededFuture(member(rows.iterator().next()))
        : Future.failedFuture(ApiException.notFound("That user")));
  }

  static JsonObject member(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("email", r.getString("email"))
        .put("displayName", r.getString("display_name"))
        .put("role", r.getString("role"))
        .put("disabled", r.getValue("disabled_at") != null)
        .put("mustChangePassword", r.getBoolean("must_change_password"))
        .put("lastLoginAt", r.getOffsetDateTime("last_login_at") == null ? null
            : r.getOffsetDateTime("last_login_at").toInstant().toString())
        .put("memberSince", r.getOffsetDateTime("created_at").toInstant().toString());
  }

  static JsonObject memberSchema() {
    return response(props()
        .put("id", uuid()).put("email", email()).put("displayName", string(0, 200, "Night shift lead"))
        .put("role", enumOf("admin", "editor", "viewer")).put("disabled", bool(false))
        .put("mustChangePassword", bool(false))
        .put("lastLoginAt", new JsonObject().put("type", new JsonArray().add("string").add("null")).put("format", "date-time"))
        .put("memberSince", new JsonObject().put("type", "string").put("format", "date-time")));
  }
}
