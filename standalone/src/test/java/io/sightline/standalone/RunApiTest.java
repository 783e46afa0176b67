package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ad-hoc runs through the HTTP API, executed by a runner in the same process (the standalone shape). */
@ExtendWith(PostgresExtension.class)
class RunApiTest {
  private static final String ADMIN = "admin@sightline.test";
  private static final String PASSWORD = "admin password for tests";
  private static Node node;
  private static ApiClient admin;
  private static String datasourceId;
  private static String base;
  private static TestDatabase database;

  @BeforeAll
  static void start(TestDatabase db) {
    database = db;
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD",
        PASSWORD)), NodeRole.STANDALONE, false);
    RunnerMain.deploy(node);
    ApiMain.deploy(node);
    base = "http://127.0.0.1:" + node.config().http().port();
    admin = new ApiClient(base).login(ADMIN, PASSWORD);
    datasourceId = SelfDatasource.create(admin, db, new JsonObject().put("maxTimeoutMs", 60_000));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject awaitEnd(String runId) {
    JsonObject[] run = new JsonObject[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      run[0] = admin.get("/api/v1/runs/" + runId).json();
      return Set.of("succeeded", "failed", "cancelled", "timed_out").contains(run[0].getString("status"));
    });
    return run[0];
  }

  @Test
  void anAdHocRunIsQueuedExecutedAndItsResultReadPageByPage() {
    Response created = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId)
        .put("sql", "select g as n, g * 2 as twice, 9007199254740993::bigint + g as big from generate_series(1, 50) g"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().getString("status")).isIn("queued", "running", "succeeded");
    JsonObject run = awaitEnd(created.json().getString("id"));
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(50);
    Response page = admin.get("/api/v1/results/" + run.getString("resultId") + "?offset=48&limit=10");
    assertThat(page.status()).isEqualTo(200);
    JsonObject body = page.json();
    assertThat(body.getLong("totalRows")).isEqualTo(50);
    assertThat(body.getJsonArray("columns").stream().map(c -> ((JsonObject) c).getString("type")).toList())
        .containsExactly("integer", "integer", "bigint");
    assertThat(body.getJsonArray("rows")).containsExactly(
        new JsonArray().add(49).add(98).add("9007199254741042"), new JsonArray().add(50).add(100).add("9007199254741043"));
  }

  @Test
  void viewersCannotRunAdHocSqlAndLimitsBeyondTheMaximumAreRefused() {
    admin.post("/api/v1/users", new JsonObject().put("email", "viewer@sightline.test").put("role", "viewer")
        .put("password", PASSWORD));
    ApiClient viewer = new ApiClient(base).login("viewer@sightline.test", PASSWORD);
    assertThat(viewer.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId).put("sql", "select 1"))
        .status()).isEqualTo(403);
    Response tooLong = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId)
        .put("sql", "select 2").put("options", new JsonObject().put("timeoutMs", 120_000)));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/options/timeoutMs");
    assertThat(tooLong.json().getJsonArray("errors").getJsonObject(0).getString("message")).contains("60000");
  }

  @Test
  void aRunningRunIsCancelledThroughTheApi() {
    String runId = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId)
        .put("sql", "select pg_sleep(20) /* api cancel */")).json().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/runs/" + runId).json()
        .getString("status").equals("running"));
    Response cancel = admin.post("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(cancel.status()).isEqualTo(200);
    assertThat(awaitEnd(runId).getString("status")).isEqualTo("cancelled");
    JsonArray events = admin.get("/api/v1/runs/" + runId + "/events").array();
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("kind")).toList())
        .contains("queued", "claimed", "started", "cancel_requested", "finished");
  }

  @Test
  void twoSavedQueriesWithTheSameSqlShareTheRunningExecutionAndHerCancelLeavesItRunningForHim() {
    admin.post("/api/v1/users", new JsonObject().put("email", "sharer@sightline.test").put("role", "viewer")
        .put("password", PASSWORD));
    ApiClient viewer = new ApiClient(base).login("sharer@sightline.test", PASSWORD);
    String sql = "select pg_sleep(30) /* sleepy */";
    String sleepy = admin.post("/api/v1/queries", new JsonObject().put("name", "Sleepy").put("datasourceId",
        datasourceId).put("sql", sql)).json().getString("id");
    String sleepy2 = admin.post("/api/v1/queries", new JsonObject().put("name", "Sleepy 2").put("datasourceId",
        datasourceId).put("sql", sql)).json().getString("id");
    String runId = admin.post("/api/v1/queries/" + sleepy + "/runs", new JsonObject()).json().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/runs/" + runId).json()
        .getString("status").equals("running"));

    Response hers = viewer.post("/api/v1/queries/" + sleepy2 + "/runs", new JsonObject());
    assertThat(hers.status()).as(hers.toString()).isEqualTo(200);
    assertThat(hers.json().getString("id")).isEqualTo(runId);
    assertThat(hers.json().getString("queryId")).isEqualTo(sleepy2);
    assertThat(hers.json().getString("status")).isEqualTo("running");
    assertThat(hers.json().getInteger("sharedWith")).isEqualTo(1);

    Response withdrawn = viewer.post("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
    assertThat(withdrawn.json().getString("withdrawnAt")).isNotNull();
    JsonObject forHim = admin.get("/api/v1/runs/" + runId).json();
    assertThat(forHim.getString("status")).isEqualTo("running");
    assertThat(forHim.getBoolean("cancelRequested")).isFalse();
    assertThat(database.scalar("select count(*) from pg_stat_activity where query like '%/* sleepy */%'"
        + " and query not like '%pg_stat_activity%'")).isEqualTo(1L);

    admin.post("/api/v1/runs/" + runId + "/cancel", null);
    JsonObject ended = awaitEnd(runId);
    assertThat(ended.getString("status")).isEqualTo("cancelled");
    assertThat(viewer.get("/api/v1/runs?queryId=" + sleepy2 + "&requestedBy=me").json().getJsonArray("items")
        .getJsonObject(0).getString("status")).isEqualTo("cancelled");
  }

  @Test
  void aQueuedRunSaysHowManyRunsAreAheadOfItAndHowBusyItsDatasourceIs() {
    JsonObject ds = admin.get("/api/v1/datasources/" + datasourceId).json();
    String single = admin.post("/api/v1/datasources", new JsonObject().put("name", "One at a time")
        .put("host", ds.getString("host")).put("port", ds.getInteger("port")).put("database", ds.getString("database"))
        .put("user", ds.getString("user")).put("sslMode", "disable").put("maxConcurrency", 1)).json().getString("id");
    String first = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", single)
        .put("sql", "select pg_sleep(20) /* queue 1 */")).json().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/runs/" + first).json()
        .getString("status").equals("running"));
    String second = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", single)
        .put("sql", "select 2 /* queue 2 */")).json().getString("id");
    String third = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", single)
        .put("sql", "select 3 /* queue 3 */")).json().getString("id");
    try {
      JsonObject secondRun = admin.get("/api/v1/runs/" + second).json();
      JsonObject thirdRun = admin.get("/api/v1/runs/" + third).json();
      assertThat(secondRun.getString("status")).isEqualTo("queued");
      assertThat(secondRun.getJsonObject("queue"))
          .isEqualTo(new JsonObject().put("ahead", 0).put("running", 1).put("maxConcurrency", 1));
      assertThat(thirdRun.getJsonObject("queue").getInteger("ahead")).isEqualTo(1);
      assertThat(admin.get("/api/v1/runs/" + first).json().containsKey("queue")).as("only queued runs").isFalse();

      // a backlog is counted up to 1,000 runs ahead, then "at least": the count must not cost as much as the backlog
      database.execute("insert into runs select (jsonb_populate_record(null::runs, to_jsonb(r)"
          + " || jsonb_build_object('id', gen_random_uuid(), 'fingerprint', 'backlog-' || g,"
          + " 'created_at', r.created_at - interval '1 hour' + g * interval '1 millisecond'))).*"
          + " from runs r cross join generate_series(1, 1001) g where r.id = '" + third + "'");
      try {
        assertThat(admin.get("/api/v1/runs/" + third).json().getJsonObject("queue")).isEqualTo(new JsonObject()
            .put("ahead", 1000).put("running", 1).put("maxConcurrency", 1).put("aheadAtLeast", true));
        // 999 copies and the second run: exactly 1,000 ahead
        database.execute("delete from runs where fingerprint in ('backlog-1000', 'backlog-1001')");
        assertThat(admin.get("/api/v1/runs/" + third).json().getJsonObject("queue"))
            .isEqualTo(new JsonObject().put("ahead", 1000).put("running", 1).put("maxConcurrency", 1));
      } finally {
        database.execute("delete from runs where fingerprint like 'backlog-%'");
      }
    } finally {
      admin.post("/api/v1/runs/" + first + "/cancel", null);
    }
    assertThat(awaitEnd(third).getString("status")).isEqualTo("succeeded");
    assertThat(awaitEnd(third).containsKey("queue")).isFalse();
  }

  @Test
  void aSavedQueryRunsWithADateRangeAndAMultiSelectEnumBoundAsValues() {
    String sql = "select d::date as day, r as region from generate_series(date '2026-11-01', date '2026-11-30',"
        + " interval '1 day') d cross join unnest(array['North', 'South', 'East']) r"
        + " where d::date between {{period.start}} and {{period.end}} and r = any({{regions}}) order by 1, 2";
    JsonArray params = new JsonArray()
        .add(new JsonObject().put("name", "period").put("type", "date_range").put("required", true))
        .add(new JsonObject().put("name", "regions").put("type", "enum").put("multi", true)
            .put("options", new JsonArray().add("North").add("South").add("East")));
    String queryId = admin.post("/api/v1/queries", new JsonObject().put("name", "Regions by day")
        .put("datasourceId", datasourceId).put("sql", sql).put("params", params)).json().getString("id");
    Response run = admin.post("/api/v1/queries/" + queryId + "/runs", new JsonObject().put("params", new JsonObject()
        .put("period", new JsonObject().put("start", "2026-11-10").put("end", "2026-11-11"))
        .put("regions", new JsonArray().add("South").add("North"))));
    assertThat(run.status()).as(run.toString()).isEqualTo(201);
    JsonObject done = awaitEnd(run.json().getString("id"));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
    JsonArray rows = admin.get("/api/v1/results/" + done.getString("resultId") + "?limit=100").json()
        .getJsonArray("rows");
    assertThat(rows).containsExactly(
        new JsonArray().add("2026-11-10").add("North"), new JsonArray().add("2026-11-10").add("South"),
        new JsonArray().add("2026-11-11").add("North"), new JsonArray().add("2026-11-11").add("South"));
    Response latest = admin.post("/api/v1/queries/" + queryId + "/results/latest", new JsonObject()
        .put("params", new JsonObject().put("period", new JsonObject().put("start", "2026-11-10")
            .put("end", "2026-11-11")).put("regions", new JsonArray().add("South").add("North"))));
    assertThat(latest.status()).isEqualTo(200);
    assertThat(latest.json().getString("id")).isEqualTo(done.getString("id"));
    assertThat(admin.post("/api/v1/queries/" + queryId + "/results/latest", new JsonObject().put("params",
        new JsonObject().put("period", new JsonObject().put("start", "2026-11-01").put("end", "2026-11-02"))))
        .status()).isEqualTo(404);
  }

  @Test
  void queryBackedOptionsComeFromTheOptionsQuerysLatestResultAndBoundTheValues() {
    String regions = admin.post("/api/v1/queries", new JsonObject().put("name", "Regions")
        .put("datasourceId", datasourceId).put("sql", "select r as region from unnest(array['North', 'South', null]) r"))
        .json().getString("id");
    String byRegion = admin.post("/api/v1/queries", new JsonObject().put("name", "By region")
        .put("datasourceId", datasourceId).put("sql", "select {{region}} as picked")
        .put("params", new JsonArray().add(new JsonObject().put("name", "region").put("type", "query_enum")
            .put("optionsQueryId", regions).put("optionsColumn", "region").put("required", true)))).json()
        .getString("id");
    String optionsPath = "/api/v1/queries/" + byRegion + "/parameters/region/options";
    assertThat(admin.get(optionsPath).status()).as("no result of the options query yet").isEqualTo(404);
    awaitEnd(admin.post("/api/v1/queries/" + regions + "/runs", new JsonObject()).json().getString("id"));
    JsonObject options = admin.get(optionsPath).json();
    assertThat(options.getJsonArray("options")).containsExactly("North", "South");

    Response refused = admin.post("/api/v1/queries/" + byRegion + "/runs", new JsonObject().put("params",
        new JsonObject().put("region", "West")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/params/region");
    JsonObject run = awaitEnd(admin.post("/api/v1/queries/" + byRegion + "/runs", new JsonObject().put("params",
        new JsonObject().put("region", "South"))).json().getString("id"));
    assertThat(admin.get("/api/v1/results/" + run.getString("resultId")).json().getJsonArray("rows"))
        .containsExactly(new JsonArray().add("South"));
  }

  @Test
  void aSqlErrorComesBackWithItsPosition() {
    String sql = "select * from\n  no_such_table";
    String runId = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId).put("sql", sql))
        .json().getString("id");
    JsonObject run = awaitEnd(runId);
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject("error").getInteger("position")).isEqualTo(sql.indexOf("no_such_table") + 1);
  }
}
