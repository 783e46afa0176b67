package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.LocalDirectoryStore;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.StoredResults;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules through the API (real Postgres, real HTTP server, no runner: run-now's runs stay queued): create and read
 * query and dashboard schedules, everything checked at save (cron that never fires, zone, interval, window, target of
 * another org, parameter values — 400s naming the field, hostile strings included), preview across DST, stale and 40
 * parallel saves, pause and resume, run-now (enqueued, then reused while live) and its firing history, a broken
 * target shown with its reason, and org isolation.
 */
@ExtendWith(PostgresExtension.class)
class ScheduleApiTest {
  private static ApiTestServer server;
  private static ApiClient editor;
  private static ApiClient viewer;
  private static ApiClient otherOrg;
  private static String datasourceId;
  /** region (text, required), top (integer, default 10). */
  private static String regionQuery;
  private static String dashboardId;
  @TempDir
  static Path resultsDir;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    viewer = server.as(VIEWER_A);
    otherOrg = server.as(ADMIN_B);
    ApiClient admin = server.as(ADMIN_A);
    datasourceId = admin.post("/api/v1/datasources", new JsonObject().put("name", "Grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
    regionQuery = query("Outages by region", "select * from outages where region = {{region}} limit {{top}}",
        new JsonArray().add(new JsonObject().put("name", "region").put("type", "text").put("required", true))
            .add(new JsonObject().put("name", "top").put("type", "integer").put("default", 10)));
    String viz = editor.post("/api/v1/queries/" + regionQuery + "/visualizations", new JsonObject()
        .put("name", "Table").put("kind", "table").put("config", new JsonObject())).json().getString("id");
    Response d = editor.post("/api/v1/dashboards", new JsonObject().put("name", "Desk")
        .put("params", new JsonArray().add(new JsonObject().put("name", "area").put("type", "enum")
            .put("options", new JsonArray().add("north").add("south")).put("default", "north")))
        .put("tiles", new JsonArray().add(new JsonObject().put("kind", "viz").put("visualizationId", viz).put("x", 0)
            .put("y", 0).put("w", 12).put("h", 8).put("bindings", new JsonObject().put("region",
                new JsonObject().put("from", "dashboard").put("param", "area"))))));
    assertThat(d.status()).as(d.toString()).isEqualTo(201);
    dashboardId = d.json().getString("id");
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

  private static JsonObject cronBody(String cron) {
    return new JsonObject().put("name", "Mornings").put("queryId", regionQuery).put("kind", "cron").put("cron", cron)
        .put("timezone", "America/Toronto").put("params", new JsonObject().put("region", "north"));
  }

  private static JsonObject create(JsonObject body) {
    Response r = editor.post("/api/v1/schedules", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  private static void assertInvalid(Response r, String field, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    assertThat(r.json().getJsonArray("errors").stream().map(JsonObject.class::cast)
        .anyMatch(e -> e.getString("field").equals(field) && e.getString("message").contains(message)))
        .as("%s names %s: %s", r, field, message).isTrue();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void aQueryScheduleIsCreatedReadListedAndItsNextRunIsThePreviewsFirst() {
    JsonObject s = create(cronBody("30 7 * * MON-FRI"));
    assertThat(s.getString("state")).isEqualTo("ok");
    assertThat(s.getInteger("version")).isEqualTo(1);
    assertThat(s.getString("description")).contains("07:30").contains("America/Toronto");
    assertThat(s.getString("createdBy")).isEqualTo(EDITOR_A);
    Response preview = viewer.get("/api/v1/schedules/preview?cron=" + enc("30 7 * * MON-FRI")
        + "&timezone=America/Toronto");
    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    assertThat(preview.json().getJsonArray("times")).hasSize(10);
    assertThat(s.getString("nextRunAt")).isEqualTo(preview.json().getJsonArray("times").getJsonObject(0)
        .getString("at"));
    assertThat(viewer.get("/api/v1/schedules/" + s.getString("id")).json()).isEqualTo(s);
    JsonArray listed = viewer.get("/api/v1/schedules?queryId=" + regionQuery).json().getJsonArray("items");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id"))).contains(s.getString("id"));
    assertThat(viewer.get("/api/v1/schedules?dashboardId=" + dashboardId).json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))).doesNotContain(s.getString("id"));
    assertThat(viewer.get("/api/v1/schedules/" + s.getString("id") + "/firings").json().getJsonArray("items"))
        .isEmpty();
    // the org's zone when none is given, and the list pages by cursor
    JsonObject hourly = cronBody("0 * * * *").put("name", "Hourly");
    hourly.remove("timezone");
    JsonObject utc = create(hourly);
    assertThat(utc.getString("timezone")).isEqualTo("UTC");
    Response page = viewer.get("/api/v1/schedules?limit=1");
    assertThat(page.json().getJsonArray("items")).hasSize(1);
    Response page2 = viewer.get("/api/v1/schedules?limit=1&cursor=" + page.json().getString("nextCursor"));
    assertThat(page2.json().getJsonArray("items").getJsonObject(0).getString("id"))
        .isNotEqualTo(page.json().getJsonArray("items").getJsonObject(0).getString("id"));
  }

  @Test
  void everythingAFiringNeedsIsCheckedAtSaveNamingTheField() {
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 0 30 2 *")), "/cron", "never fires");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("61 * * * *")), "/cron", "not valid Unix cron");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("* * * * * *")), "/cron", "5 fields");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("timezone", "Mars/Olympus")),
        "/timezone", "IANA");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("timezone", "../../etc/passwd")),
        "/timezone", "IANA");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("timezone", "America/Toronto\u0000")),
        "/timezone", "NUL");
    // a lone surrogate as JSON sends it (an escape: Java would encode the character itself as '?')
    assertInvalid(editor.send("POST", "/api/v1/schedules", cronBody("0 7 * * *").put("name", "a-SURROGATE").encode()
        .replace("-SURROGATE", "\\ud800"), "application/json"), "/name", "surrogate");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("name", "   ")), "/name", "");
    assertInvalid(editor.post("/api/v1/schedules", new JsonObject().put("name", "Fast").put("queryId", regionQuery)
        .put("kind", "interval").put("everySeconds", 59).put("params", new JsonObject().put("region", "n"))),
        "/everySeconds", "");
    assertInvalid(editor.post("/api/v1/schedules", new JsonObject().put("name", "No every").put("queryId", regionQuery)
        .put("kind", "interval").put("params", new JsonObject().put("region", "n"))), "/everySeconds", "required");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("startsAt", "2027-01-02T00:00:00Z")
        .put("endsAt", "2027-01-01T00:00:00Z")), "/endsAt", "after startsAt");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("startsAt", "tomorrow")), "/startsAt",
        "ISO-8601");
    // parameter values against the query's declarations
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("params", new JsonObject())),
        "/params/region", "required");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("params", new JsonObject()
        .put("region", "n").put("top", "ten"))), "/params/top", "");
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("params", new JsonObject()
        .put("region", "n").put("'; drop table schedules; --", 1))), "/params/'; drop table schedules; --", "");
    // exactly one target, and the org's
    assertInvalid(editor.post("/api/v1/schedules", cronBody("0 7 * * *").put("dashboardId", dashboardId)),
        "/dashboardId", "exactly one target");
    JsonObject noTarget = cronBody("0 7 * * *");
    noTarget.remove("queryId");
    assertInvalid(editor.post("/api/v1/schedules", noTarget), "/queryId", "exactly one target");
    assertInvalid(otherOrg.post("/api/v1/schedules", cronBody("0 7 * * *")), "/queryId", "no longer exists");
    // a dashboard schedule's values against the dashboard's parameters
    JsonObject dash = new JsonObject().put("name", "Desk refresh").put("dashboardId", dashboardId)
        .put("kind", "interval").put("everySeconds", 300);
    assertInvalid(editor.post("/api/v1/schedules", dash.copy().put("params", new JsonObject().put("area", "east"))),
        "/params/area", "");
    JsonObject ok = create(dash.copy().put("params", new JsonObject().put("area", "south")));
    assertThat(ok.getString("dashboardId")).isEqualTo(dashboardId);
    assertThat(ok.getString("dashboardName")).isEqualTo("Desk");
    // presets are allowed values
    String ranged = query("Ranged", "select 1 where now() between {{p.start}} and {{p.end}}", new JsonArray()
        .add(new JsonObject().put("name", "p").put("type", "timestamp_range").put("required", true)));
    create(new JsonObject().put("name", "Day").put("queryId", ranged).put("kind", "cron").put("cron", "0 6 * * *")
        .put("params", new JsonObject().put("p", "last_24h")));
  }

  @Test
  void queryEnumValuesAreCheckedAgainstTheirOptionsAtSave() {
    String provinces = query("Provinces", "select 'ON' as province", new JsonArray());
    storeOptions(provinces, "province", "ON", "QC");
    String neverRun = query("Codes never run", "select 'x' as code", new JsonArray());
    String byProvince = query("By province", "select {{prov}} as p, {{codes}} as c", new JsonArray()
        .add(queryEnum("prov", provinces, "province").put("required", true))
        .add(queryEnum("codes", neverRun, "code").put("multi", true)));
    JsonObject body = new JsonObject().put("name", "Provinces").put("queryId", byProvince).put("kind", "interval")
        .put("everySeconds", 3600);
    assertInvalid(editor.post("/api/v1/schedules", body.copy().put("params", new JsonObject().put("prov", "Atlantis"))),
        "/params/prov", "not among its options");
    // no options yet (the options query never ran): nothing to check against, refused naming the parameter
    assertInvalid(editor.post("/api/v1/schedules", body.copy().put("params", new JsonObject().put("prov", "QC")
        .put("codes", new JsonArray().add("x")))), "/params/codes", "no stored result yet");
    JsonObject ok = create(body.copy().put("params", new JsonObject().put("prov", "QC")));
    // a dashboard's own query_enum too
    String viz = editor.post("/api/v1/queries/" + provinces + "/visualizations", new JsonObject()
        .put("name", "Table").put("kind", "table").put("config", new JsonObject())).json().getString("id");
    Response d = editor.post("/api/v1/dashboards", new JsonObject().put("name", "Provinces desk")
        .put("params", new JsonArray().add(queryEnum("pick", provinces, "province")))
        .put("tiles", new JsonArray().add(new JsonObject().put("kind", "viz").put("visualizationId", viz)
            .put("x", 0).put("y", 0).put("w", 12).put("h", 8))));
    assertThat(d.status()).as(d.toString()).isEqualTo(201);
    assertInvalid(editor.post("/api/v1/schedules", new JsonObject().put("name", "Desk").put("dashboardId",
        d.json().getString("id")).put("kind", "interval").put("everySeconds", 3600).put("params", new JsonObject()
        .put("pick", "YT"))), "/params/pick", "not among its options");
    // an update is checked the same way
    assertInvalid(editor.put("/api/v1/schedules/" + ok.getString("id"), body.copy().put("version",
        ok.getInteger("version")).put("params", new JsonObject().put("prov", "BC"))), "/params/prov",
        "not among its options");
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
        .put("optionsColumn", column);
  }

  @Test
  void previewShowsDstAndRefusesBadInputNamingTheParameter() {
    JsonObject spring = viewer.get("/api/v1/schedules/preview?cron=" + enc("30 2 * * *")
        + "&timezone=America/Toronto&from=2026-03-07T00:00:00Z").json();
    JsonArray times = spring.getJsonArray("times");
    assertThat(times.getJsonObject(0).getString("local")).isEqualTo("2026-03-07T02:30-05:00");
    assertThat(times.getJsonObject(1).getString("at")).isEqualTo("2026-03-08T07:00:00Z");
    assertThat(times.getJsonObject(1).getString("local")).isEqualTo("2026-03-08T03:00-04:00");
    assertThat(times.getJsonObject(2).getString("local")).isEqualTo("2026-03-09T02:30-04:00");
    JsonArray fall = viewer.get("/api/v1/schedules/preview?cron=" + enc("30 1 * * *")
        + "&timezone=America/Toronto&from=2026-10-31T12:00:00Z").json().getJsonArray("times");
    assertThat(fall.getJsonObject(0).getString("local")).isEqualTo("2026-11-01T01:30-04:00");
    assertThat(fall.getJsonObject(1).getString("local")).isEqualTo("2026-11-02T01:30-05:00");
    JsonArray hourly = viewer.get("/api/v1/schedules/preview?every=3600&timezone=UTC&from=2026-01-01T00:10:00Z")
        .json().getJsonArray("times");
    assertThat(hourly.getJsonObject(0).getString("at")).isEqualTo("2026-01-01T01:00:00Z");
    assertInvalid(viewer.get("/api/v1/schedules/preview?cron=" + enc("0 0 31 2 *")), "?cron", "never fires");
    assertInvalid(viewer.get("/api/v1/schedules/preview?cron=" + enc("* * *")), "?cron", "5 fields");
    assertInvalid(viewer.get("/api/v1/schedules/preview?cron=" + enc("0 7 * * *") + "&timezone=Nowhere"),
        "?timezone", "IANA");
    assertInvalid(viewer.get("/api/v1/schedules/preview?every=30"), "?every", "between");
    assertInvalid(viewer.get("/api/v1/schedules/preview?every=3600&from=yesterday"), "?from", "ISO-8601");
    assertInvalid(viewer.get("/api/v1/schedules/preview?cron=" + enc("0 7 * * *") + "&timezone=" + enc("\u0000")),
        "?timezone", "NUL");
  }

  @Test
  void savesNameTheirVersionAndOnlyOneOfFortyParallelSavesWins() throws Exception {
    JsonObject s = create(cronBody("0 7 * * *"));
    String path = "/api/v1/schedules/" + s.getString("id");
    Response saved = editor.put(path, cronBody("0 8 * * *").put("version", 1));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(saved.json().getInteger("version")).isEqualTo(2);
    assertThat(saved.json().getString("cron")).isEqualTo("0 8 * * *");
    Response stale = editor.put(path, cronBody("0 9 * * *").put("version", 1));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getString("detail")).contains("version 2").contains(EDITOR_A);

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Response>> saves = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int minute = i;
        saves.add(pool.submit(() -> editor.put(path, cronBody(minute + " 7 * * *").put("version", 2))));
      }
      int won = 0;
      for (Future<Response> f : saves) {
        int status = f.get().status();
        assertThat(status).as(f.get().toString()).isIn(200, 409);
        won += status == 200 ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    assertThat(editor.get(path).json().getInteger("version")).isEqualTo(3);
  }

  @Test
  void pauseResumeRunNowAndTheFiringHistory() {
    JsonObject s = create(cronBody("0 7 * * *").put("params", new JsonObject().put("region", "paused")));
    String path = "/api/v1/schedules/" + s.getString("id");
    Response paused = editor.post(path + "/pause", null);
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.json().getString("state")).isEqualTo("paused");
    assertThat(paused.json().getBoolean("enabled")).isFalse();
    assertThat(viewer.get("/api/v1/schedules?state=paused").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))).contains(s.getString("id"));
    Response resumed = editor.post(path + "/resume", null);
    assertThat(resumed.json().getString("state")).isEqualTo("ok");
    assertThat(Instant.parse(resumed.json().getString("nextRunAt"))).isAfter(Instant.now());

    Response now = editor.post(path + "/run-now", null);
    assertThat(now.status()).as(now.toString()).isEqualTo(201);
    assertThat(now.json().getString("outcome")).isEqualTo("enqueued");
    String runId = now.json().getJsonArray("runIds").getString(0);
    JsonObject run = viewer.get("/api/v1/runs/" + runId).json();
    assertThat(run.getString("trigger")).isEqualTo("schedule");
    assertThat(run.getString("status")).isEqualTo("queued");
    // the run is still queued (no runner here): a second run-now shares it
    Response again = editor.post(path + "/run-now", null);
    assertThat(again.json().getString("outcome")).isEqualTo("reused");
    assertThat(again.json().getJsonArray("runIds").getString(0)).isEqualTo(runId);
    JsonArray firings = viewer.get(path + "/firings").json().getJsonArray("items");
    assertThat(firings).hasSize(2);
    assertThat(firings.getJsonObject(0).getBoolean("manual")).isTrue();
    assertThat(firings.getJsonObject(0).getJsonArray("runs").getJsonObject(0).getString("status"))
        .isEqualTo("queued");
    Response page = viewer.get(path + "/firings?limit=1");
    Response page2 = viewer.get(path + "/firings?limit=1&cursor=" + page.json().getString("nextCursor"));
    assertThat(page2.json().getJsonArray("items")).hasSize(1);
    assertThat(page2.json().getJsonArray("items").getJsonObject(0).getLong("id"))
        .isNotEqualTo(page.json().getJsonArray("items").getJsonObject(0).getLong("id"));
    assertThat(page2.json().getString("nextCursor")).isNull();
    // viewers read, never manage
    assertThat(viewer.post(path + "/run-now", null).status()).isEqualTo(403);
    assertThat(viewer.post(path + "/pause", null).status()).isEqualTo(403);
  }

  @Test
  void aScheduleWhoseQueryWasArchivedIsBrokenWithTheReasonNotDisabled() {
    String doomed = query("Doomed", "select 1", new JsonArray());
    JsonObject s = create(new JsonObject().put("name", "Doomed hourly").put("queryId", doomed).put("kind", "interval")
        .put("everySeconds", 3600));
    assertThat(editor.delete("/api/v1/queries/" + doomed).status()).isEqualTo(204); // archived: a schedule refers to it
    String path = "/api/v1/schedules/" + s.getString("id");
    Response fired = editor.post(path + "/run-now", null);
    assertThat(fired.json().getString("outcome")).isEqualTo("failed_to_enqueue");
    assertThat(fired.json().getString("error")).contains("was archived");
    JsonObject broken = viewer.get(path).json();
    assertThat(broken.getString("state")).isEqualTo("broken");
    assertThat(broken.getString("brokenReason")).contains("\"Doomed\" was archived");
    assertThat(broken.getInteger("consecutiveFailures")).isEqualTo(1);
    assertThat(broken.getBoolean("enabled")).isTrue();
    assertThat(broken.getString("nextRunAt")).isNotNull();
    assertThat(viewer.get("/api/v1/schedules?state=broken").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))).containsExactly(s.getString("id"));
  }

  @Test
  void anotherOrgNeverSeesNorTouchesTheSchedule() {
    JsonObject s = create(cronBody("15 6 * * *"));
    String path = "/api/v1/schedules/" + s.getString("id");
    assertThat(otherOrg.get(path).status()).isEqualTo(404);
    assertThat(otherOrg.get(path + "/firings").status()).isEqualTo(404);
    assertThat(otherOrg.put(path, cronBody("0 1 * * *").put("version", 1)).status()).isEqualTo(404);
    assertThat(otherOrg.post(path + "/pause", null).status()).isEqualTo(404);
    assertThat(otherOrg.post(path + "/run-now", null).status()).isEqualTo(404);
    assertThat(otherOrg.delete(path).status()).isEqualTo(404);
    assertThat(otherOrg.get("/api/v1/schedules").body()).doesNotContain(s.getString("id"));
    assertThat(otherOrg.get("/api/v1/schedules/not-a-uuid").status()).isEqualTo(404);
    assertThat(editor.get(path).json().getInteger("version")).isEqualTo(1);
    assertThat(editor.delete(path).status()).isEqualTo(204);
    assertThat(editor.get(path).status()).isEqualTo(404);
  }
}
