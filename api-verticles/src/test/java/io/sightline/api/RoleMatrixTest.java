package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.http.Role;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Walks every route of the OpenAPI document × {anonymous, viewer, editor, admin of org A, admin of org B} against
 * objects of org A: anonymous gets 401, a role below the route's gets 403, the other org's member gets 404 for A's
 * objects (and never sees them in lists) — and none of those requests changes anything. Routes added later are walked
 * automatically; a route whose path parameter has no fixture here fails the test.
 */
@ExtendWith(PostgresExtension.class)
class RoleMatrixTest {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z]+)}");
  private static ApiTestServer server;
  private static final Map<String, String> FIXTURES = new LinkedHashMap<>();
  private static final Map<String, ApiClient> CLIENTS = new LinkedHashMap<>();
  /** Query strings for routes that answer 400 without one. */
  private static final Map<String, String> QUERIES = Map.of(
      "/api/v1/schedules/preview", "?cron=30+7+*+*+MON-FRI&timezone=America%2FToronto");

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    ApiClient adminA = server.as(ADMIN_A);
    FIXTURES.putAll(orgAFixtures(server, adminA));
    CLIENTS.put("viewer", server.as(VIEWER_A));
    CLIENTS.put("editor", server.as(EDITOR_A));
    CLIENTS.put("admin", adminA);
    CLIENTS.put("otherOrgAdmin", server.as(ADMIN_B));
  }

  /**
   * One object of each kind in org A, by the name of the path parameter that addresses it ({@code queryId}, …), made
   * by {@code adminA}: a key, a datasource, queries (one with a query-backed parameter and a result of options), a
   * run and its result, a visualization, a dashboard, a schedule. Other route tests address org A's objects with them.
   */
  static Map<String, String> orgAFixtures(ApiTestServer server, ApiClient adminA) {
    Map<String, String> fixtures = new LinkedHashMap<>();
    fixtures.put("userId", server.userId(EDITOR_A));
    fixtures.put("apiKeyId", adminA.post("/api/v1/api-keys", new JsonObject().put("name", "A's key")).json()
        .getString("id"));
    fixtures.put("datasourceId", adminA.post("/api/v1/datasources", new JsonObject().put("name", "A's warehouse")
        .put("host", "127.0.0.1").put("database", "warehouse").put("user", "reader").put("password", "pw-of-a"))
        .json().getString("id"));
    // a query whose latest result offers the options of another query's query-backed parameter
    String optionsQuery = adminA.post("/api/v1/queries", new JsonObject().put("name", "A's regions")
        .put("datasourceId", fixtures.get("datasourceId")).put("sql", "select 'North' as region")).json()
        .getString("id");
    String runId = java.util.UUID.randomUUID().toString();
    String resultId = java.util.UUID.randomUUID().toString();
    server.db.execute("insert into runs (id, org_id, datasource_id, query_id, sql, options, fingerprint, trigger,"
        + " status, finished_at, row_count, byte_count, requested_by) values ('" + runId + "', '" + ApiTestServer.ORG_A
        + "', '" + fixtures.get("datasourceId") + "', '" + optionsQuery + "', 'select 1',"
        + " '{\"timeoutMs\":1000,\"maxRows\":10,\"maxBytes\":1000}', 'fixture', 'manual', 'succeeded', now(), 0, 0,"
        + " '" + server.userId(ADMIN_A) + "')");
    server.db.execute("insert into results (id, org_id, run_id, storage, columns, expires_at) values ('" + resultId
        + "', '" + ApiTestServer.ORG_A + "', '" + runId + "', 'postgres',"
        + " '[{\"name\":\"region\",\"type\":\"text\",\"sourceType\":\"text\"}]', now() + interval '1 day')");
    server.db.execute("update runs set result_id = '" + resultId + "' where id = '" + runId + "'");
    fixtures.put("runId", runId);
    fixtures.put("resultId", resultId);
    fixtures.put("queryId", adminA.post("/api/v1/queries", new JsonObject().put("name", "A's query")
        .put("datasourceId", fixtures.get("datasourceId")).put("sql", "select {{region}}")
        .put("params", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "region")
            .put("type", "query_enum").put("optionsQueryId", optionsQuery).put("optionsColumn", "region"))))
        .json().getString("id"));
    fixtures.put("visualizationId", adminA.post("/api/v1/queries/" + fixtures.get("queryId") + "/visualizations",
        new JsonObject().put("name", "A's chart").put("kind", "line").put("config", new JsonObject()
            .put("x", new JsonObject().put("column", "day"))
            .put("y", new JsonArray().add(new JsonObject().put("column", "customers_out"))))).json().getString("id"));
    fixtures.put("idOrSlug", adminA.post("/api/v1/dashboards", new JsonObject().put("name", "A's desk")
        .put("tiles", new JsonArray().add(new JsonObject().put("kind", "viz").put("visualizationId",
            fixtures.get("visualizationId")).put("x", 0).put("y", 0).put("w", 12).put("h", 8))))
        .json().getString("id"));
    fixtures.put("scheduleId", adminA.post("/api/v1/schedules", new JsonObject().put("name", "A's refresh")
        .put("queryId", fixtures.get("queryId")).put("kind", "cron").put("cron", "30 7 * * MON-FRI")
        .put("timezone", "America/Toronto")).json().getString("id"));
    fixtures.put("version", "1");
    fixtures.put("name", "region");
    return fixtures;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Operation(String method, String path, Role minRole, JsonObject requestSchema) {
    String concretePath() {
      Matcher m = PATH_PARAM.matcher(path);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String id = FIXTURES.get(m.group(1));
        if (id == null) {
          throw new AssertionError(method + " " + path + ": no org-A fixture for path parameter {" + m.group(1)
              + "}; add one to RoleMatrixTest");
        }
        m.appendReplacement(sb, id);
      }
      m.appendTail(sb);
      return sb + QUERIES.getOrDefault(path, "");
    }

    boolean hasIds() {
      return PATH_PARAM.matcher(path).find();
    }

    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  static List<Operation> operations() {
    JsonObject doc = server.anonymous().get("/api/v1/openapi.json").json();
    List<Operation> ops = new ArrayList<>();
    doc.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      JsonObject operation = (JsonObject) op.getValue();
      String role = operation.getString("x-sightline-min-role");
      JsonObject schema = operation.getJsonObject("requestBody") == null ? null
          : operation.getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
              .getJsonObject("schema");
      ops.add(new Operation(op.getKey(), path.getKey(), role == null ? null : Role.fromWire(role), schema));
    }));
    return ops;
  }

  /** A valid body made of the schema's required properties and their documented examples. */
  static JsonObject sampleBody(JsonObject schema) {
    if (schema == null) {
      return null;
    }
    JsonObject body = new JsonObject();
    JsonObject props = schema.getJsonObject("properties", new JsonObject());
    for (Object name : schema.getJsonArray("required", new JsonArray())) {
      JsonObject prop = props.getJsonObject((String) name);
      body.put((String) name, prop.getJsonArray("examples").getValue(0));
    }
    return body;
  }

  private static Response call(ApiClient client, Operation op) {
    JsonObject body = sampleBody(op.requestSchema());
    return client.send(op.method().toUpperCase(), op.concretePath(), body == null ? null : body.encode(),
        body == null ? null : "application/json");
  }

  @Test
  void everyRouteRefusesAnonymousCallersWith401() {
    String before = server.digest();
    for (Operation op : operations()) {
      if (op.minRole() == null) {
        continue;
      }
      Response r = call(server.anonymous(), op);
      assertThat(r.status()).as("%s anonymous: %s", op, r).isEqualTo(401);
      assertThat(r.header("Content-Type")).as("%s", op).hasValue("application/problem+json");
    }
    assertThat(server.digest()).isEqualTo(before);
  }

  @Test
  void everyRouteRefusesRolesBelowItsOwnWith403AndChangesNothing() {
    String before = server.digest();
    int checked = 0;
    for (Operation op : operations()) {
      if (op.minRole() == null) {
        continue;
      }
      for (Role role : Role.values()) {
        if (role.atLeast(op.minRole())) {
          continue;
        }
        Response r = call(CLIENTS.get(role.wire()), op);
        assertThat(r.status()).as("%s as %s: %s", op, role, r).isEqualTo(403);
        checked++;
      }
    }
    assertThat(checked).as("some routes need more than the viewer role").isGreaterThan(5);
    assertThat(server.digest()).isEqualTo(before);
  }

  @Test
  void membersOfAnotherOrgGet404ForThisOrgsObjectsAndNeverSeeThemInLists() {
    String before = server.digest();
    ApiClient other = CLIENTS.get("otherOrgAdmin");
    for (Operation op : operations()) {
      if (op.minRole() == null) {
        continue;
      }
      if (op.hasIds()) {
        Response r = call(other, op);
        assertThat(r.status()).as("%s as admin of org B: %s", op, r).isEqualTo(404);
      } else if (op.method().equals("get")) {
        Response r = call(other, op);
        assertThat(r.status()).as("%s as admin of org B", op).isEqualTo(200);
        for (String id : FIXTURES.values().stream().filter(v -> v.length() == 36).toList()) {
          assertThat(r.body()).as("%s as admin of org B lists org A's %s", op, id).doesNotContain(id);
        }
        assertThat(r.body()).doesNotContain(EDITOR_A).doesNotContain(VIEWER_A);
      }
    }
    assertThat(server.digest()).isEqualTo(before);
  }

  @Test
  void membersWithTheRoleCanReadEveryReadableRoute() {
    for (Operation op : operations()) {
      if (op.minRole() == null || !op.method().equals("get")) {
        continue;
      }
      for (Role role : Role.values()) {
        if (!role.atLeast(op.minRole())) {
          continue;
        }
        Response r = call(CLIENTS.get(role.wire()), op);
        // the schema route needs a runner, and this server has none: it says so with a 503
        assertThat(r.status()).as("%s as %s: %s", op, role, r).isIn(200, 503);
      }
    }
  }

  @Test
  void theMatrixCoversEveryRouteOfThisIssue() {
    List<String> walked = operations().stream().map(Operation::toString).toList();
    assertThat(walked).contains("POST /api/v1/auth/login", "GET /api/v1/users", "PATCH /api/v1/users/{userId}",
        "DELETE /api/v1/api-keys/{apiKeyId}", "POST /api/v1/datasources/test",
        "GET /api/v1/datasources/{datasourceId}/schema", "POST /api/v1/runs", "POST /api/v1/runs/{runId}/cancel",
        "GET /api/v1/results/{resultId}", "GET /api/v1/runs", "PUT /api/v1/queries/{queryId}",
        "POST /api/v1/queries/{queryId}/runs", "GET /api/v1/results/{resultId}.csv",
        "GET /api/v1/queries/{queryId}/visualizations", "POST /api/v1/queries/{queryId}/visualizations",
        "GET /api/v1/visualizations/{visualizationId}", "PUT /api/v1/visualizations/{visualizationId}",
        "DELETE /api/v1/visualizations/{visualizationId}", "POST /api/v1/results/{resultId}/series",
        "GET /api/v1/dashboards", "POST /api/v1/dashboards",
        "GET /api/v1/dashboards/{idOrSlug}", "PUT /api/v1/dashboards/{idOrSlug}",
        "DELETE /api/v1/dashboards/{idOrSlug}", "GET /api/v1/dashboards/{idOrSlug}/versions",
        "GET /api/v1/dashboards/{idOrSlug}/versions/{version}",
        "POST /api/v1/dashboards/{idOrSlug}/versions/{version}/restore", "POST /api/v1/dashboards/{idOrSlug}/duplicate",
        "POST /api/v1/dashboards/{idOrSlug}/runs", "GET /api/v1/schedules", "POST /api/v1/schedules",
        "GET /api/v1/schedules/preview", "GET /api/v1/schedules/{scheduleId}", "PUT /api/v1/schedules/{scheduleId}",
        "DELETE /api/v1/schedules/{scheduleId}", "POST /api/v1/schedules/{scheduleId}/pause",
        "POST /api/v1/schedules/{scheduleId}/resume", "POST /api/v1/schedules/{scheduleId}/run-now",
        "GET /api/v1/schedules/{scheduleId}/firings");
    assertThat(PASSWORD).isNotEmpty();
  }
}
