package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text Postgres cannot store — a NUL character, an unpaired UTF-16 surrogate — and blank names are refused by the body
 * layer with a 400 problem naming the field, on every route that stores or runs text, and nothing is written
 * (before: 500 from Postgres 22021/23514, or a lone surrogate silently stored as {@code ?}).
 */
@ExtendWith(PostgresExtension.class)
class UnstorableTextTest {
  /** Stands for a lone surrogate: the JSON text gets the escape {@code \ud800}, which Jackson decodes unpaired. */
  private static final String LONE = "LONE-SURROGATE";
  private static final String NUL = "a\u0000b";

  private static ApiTestServer server;
  private static ApiClient admin;
  private static String datasourceId;
  private static String queryId;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    admin = server.as(ADMIN_A);
    datasourceId = admin.post("/api/v1/datasources", new JsonObject().put("name", "Grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
    queryId = admin.post("/api/v1/queries", query("Outages").put("params", new JsonArray()
        .add(new JsonObject().put("name", "region").put("type", "text")))
        .put("sql", "select {{region}} as region")).json().getString("id");
    admin.post("/api/v1/api-keys", new JsonObject().put("name", "export")).json().getString("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject query(String name) {
    return new JsonObject().put("name", name).put("datasourceId", datasourceId).put("sql", "select 1");
  }

  /** Everything these requests could write: rows counted, names and texts digested. */
  private static Object state() {
    return server.db.scalar("select concat_ws('|',"
        + " (select count(*) from datasources), (select string_agg(name, ',' order by id) from datasources),"
        + " (select count(*) from queries), (select string_agg(name || sql, ',' order by id) from queries),"
        + " (select count(*) from query_versions), (select count(*) from runs),"
        + " (select count(*) from api_keys), (select string_agg(name, ',' order by id) from api_keys),"
        + " (select count(*) from users), (select count(*) from memberships),"
        + " (select string_agg(display_name, ',' order by id) from users), (select count(*) from login_failures))");
  }

  private static Response send(ApiClient client, String method, String path, JsonObject body) {
    String text = body.encode().replace(LONE, "\\ud800");
    return client.send(method, path, text, "application/json");
  }

  /** The request is a 400 problem naming {@code field} and leaves everything as it was. */
  private static void refused(ApiClient client, String method, String path, JsonObject body, String field) {
    Object before = state();
    Response r = send(client, method, path, body);
    assertThat(r.status()).as(method + " " + path + " " + body.encode() + " → " + r).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    List<String> fields = r.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field"))
        .toList();
    assertThat(fields).as(r.toString()).contains(field);
    assertThat(state()).as("nothing written by " + method + " " + path).isEqualTo(before);
  }

  private static void refusedEverywhere(String value, boolean blankCase) {
    String q = "/api/v1/queries/" + queryId;
    refused(admin, "POST", "/api/v1/queries", query(value), "/name");
    refused(admin, "PUT", q, query(value).put("version", 1), "/name");
    refused(admin, "POST", "/api/v1/api-keys", new JsonObject().put("name", value), "/name");
    refused(admin, "POST", "/api/v1/datasources", new JsonObject().put("name", value).put("host", "h")
        .put("database", "d").put("user", "u"), "/name");
    refused(admin, "PATCH", "/api/v1/datasources/" + datasourceId, new JsonObject().put("name", value), "/name");
    if (blankCase) {
      return;
    }
    refused(admin, "POST", "/api/v1/queries", query("Fine").put("sql", "select '" + value + "'"), "/sql");
    refused(admin, "POST", "/api/v1/queries", query("Fine").put("description", value), "/description");
    refused(admin, "POST", "/api/v1/queries", query("Fine").put("params", new JsonArray()
        .add(new JsonObject().put("name", "p").put("type", "text").put("label", value))), "/params/0/label");
    refused(admin, "POST", "/api/v1/runs", new JsonObject().put("datasourceId", datasourceId)
        .put("sql", "select '" + value + "'"), "/sql");
    refused(admin, "POST", q + "/runs", new JsonObject().put("params", new JsonObject().put("region", value)),
        "/params/region");
    refused(admin, "POST", q + "/results/latest", new JsonObject().put("params",
        new JsonObject().put("region", value)), "/params/region");
    refused(admin, "POST", "/api/v1/users", new JsonObject().put("email", "new@a.test").put("role", "viewer")
        .put("displayName", value), "/displayName");
    refused(admin, "POST", "/api/v1/users", new JsonObject().put("email", "n" + value + "@a.test")
        .put("role", "viewer"), "/email");
    refused(admin, "PATCH", "/api/v1/users/" + server.userId(ApiTestServer.EDITOR_A),
        new JsonObject().put("displayName", value), "/displayName");
    refused(server.anonymous(), "POST", "/api/v1/auth/login", new JsonObject().put("email", "x" + value + "@a.test")
        .put("password", "guess"), "/email");
  }

  @Test
  void nulCharactersAreRefusedOnEveryRouteThatStoresOrRunsText() {
    refusedEverywhere(NUL, false);
  }

  @Test
  void loneSurrogatesAreRefusedRatherThanStoredAsQuestionMarks() {
    refusedEverywhere("a" + LONE + "b", false);
  }

  @Test
  void blankNamesAreRefused() {
    refusedEverywhere(" ", true);
    refusedEverywhere(" \t ", true);
    Response r = send(admin, "POST", "/api/v1/api-keys", new JsonObject().put("name", "   "));
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("message")).isEqualTo("must not be blank");
  }

  @Test
  void aPairedSurrogateIsFine() {
    Response r = admin.send("POST", "/api/v1/api-keys", "{\"name\":\"chart \\ud83d\\udcc8\"}", "application/json");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(admin.get("/api/v1/api-keys").body()).contains("chart \ud83d\udcc8");
    assertThat(admin.delete("/api/v1/api-keys/" + r.json().getString("id")).status()).isEqualTo(204);
  }

  @Test
  void keysAndQueryStringValuesAreCheckedToo() {
    refused(admin, "POST", "/api/v1/queries/" + queryId + "/runs", new JsonObject().put("params",
        new JsonObject().put("reg\u0000ion", "North")), "/params/reg\ufffdion");
    Response search = admin.get("/api/v1/queries?search=a%00b");
    assertThat(search.status()).as(search.toString()).isEqualTo(400);
    assertThat(search.header("Content-Type")).hasValue("application/problem+json");
    assertThat(search.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("?search");
  }
}
