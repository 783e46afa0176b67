package io.sightline.api.audit;

import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.Principal;
import io.sightline.api.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * One audit event about to be written ({@code audit_events}, V8): what happened, by whom, to what, from where and in
 * which request. Build it from the request ({@link #of}), name the target and any details, then {@link #write} it on
 * the connection of the action's own transaction, so the row exists iff the action committed. Details never carry a
 * secret (no password, key or hash): callers put names, roles and changed field names only.
 */
public final class Audit {
  private static final String INSERT = """
      insert into audit_events (org_id, actor_user_id, actor_api_key_id, actor_email, action, target_kind, target_id,
          target_name, ip, request_id, details)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""";
  /** A failed sign-in: one row per org the account belongs to, or one without an org when no account matches. */
  private static final String INSERT_SIGN_IN_FAILED = """
      insert into audit_events (org_id, actor_user_id, actor_email, action, target_kind, target_id, target_name, ip,
          request_id, details)
      select m.org_id, u.id, $1, 'auth.sign_in_failed', 'user', u.id::text, $1, $2, $3, $4
      from (values (1)) one
      left join users u on lower(u.email) = lower($1)
      left join memberships m on m.user_id = u.id""";

  private final UUID orgId;
  private final UUID actorUserId;
  private final UUID actorApiKeyId;
  private final String actorEmail;
  private final String action;
  private final String ip;
  private final String requestId;
  private String targetKind;
  private String targetId;
  private String targetName;
  private final JsonObject details = new JsonObject();

  private Audit(UUID orgId, UUID actorUserId, UUID actorApiKeyId, String actorEmail, String action, String ip,
      String requestId) {
    this.orgId = orgId;
    this.actorUserId = actorUserId;
    this.actorApiKeyId = actorApiKeyId;
    this.actorEmail = actorEmail;
    this.action = action;
    this.ip = ip;
    this.requestId = requestId;
  }

  /** {@code action} ({@code area.verb}) done by the request's principal in its org. */
  public static Audit of(ApiRequest req, String action) {
    Principal p = req.principal();
    return new Audit(UUID.fromString(p.orgId()), UUID.fromString(p.userId()),
        p.apiKeyId() == null ? null : UUID.fromString(p.apiKeyId()), p.email(), action, req.clientAddress(),
        RequestIds.of(req.ctx()));
  }

  /** {@code action} done in {@code orgId} by {@code userId} ({@code email}) through {@code req} (a sign-in). */
  public static Audit asUser(ApiRequest req, UUID orgId, UUID userId, String email, String action) {
    return new Audit(orgId, userId, null, email, action, req.clientAddress(), RequestIds.of(req.ctx()));
  }

  public Audit target(String kind, Object id, String name) {
    this.targetKind = kind;
    this.targetId = id == null ? null : id.toString();
    this.targetName = name;
    return this;
  }

  public Audit detail(String key, Object value) {
    details.put(key, value);
    return this;
  }

  /** Writes the event on {@code client}: the action's transaction connection wherever the action is transactional. */
  public Future<Void> write(SqlClient client) {
    return client.preparedQuery(INSERT).execute(Tuple.from(new Object[] {orgId, actorUserId, actorApiKeyId,
        actorEmail, action, targetKind, targetId, targetName, ip, requestId, details})).mapEmpty();
  }

  /**
   * Records a failed sign-in with {@code email}: in every org of the account it names (so their admins see it), or
   * once without an org when it names no account (the attempted email is kept; operators read those in the database).
   */
  public static Future<Void> signInFailed(SqlClient client, ApiRequest req, String email, String reason) {
    return client.preparedQuery(INSERT_SIGN_IN_FAILED).execute(Tuple.of(email, req.clientAddress(),
        RequestIds.of(req.ctx()), new JsonObject().put("reason", reason))).mapEmpty();
  }
}
