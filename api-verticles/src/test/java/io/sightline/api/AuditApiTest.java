package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.ORG_B;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log: every security-relevant action leaves exactly one event naming its actor and target, written with
 * the action (a refused action leaves none), never a secret; {@code GET /api/v1/audit} shows an org's events to its
 * admins only, filtered and paged.
 */
@ExtendWith(PostgresExtension.class)
class AuditApiTest {
  private static final String SECRET = "s3cr3t-datasource-password";
  private static ApiTestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    admin = server.as(ADMIN_A);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The org's events of {@code action} about {@code targetId}, straight from the table. */
  private static List<Map<String, Object>> events(String action, String targetId) {
    return server.db.query("select org_id::text as org, actor_email, actor_user_id::text as actor, target_kind,"
        + " target_name, details::text as details, request_id, ip from audit_events where action = '" + action
        + "' and target_id = '" + targetId + "'");
  }

  private static Map<String, Object> once(String action, String targetId) {
    List<Map<String, Object>> found = events(action, targetId);
    assertThat(found).as(action + " on " + targetId).hasSize(1);
    return found.get(0);
  }

  private static JsonObject datasource(String name) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("database", "grid").put("user", "reader")
        .put("password", SECRET);
  }

  @Test
  void everyActionIsRecordedOnceWithItsActorAndTargetAndNoSecret() {
    String adminId = server.userId(ADMIN_A);
    // members: invite, role change, disable, enable, password reset; the member changes their own password
    Response invited = admin.post("/api/v1/users", new JsonObject().put("email", "audited@a.test").put("role", "viewer")
        .put("password", PASSWORD));
    assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
    String member = invited.json().getString("id");
    assertThat(admin.patch("/api/v1/users/" + member, new JsonObject().put("role", "editor")).status()).isEqualTo(200);
    assertThat(admin.patch("/api/v1/users/" + member, new JsonObject().put("disabled", true)).status()).isEqualTo(200);
    assertThat(admin.patch("/api/v1/users/" + member, new JsonObject().put("disabled", false)).status())
        .isEqualTo(200);
    Response reset = admin.post("/api/v1/users/" + member + "/password-reset", null);
    String oneTime = reset.json().getString("oneTimePassword");
    ApiClient memberClient = new ApiClient(server.base).login("audited@a.test", oneTime);
    assertThat(memberClient.post("/api/v1/me/password", new JsonObject().put("currentPassword", oneTime)
        .put("newPassword", "a brand new passphrase")).status()).isEqualTo(204);

    Map<String, Object> invite = once("member.invited", member);
    assertThat(invite).containsEntry("org", ORG_A).containsEntry("actor", adminId)
        .containsEntry("actor_email", ADMIN_A).containsEntry("target_kind", "user")
        .containsEntry("target_name", "audited@a.test");
    assertThat(new JsonObject((String) invite.get("details")).getString("role")).isEqualTo("viewer");
    JsonObject role = new JsonObject((String) once("member.role_changed", member).get("details"));
    assertThat(role.getString("from")).isEqualTo("viewer");
    assertThat(role.getString("to")).isEqualTo("editor");
    once("member.disabled", member);
    once("member.enabled", member);
    assertThat(once("auth.password_reset", member)).containsEntry("actor", adminId);
    assertThat(once("auth.password_changed", member)).containsEntry("actor", member);
    // signed in once, with the one-time password
    assertThat(events("auth.sign_in", member)).hasSize(1);

    // API keys
    Response key = admin.post("/api/v1/api-keys", new JsonObject().put("name", "exporter"));
    String keyId = key.json().getString("id");
    assertThat(admin.delete("/api/v1/api-keys/" + keyId).status()).isEqualTo(204);
    assertThat(once("api_key.created", keyId)).containsEntry("target_name", "exporter");
    assertThat(once("api_key.revoked", keyId)).containsEntry("actor", adminId);
    assertThat((String) once("api_key.created", keyId).get("details")).doesNotContain(key.json().getString("key"));

    // datasources: never the secret
    Response ds = admin.post("/api/v1/datasources", datasource("Audited DB"));
    String dsId = ds.json().getString("id");
    assertThat(admin.patch("/api/v1/datasources/" + dsId, new JsonObject().put("password", "an0ther-" + SECRET)
        .put("port", 5433)).status()).isEqualTo(200);
    assertThat(admin.delete("/api/v1/datasources/" + dsId).status()).isEqualTo(204);
    once("datasource.created", dsId);
    assertThat(new JsonObject((String) once("datasource.updated", dsId).get("details")).getJsonArray("fields"))
        .containsExactly("password", "port");
    once("datasource.deleted", dsId);
    assertThat(server.db.scalar("select count(*) from audit_events where details::text like '%" + SECRET + "%'"
        + " or target_name like '%" + SECRET + "%'")).isEqualTo(0L);

    // queries, dashboards and schedules
    String grid = admin.post("/api/v1/datasources", datasource("Audit grid")).json().getString("id");
    ApiClient editor = server.as(EDITOR_A);
    String query = editor.post("/api/v1/queries", new JsonObject().put("name", "Doomed query")
        .put("datasourceId", grid).put("sql", "select 1")).json().getString("id");
    assertThat(editor.delete("/api/v1/queries/" + query).status()).isEqualTo(204);
    assertThat(once("query.deleted", query)).containsEntry("actor_email", EDITOR_A)
        .containsEntry("target_name", "Doomed query");
    String kept = editor.post("/api/v1/queries", new JsonObject().put("name", "Scheduled query")
        .put("datasourceId", grid).put("sql", "select 1")).json().getString("id");
    Response schedule = editor.post("/api/v1/schedules", new JsonObject().put("name", "Hourly").put("queryId", kept)
        .put("kind", "interval").put("everySeconds", 3600).put("timezone", "UTC"));
    assertThat(schedule.status()).as(schedule.toString()).isEqualTo(201);
    String scheduleId = schedule.json().getString("id");
    // the schedule refers to the query: deleting it archives it (once: a second delete finds nothing)
    assertThat(editor.delete("/api/v1/queries/" + kept).status()).isEqualTo(204);
    once("query.archived", kept);
    assertThat(editor.delete("/api/v1/queries/" + kept).status()).isEqualTo(404);
    once("query.archived", kept);
    assertThat(editor.delete("/api/v1/schedules/" + scheduleId).status()).isEqualTo(204);
    assertThat(once("schedule.deleted", scheduleId)).containsEntry("target_name", "Hourly");
    Response dashboard = editor.post("/api/v1/dashboards", new JsonObject().put("name", "Doomed board")
        .put("tiles", new JsonArray()));
    String dashboardId = dashboard.json().getString("id");
    assertThat(editor.delete("/api/v1/dashboards/" + dashboardId).status()).isEqualTo(204);
    assertThat(once("dashboard.deleted", dashboardId)).containsEntry("target_name", "Doomed board");
  }

  @Test
  void signInsAndFailedSignInsAreRecordedWhereTheirOrgsAdminsSeeThem() {
    String viewer = server.userId(VIEWER_A);
    long before = (long) server.db.scalar("select count(*) from audit_events where action = 'auth.sign_in'"
        + " and target_id = '" + viewer + "'");
    server.as(VIEWER_A);
    assertThat(server.db.scalar("select count(*) from audit_events where action = 'auth.sign_in' and target_id = '"
        + viewer + "'")).isEqualTo(before + 1);
    Response wrong = server.anonymous().post("/api/v1/auth/login", new JsonObject().put("email", VIEWER_A)
        .put("password", "not the password"));
    assertThat(wrong.status()).isEqualTo(401);
    Map<String, Object> failed = events("auth.sign_in_failed", viewer).get(0);
    assertThat(failed).containsEntry("org", ORG_A).containsEntry("actor_email", VIEWER_A)
        .containsEntry("request_id", wrong.header("X-Request-Id").orElseThrow());
    assertThat(new JsonObject((String) failed.get("details")).getString("reason")).isEqualTo("wrong_password");
    assertThat((String) failed.get("details")).doesNotContain("not the password");

    // an email no account has: recorded without an org (operators see it in the database; no org's admin does)
    server.anonymous().post("/api/v1/auth/login", new JsonObject().put("email", "nobody@nowhere.test")
        .put("password", "guess"));
    List<Map<String, Object>> unknown = server.db.query("select org_id, details->>'reason' as reason from"
        + " audit_events where action = 'auth.sign_in_failed' and actor_email = 'nobody@nowhere.test'");
    assertThat(unknown).hasSize(1);
    assertThat(unknown.get(0).get("org_id")).isNull();
    assertThat(unknown.get(0).get("reason")).isEqualTo("unknown_account");
    JsonArray listed = admin.get("/api/v1/audit?action=auth.sign_in_failed").json().getJsonArray("items");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getJsonObject("actor").getString("email")))
        .contains(VIEWER_A).doesNotContain("nobody@nowhere.test");
  }

  @Test
  void refusedActionsLeaveNoEvent() {
    long before = (long) server.db.scalar("select count(*) from audit_events where action not like 'auth.%'");
    // inviting an existing member: 409
    assertThat(admin.post("/api/v1/users", new JsonObject().put("email", EDITOR_A).put("role", "admin")).status())
        .isEqualTo(409);
    // revoking a key that does not exist: 404
    assertThat(admin.delete("/api/v1/api-keys/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    // a datasource name taken: 409
    admin.post("/api/v1/datasources", datasource("Taken name"));
    long afterCreate = (long) server.db.scalar("select count(*) from audit_events where action not like 'auth.%'");
    assertThat(admin.post("/api/v1/datasources", datasource("Taken name")).status()).isEqualTo(409);
    // the last admin of org B cannot step down: 409
    ApiClient adminB = server.as(ADMIN_B);
    assertThat(adminB.patch("/api/v1/users/" + server.userId(ADMIN_B), new JsonObject().put("role", "viewer"))
        .status()).isEqualTo(409);
    // a viewer may not delete a datasource: 403
    String dsId = admin.get("/api/v1/datasources").array().stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("name").equals("Taken name")).findFirst().orElseThrow().getString("id");
    assertThat(server.as(VIEWER_A).delete("/api/v1/datasources/" + dsId).status()).isEqualTo(403);
    assertThat(afterCreate).isEqualTo(before + 1);
    assertThat(server.db.scalar("select count(*) from audit_events where action not like 'auth.%'"))
        .isEqualTo(afterCreate);
  }

  @Test
  void onlyTheOrgsAdminsReadItsLog() {
    admin.post("/api/v1/api-keys", new JsonObject().put("name", "org A key"));
    assertThat(server.as(VIEWER_A).get("/api/v1/audit").status()).isEqualTo(403);
    assertThat(server.as(EDITOR_A).get("/api/v1/audit").status()).isEqualTo(403);
    assertThat(server.anonymous().get("/api/v1/audit").status()).isEqualTo(401);
    Response b = server.as(ADMIN_B).get("/api/v1/audit?limit=200");
    assertThat(b.status()).isEqualTo(200);
    Set<String> orgAIds = new HashSet<>(server.db.query("select id::text as id from audit_events where org_id = '"
        + ORG_A + "'").stream().map(r -> (String) r.get("id")).toList());
    assertThat(orgAIds).isNotEmpty();
    for (Object o : b.json().getJsonArray("items")) {
      assertThat(orgAIds).doesNotContain(((JsonObject) o).getString("id"));
    }
    assertThat(server.db.scalar("select count(*) from audit_events where org_id = '" + ORG_B + "'"))
        .isEqualTo((long) b.json().getJsonArray("items").size());
  }

  @Test
  void filtersAndKeysetPagesWalkTheWholeLogOnce() {
    for (int i = 0; i < 7; i++) {
      admin.post("/api/v1/api-keys", new JsonObject().put("name", "paged " + i));
    }
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      Response page = admin.get("/api/v1/audit?action=api_key.created&limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      for (Object o : page.json().getJsonArray("items")) {
        JsonObject e = (JsonObject) o;
        assertThat(e.getString("action")).isEqualTo("api_key.created");
        assertThat(seen.add(e.getString("id"))).as("seen once: " + e).isTrue();
        order.add(e.getString("at"));
      }
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).hasSize(((Long) server.db.scalar("select count(*) from audit_events where org_id = '" + ORG_A
        + "' and action = 'api_key.created'")).intValue());
    assertThat(order).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    // an area, an actor (email or id), a target kind, a time window
    JsonArray area = admin.get("/api/v1/audit?action=api_key&limit=200").json().getJsonArray("items");
    assertThat(area.stream().map(o -> ((JsonObject) o).getString("action"))).allMatch(a -> a.startsWith("api_key."))
        .contains("api_key.created");
    JsonArray byEmail = admin.get("/api/v1/audit?actor=" + ADMIN_A.toUpperCase() + "&targetKind=api_key&limit=200")
        .json().getJsonArray("items");
    JsonArray byId = admin.get("/api/v1/audit?actor=" + server.userId(ADMIN_A) + "&targetKind=api_key&limit=200")
        .json().getJsonArray("items");
    assertThat(byEmail.size()).isGreaterThanOrEqualTo(7).isEqualTo(byId.size());
    assertThat(admin.get("/api/v1/audit?actor=" + server.userId(EDITOR_A) + "&targetKind=api_key").json()
        .getJsonArray("items")).isEmpty();
    String future = enc(Instant.now().plusSeconds(3600).toString());
    assertThat(admin.get("/api/v1/audit?from=" + future).json().getJsonArray("items")).isEmpty();
    assertThat(admin.get("/api/v1/audit?to=" + future + "&limit=1").json().getJsonArray("items")).hasSize(1);

    // bad filters: 400 naming the field
    for (String[] bad : new String[][] {{"action=DROP TABLE", "?action"}, {"targetKind=a.b", "?targetKind"},
        {"from=yesterday", "?from"}, {"to=2026-13-01", "?to"}, {"limit=0", "?limit"}, {"limit=x", "?limit"},
        {"cursor=nonsense", "?cursor"}, {"actor=not-an-id", "?actor"}}) {
      Response r = admin.get("/api/v1/audit?" + bad[0].replace(" ", "%20"));
      assertThat(r.status()).as(bad[0] + ": " + r).isEqualTo(400);
      assertThat(r.header("Content-Type")).hasValue("application/problem+json");
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(bad[1]);
    }
  }

  @Test
  void hostileNamesAreStoredAndReturnedIntact() {
    String hostile = "<script>alert(1)</script>' or 1=1; -- \u202e\uD83D\uDCA5 \"quoted\" \\ %s {}";
    Response key = admin.post("/api/v1/api-keys", new JsonObject().put("name", hostile));
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    Response ds = admin.post("/api/v1/datasources", datasource(hostile));
    assertThat(ds.status()).as(ds.toString()).isEqualTo(201);
    Response listed = admin.get("/api/v1/audit?limit=5");
    assertThat(listed.status()).isEqualTo(200);
    List<String> names = listed.json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getJsonObject("target").getString("name")).toList();
    assertThat(names).contains(hostile);
    assertThat(server.db.scalar("select count(*) from audit_events where target_name = '" + hostile.replace("'", "''")
        + "'")).isEqualTo(2L);
    // hostile filter values are refused or simply match nothing, never a 500
    for (String q : new String[] {"actor=" + enc(hostile), "action=" + enc(hostile), "targetKind=" + enc(hostile),
        "actor=" + enc("x@y'; drop table audit_events; --")}) {
      Response r = admin.get("/api/v1/audit?" + q);
      assertThat(r.status()).as(q + ": " + r).isIn(200, 400);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
