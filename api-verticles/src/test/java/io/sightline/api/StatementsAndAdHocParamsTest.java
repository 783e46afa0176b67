package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One statement per run (a 400 that says where the second starts, instead of the driver's "cannot insert multiple
 * commands into a prepared statement"), and ad-hoc runs with parameter declarations and values, bound like a saved
 * query's. No runner: runs stay queued, and what matters is what was enqueued.
 */
@ExtendWith(PostgresExtension.class)
class StatementsAndAdHocParamsTest {
  private static ApiTestServer server;
  private static ApiClient editor;
  private static String datasourceId;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    datasourceId = server.as(ADMIN_A).post("/api/v1/datasources", new JsonObject().put("name", "Grid")
        .put("host", "127.0.0.1").put("database", "grid").put("user", "reader")).json().getString("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Response adHoc(String sql) {
    return editor.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId).put("sql", sql));
  }

  private static Response adHoc(String sql, JsonArray declarations, JsonObject values) {
    return editor.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId).put("sql", sql)
        .put("declarations", declarations).put("params", values));
  }

  private static JsonObject firstError(Response r) {
    return r.json().getJsonArray("errors").getJsonObject(0);
  }

  private static long runCount() {
    return (Long) server.db.scalar("select count(*) from runs");
  }

  @Test
  void twoStatementsAreA400SayingWhereTheSecondStarts() {
    long before = runCount();
    Response r = adHoc("select 1 as a;\n  -- next\n  select 2");
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).get().asString().startsWith("application/problem+json");
    assertThat(firstError(r).getString("field")).isEqualTo("/sql");
    assertThat(firstError(r).getString("message")).contains("more than one statement")
        .contains("line 3, column 3");
    assertThat(runCount()).isEqualTo(before);
  }

  @Test
  void semicolonsInLiteralsCommentsAndDollarQuotesAndATrailingOneAreOneStatement() {
    int n = 0;
    for (String sql : List.of("select ';' as s;", "select $$a; select 2$$ -- ; x", "select 1 /* ; select 2 */;\n",
        "select \"odd;name\" from (select 1 as \"odd;name\") t;  -- done", "select E'\\'; select 2' as e")) {
      Response r = adHoc(sql + " -- " + (n++));
      assertThat(r.status()).as(sql + " -> " + r).isIn(200, 201);
    }
  }

  @Test
  void savingOrRunningASavedQueryWithTwoStatementsIsRefusedToo() {
    JsonObject query = new JsonObject().put("name", "Two").put("datasourceId", datasourceId)
        .put("sql", "select 1;select 2").put("params", new JsonArray());
    Response saved = editor.post("/api/v1/queries", query);
    assertThat(saved.status()).isEqualTo(400);
    assertThat(firstError(saved).getString("field")).isEqualTo("/sql");
    assertThat(firstError(saved).getString("message")).contains("line 1, column 10");

    String id = editor.post("/api/v1/queries", query.copy().put("sql", "select 1;")).json().getString("id");
    // a version saved before the check existed
    server.db.execute("update queries set sql = 'select 1; select 2' where id = '" + id + "'");
    Response run = editor.post("/api/v1/queries/" + id + "/runs", new JsonObject());
    assertThat(run.status()).isEqualTo(400);
    assertThat(firstError(run).getString("field")).isEqualTo("/sql");
  }

  @Test
  void adHocParametersAreBoundNeverSpliced() {
    JsonArray declarations = new JsonArray()
        .add(new JsonObject().put("name", "region").put("type", "text").put("required", true))
        .add(new JsonObject().put("name", "min").put("type", "integer").put("default", 10));
    String injection = "x'; drop table users; --";
    Response r = adHoc("select * from outages where region = {{region}} and n > {{min}} or region = {{region}}",
        declarations, new JsonObject().put("region", injection));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    Map<String, Object> row = server.db.query("select query_id, sql, bound_sql, bind_values::text as binds,"
        + " params::text as params from runs where id = '" + r.json().getString("id") + "'").get(0);
    assertThat(row.get("query_id")).isNull();
    assertThat((String) row.get("sql")).contains("{{region}}");
    assertThat((String) row.get("bound_sql")).doesNotContain("drop").doesNotContain("{{").contains("$1")
        .contains("$2").doesNotContain("$3");
    assertThat((String) row.get("binds")).contains("drop table users").contains("10");
    assertThat((String) row.get("params")).contains("\"region\"").contains("\"min\"");
    assertThat(server.db.scalar("select to_regclass('public.users') is not null")).isEqualTo(true);
  }

  @Test
  void badAdHocValuesAndDeclarationsAre400sNamingTheField() {
    long before = runCount();
    JsonArray declarations = new JsonArray().add(new JsonObject().put("name", "x").put("type", "integer")
        .put("required", true));
    Response bad = adHoc("select {{x}}", declarations, new JsonObject().put("x", "ten"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(firstError(bad).getString("field")).isEqualTo("/params/x");

    Response missing = adHoc("select {{x}}", declarations, new JsonObject());
    assertThat(firstError(missing).getString("field")).isEqualTo("/params/x");

    Response undeclared = adHoc("select {{y}}", declarations, new JsonObject().put("x", 1));
    assertThat(undeclared.status()).isEqualTo(400);
    assertThat(firstError(undeclared).getString("field")).isEqualTo("/sql");

    Response badDeclaration = adHoc("select {{x}}", new JsonArray().add(new JsonObject().put("name", "x")
        .put("type", "colour")), new JsonObject());
    assertThat(badDeclaration.status()).isEqualTo(400);
    assertThat(firstError(badDeclaration).getString("field")).startsWith("/declarations/0");
    assertThat(runCount()).isEqualTo(before);
  }
}
