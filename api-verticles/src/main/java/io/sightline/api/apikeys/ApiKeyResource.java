package io.sightline.api.apikeys;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.email;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.audit.Audit;
import io.sightline.api.auth.ApiKeys;
import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * API keys for automation. Every member manages their own keys in the current org; admins also see and revoke
 * everyone's. A key acts as its owner, in its org, with the owner's role there; the secret is shown once at creation.
 * A key may expire ({@link KeyExpiry}); an expired key stays listed (shown as expired) until it is revoked.
 */
public final class ApiKeyResource {
  private static final String TAG = "api-keys";

  private static final String LIST = """
      select k.id, k.name, k.key_prefix, k.created_at, k.last_used_at, k.expires_at, u.id as user_id, u.email
      from api_keys k join users u on u.id = k.user_id
      where k.org_id = $1 and k.revoked_at is null and ($2 or k.user_id = $3)
      order by k.created_at desc, k.id""";
  private static final String CREATE = """
      insert into api_keys (org_id, user_id, name, key_prefix, key_hash, expires_at) values ($1, $2, $3, $4, $5, $6)
      returning id, created_at""";
  private static final String REVOKE = """
      update api_keys k set revoked_at = now() from users u
      where k.id = $1 and k.org_id = $2 and k.revoked_at is null and ($3 or k.user_id = $4) and u.id = k.user_id
      returning k.name, u.email""";

  private final Pool pool;

  public ApiKeyResource(Pool pool) {
    this.pool = pool;
  }

  public void register(ApiRoutes routes) {
    Access member = Access.member(Role.VIEWER);
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/api-keys").access(member)
        .doc("listApiKeys", TAG, "Unrevoked API keys (expired ones too): mine, or every member's for an admin")
        .returns(200, arrayOf(keySchema())).handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/api-keys").access(member)
        .doc("createApiKey", TAG, "Create an API key acting as me in this org; the key is in the answer, once."
            + " expiresAt (optional; null or absent: never) is an ISO-8601 instant at least a minute and at most "
            + KeyExpiry.MAX_YEARS + " years ahead")
        .body(object(props().put("name", name(200, "grafana export"))
            .put("expiresAt", nullableString(40, "2030-01-01T00:00:00Z")
                .put("description", "when the key stops working (ISO-8601 instant); null or absent: never")), "name"))
        .returns(201, response(keySchema().getJsonObject("properties").copy()
            .put("key", string(1, 100, "sl_...")))).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.DELETE, "/api/v1/api-keys/{apiKeyId}").access(member)
        .doc("revokeApiKey", TAG, "Revoke an API key (mine; any in this org for an admin); effective at once")
        .returns(204, null).handler(this::revoke));
  }

  private Future<Reply> list(ApiRequest req) {
    boolean admin = req.principal().role() == Role.ADMIN;
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(UUID.fromString(req.orgId()), admin, UUID.fromString(req.principal().userId())))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(key(r)));
          return Reply.ok(out);
        });
  }

  private Future<Reply> create(ApiRequest req) {
    String secret = ApiKeys.generate();
    String name = req.body().getString("name").trim();
    String prefix = ApiKeys.displayPrefix(secret);
    OffsetDateTime expires = KeyExpiry.parse(req.body().getString("expiresAt"), Instant.now());
    return pool.withTransaction(conn -> conn.preparedQuery(CREATE).execute(Tuple.of(UUID.fromString(req.orgId()),
            UUID.fromString(req.principal().userId()), name, prefix, Buffer.buffer(ApiKeys.hash(secret)), expires))
        .compose(rows -> Audit.of(req, "api_key.created").target("api_key", rows.iterator().next().getUUID("id"), name)
            .detail("prefix", prefix).detail("expiresAt", instant(expires)).write(conn).map(rows)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return Reply.created(key(r.getUUID("id"), name, prefix, r.getOffsetDateTime("created_at"), null, expires,
              req.principal().userId(), req.principal().email()).put("key", secret));
        });
  }

  private Future<Reply> revoke(ApiRequest req) {
    UUID id = req.id("apiKeyId", "That API key");
    boolean admin = req.principal().role() == Role.ADMIN;
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE)
        .execute(Tuple.of(id, UUID.fromString(req.orgId()), admin, UUID.fromString(req.principal().userId())))
        .compose(result -> result.rowCount() == 0 ? Future.failedFuture(ApiException.notFound("That API key"))
            : Audit.of(req, "api_key.revoked").target("api_key", id, result.iterator().next().getString("name"))
                .detail("owner", result.iterator().next().getString("email")).write(conn)))
        .map(v -> Reply.noContent());
  }

  private static JsonObject key(Row r) {
    return key(r.getUUID("id"), r.getString("name"), r.getString("key_prefix"), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("last_used_at"), r.getOffsetDateTime("expires_at"), r.getUUID("user_id").toString(),
        r.getString("email"));
  }

  private static JsonObject key(UUID id, String name, String prefix, OffsetDateTime created, OffsetDateTime lastUsed,
      OffsetDateTime expires, String ownerId, String ownerEmail) {
    return new JsonObject()
        .put("id", id.toString()).put("name", name).put("prefix", prefix).put("createdAt", instant(created))
        .put("lastUsedAt", instant(lastUsed)).put("expiresAt", instant(expires))
        .put("owner", new JsonObject().put("id", ownerId).put("email", ownerEmail));
  }

  /** An instant as ISO-8601 in UTC ({@code 2026-11-29T03:00:00Z}); null stays null. */
  private static String instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

  private static JsonObject keySchema() {
    return response(props().put("id", uuid()).put("name", string(1, 200, "grafana export"))
        .put("prefix", string(1, 20, "sl_AbC123")).put("createdAt", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("lastUsedAt", nullableString(40, "2026-11-29T03:05:00Z")
            .put("description", "null: never used; refreshed at most once a minute"))
        .put("expiresAt", nullableString(40, "2027-03-01T00:00:00Z").put("description", "null: never expires"))
        .put("owner", response(props().put("id", uuid()).put("email", email()))));
  }
}
