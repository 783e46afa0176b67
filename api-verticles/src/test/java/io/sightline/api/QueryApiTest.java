package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
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

/** Saved queries through the API (no runner: runs stay queued, which is all these tests need). */
@ExtendWith(PostgresExtension.class)
class QueryApiTest {
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

  private static JsonObject query(String name, String sql, JsonArray params) {
    return new JsonObject().put("name", name).put("datasourceId", datasourceId).put("sql", sql).put("params", params);
  }

  private static JsonArray params(JsonObject... specs) {
    JsonArray a = new JsonArray();
    for (JsonObject s : specs) {
      a.add(s);
    }
    return a;
  }

  @Test
  void everySaveIsANewVersionAndAStaleSaveIsAConflict() {
    Response created = editor.post("/api/v1/queries", query("Outages", "select 1", new JsonArray()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.json().getInteger("version")).isEqualTo(1);

    ApiClient admin = server.as(ADMIN_A);
    Response second = admin.put("/api/v1/queries/" + id, query("Outages", "select 2", new JsonArray()).put("version", 1));
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().getInteger("version")).isEqualTo(2);

    Response stale = editor.put("/api/v1/queries/" + id, query("Outages", "select 3", new JsonArray())
        .put("version", 1));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getString("detail")).contains("version 2").contains(ADMIN_A).contains("version 1");
    assertThat(editor.get("/api/v1/queries/" + id).json().getString("sql")).isEqualTo("select 2");

    JsonArray versions = editor.get("/api/v1/queries/" + id + "/versions").array();
    assertThat(versions.stream().map(v -> ((JsonObject) v).getInteger("version")).toList()).containsExactly(2, 1);
    assertThat(editor.get("/api/v1/queries/" + id + "/versions/1").json().getString("sql")).isEqualTo("select 1");

    Response restored = editor.post("/api/v1/queries/" + id + "/versions/1/restore", null);
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().getInteger("version")).isEqualTo(3);
    assertThat(restored.json().getString("sql")).isEqualTo("select 1");
    assertThat(editor.get("/api/v1/queries/" + id + "/versions/9").status()).isEqualTo(404);
  }

  @Test
  void savingReportsUndeclaredAndUnusedParameters() {
    Response r = editor.post("/api/v1/queries", query("Warned", "select * from t where a = {{region}}",
        params(new JsonObject().put("name", "since").put("type", "date"))));
    assertThat(r.status()).isEqualTo(201);
    List<String> warned = r.json().getJsonArray("warnings").stream()
        .map(w -> ((JsonObject) w).getString("parameter")).toList();
    assertThat(warned).contains("region", "since");
  }

  @Test
  void anInvalidParameterSchemaIsA400NamingIt() {
    Response r = editor.post("/api/v1/queries", query("Bad", "select {{x}}",
        params(new JsonObject().put("name", "x").put("type", "colour"))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).startsWith("/params/0");
    assertThat(server.db.scalar("select count(*) from queries where name = 'Bad'")).isEqualTo(0L);
  }

  @Test
  void aRunOfASavedQueryBindsTypedValuesNeverSplicingThem() {
    String sql = "select * from outages where region = {{region}} and started_at >= {{period.start}}"
        + " and started_at < {{period.end}} and customers > {{min}} and region = {{region}}";
    JsonArray specs = params(
        new JsonObject().put("name", "region").put("type", "enum").put("options", new JsonArray().add("North")
            .add("South")).put("required", true),
        new JsonObject().put("name", "period").put("type", "timestamp_range").put("default", "last_24h"),
        new JsonObject().put("name", "min").put("type", "integer").put("default", 10).put("min", 0));
    String id = editor.post("/api/v1/queries", query("Bound", sql, specs)).json().getString("id");
    ApiClient viewer = server.as(VIEWER_A);
    Response run = viewer.post("/api/v1/queries/" + id + "/runs", new JsonObject().put("params",
        new JsonObject().put("region", "North")));
    assertThat(run.status()).as(run.toString()).isEqualTo(201);
    String runId = run.json().getString("id");
    Map<String, Object> row = server.db.query("select bound_sql, bind_values::text as binds, params::text as params,"
        + " query_version from runs where id = '" + runId + "'").get(0);
    String bound = (String) row.get("bound_sql");
    assertThat(bound).doesNotContain("North").contains("$1").contains("$2").contains("$3").contains("$4")
        .doesNotContain("$5");
    assertThat(bound.split("\\$1", -1)).as("one bind per distinct name, reused").hasSize(3);
    assertThat((String) row.get("binds")).contains("North");
    assertThat((String) row.get("params")).contains("\"region\"").contains("North").contains("\"period\"");
    assertThat(row.get("query_version")).isEqualTo(1);
    assertThat(run.json().getString("queryId")).isEqualTo(id);
  }

  @Test
  void badParameterValuesAre400sNamingTheParameterAndStartNothing() {
    JsonArray specs = params(
        new JsonObject().put("name", "n").put("type", "integer").put("min", 1).put("max", 10).put("required", true),
        new JsonObject().put("name", "day").put("type", "date"),
        new JsonObject().put("name", "kind").put("type", "enum").put("options", new JsonArray().add("a").add("b")));
    String id = editor.post("/api/v1/queries", query("Checked", "select {{n}}, {{day}}, {{kind}}", specs)).json()
        .getString("id");
    long before = (Long) server.db.scalar("select count(*) from runs");
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("n", "ten"), new JsonObject().put("n", 11),
        new JsonObject().put("n", 5).put("day", "29/11/2026"), new JsonObject().put("n", 5).put("kind", "c"),
        new JsonObject().put("n", 5).put("nope", 1))) {
      Response r = editor.post("/api/v1/queries/" + id + "/runs", new JsonObject().put("params", bad));
      assertThat(r.status()).as(bad.encode() + " -> " + r).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).startsWith("/params/");
    }
    assertThat(server.db.scalar("select count(*) from runs")).isEqualTo(before);
  }

  @Test
  void injectionPayloadsAreBoundLiterallyOrRefusedAndNeverChangeTheStatement() {
    JsonArray specs = params(
        new JsonObject().put("name", "t").put("type", "text"),
        new JsonObject().put("name", "i").put("type", "integer"),
        new JsonObject().put("name", "x").put("type", "number"),
        new JsonObject().put("name", "d").put("type", "date"),
        new JsonObject().put("name", "ts").put("type", "timestamp"),
        new JsonObject().put("name", "b").put("type", "boolean"),
        new JsonObject().put("name", "e").put("type", "enum").put("options", new JsonArray().add("safe")),
        new JsonObject().put("name", "m").put("type", "enum").put("multi", true)
            .put("options", new JsonArray().add("safe")),
        new JsonObject().put("name", "r").put("type", "date_range"));
    String sql = "select {{t}}, {{i}}, {{x}}, {{d}}, {{ts}}, {{b}}, {{e}}, 1 = any({{m}}), {{r.start}}, {{r.end}}";
    String id = editor.post("/api/v1/queries", query("Payloads", sql, specs)).json().getString("id");
    JsonObject harmless = new JsonObject().put("t", "x").put("i", 1).put("x", 1.5).put("d", "2026-11-29")
        .put("ts", "2026-11-29T00:00:00Z").put("b", true).put("e", "safe").put("m", new JsonArray().add("safe"))
        .put("r", new JsonObject().put("start", "2026-11-01").put("end", "2026-11-29"));
    Response baseline = editor.post("/api/v1/queries/" + id + "/runs", new JsonObject().put("params", harmless));
    assertThat(baseline.status()).isEqualTo(201);
    String expected = (String) server.db.scalar("select bound_sql from runs where id = '"
        + baseline.json().getString("id") + "'");
    List<String> payloads = List.of("'", "''", "'; drop table users; --", "x' or '1'='1", "*/ select 1 /*", "-- ",
        "\u2018\u2019\u201c\u201d\u02bc", "\\", "\\'", "$$", "$tag$ drop table users $tag$", "{{i}}", "a\nb",
        "x".repeat(10_001), "nul\u0000byte", "1; delete from runs", "0x41", "1e999", "NaN", "2026-13-45",
        "true; drop table users");
    int i = 0;
    for (String payload : payloads) {
      for (String name : List.of("t", "i", "x", "d", "ts", "b", "e", "m", "r")) {
        Object value = name.equals("m") ? new JsonArray().add(payload)
            : name.equals("r") ? new JsonObject().put("start", payload).put("end", payload) : payload;
        // distinct harmless text each time so no run is shared
        JsonObject values = harmless.copy().put("t", "run " + (i++)).put(name, value);
        if (name.equals("t")) {
          values.put("t", payload);
        }
        Response r = editor.post("/api/v1/queries/" + id + "/runs", new JsonObject().put("params", values));
        assertThat(r.status()).as("%s = %s -> %s", name, payload, r).isIn(200, 201, 400);
        if (r.status() != 400) {
          assertThat(server.db.scalar("select bound_sql from runs where id = '" + r.json().getString("id") + "'"))
              .as("%s = %s", name, payload).isEqualTo(expected);
        }
      }
    }
    assertThat(server.db.scalar("select to_regclass('public.users') is not null")).isEqualTo(true);
  }

  @Test
  void archivingKeepsReferencedQueriesAndDeletesUnreferencedOnes() {
    String unused = editor.post("/api/v1/queries", query("Unused", "select 1", new JsonArray())).json()
        .getString("id");
    assertThat(editor.delete("/api/v1/queries/" + unused).status()).isEqualTo(204);
    assertThat(server.db.scalar("select count(*) from queries where id = '" + unused + "'")).isEqualTo(0L);

    String used = editor.post("/api/v1/queries", query("Used", "select 1", new JsonArray())).json().getString("id");
    editor.post("/api/v1/queries/" + used + "/runs", new JsonObject());
    assertThat(editor.delete("/api/v1/queries/" + used).status()).isEqualTo(204);
    assertThat(server.db.scalar("select archived_at is not null from queries where id = '" + used + "'"))
        .isEqualTo(true);
    assertThat(editor.get("/api/v1/queries/" + used).status()).isEqualTo(404);
  }

  @Test
  void theListPagesWithACursorAndSearches() {
    for (int i = 0; i < 7; i++) {
      editor.post("/api/v1/queries", query("Paged " + i, "select " + i, new JsonArray()));
    }
    JsonObject first = editor.get("/api/v1/queries?search=Paged&limit=3").json();
    assertThat(first.getJsonArray("items")).hasSize(3);
    JsonObject second = editor.get("/api/v1/queries?search=Paged&limit=3&cursor="
        + first.getString("nextCursor")).json();
    JsonObject third = editor.get("/api/v1/queries?search=Paged&limit=3&cursor="
        + second.getString("nextCursor")).json();
    assertThat(third.getJsonArray("items")).hasSize(1);
    assertThat(third.getString("nextCursor")).isNull();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (JsonObject page : List.of(first, second, third)) {
      page.getJsonArray("items").forEach(q -> names.add(((JsonObject) q).getString("name")));
    }
    assertThat(names).hasSize(7);
    assertThat(editor.get("/api/v1/queries?cursor=garbage").status()).isEqualTo(400);
  }
}
