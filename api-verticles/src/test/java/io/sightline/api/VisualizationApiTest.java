package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.visualizations.VizConfigSchemas;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Visualizations through the API: per-kind config validation, versions, org isolation, roles, tiles that use one. */
@ExtendWith(PostgresExtension.class)
class VisualizationApiTest {
  private static ApiTestServer server;
  private static ApiClient editor;
  private static ApiClient admin;
  private static String datasourceId;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    admin = server.as(ADMIN_A);
    datasourceId = admin.post("/api/v1/datasources", new JsonObject().put("name", "Grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String newQuery(String name) {
    Response r = editor.post("/api/v1/queries", new JsonObject().put("name", name).put("datasourceId", datasourceId)
        .put("sql", "select province, hour, customers_out from outages"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static JsonObject viz(String name, String kind, JsonObject config) {
    return new JsonObject().put("name", name).put("kind", kind).put("config", config);
  }

  private static String create(String queryId, String kind, JsonObject config) {
    Response r = editor.post("/api/v1/queries/" + queryId + "/visualizations", viz(kind + " chart", kind, config));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  /** A realistic config of each kind: outages per province per hour, order flow per desk, a KPI, a table. */
  static final Map<String, JsonObject> CONFIGS = Map.of(
      "line", new JsonObject("""
          {"x": {"column": "hour", "type": "time"},
           "y": [{"column": "customers_out", "aggregate": "sum", "name": "Customers out", "missing": "connect"}],
           "seriesBy": "province", "topN": 10, "missing": "gap", "lineStyle": "step",
           "axes": {"left": {"scale": "linear", "min": 0, "max": null, "unit": "customers", "label": "Customers"},
                    "right": {"scale": "log"}},
           "referenceLines": [{"value": 9999.5, "label": "Major outage", "axis": "left", "color": "#d62728"}],
           "legend": "right", "series": {"Ontario": {"name": "ON", "color": "#1f77b4"}},
           "numberFormat": {"style": "si", "decimals": 1, "thousands": true},
           "dateFormat": "YYYY-MM-DD HH:mm", "nullDisplay": "n/a"}"""),
      "area", new JsonObject("""
          {"x": {"column": "day"}, "y": [{"column": "outages", "aggregate": "count"}], "seriesBy": "province",
           "stacking": "stacked", "missing": "zero", "lineStyle": "smooth", "legend": "bottom"}"""),
      "bar", new JsonObject("""
          {"x": {"column": "desk", "type": "category"},
           "y": [{"column": "orders", "aggregate": "count"},
                 {"column": "fill_rate", "aggregate": "avg", "axis": "right", "render": "line", "color": "#2ca02c"}],
           "orientation": "horizontal", "sort": "value-desc", "valueLabels": true, "stacking": "none",
           "axes": {"right": {"min": 0, "max": 1, "unit": "%"}}}"""),
      "stat", new JsonObject("""
          {"value": {"column": "customers_out", "reducer": "last"}, "time": {"column": "hour"},
           "periodSeconds": 86400, "suffix": " customers", "unit": "customers",
           "comparisons": [{"against": "previous-period", "display": "percent", "better": "lower",
                            "label": "vs yesterday"},
                           {"against": "fixed", "value": 5000, "display": "absolute", "better": "lower",
                            "label": "vs target"}],
           "thresholds": [{"from": 0, "color": "#2ca02c"}, {"from": 10000, "color": "#d62728"}],
           "sparkline": true, "numberFormat": {"style": "plain", "thousands": true}}"""),
      "table", new JsonObject("""
          {"columns": [{"column": "province", "label": "Province", "align": "left", "width": 160},
                       {"column": "customers_out", "numberFormat": {"decimals": 0},
                        "thresholds": [{"from": 1000, "color": "#d62728"}], "colorMode": "background"},
                       {"column": "ticket", "link": "https://status.example.com/{{ticket}}"},
                       {"column": "internal_id", "visible": false}],
           "totals": true, "nullDisplay": "—"}"""));

  @Test
  void everyKindRoundTripsThroughCreateListGetSaveAndDelete() {
    String queryId = newQuery("Outages per province");
    List<String> ids = new ArrayList<>();
    for (String kind : VizConfigSchemas.KINDS) {
      Response created = editor.post("/api/v1/queries/" + queryId + "/visualizations",
          viz("  Outages " + kind + "  ", kind, CONFIGS.get(kind)));
      assertThat(created.status()).as("%s: %s", kind, created).isEqualTo(201);
      JsonObject v = created.json();
      ids.add(v.getString("id"));
      assertThat(v.getString("queryId")).isEqualTo(queryId);
      assertThat(v.getString("name")).isEqualTo("Outages " + kind);
      assertThat(v.getString("kind")).isEqualTo(kind);
      assertThat(v.getJsonObject("config")).isEqualTo(CONFIGS.get(kind));
      assertThat(v.getInteger("version")).isEqualTo(1);
      assertThat(v.getString("createdBy")).isEqualTo(EDITOR_A);
      assertThat(v.getString("updatedBy")).isEqualTo(EDITOR_A);
      assertThat(v.getString("createdAt")).isNotBlank().isEqualTo(v.getString("updatedAt"));
      assertThat(v.fieldNames()).containsExactlyInAnyOrder("id", "queryId", "name", "kind", "config", "version",
          "createdBy", "updatedBy", "createdAt", "updatedAt");
      assertThat(server.as(VIEWER_A).get("/api/v1/visualizations/" + v.getString("id")).json()).isEqualTo(v);
    }
    JsonArray listed = server.as(VIEWER_A).get("/api/v1/queries/" + queryId + "/visualizations").array();
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id")).toList()).as("oldest first")
        .containsExactlyElementsOf(ids);

    for (int i = 0; i < ids.size(); i++) {
      String kind = VizConfigSchemas.KINDS.get(i);
      JsonObject changed = CONFIGS.get(kind).copy().put("nullDisplay", "–");
      Response saved = admin.put("/api/v1/visualizations/" + ids.get(i), viz("Renamed " + kind, kind, changed)
          .put("version", 1));
      assertThat(saved.status()).as("%s: %s", kind, saved).isEqualTo(200);
      assertThat(saved.json().getInteger("version")).isEqualTo(2);
      assertThat(saved.json().getString("updatedBy")).isEqualTo(ADMIN_A);
      assertThat(saved.json().getString("createdBy")).isEqualTo(EDITOR_A);
      assertThat(saved.json().getJsonObject("config").getString("nullDisplay")).isEqualTo("–");
      assertThat(editor.get("/api/v1/visualizations/" + ids.get(i)).json()).isEqualTo(saved.json());
    }
    // a save may change the kind, with a config of the new kind
    Response toArea = editor.put("/api/v1/visualizations/" + ids.get(0), viz("Now an area", "area",
        CONFIGS.get("area")).put("version", 2));
    assertThat(toArea.status()).as(toArea.toString()).isEqualTo(200);
    assertThat(toArea.json().getString("kind")).isEqualTo("area");

    for (String id : ids) {
      assertThat(editor.delete("/api/v1/visualizations/" + id).status()).isEqualTo(204);
      assertThat(editor.get("/api/v1/visualizations/" + id).status()).isEqualTo(404);
      assertThat(editor.delete("/api/v1/visualizations/" + id).status()).isEqualTo(404);
    }
    assertThat(editor.get("/api/v1/queries/" + queryId + "/visualizations").array()).isEmpty();
    // nothing refers to the query any more (no runs, no visualizations): deleting it deletes it
    assertThat(editor.delete("/api/v1/queries/" + queryId).status()).isEqualTo(204);
    assertThat(server.db.scalar("select count(*) from queries where id = '" + queryId + "'")).isEqualTo(0L);
  }

  @Test
  void aSaveBasedOnAStaleVersionIsA409SayingWhoSavedWhen() {
    String id = create(newQuery("Order flow"), "bar", CONFIGS.get("bar"));
    Response first = admin.put("/api/v1/visualizations/" + id, viz("Order flow by desk", "bar", CONFIGS.get("bar"))
        .put("version", 1));
    assertThat(first.status()).isEqualTo(200);

    Response stale = editor.put("/api/v1/visualizations/" + id, viz("Mine", "bar", CONFIGS.get("bar"))
        .put("version", 1));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.header("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = stale.json();
    assertThat(problem.getString("type")).isEqualTo("urn:sightline:problem:stale-version");
    assertThat(problem.getString("title")).isEqualTo("Saved by someone else");
    assertThat(problem.getString("detail")).isEqualTo("This visualization is at version 2 (saved by " + ADMIN_A
        + " at " + first.json().getString("updatedAt") + "); your edit started from version 1. Reload it, then apply"
        + " your change again.");
    assertThat(editor.get("/api/v1/visualizations/" + id).json().getString("name")).isEqualTo("Order flow by desk");
    assertThat(editor.put("/api/v1/visualizations/" + id, viz("x", "bar", CONFIGS.get("bar"))).status())
        .as("a save must name its version").isEqualTo(400);
  }

  @Test
  void fortyParallelSavesOfOneVersionGiveOneSuccessAnd39Conflicts() throws Exception {
    String id = create(newQuery("Contended"), "line", CONFIGS.get("line"));
    int n = 40;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = "Save " + i;
        answers.add(pool.submit(() -> {
          go.await();
          return editor.put("/api/v1/visualizations/" + id, viz(name, "line", CONFIGS.get("line")).put("version", 1))
              .status();
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : answers) {
        statuses.add(f.get());
      }
      assertThat(statuses.stream().filter(s -> s == 200).count()).as("%s", statuses).isEqualTo(1);
      assertThat(statuses.stream().filter(s -> s == 409).count()).as("%s", statuses).isEqualTo(n - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(editor.get("/api/v1/visualizations/" + id).json().getInteger("version")).isEqualTo(2);
  }

  private static Response badCreate(String kind, JsonObject config) {
    Response r = editor.post("/api/v1/queries/" + newQuery("Bad " + kind) + "/visualizations",
        viz("Bad", kind, config));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    return r;
  }

  private static List<String> errors(Response r) {
    return r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field") + " "
        + ((JsonObject) o).getString("message")).toList();
  }

  @Test
  void configFieldsAreCheckedAgainstTheKindsSchemaAndNamedInThe400() {
    JsonObject unknown = CONFIGS.get("line").copy();
    unknown.getJsonArray("y").getJsonObject(0).put("colour", "#ffffff");
    assertThat(errors(badCreate("line", unknown))).containsExactly("/config/y/0/colour is not a known field");

    JsonObject badEnum = CONFIGS.get("area").copy();
    badEnum.getJsonArray("y").getJsonObject(0).put("aggregate", "median");
    assertThat(errors(badCreate("area", badEnum)))
        .containsExactly("/config/y/0/aggregate must be one of sum, avg, min, max, count, first, last");

    JsonObject wrongType = CONFIGS.get("bar").copy().put("topN", "twenty").put("valueLabels", "yes");
    assertThat(errors(badCreate("bar", wrongType)))
        .containsExactlyInAnyOrder("/config/topN must be of type integer", "/config/valueLabels must be of type boolean");

    JsonObject outOfRange = CONFIGS.get("stat").copy().put("periodSeconds", 0);
    outOfRange.getJsonArray("thresholds").getJsonObject(1).put("color", "red");
    assertThat(errors(badCreate("stat", outOfRange))).hasSize(2).anySatisfy(e -> assertThat(e)
        .startsWith("/config/periodSeconds ")).anySatisfy(e -> assertThat(e).startsWith("/config/thresholds/1/color "));

    JsonObject noX = CONFIGS.get("line").copy();
    noX.remove("x");
    assertThat(errors(badCreate("line", noX))).containsExactly("/config/x is required");

    JsonObject badLink = CONFIGS.get("table").copy();
    badLink.getJsonArray("columns").getJsonObject(2).put("link", "javascript:alert(1)");
    assertThat(errors(badCreate("table", badLink))).singleElement().asString().startsWith("/config/columns/2/link ");

    assertThat(errors(badCreate("pie", new JsonObject()))).singleElement().asString()
        .isEqualTo("/kind must be one of line, area, bar, stat, table");
  }

  @Test
  void aConfigOfAnotherKindIsA400NamingTheFieldsThatDoNotBelong() {
    // a table's fields in a line chart
    assertThat(errors(badCreate("line", CONFIGS.get("table")))).containsExactlyInAnyOrder(
        "/config/columns is not a known field", "/config/totals is not a known field", "/config/x is required",
        "/config/y is required");
    // bar-only fields in a line chart, a line-only field in a bar chart
    assertThat(errors(badCreate("line", CONFIGS.get("bar")))).containsExactlyInAnyOrder(
        "/config/y/1/render is not a known field", "/config/orientation is not a known field",
        "/config/sort is not a known field", "/config/valueLabels is not a known field");
    assertThat(errors(badCreate("bar", CONFIGS.get("line")))).containsExactly("/config/lineStyle is not a known field");
    assertThat(errors(badCreate("stat", new JsonObject().put("value", "customers_out"))))
        .containsExactly("/config/value must be of type object");
  }

  @Test
  void anotherOrgSeesNothing() {
    String queryId = newQuery("A's outages");
    String id = create(queryId, "stat", CONFIGS.get("stat"));
    ApiClient other = server.as(ADMIN_B);
    assertThat(other.get("/api/v1/visualizations/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/queries/" + queryId + "/visualizations").status()).isEqualTo(404);
    assertThat(other.put("/api/v1/visualizations/" + id, viz("Mine", "stat", CONFIGS.get("stat")).put("version", 1))
        .status()).isEqualTo(404);
    assertThat(other.post("/api/v1/queries/" + queryId + "/visualizations", viz("Mine", "stat", CONFIGS.get("stat")))
        .status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/visualizations/" + id).status()).isEqualTo(404);
    JsonObject untouched = editor.get("/api/v1/visualizations/" + id).json();
    assertThat(untouched.getInteger("version")).isEqualTo(1);
    assertThat(untouched.getString("name")).isEqualTo("stat chart");

    String bDatasource = other.post("/api/v1/datasources", new JsonObject().put("name", "B's grid")
        .put("host", "127.0.0.1").put("database", "grid").put("user", "reader")).json().getString("id");
    String bQuery = other.post("/api/v1/queries", new JsonObject().put("name", "B's outages")
        .put("datasourceId", bDatasource).put("sql", "select 1")).json().getString("id");
    Response bList = other.get("/api/v1/queries/" + bQuery + "/visualizations");
    assertThat(bList.status()).isEqualTo(200);
    assertThat(bList.array()).isEmpty();
    assertThat(editor.get("/api/v1/queries/" + bQuery + "/visualizations").status()).isEqualTo(404);
  }

  @Test
  void viewersReadButDoNotWrite() {
    String queryId = newQuery("Viewed");
    String id = create(queryId, "table", CONFIGS.get("table"));
    ApiClient viewer = server.as(VIEWER_A);
    assertThat(viewer.get("/api/v1/visualizations/" + id).status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/queries/" + queryId + "/visualizations").array()).hasSize(1);
    assertThat(viewer.post("/api/v1/queries/" + queryId + "/visualizations", viz("V", "table", CONFIGS.get("table")))
        .status()).isEqualTo(403);
    assertThat(viewer.put("/api/v1/visualizations/" + id, viz("V", "table", CONFIGS.get("table")).put("version", 1))
        .status()).isEqualTo(403);
    assertThat(viewer.delete("/api/v1/visualizations/" + id).status()).isEqualTo(403);
    assertThat(viewer.get("/api/v1/visualizations/" + id).json().getInteger("version")).isEqualTo(1);
  }

  @Test
  void aVisualizationOnADashboardTileIsNotDeletedAndTheDashboardsAreNamed() {
    String id = create(newQuery("On dashboards"), "area", CONFIGS.get("area"));
    String[] dashboards = {"Grid operations", "Storm <b>watch</b>"};
    for (String name : dashboards) {
      String dashboardId = java.util.UUID.randomUUID().toString();
      server.db.execute("insert into dashboards (id, org_id, name, slug) values ('" + dashboardId + "', '" + ORG_A
          + "', '" + name + "', 'd-" + dashboardId + "')");
      server.db.execute("insert into tiles (org_id, dashboard_id, kind, visualization_id, x, y, w, h) values ('"
          + ORG_A + "', '" + dashboardId + "', 'viz', '" + id + "', 0, 0, 6, 4)");
    }
    Response refused = editor.delete("/api/v1/visualizations/" + id);
    assertThat(refused.status()).isEqualTo(409);
    JsonObject problem = refused.json();
    assertThat(problem.getString("type")).isEqualTo("urn:sightline:problem:visualization-in-use");
    assertThat(problem.getString("detail")).contains("\"Grid operations\"").contains("\"Storm <b>watch</b>\"");
    assertThat(problem.getLong("dashboardCount")).isEqualTo(2L);
    assertThat(problem.getJsonArray("dashboards").stream().map(d -> ((JsonObject) d).getString("name")).toList())
        .containsExactly("Grid operations", "Storm <b>watch</b>");
    assertThat(editor.get("/api/v1/visualizations/" + id).status()).isEqualTo(200);

    server.db.execute("update dashboards set archived_at = now() where name = 'Grid operations'");
    server.db.execute("delete from tiles where dashboard_id in (select id from dashboards where name like 'Storm%')");
    Response archivedStillUses = editor.delete("/api/v1/visualizations/" + id);
    assertThat(archivedStillUses.status()).isEqualTo(409);
    assertThat(archivedStillUses.json().getString("detail")).contains("\"Grid operations\" (archived)");

    server.db.execute("delete from tiles where visualization_id = '" + id + "'");
    assertThat(editor.delete("/api/v1/visualizations/" + id).status()).isEqualTo(204);
  }

  @Test
  void archivingAQueryKeepsItsVisualizationsReadableByIdButClosesItsList() {
    String queryId = newQuery("To archive");
    String id = create(queryId, "line", CONFIGS.get("line"));
    assertThat(editor.delete("/api/v1/queries/" + queryId).status()).isEqualTo(204);
    assertThat(server.db.scalar("select archived_at is not null from queries where id = '" + queryId + "'"))
        .as("a query with visualizations is archived, not deleted").isEqualTo(true);
    assertThat(editor.get("/api/v1/visualizations/" + id).status()).as("tiles keep drawing").isEqualTo(200);
    assertThat(editor.get("/api/v1/queries/" + queryId + "/visualizations").status()).isEqualTo(404);
    assertThat(editor.post("/api/v1/queries/" + queryId + "/visualizations", viz("New", "line", CONFIGS.get("line")))
        .status()).isEqualTo(404);
  }

  @Test
  void hostileTextIsRefusedOrStoredAsData() {
    String queryId = newQuery("Hostile");
    String path = "/api/v1/queries/" + queryId + "/visualizations";
    Response nul = editor.post(path, viz("Out\u0000ages", "line", CONFIGS.get("line")));
    assertThat(nul.status()).isEqualTo(400);
    assertThat(errors(nul)).containsExactly("/name must not contain the NUL character (\\u0000)");
    Response nulInConfig = editor.post(path, viz("Outages", "line", CONFIGS.get("line").copy()
        .put("nullDisplay", "\u0000")));
    assertThat(errors(nulInConfig)).containsExactly("/config/nullDisplay must not contain the NUL character (\\u0000)");
    Response nulKey = editor.post(path, viz("Outages", "line", CONFIGS.get("line").copy()
        .put("series", new JsonObject().put("On\u0000tario", new JsonObject().put("name", "ON")))));
    assertThat(nulKey.status()).isEqualTo(400);

    Response huge = editor.post(path, viz("x".repeat(50_000), "line", CONFIGS.get("line")));
    assertThat(huge.status()).isEqualTo(400);
    assertThat(errors(huge)).singleElement().asString().startsWith("/name ");
    Response blank = editor.post(path, viz(" \t ", "line", CONFIGS.get("line")));
    assertThat(errors(blank)).containsExactly("/name must not be blank");

    String script = "<script>alert('x')</script>";
    JsonObject config = CONFIGS.get("line").copy().put("nullDisplay", "<img src=x onerror=1>");
    config.getJsonArray("y").getJsonObject(0).put("name", script);
    Response stored = editor.post(path, viz(script, "line", config));
    assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
    JsonObject back = editor.get("/api/v1/visualizations/" + stored.json().getString("id")).json();
    assertThat(back.getString("name")).isEqualTo(script);
    assertThat(back.getJsonObject("config")).isEqualTo(config);
    assertThat(server.db.scalar("select count(*) from visualizations where query_id = '" + queryId + "'"))
        .isEqualTo(1L);
  }
}
