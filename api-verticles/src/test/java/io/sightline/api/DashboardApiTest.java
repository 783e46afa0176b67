package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.LocalDirectoryStore;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.StoredResults;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dashboards through the API (real Postgres, real HTTP server, no runner: runs stay queued unless a test stores a
 * result for one): CRUD by id and slug, versions, restore, duplicate, stale saves, bindings checked against the tiles'
 * queries, org isolation, roles, archive vs delete, hostile input, and POST …/runs (fresh results reused, stale ones
 * re-run, identical tiles sharing one run, a bad binding failing its tile alone, the fingerprint its events carry).
 */
@ExtendWith(PostgresExtension.class)
class DashboardApiTest {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardApiTest.class);
  private static ApiTestServer server;
  private static ApiClient editor;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static String datasourceId;
  /** Outages: period (date_range, required), province (enum ON/QC/BC), top (integer, default 10). */
  private static String outagesQuery;
  private static String outagesLine;
  private static String outagesTable;
  /** Total: no parameters. */
  private static String totalStat;
  /** Region: region (text, required, no default). */
  private static String regionViz;
  @TempDir
  static Path resultsDir;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    admin = server.as(ADMIN_A);
    viewer = server.as(VIEWER_A);
    datasourceId = admin.post("/api/v1/datasources", new JsonObject().put("name", "Grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
    outagesQuery = query("Outages", "select province, day, customers_out from outages where day between"
        + " {{period.start}} and {{period.end}} and province = any({{province}}) limit {{top}}", new JsonArray()
        .add(new JsonObject().put("name", "period").put("type", "date_range").put("required", true))
        .add(new JsonObject().put("name", "province").put("type", "enum").put("multi", true)
            .put("options", new JsonArray().add("ON").add("QC").add("BC")))
        .add(new JsonObject().put("name", "top").put("type", "integer").put("default", 10)));
    outagesLine = viz(outagesQuery, "Outages per day", "line");
    outagesTable = viz(outagesQuery, "Outages table", "table");
    totalStat = viz(query("Total", "select 42 as customers_out", new JsonArray()), "Total", "stat");
    regionViz = viz(query("Region", "select {{region}} as region", new JsonArray()
        .add(new JsonObject().put("name", "region").put("type", "text").put("required", true))), "Region", "table");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String query(String name, String sql, JsonArray params) {
    Response r = editor.post("/api/v1/queries", new JsonObject().put("name", name).put("datasourceId", datasourceId)
        .put("sql", sql).put("params", params));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static String viz(String queryId, String name, String kind) {
    JsonObject config = switch (kind) {
      case "stat" -> new JsonObject().put("value", new JsonObject().put("column", "customers_out"));
      case "table" -> new JsonObject();
      default -> new JsonObject().put("x", new JsonObject().put("column", "day"))
          .put("y", new JsonArray().add(new JsonObject().put("column", "customers_out")));
    };
    Response r = editor.post("/api/v1/queries/" + queryId + "/visualizations", new JsonObject().put("name", name)
        .put("kind", kind).put("config", config));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  /** The dashboard params: period (date_range, default last_7d), provinces (multi enum ON/QC), region (text). */
  private static JsonArray dashboardParams() {
    return new JsonArray()
        .add(new JsonObject().put("name", "period").put("type", "date_range").put("default", "last_7d"))
        .add(new JsonObject().put("name", "provinces").put("type", "enum").put("multi", true)
            .put("options", new JsonArray().add("ON").add("QC")))
        .add(new JsonObject().put("name", "region").put("type", "text"));
  }

  private static JsonObject fromDashboard(String param) {
    return new JsonObject().put("from", "dashboard").put("param", param);
  }

  private static JsonObject vizTile(String vizId, int x, int y, JsonObject bindings) {
    return new JsonObject().put("kind", "viz").put("visualizationId", vizId).put("x", x).put("y", y).put("w", 12)
        .put("h", 8).put("bindings", bindings);
  }

  private static JsonObject outagesTile(int x, int y) {
    return vizTile(outagesLine, x, y, new JsonObject().put("period", fromDashboard("period"))
        .put("province", fromDashboard("provinces")));
  }

  private static JsonObject textTile(String text) {
    return new JsonObject().put("kind", "text").put("text", text).put("x", 0).put("y", 20).put("w", 24).put("h", 2);
  }

  private static JsonObject dashboard(String name, JsonArray tiles) {
    return new JsonObject().put("name", name).put("description", "Customers without power").put("tags",
        new JsonArray().add("ops").add("outages")).put("params", dashboardParams()).put("refreshSeconds", 60)
        .put("tiles", tiles);
  }

  private static JsonObject create(JsonObject body) {
    Response r = editor.post("/api/v1/dashboards", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  private static List<String> fields(Response r) {
    return r.json().getJsonArray("errors", new JsonArray()).stream().map(e -> ((JsonObject) e).getString("field"))
        .toList();
  }

  private static String message(Response r, String field) {
    return r.json().getJsonArray("errors").stream().map(e -> (JsonObject) e).filter(e -> e.getString("field")
        .equals(field)).map(e -> e.getString("message")).findFirst().orElseThrow(() -> new AssertionError(
            "no error for " + field + " in " + r));
  }

  private static long count(String sql) {
    return ((Number) server.db.scalar(sql)).longValue();
  }

  // ---- model -------------------------------------------------------------------------------------------------------

  @Test
  void createGetSaveVersionsRestoreAndDuplicate() {
    JsonObject d = create(dashboard("Storm desk", new JsonArray().add(outagesTile(0, 0))
        .add(vizTile(totalStat, 12, 0, new JsonObject()).put("title", "Total out")).add(textTile("## Notes"))));
    String id = d.getString("id");
    assertThat(d.getString("slug")).isEqualTo("storm-desk");
    assertThat(d.getInteger("version")).isEqualTo(1);
    assertThat(d.getJsonArray("tags")).containsExactly("ops", "outages");
    assertThat(d.getInteger("refreshSeconds")).isEqualTo(60);
    assertThat(d.getString("createdBy")).isEqualTo(EDITOR_A);
    JsonArray tiles = d.getJsonArray("tiles");
    assertThat(tiles).hasSize(3);
    JsonObject line = tiles.getJsonObject(0);
    assertThat(line.getJsonObject("visualization").getString("kind")).isEqualTo("line");
    assertThat(line.getJsonObject("visualization").getString("name")).isEqualTo("Outages per day");
    assertThat(line.getJsonObject("visualization").getString("queryId")).isEqualTo(outagesQuery);
    assertThat(line.getJsonObject("visualization").getJsonObject("config").getJsonObject("x").getString("column"))
        .isEqualTo("day");
    assertThat(line.getJsonObject("query").getJsonArray("params").stream().map(p -> ((JsonObject) p)
        .getString("name")).toList()).containsExactly("period", "province", "top");
    assertThat(line.getJsonObject("bindings")).isEqualTo(new JsonObject().put("period", fromDashboard("period"))
        .put("province", fromDashboard("provinces")));
    assertThat(tiles.getJsonObject(1).getString("title")).isEqualTo("Total out");
    assertThat(tiles.getJsonObject(2).getString("text")).isEqualTo("## Notes");
    assertThat(tiles.getJsonObject(2).containsKey("visualization")).isFalse();

    // GET by id and by slug, as a viewer; the view is recorded
    JsonObject byId = viewer.get("/api/v1/dashboards/" + id).json();
    JsonObject bySlug = viewer.get("/api/v1/dashboards/storm-desk").json();
    assertThat(bySlug.getString("id")).isEqualTo(id);
    assertThat(byId.getJsonArray("tiles")).isEqualTo(tiles);
    assertThat(bySlug.getString("lastViewedAt")).as("the previous view").isNotNull();

    // a save: tiles keep their ids when sent back, a new tile gets a new one, a removed one is gone
    JsonArray edited = new JsonArray().add(tiles.getJsonObject(0).copy().put("x", 12))
        .add(textTile("**changed**"));
    edited.getJsonObject(0).remove("visualization");
    edited.getJsonObject(0).remove("query");
    Response saved = admin.put("/api/v1/dashboards/" + id, dashboard("Storm desk 2", edited).put("version", 1));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    JsonObject v2 = saved.json();
    assertThat(v2.getInteger("version")).isEqualTo(2);
    assertThat(v2.getString("slug")).as("a rename keeps the slug (links keep working)").isEqualTo("storm-desk");
    assertThat(v2.getString("updatedBy")).isEqualTo(ADMIN_A);
    assertThat(v2.getJsonArray("tiles").getJsonObject(0).getString("id")).isEqualTo(line.getString("id"));
    assertThat(v2.getJsonArray("tiles").getJsonObject(0).getInteger("x")).isEqualTo(12);
    assertThat(v2.getJsonArray("tiles").getJsonObject(1).getString("id"))
        .isNotIn(tiles.stream().map(t -> ((JsonObject) t).getString("id")).toList());
    assertThat(count("select count(*) from tiles where dashboard_id = '" + id + "'")).isEqualTo(2);

    // versions: newest first; each holds its whole layout
    JsonArray versions = viewer.get("/api/v1/dashboards/" + id + "/versions").array();
    assertThat(versions.stream().map(v -> ((JsonObject) v).getInteger("version")).toList()).containsExactly(2, 1);
    assertThat(versions.getJsonObject(1).getInteger("tileCount")).isEqualTo(3);
    assertThat(versions.getJsonObject(0).getString("savedBy")).isEqualTo(ADMIN_A);
    JsonObject first = viewer.get("/api/v1/dashboards/storm-desk/versions/1").json();
    assertThat(first.getString("name")).isEqualTo("Storm desk");
    assertThat(first.getJsonArray("tiles")).hasSize(3);
    assertThat(first.getJsonArray("tiles").getJsonObject(2).getString("text")).isEqualTo("## Notes");
    assertThat(viewer.get("/api/v1/dashboards/" + id + "/versions/9").status()).isEqualTo(404);

    // restore version 1: a new save (version 3) with version 1's content; the surviving tile keeps its id
    Response restored = editor.post("/api/v1/dashboards/" + id + "/versions/1/restore", null);
    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(restored.json().getInteger("version")).isEqualTo(3);
    assertThat(restored.json().getString("name")).isEqualTo("Storm desk");
    assertThat(restored.json().getJsonArray("tiles")).hasSize(3);
    assertThat(restored.json().getJsonArray("tiles").getJsonObject(0).getString("id")).isEqualTo(line.getString("id"));
    assertThat(count("select count(*) from dashboard_versions where dashboard_id = '" + id + "'")).isEqualTo(3);

    // duplicate: version 1, a new slug, new tile ids, same content
    Response dup = editor.post("/api/v1/dashboards/storm-desk/duplicate", new JsonObject());
    assertThat(dup.status()).as(dup.toString()).isEqualTo(201);
    JsonObject copy = dup.json();
    assertThat(copy.getString("name")).isEqualTo("Storm desk (copy)");
    assertThat(copy.getString("slug")).isEqualTo("storm-desk-copy");
    assertThat(copy.getInteger("version")).isEqualTo(1);
    assertThat(copy.getJsonArray("tiles")).hasSize(3);
    assertThat(copy.getJsonArray("tiles").getJsonObject(0).getString("id")).isNotEqualTo(line.getString("id"));
    assertThat(copy.getJsonArray("tiles").getJsonObject(0).getJsonObject("bindings"))
        .isEqualTo(line.getJsonObject("bindings"));
    Response again = editor.post("/api/v1/dashboards/storm-desk/duplicate", new JsonObject());
    assertThat(again.json().getString("slug")).isEqualTo("storm-desk-copy-2");
  }

  @Test
  void twentyParallelCreatesOfOneNameGetTwentyDistinctSlugs() throws Exception {
    String name = "Parallel " + UUID.randomUUID().toString().substring(0, 8);
    int n = 20;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return editor.post("/api/v1/dashboards", dashboard(name, new JsonArray()));
        }));
      }
      go.countDown();
      List<String> slugs = new ArrayList<>();
      for (Future<Response> f : answers) {
        Response r = f.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        slugs.add(r.json().getString("slug"));
      }
      String base = "parallel-" + name.substring("Parallel ".length());
      assertThat(slugs).doesNotHaveDuplicates().contains(base, base + "-2", base + "-" + n);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStaleSaveIsA409SayingWhoSavedWhen() {
    String id = create(dashboard("Contended desk", new JsonArray())).getString("id");
    Response first = admin.put("/api/v1/dashboards/" + id, dashboard("Mine first", new JsonArray()).put("version", 1));
    assertThat(first.status()).isEqualTo(200);
    Response stale = editor.put("/api/v1/dashboards/" + id, dashboard("Mine", new JsonArray()).put("version", 1));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getString("type")).isEqualTo("urn:sightline:problem:stale-version");
    assertThat(stale.json().getString("detail")).isEqualTo("This dashboard is at version 2 (saved by " + ADMIN_A
        + " at " + first.json().getString("updatedAt") + "); your edit started from version 1. Reload it, then apply"
        + " your change again.");
    assertThat(editor.get("/api/v1/dashboards/" + id).json().getString("name")).isEqualTo("Mine first");
    assertThat(editor.put("/api/v1/dashboards/" + id, dashboard("x", new JsonArray())).status())
        .as("a save must name its version").isEqualTo(400);
  }

  @Test
  void fortyParallelSavesOfOneVersionGiveOneSuccessAnd39Conflicts() throws Exception {
    String id = create(dashboard("Forty", new JsonArray().add(outagesTile(0, 0)))).getString("id");
    int n = 40;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        JsonObject body = dashboard("Save " + i, new JsonArray().add(outagesTile(i % 12, i))).put("version", 1);
        answers.add(pool.submit(() -> {
          go.await();
          return editor.put("/api/v1/dashboards/" + id, body).status();
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : answers) {
        statuses.add(f.get());
      }
      assertThat(statuses.stream().filter(s -> s == 200).count()).as("%s", statuses).isEqualTo(1);
      assertThat(statuses.stream().filter(s -> s == 409).count()).as("%s", statuses).isEqualTo(39);
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("select count(*) from dashboard_versions where dashboard_id = '" + id + "'")).isEqualTo(2);
    assertThat(count("select count(*) from tiles where dashboard_id = '" + id + "'")).isEqualTo(1);
  }

  @Test
  void bindingsAreCheckedAgainstTheTilesQueriesWithA400PerTileAndParameter() {
    long before = count("select count(*) from dashboards");
    JsonArray tiles = new JsonArray()
        .add(textTile("fine"))
        // 1: unknown tile parameter, unknown dashboard parameter
        .add(vizTile(outagesLine, 0, 0, new JsonObject().put("period", fromDashboard("period"))
            .put("regionn", new JsonObject().put("value", "x")).put("province", fromDashboard("nope"))))
        // 2: a date_range dashboard parameter bound to an integer tile parameter; required period left unbound
        .add(vizTile(outagesTable, 0, 8, new JsonObject().put("top", fromDashboard("period"))))
        // 3: a fixed value invalid for its parameter; an option the tile's enum does not have
        .add(vizTile(outagesLine, 12, 0, new JsonObject().put("period", new JsonObject().put("value", "last_year"))
            .put("province", new JsonObject().put("value", new JsonArray().add("ON").add("YT")))))
        // 4: a required parameter bound to its (absent) default; a malformed binding
        .add(vizTile(regionViz, 12, 8, new JsonObject().put("region", new JsonObject().put("default", true))))
        .add(vizTile(outagesLine, 0, 16, new JsonObject().put("period", new JsonObject().put("from", "elsewhere"))))
        // 6: a text parameter of the dashboard feeding a multi-select enum; x + w beyond the grid
        .add(vizTile(outagesLine, 20, 24, new JsonObject().put("period", fromDashboard("period"))
            .put("province", fromDashboard("region"))));
    Response r = editor.post("/api/v1/dashboards", dashboard("Bad bindings", tiles));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    assertThat(message(r, "/tiles/6/w")).contains("x + w must be at most 24");
    assertThat(message(r, "/tiles/5/bindings/period")).contains("must be {\"from\": \"dashboard\"");
    // the database checks come once the body is sound
    tiles.remove(6);
    tiles.remove(5);
    r = editor.post("/api/v1/dashboards", dashboard("Bad bindings", tiles));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(fields(r)).containsExactlyInAnyOrder("/tiles/1/bindings/regionn", "/tiles/1/bindings/province",
        "/tiles/2/bindings/top", "/tiles/2/bindings/period", "/tiles/3/bindings/period/value",
        "/tiles/3/bindings/province/value/1", "/tiles/4/bindings/region");
    assertThat(message(r, "/tiles/1/bindings/regionn")).isEqualTo("is not a parameter of the tile's query (it has:"
        + " period, province, top)");
    assertThat(message(r, "/tiles/1/bindings/province")).isEqualTo("names no dashboard parameter 'nope'");
    assertThat(message(r, "/tiles/2/bindings/top")).isEqualTo("a date_range dashboard parameter ('period') cannot"
        + " feed an integer parameter");
    assertThat(message(r, "/tiles/2/bindings/period")).contains("is required by the tile's query and has no default");
    assertThat(message(r, "/tiles/3/bindings/period/value")).contains("date_range parameter 'period'");
    assertThat(message(r, "/tiles/3/bindings/province/value/1")).contains("is not one of the options");
    assertThat(message(r, "/tiles/4/bindings/region")).contains("is required");
    assertThat(count("select count(*) from dashboards")).isEqualTo(before);

    // enum ↔ enum: the dashboard's options must all be the tile's; text feeding a multi-select does not
    JsonObject narrow = new JsonObject().put("name", "Narrow").put("params", new JsonArray()
        .add(new JsonObject().put("name", "p").put("type", "date_range").put("required", true))
        .add(new JsonObject().put("name", "provinces").put("type", "enum").put("multi", true)
            .put("options", new JsonArray().add("ON").add("NU")))
        .add(new JsonObject().put("name", "one").put("type", "text")))
        .put("tiles", new JsonArray()
            .add(vizTile(outagesLine, 0, 0, new JsonObject().put("period", fromDashboard("p"))
                .put("province", fromDashboard("provinces"))))
            .add(vizTile(outagesLine, 0, 8, new JsonObject().put("period", fromDashboard("p"))
                .put("province", fromDashboard("one")))));
    r = editor.post("/api/v1/dashboards", narrow);
    assertThat(r.status()).isEqualTo(400);
    assertThat(message(r, "/tiles/0/bindings/province")).contains("offers \"NU\", which the tile parameter does not");
    assertThat(message(r, "/tiles/1/bindings/province")).contains("single- and multi-select");

    // compatible: text → text, a fixed value, and the same query twice; a click action naming a dashboard parameter
    Response ok = editor.post("/api/v1/dashboards", dashboard("Good bindings", new JsonArray()
        .add(vizTile(regionViz, 0, 0, new JsonObject().put("region", fromDashboard("region")))
            .put("clickAction", new JsonObject().put("setParam", "region").put("column", "region")))
        .add(vizTile(outagesLine, 12, 0, new JsonObject().put("period", new JsonObject().put("value",
            new JsonObject().put("start", "2026-01-01").put("end", "2026-01-31")))
            .put("top", new JsonObject().put("value", 5))))));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(ok.json().getJsonArray("tiles").getJsonObject(0).getJsonObject("clickAction"))
        .isEqualTo(new JsonObject().put("setParam", "region").put("column", "region"));
    Response badClick = editor.post("/api/v1/dashboards", dashboard("Bad click", new JsonArray()
        .add(vizTile(totalStat, 0, 0, new JsonObject())
            .put("clickAction", new JsonObject().put("setParam", "nowhere").put("column", "x")))));
    assertThat(badClick.status()).isEqualTo(400);
    assertThat(fields(badClick)).containsExactly("/tiles/0/clickAction/setParam");
  }

  @Test
  void anotherOrgsVisualizationIsRefusedWithA400AndNothingIsWritten() {
    ApiClient adminB = server.as(ADMIN_B);
    String dsB = adminB.post("/api/v1/datasources", new JsonObject().put("name", "B grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
    String queryB = adminB.post("/api/v1/queries", new JsonObject().put("name", "B's").put("datasourceId", dsB)
        .put("sql", "select 1 as n")).json().getString("id");
    String vizB = adminB.post("/api/v1/queries/" + queryB + "/visualizations", new JsonObject().put("name", "B's")
        .put("kind", "table").put("config", new JsonObject())).json().getString("id");
    long dashboards = count("select count(*) from dashboards");
    long versions = count("select count(*) from dashboard_versions");
    for (String foreign : List.of(vizB, UUID.randomUUID().toString())) {
      Response r = editor.post("/api/v1/dashboards", dashboard("Borrowed", new JsonArray().add(textTile("a"))
          .add(textTile("b")).add(textTile("c")).add(vizTile(foreign, 0, 0, new JsonObject()))));
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(fields(r)).containsExactly("/tiles/3/visualizationId");
      assertThat(message(r, "/tiles/3/visualizationId")).isEqualTo("no such visualization in this org");
    }
    String id = create(dashboard("Own", new JsonArray())).getString("id");
    Response put = editor.put("/api/v1/dashboards/" + id, dashboard("Own", new JsonArray()
        .add(vizTile(vizB, 0, 0, new JsonObject()))).put("version", 1));
    assertThat(put.status()).isEqualTo(400);
    assertThat(count("select count(*) from dashboards")).isEqualTo(dashboards + 1);
    assertThat(count("select count(*) from dashboard_versions")).isEqualTo(versions + 1);
    assertThat(count("select count(*) from tiles where visualization_id = '" + vizB + "'")).isZero();
  }

  @Test
  void slugsAreDerivedUniqueAndChecked() {
    assertThat(create(dashboard("Équipe: Québec — pannes!", new JsonArray())).getString("slug"))
        .isEqualTo("equipe-quebec-pannes");
    assertThat(create(dashboard("Équipe Québec pannes", new JsonArray())).getString("slug"))
        .as("a derived slug that is taken gets a numeric suffix").isEqualTo("equipe-quebec-pannes-2");
    assertThat(create(dashboard("!!!", new JsonArray())).getString("slug")).isEqualTo("dashboard");
    JsonObject given = create(dashboard("Anything", new JsonArray()).put("slug", "wall-screen"));
    assertThat(given.getString("slug")).isEqualTo("wall-screen");

    Response taken = editor.post("/api/v1/dashboards", dashboard("Other", new JsonArray()).put("slug", "wall-screen"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().getString("type")).isEqualTo("urn:sightline:problem:slug-taken");
    assertThat(taken.json().getString("slug")).isEqualTo("wall-screen");
    assertThat(taken.json().getString("detail")).contains("\"wall-screen\"");
    String other = create(dashboard("Other", new JsonArray())).getString("id");
    Response renamed = editor.put("/api/v1/dashboards/" + other, dashboard("Other", new JsonArray())
        .put("slug", "wall-screen").put("version", 1));
    assertThat(renamed.status()).as("a save taking a slug in use").isEqualTo(409);
    Response own = editor.put("/api/v1/dashboards/wall-screen", dashboard("Renamed", new JsonArray())
        .put("slug", "wall-screen").put("version", 1));
    assertThat(own.status()).as("keeping one's own slug").isEqualTo(200);

    for (String bad : List.of("Wall Screen", "-x", "a--b", "0f8fad5b-d9cb-469f-a165-70867728950e", "x".repeat(101))) {
      Response r = editor.post("/api/v1/dashboards", dashboard("Bad slug", new JsonArray()).put("slug", bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(fields(r)).as(bad).contains("/slug");
    }
    // deleting (nothing refers to it) frees the slug
    assertThat(editor.delete("/api/v1/dashboards/wall-screen").status()).isEqualTo(204);
    assertThat(editor.get("/api/v1/dashboards/wall-screen").status()).isEqualTo(404);
    assertThat(create(dashboard("Again", new JsonArray()).put("slug", "wall-screen")).getString("slug"))
        .isEqualTo("wall-screen");
  }

  @Test
  void anotherOrgGets404ByIdAndBySlugAndAViewerReadsAndRunsButCannotWrite() {
    JsonObject d = create(dashboard("Private desk", new JsonArray().add(outagesTile(0, 0))));
    String id = d.getString("id");
    ApiClient adminB = server.as(ADMIN_B);
    for (String ref : List.of(id, "private-desk")) {
      assertThat(adminB.get("/api/v1/dashboards/" + ref).status()).isEqualTo(404);
      assertThat(adminB.get("/api/v1/dashboards/" + ref + "/versions").status()).isEqualTo(404);
      assertThat(adminB.put("/api/v1/dashboards/" + ref, dashboard("Mine", new JsonArray()).put("version", 1))
          .status()).isEqualTo(404);
      assertThat(adminB.post("/api/v1/dashboards/" + ref + "/runs", new JsonObject()).status()).isEqualTo(404);
      assertThat(adminB.delete("/api/v1/dashboards/" + ref).status()).isEqualTo(404);
    }
    assertThat(adminB.get("/api/v1/dashboards").body()).doesNotContain(id);

    assertThat(viewer.get("/api/v1/dashboards/" + id).status()).isEqualTo(200);
    assertThat(viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject()).status()).isEqualTo(200);
    assertThat(viewer.post("/api/v1/dashboards", dashboard("V", new JsonArray())).status()).isEqualTo(403);
    assertThat(viewer.put("/api/v1/dashboards/" + id, dashboard("V", new JsonArray()).put("version", 1)).status())
        .isEqualTo(403);
    assertThat(viewer.delete("/api/v1/dashboards/" + id).status()).isEqualTo(403);
    assertThat(viewer.post("/api/v1/dashboards/" + id + "/duplicate", new JsonObject()).status()).isEqualTo(403);
    assertThat(viewer.post("/api/v1/dashboards/" + id + "/versions/1/restore", null).status()).isEqualTo(403);
    assertThat(editor.get("/api/v1/dashboards/" + id).json().getInteger("version")).isEqualTo(1);
  }

  @Test
  void deleteDeletesAnUnusedDashboardAndArchivesOneThatRunsReferTo() {
    String unused = create(dashboard("Scratch", new JsonArray().add(textTile("x")))).getString("id");
    assertThat(editor.delete("/api/v1/dashboards/" + unused).status()).isEqualTo(204);
    assertThat(count("select count(*) from dashboards where id = '" + unused + "'")).isZero();
    assertThat(count("select count(*) from dashboard_versions where dashboard_id = '" + unused + "'")).isZero();

    String used = create(dashboard("Ran once", new JsonArray().add(outagesTile(0, 0)))).getString("id");
    assertThat(editor.post("/api/v1/dashboards/" + used + "/runs", new JsonObject()).status()).isEqualTo(200);
    assertThat(editor.delete("/api/v1/dashboards/ran-once").status()).isEqualTo(204);
    assertThat(count("select count(*) from dashboards where id = '" + used + "' and archived_at is not null"))
        .as("archived: its runs still name it").isEqualTo(1);
    assertThat(count("select count(*) from run_requests where dashboard_id = '" + used + "'")).isEqualTo(1);
    assertThat(editor.get("/api/v1/dashboards/" + used).status()).isEqualTo(404);
    assertThat(editor.get("/api/v1/dashboards/" + used + "/versions").status()).isEqualTo(404);
    assertThat(editor.delete("/api/v1/dashboards/" + used).status()).isEqualTo(404);
    assertThat(editor.get("/api/v1/dashboards").body()).doesNotContain(used);
    assertThat(create(dashboard("Ran once", new JsonArray())).getString("slug")).as("its slug is free again")
        .isEqualTo("ran-once");
    // its tiles stay, so deleting the visualization they show still names it
    Response vizDelete = editor.delete("/api/v1/visualizations/" + outagesLine);
    assertThat(vizDelete.status()).isEqualTo(409);
  }

  @Test
  void theListSearchesFiltersByTagAndOwnerCountsTilesAndKnowsTheCallersLastView() {
    String tag = "list-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject a = create(dashboard("Zebra feed", new JsonArray().add(textTile("a")).add(outagesTile(0, 0)))
        .put("tags", new JsonArray().add(tag)));
    JsonObject b = create(dashboard("Yak counts", new JsonArray()).put("description", "zebra mentioned here")
        .put("tags", new JsonArray().add(tag).add("other")));
    Response byAdmin = admin.post("/api/v1/dashboards", dashboard("Xylophone", new JsonArray())
        .put("tags", new JsonArray().add(tag)));
    JsonArray items = viewer.get("/api/v1/dashboards?tag=" + tag).json().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("name")).toList())
        .containsExactly("Xylophone", "Yak counts", "Zebra feed");
    JsonObject zebra = items.getJsonObject(2);
    assertThat(zebra.getInteger("tileCount")).isEqualTo(2);
    assertThat(zebra.getString("owner")).isEqualTo(EDITOR_A);
    assertThat(zebra.getJsonArray("tags")).containsExactly(tag);
    assertThat(zebra.getString("lastViewedAt")).isNull();
    assertThat(zebra.getString("updatedAt")).isEqualTo(a.getString("updatedAt"));

    assertThat(viewer.get("/api/v1/dashboards?tag=" + tag + "&search=ZEBRA").json().getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getString("name")).toList()).containsExactly("Yak counts", "Zebra feed");
    assertThat(admin.get("/api/v1/dashboards?tag=" + tag + "&owner=me").json().getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getString("id")).toList()).containsExactly(byAdmin.json().getString("id"));
    assertThat(viewer.get("/api/v1/dashboards?owner=" + server.userId(EDITOR_A) + "&tag=" + tag).json()
        .getJsonArray("items")).hasSize(2);
    assertThat(viewer.get("/api/v1/dashboards?owner=nobody").status()).isEqualTo(400);
    // a search is literal text: % and _ are not wildcards
    create(dashboard("Load 500 feeders", new JsonArray()).put("tags", new JsonArray().add(tag + "-like")));
    create(dashboard("Load 50% feeders", new JsonArray()).put("tags", new JsonArray().add(tag + "-like")));
    assertThat(viewer.get("/api/v1/dashboards?tag=" + tag + "-like&search=50%25").json().getJsonArray("items")
        .stream().map(i -> ((JsonObject) i).getString("name")).toList()).containsExactly("Load 50% feeders");
    assertThat(viewer.get("/api/v1/dashboards?tag=" + tag + "-like&search=5_0").json().getJsonArray("items"))
        .isEmpty();

    // pages
    JsonObject page1 = viewer.get("/api/v1/dashboards?tag=" + tag + "&limit=2").json();
    assertThat(page1.getJsonArray("items")).hasSize(2);
    JsonObject page2 = viewer.get("/api/v1/dashboards?tag=" + tag + "&limit=2&cursor=" + page1.getString(
        "nextCursor")).json();
    assertThat(page2.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("Zebra feed");
    assertThat(page2.getString("nextCursor")).isNull();

    // recent: only what the caller opened, most recently viewed first
    ApiClient fresh = server.as(VIEWER_A);
    fresh.get("/api/v1/dashboards/" + a.getString("id"));
    fresh.get("/api/v1/dashboards/" + b.getString("slug"));
    JsonArray recent = fresh.get("/api/v1/dashboards?recent=true&tag=" + tag).json().getJsonArray("items");
    assertThat(recent.stream().map(i -> ((JsonObject) i).getString("name")).toList())
        .containsExactly("Yak counts", "Zebra feed");
    assertThat(recent.getJsonObject(0).getString("lastViewedAt")).isNotNull();
    assertThat(editor.get("/api/v1/dashboards?recent=true&tag=" + tag).json().getJsonArray("items"))
        .as("views are per member").isEmpty();
  }

  @Test
  void hostileInput() {
    Response nul = editor.post("/api/v1/dashboards", dashboard("a\u0000b", new JsonArray()));
    assertThat(nul.status()).isEqualTo(400);
    assertThat(fields(nul)).contains("/name");
    Response nulText = editor.post("/api/v1/dashboards", dashboard("ok", new JsonArray().add(textTile("x\u0000"))));
    assertThat(nulText.status()).isEqualTo(400);
    assertThat(fields(nulText)).contains("/tiles/0/text");

    String script = "<script>alert(1)</script>";
    JsonObject d = create(dashboard(script, new JsonArray().add(textTile("# Hi\n" + script + "<img src=x onerror=alert(1)>"))
        .add(outagesTile(0, 0).put("title", script))).put("description", script));
    JsonObject read = editor.get("/api/v1/dashboards/" + d.getString("id")).json();
    assertThat(read.getString("name")).isEqualTo(script);
    assertThat(read.getString("description")).isEqualTo(script);
    assertThat(read.getString("slug")).isEqualTo("script-alert-1-script");
    assertThat(read.getJsonArray("tiles").getJsonObject(0).getString("text"))
        .isEqualTo("# Hi\n" + script + "<img src=x onerror=alert(1)>");
    assertThat(read.getJsonArray("tiles").getJsonObject(1).getString("title")).isEqualTo(script);

    Response big = editor.post("/api/v1/dashboards", dashboard("big", new JsonArray()
        .add(textTile("x".repeat(100 * 1024 + 1)))));
    assertThat(big.status()).isEqualTo(400);
    assertThat(fields(big)).contains("/tiles/0/text");
    String tenMegabytes = dashboard("huge", new JsonArray().add(textTile("x".repeat(10 << 20)))).encode();
    Response huge = editor.send("POST", "/api/v1/dashboards", tenMegabytes, "application/json");
    assertThat(huge.status()).isEqualTo(413);
    Response tooMany = editor.post("/api/v1/dashboards", dashboard("many", new JsonArray(java.util.Collections.nCopies(
        201, textTile("x")))));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(editor.get("/api/v1/dashboards?search=%00").status()).isEqualTo(400);
  }

  // ---- runs --------------------------------------------------------------------------------------------------------

  /** Marks a queued run succeeded with a stored result, finished {@code secondsAgo} ago. */
  private static String succeed(String runId, int secondsAgo) {
    String resultId = UUID.randomUUID().toString();
    server.db.execute("update runs set status = 'succeeded', started_at = now() - interval '" + (secondsAgo + 1)
        + " seconds', finished_at = now() - interval '" + secondsAgo + " seconds', row_count = 0, byte_count = 0"
        + " where id = '" + runId + "'");
    server.db.execute("insert into results (id, org_id, run_id, storage, columns, expires_at) values ('" + resultId
        + "', '" + ORG_A + "', '" + runId + "', 'postgres', '[]', now() + interval '1 day')");
    server.db.execute("update runs set result_id = '" + resultId + "' where id = '" + runId + "'");
    return resultId;
  }

  private static Map<String, JsonObject> byTile(Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonArray("tiles").stream().map(t -> (JsonObject) t)
        .collect(Collectors.toMap(t -> t.getString("tileId"), t -> t));
  }

  @Test
  void runsReuseFreshResultsRerunStaleOnesShareIdenticalWorkAndFailABadTileAlone() {
    JsonObject d = create(dashboard("Run desk", new JsonArray()
        .add(outagesTile(0, 0))                                                  // 0
        .add(vizTile(outagesTable, 12, 0, new JsonObject()                       // 1: the same work as 0
            .put("period", fromDashboard("period")).put("province", fromDashboard("provinces"))))
        .add(vizTile(totalStat, 0, 8, new JsonObject()))                         // 2
        .add(vizTile(regionViz, 12, 8, new JsonObject().put("region", fromDashboard("region"))))  // 3
        .add(textTile("skipped"))));                                             // 4
    String id = d.getString("id");
    List<String> tileIds = d.getJsonArray("tiles").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    JsonObject values = new JsonObject().put("params", new JsonObject().put("period", new JsonObject()
        .put("start", "2026-01-01").put("end", "2026-01-07")).put("provinces", new JsonArray().add("ON")));

    Map<String, JsonObject> first = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", values));
    assertThat(first.keySet()).as("text tiles are skipped").containsExactlyInAnyOrderElementsOf(tileIds.subList(0, 4));
    JsonObject line = first.get(tileIds.get(0));
    JsonObject table = first.get(tileIds.get(1));
    assertThat(line.getString("status")).isEqualTo("queued");
    assertThat(line.getBoolean("reused")).isFalse();
    assertThat(line.getString("queryId")).isEqualTo(outagesQuery);
    assertThat(line.getString("fingerprint")).hasSize(64);
    assertThat(table.getString("runId")).as("identical work, one run").isEqualTo(line.getString("runId"));
    assertThat(table.getString("fingerprint")).isEqualTo(line.getString("fingerprint"));
    assertThat(count("select count(*) from runs where dashboard_id = '" + id + "'")).isEqualTo(2);
    assertThat(count("select count(*) from run_requests where dashboard_id = '" + id + "' and trigger = 'dashboard'"))
        .isEqualTo(2);
    assertThat(String.valueOf(server.db.scalar("select params::text from run_requests where run_id = '"
        + line.getString("runId") + "'"))).contains("2026-01-07").contains("ON").contains("\"top\": 10");
    JsonObject region = first.get(tileIds.get(3));
    assertThat(region.getString("status")).isEqualTo("error");
    assertThat(region.getString("runId")).isNull();
    assertThat(region.getJsonObject("error").getString("code")).isEqualTo("binding");
    assertThat(region.getJsonObject("error").getString("field")).isEqualTo("/tiles/3/bindings/region");
    assertThat(region.getJsonObject("error").getString("message")).contains("'region'").contains("is required");
    assertThat(first.get(tileIds.get(2)).getString("status")).isEqualTo("queued");

    // the line's run succeeds 30 s ago; with the refresh interval (60 s) it is fresh: reused, no new run
    String resultId = succeed(line.getString("runId"), 30);
    Map<String, JsonObject> second = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", values));
    assertThat(second.get(tileIds.get(0)).getBoolean("reused")).isTrue();
    assertThat(second.get(tileIds.get(0)).getString("status")).isEqualTo("succeeded");
    assertThat(second.get(tileIds.get(0)).getString("resultId")).isEqualTo(resultId);
    assertThat(java.time.Duration.between(java.time.Instant.parse(second.get(tileIds.get(0)).getString("finishedAt")),
        java.time.Instant.now()).toSeconds()).as("when the reused result was made").isBetween(25L, 60L);
    assertThat(first.get(tileIds.get(0)).getString("finishedAt")).as("nothing finished yet").isNull();
    assertThat(second.get(tileIds.get(1)).getString("resultId")).isEqualTo(resultId);
    assertThat(second.get(tileIds.get(2)).getString("runId")).as("a live identical run is shared")
        .isEqualTo(first.get(tileIds.get(2)).getString("runId"));
    assertThat(count("select count(*) from runs where dashboard_id = '" + id + "'")).isEqualTo(2);

    // maxAgeSeconds 10: the 30 s old result is stale, so it runs again (once, for both tiles)
    Map<String, JsonObject> third = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", values.copy()
        .put("maxAgeSeconds", 10)));
    assertThat(third.get(tileIds.get(0)).getBoolean("reused")).isFalse();
    assertThat(third.get(tileIds.get(0)).getString("runId")).isNotEqualTo(line.getString("runId"));
    assertThat(third.get(tileIds.get(1)).getString("runId")).isEqualTo(third.get(tileIds.get(0)).getString("runId"));
    assertThat(count("select count(*) from runs where dashboard_id = '" + id + "'")).isEqualTo(3);

    // other values are other work; a region value lets tile 3 run; tileIds limits the answer
    Map<String, JsonObject> only = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject()
        .put("params", new JsonObject().put("region", "North")).put("tileIds", new JsonArray().add(tileIds.get(3)))));
    assertThat(only.keySet()).containsExactly(tileIds.get(3));
    assertThat(only.get(tileIds.get(3)).getString("status")).isEqualTo("queued");

    // bad dashboard values are a 400 naming them, as for a query run
    Response bad = viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject().put("params", new JsonObject()
        .put("provinces", new JsonArray().add("YT"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(fields(bad)).containsExactly("/params/provinces/0");
    Response unknown = viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject().put("params",
        new JsonObject().put("nope", 1)));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(fields(unknown)).containsExactly("/params/nope");
    Response notATile = viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject().put("tileIds",
        new JsonArray().add(UUID.randomUUID().toString())));
    assertThat(notATile.status()).isEqualTo(400);
    assertThat(fields(notATile)).containsExactly("/tileIds/0");
  }

  /** A stored result of {@code queryId} whose one text column {@code column} holds {@code values}. */
  private static void storeOptions(String queryId, String column, String... values) {
    List<Object[]> rows = new ArrayList<>();
    for (String v : values) {
      rows.add(new Object[] {v});
    }
    String resultId = StoredResults.write(server.node.vertx(), server.node.pool(), server.db, ORG_A,
        new LocalDirectoryStore(server.node.vertx(), resultsDir), List.of(new ColumnMeta(column, "text", "text")),
        rows.iterator());
    server.db.execute("update runs set query_id = '" + queryId + "' where result_id = '" + resultId + "'");
  }

  private static JsonObject queryEnum(String name, String optionsQueryId, String column) {
    return new JsonObject().put("name", name).put("type", "query_enum").put("optionsQueryId", optionsQueryId)
        .put("optionsColumn", column).put("required", true);
  }

  @Test
  void aQueryEnumValueOutsideItsOptionsFailsItsTileAloneAndADashboardOneIsA400() {
    String provinces = query("Provinces", "select 'ON' as province", new JsonArray());
    storeOptions(provinces, "province", "ON", "QC");
    String byProvince = viz(query("By province", "select {{prov}} as province, 1 as customers_out", new JsonArray()
        .add(queryEnum("prov", provinces, "province"))), "By province", "table");
    String neverRun = query("Never run", "select 'x' as code", new JsonArray());
    String byCode = viz(query("By code", "select {{code}} as code", new JsonArray()
        .add(queryEnum("code", neverRun, "code"))), "By code", "table");
    String byShift = viz(query("By shift", "select {{shift}} as shift", new JsonArray().add(new JsonObject()
        .put("name", "shift").put("type", "enum").put("options", new JsonArray().add("day").add("night"))
        .put("required", true))), "By shift", "table");
    JsonObject body = new JsonObject().put("name", "Options desk").put("params", new JsonArray()
        .add(queryEnum("pick", provinces, "province").put("required", false))
        .add(new JsonObject().put("name", "province").put("type", "text")))
        .put("tiles", new JsonArray()
            .add(vizTile(byProvince, 0, 0, new JsonObject().put("prov", fromDashboard("pick"))))          // 0
            .add(vizTile(byProvince, 12, 0, new JsonObject().put("prov", new JsonObject().put("value", "Atlantis"))))
            .add(vizTile(byProvince, 0, 8, new JsonObject().put("prov", new JsonObject().put("value", "QC"))))
            .add(vizTile(viz(query("Options total", "select 3 as customers_out", new JsonArray()), "Options total",
                "stat"), 12, 8, new JsonObject()))                                                          // 3
            .add(vizTile(byProvince, 0, 16, new JsonObject().put("prov", fromDashboard("province"))))      // 4
            .add(vizTile(byCode, 12, 16, new JsonObject().put("code", new JsonObject().put("value", "x")))) // 5
            .add(vizTile(byShift, 0, 24, new JsonObject().put("shift", fromDashboard("province")))));      // 6
    JsonObject d = create(body);
    List<String> tileIds = d.getJsonArray("tiles").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    String runs = "/api/v1/dashboards/" + d.getString("id") + "/runs";

    Map<String, JsonObject> answer = byTile(viewer.post(runs, new JsonObject().put("params", new JsonObject()
        .put("pick", "ON").put("province", "Atlantis"))));
    for (int ok : new int[] {0, 2, 3}) {
      assertThat(answer.get(tileIds.get(ok)).getString("status")).as("tile %d", ok).isEqualTo("queued");
    }
    for (int bad : new int[] {1, 4, 6}) {
      JsonObject tile = answer.get(tileIds.get(bad));
      String param = bad == 6 ? "shift" : "prov";
      assertThat(tile.getString("status")).as("tile %d", bad).isEqualTo("error");
      assertThat(tile.getString("runId")).as("tile %d", bad).isNull();
      assertThat(tile.getJsonObject("error").getString("code")).as("tile %d", bad).isEqualTo("binding");
      assertThat(tile.getJsonObject("error").getString("field")).isEqualTo("/tiles/" + bad + "/bindings/" + param);
      assertThat(tile.getJsonObject("error").getString("message")).contains("'" + param + "'")
          .contains(bad == 6 ? "is not one of the options" : "is not among its options");
    }
    JsonObject noOptions = answer.get(tileIds.get(5)).getJsonObject("error");
    assertThat(noOptions.getString("code")).isEqualTo("options");
    assertThat(noOptions.getString("field")).isEqualTo("/tiles/5/bindings/code");
    assertThat(noOptions.getString("message")).contains("'code'").contains("no stored result yet");
    assertThat(count("select count(*) from run_requests where dashboard_id = '" + d.getString("id") + "'"))
        .as("one request for ON, one for QC, one for the total").isEqualTo(3);

    // a value of the dashboard's own query_enum outside its options is a 400, as for a query run
    Response bad = viewer.post(runs, new JsonObject().put("params", new JsonObject().put("pick", "Atlantis")));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    assertThat(fields(bad)).containsExactly("/params/pick");
    Response queryRun = viewer.post("/api/v1/queries/" + d.getJsonArray("tiles").getJsonObject(0)
        .getJsonObject("query").getString("id") + "/runs", new JsonObject().put("params", new JsonObject()
        .put("prov", "Atlantis")));
    assertThat(queryRun.status()).isEqualTo(400);
    assertThat(fields(queryRun)).containsExactly("/params/prov");
  }

  @Test
  void aTileOfAnArchivedQueryIsMarkedAndAnswersQueryArchivedWithoutRunning() {
    String retired = query("Retired <b>query</b>", "select 7 as customers_out", new JsonArray());
    String retiredStat = viz(retired, "Retired", "stat");
    String liveStat = viz(query("Live", "select 8 as customers_out", new JsonArray()), "Live", "stat");
    JsonObject d = create(dashboard("Archive desk", new JsonArray().add(vizTile(retiredStat, 0, 0, new JsonObject()))
        .add(vizTile(liveStat, 12, 0, new JsonObject()))));
    List<String> tileIds = d.getJsonArray("tiles").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    assertThat(d.getJsonArray("tiles").getJsonObject(0).getJsonObject("query").getBoolean("archived")).isFalse();
    assertThat(editor.delete("/api/v1/queries/" + retired).status()).isEqualTo(204);
    assertThat(count("select count(*) from queries where id = '" + retired + "' and archived_at is not null"))
        .as("archived, not deleted: its visualization is on a dashboard").isEqualTo(1);

    JsonArray tiles = viewer.get("/api/v1/dashboards/" + d.getString("id")).json().getJsonArray("tiles");
    assertThat(tiles.getJsonObject(0).getJsonObject("query").getBoolean("archived")).isTrue();
    assertThat(tiles.getJsonObject(0).getJsonObject("visualization").getString("kind")).isEqualTo("stat");
    assertThat(tiles.getJsonObject(1).getJsonObject("query").getBoolean("archived")).isFalse();

    Map<String, JsonObject> answer = byTile(viewer.post("/api/v1/dashboards/" + d.getString("id") + "/runs",
        new JsonObject().put("maxAgeSeconds", 0)));
    JsonObject archived = answer.get(tileIds.get(0));
    assertThat(archived.getString("status")).isEqualTo("error");
    assertThat(archived.getString("queryId")).isEqualTo(retired);
    assertThat(archived.getString("runId")).isNull();
    assertThat(archived.getString("fingerprint")).isNull();
    assertThat(archived.getJsonObject("error").getString("code")).isEqualTo("query-archived");
    assertThat(archived.getJsonObject("error").getString("message")).contains("\"Retired <b>query</b>\"")
        .contains("archived");
    assertThat(archived.getJsonObject("error").getString("field")).isEqualTo("/tiles/0/visualizationId");
    assertThat(answer.get(tileIds.get(1)).getString("status")).isNotEqualTo("error");
    assertThat(count("select count(*) from runs where query_id = '" + retired + "'")).as("nothing enqueued").isZero();
    // the dashboard can still be saved with the tile (and restored, duplicated): it is shown, just not run
    JsonArray kept = new JsonArray();
    tiles.forEach(t -> kept.add(((JsonObject) t).copy()));
    kept.forEach(t -> {
      ((JsonObject) t).remove("visualization");
      ((JsonObject) t).remove("query");
    });
    Response saved = editor.put("/api/v1/dashboards/" + d.getString("id"), dashboard("Archive desk", kept)
        .put("version", 1));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
  }

  @Test
  void aRunsEventCarriesTheQueryAndTheFingerprintTheRunsAnswerGaveTheTile() throws Exception {
    JsonObject d = create(dashboard("Push desk", new JsonArray().add(vizTile(outagesLine, 0, 0, new JsonObject()
        .put("period", new JsonObject().put("value", new JsonObject().put("start", "2025-05-01")
            .put("end", "2025-05-02")))))));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = server.node.vertx().eventBus().consumer(Addresses.orgRuns(ORG_A),
        m -> events.add(m.body()));
    io.sightline.testkit.Await.result(consumer.completion());
    try {
      JsonObject tile = viewer.post("/api/v1/dashboards/" + d.getString("id") + "/runs", new JsonObject())
          .json().getJsonArray("tiles").getJsonObject(0);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> events.stream()
          .anyMatch(e -> tile.getString("runId").equals(e.getString("runId"))));
      JsonObject queued = events.stream().filter(e -> tile.getString("runId").equals(e.getString("runId")))
          .findFirst().orElseThrow();
      assertThat(queued.getString("status")).isEqualTo("queued");
      assertThat(queued.getString("queryId")).isEqualTo(outagesQuery);
      assertThat(queued.getString("fingerprint")).isEqualTo(tile.getString("fingerprint"));
      // the same query and values run from the workbench is the same work: the same fingerprint
      JsonObject workbench = editor.post("/api/v1/queries/" + outagesQuery + "/runs", new JsonObject()
          .put("params", new JsonObject().put("period", new JsonObject().put("start", "2025-05-01")
              .put("end", "2025-05-02")))).json();
      assertThat(workbench.getString("id")).as("shares the dashboard's live run").isEqualTo(tile.getString("runId"));
    } finally {
      consumer.unregister();
    }
  }

  @Test
  void fortyViewersRunningOneDashboardAtOnceShareOneRunPerPieceOfWork() throws Exception {
    JsonObject period = new JsonObject().put("value", new JsonObject().put("start", "2024-02-01")
        .put("end", "2024-02-29"));
    JsonArray tiles = new JsonArray();
    for (int i = 0; i < 4; i++) {
      tiles.add(vizTile(i % 2 == 0 ? outagesLine : outagesTable, (i % 2) * 12, i * 8, new JsonObject()
          .put("period", period).put("top", new JsonObject().put("value", 9001 + i / 2))));
    }
    String id = create(dashboard("Crowd", tiles)).getString("id");
    int n = 40;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Map<String, JsonObject>> answers = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Response>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(pool.submit(() -> {
          go.await();
          return viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject());
        }));
      }
      go.countDown();
      for (Future<Response> f : sent) {
        answers.add(byTile(f.get()));
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> runIds = answers.stream().flatMap(a -> a.values().stream()).map(t -> t.getString("runId"))
        .distinct().toList();
    assertThat(runIds).as("two pieces of work, each run once for 40 viewers").hasSize(2).doesNotContainNull();
    assertThat(count("select count(*) from runs where dashboard_id = '" + id + "'")).isEqualTo(2);
    assertThat(count("select count(*) from run_requests where dashboard_id = '" + id + "'"))
        .as("every viewer's request is recorded on the shared runs").isEqualTo(2L * n);
  }

  @Test
  void aTwentyTileDashboardIsAnsweredInOneRequestQuickly() {
    JsonArray tiles = new JsonArray();
    for (int i = 0; i < 20; i++) {
      // 10 distinct pieces of work (top 1..10), each on two tiles
      tiles.add(vizTile(i % 2 == 0 ? outagesLine : outagesTable, (i % 2) * 12, i * 8, new JsonObject()
          .put("period", fromDashboard("period")).put("top", new JsonObject().put("value", 101 + i / 2))));
    }
    String id = create(dashboard("Twenty", tiles)).getString("id");
    long t0 = System.nanoTime();
    Map<String, JsonObject> cold = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject()));
    long coldMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(cold).hasSize(20);
    assertThat(cold.values().stream().map(t -> t.getString("runId")).distinct().count()).isEqualTo(10);
    cold.values().stream().map(t -> t.getString("runId")).distinct().forEach(run -> succeed(run, 1));
    long warmTotal = 0;
    for (int i = 0; i < 5; i++) {
      long t1 = System.nanoTime();
      Map<String, JsonObject> warm = byTile(viewer.post("/api/v1/dashboards/" + id + "/runs", new JsonObject()));
      warmTotal += (System.nanoTime() - t1) / 1_000_000;
      assertThat(warm.values()).allMatch(t -> t.getBoolean("reused"));
    }
    LOG.info("POST /dashboards/{id}/runs, 20 tiles: cold (10 enqueues) {} ms, fresh (all reused) {} ms on average",
        coldMs, warmTotal / 5);
    assertThat(count("select count(*) from runs where dashboard_id = '" + id + "'")).isEqualTo(10);
    assertThat(warmTotal / 5).as("all fresh: a fixed number of statements").isLessThan(1000);
  }
}
