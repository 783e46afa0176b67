package io.sightline.api.audit;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.pattern;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.KeysetCursor;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.sightline.api.runs.RunResource;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit}: the org's audit log for its admins, newest first, filtered by action (or a whole area,
 * e.g. {@code auth}), actor (user id or email), target kind and time, in keyset pages. Events are written by the
 * resources themselves ({@link Audit}).
 */
public final class AuditResource {
  private static final int MAX_PAGE = 200;
  private static final String ACTION = "[a-z_]+(\\.[a-z_]+)?";
  private static final String KIND = "[a-z_]+";
  private static final String LIST = """
      select id, at, actor_user_id, actor_api_key_id, actor_email, action, target_kind, target_id, target_name, ip,
             request_id, details
      from audit_events
      where org_id = $1
        and ($2::text is null or action = $2 or action like $2 || '.%')
        and ($3::uuid is null or actor_user_id = $3)
        and ($4::text is null or lower(actor_email) = lower($4))
        and ($5::text is null or target_kind = $5)
        and ($6::timestamptz is null or at >= $6)
        and ($7::timestamptz is null or at < $7)
        and ($8::timestamptz is null or (at, id) < ($8, $9))
      order by at desc, id desc
      limit $10""";

  private final Pool pool;

  public AuditResource(Pool pool) {
    this.pool = pool;
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/audit").access(Access.member(Role.ADMIN))
        .doc("listAuditEvents", "audit", "The org's audit log, newest first: sign-ins, passwords, members, API keys,"
            + " datasources, deletions; limit + cursor")
        .query("action", pattern(ACTION, 100, "auth.sign_in_failed"), "this action, or every action of an area"
            + " (e.g. auth)")
        .query("actor", string(1, 320, "ops@example.com"), "done by this user (id or email)")
        .query("targetKind", pattern(KIND, 40, "datasource"), "done to this kind of object")
        .query("from", string(1, 40, "2026-11-28T00:00:00Z"), "at or after (ISO-8601)")
        .query("to", string(1, 40, "2026-11-29T00:00:00Z"), "before (ISO-8601)")
        .query("limit", integer(1, MAX_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(eventSchema()))
            .put("nextCursor", nullableString(200, "opaque"))))
        .handler(this::list));
  }

  private Future<Reply> list(ApiRequest req) {
    int limit = (int) RunResource.parse(req.query("limit"), 50, "limit", 1, MAX_PAGE);
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    String action = matching(req.query("action"), ACTION, "action", "must be an action such as auth.sign_in, or an"
        + " area such as auth");
    String targetKind = matching(req.query("targetKind"), KIND, "targetKind", "must be a kind such as datasource");
    String actor = blankToNull(req.query("actor"));
    UUID actorId = null;
    String actorEmail = null;
    if (actor != null) {
      try {
        actorId = UUID.fromString(actor);
      } catch (IllegalArgumentException notAnId) {
        if (actor.length() > 320 || !actor.contains("@")) {
          throw ApiException.invalid("?actor", "must be a user id or an email");
        }
        actorEmail = actor;
      }
    }
    OffsetDateTime from = RunResource.timestamp(req.query("from"), "from");
    OffsetDateTime to = RunResource.timestamp(req.query("to"), "to");
    Tuple args = Tuple.from(new Object[] {UUID.fromString(req.orgId()), action, actorId, actorEmail, targetKind, from,
        to, cursor == null ? null : cursor.at(), cursor == null ? null : cursor.id(), limit + 1});
    return pool.preparedQuery(LIST).execute(args).map(rows -> {
      List<Row> all = new java.util.ArrayList<>();
      rows.forEach(all::add);
      JsonArray items = new JsonArray();
      all.stream().limit(limit).forEach(r -> items.add(event(r)));
      String next = all.size() > limit
          ? new KeysetCursor(all.get(limit - 1).getOffsetDateTime("at"), all.get(limit - 1).getUUID("id")).encode()
          : null;
      return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private static String matching(String text, String regex, String field, String message) {
    String value = blankToNull(text);
    if (value != null && !Pattern.matches(regex, value)) {
      throw ApiException.invalid("?" + field, message);
    }
    return value;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }

  private static JsonObject event(Row r) {
    UUID user = r.getUUID("actor_user_id");
    UUID key = r.getUUID("actor_api_key_id");
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("at", r.getOffsetDateTime("at").toInstant().toString())
        .put("action", r.getString("action"))
        .put("actor", new JsonObject().put("userId", user == null ? null : user.toString())
            .put("email", r.getString("actor_email")).put("apiKeyId", key == null ? null : key.toString()))
        .put("target", new JsonObject().put("kind", r.getString("target_kind")).put("id", r.getString("target_id"))
            .put("name", r.getString("target_name")))
        .put("ip", r.getString("ip"))
        .put("requestId", r.getString("request_id"))
        .put("details", r.getJsonObject("details"));
  }

  private static JsonObject eventSchema() {
    return response(props()
        .put("id", uuid()).put("at", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("action", string(1, 100, "datasource.updated"))
        .put("actor", response(props().put("userId", nullableString(36, "0b6c…"))
            .put("email", nullableString(320, "ops@example.com")).put("apiKeyId", nullableString(36, "5f1d…"))))
        .put("target", response(props().put("kind", nullableString(40, "datasource"))
            .put("id", nullableString(100, "9a7e…")).put("name", nullableString(10_000, "Trading DB"))))
        .put("ip", nullableString(100, "127.0.0.1"))
        .put("requestId", nullableString(128, "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"))
        .put("details", new JsonObject().put("type", "object")));
  }
}
