package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class RunHistoryTest {
  private static ApiTestServer server;
  private static ApiClient editor;
  private static String dsOne;
  private static String dsTwo;
  private static final List<String> runsOnOne = new ArrayList<>();

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    ApiClient admin = server.as(ADMIN_A);
    dsOne = admin.post("/api/v1/datasources", new JsonObject().put("name", "One").put("host", "h").put("database", "d")
        .put("user", "u")).json().getString("id");
    dsTwo = admin.post("/api/v1/datasources", new JsonObject().put("name", "Two").put("host", "h").put("database", "d")
        .put("user", "u")).json().getString("id");
    for (int i = 0; i < 12; i++) {
      runsOnOne.add(editor.post("/api/v1/runs", new JsonObject().put("datasourceId", dsOne).put("sql", "select " + i))
          .json().getString("id"));
    }
    admin.post("/api/v1/runs", new JsonObject().put("datasourceId", dsTwo).put("sql", "select 'two'"));
    db.execute("update runs set status = 'failed', finished_at = now(), error_code = '42P01' where id = '"
        + runsOnOne.get(3) + "'");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }

  @Test
  void historyIsNewestFirstAndPagesWithoutGapsOrRepeats() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = editor.get("/api/v1/runs?datasourceId=" + dsOne + "&limit=5"
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      seen.addAll(ids(page));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    List<String> newestFirst = new ArrayList<>(runsOnOne);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void filtersNarrowTheHistory() {
    assertThat(ids(editor.get("/api/v1/runs?status=failed").json())).containsExactly(runsOnOne.get(3));
    assertThat(ids(editor.get("/api/v1/runs?datasourceId=" + dsTwo).json())).hasSize(1);
    assertThat(ids(editor.get("/api/v1/runs?requestedBy=me&limit=100").json())).hasSize(12);
    assertThat(ids(editor.get("/api/v1/runs?trigger=manual&limit=100").json())).hasSize(13);
    assertThat(ids(editor.get("/api/v1/runs?from=2099-01-01T00:00:00Z").json())).isEmpty();
    JsonArray items = editor.get("/api/v1/runs?status=failed").json().getJsonArray("items");
    assertThat(items.getJsonObject(0).getJsonObject("error").getString("code")).isEqualTo("42P01");
  }

  @Test
  void scheduleIdListsOnlyThatSchedulesRuns() {
    // the admin's, on a datasource of its own: the other tests' counts stay as they are
    ApiClient admin = server.as(ADMIN_A);
    String ds = admin.post("/api/v1/datasources", new JsonObject().put("name", "Three").put("host", "h")
        .put("database", "d").put("user", "u")).json().getString("id");
    String query = admin.post("/api/v1/queries", new JsonObject().put("name", "Scheduled").put("datasourceId", ds)
        .put("sql", "select 'scheduled'")).json().getString("id");
    List<String> runIds = new ArrayList<>();
    List<String> schedules = new ArrayList<>();
    for (String sql : List.of("a", "b")) {
      String schedule = admin.post("/api/v1/schedules", new JsonObject().put("name", "Every hour " + sql)
          .put("queryId", query).put("kind", "interval").put("everySeconds", 3600)).json().getString("id");
      schedules.add(schedule);
      runIds.add(admin.post("/api/v1/schedules/" + schedule + "/run-now", null).json().getJsonArray("runIds")
          .getString(0));
    }
    // both schedules run the same query with the same values: one execution, one request per schedule
    JsonArray first = editor.get("/api/v1/runs?scheduleId=" + schedules.get(0)).json().getJsonArray("items");
    assertThat(first).hasSize(1);
    assertThat(first.getJsonObject(0).getString("id")).isEqualTo(runIds.get(0));
    assertThat(first.getJsonObject(0).getString("trigger")).isEqualTo("schedule");
    assertThat(ids(editor.get("/api/v1/runs?scheduleId=" + schedules.get(1)).json())).hasSize(1);
    assertThat(ids(editor.get("/api/v1/runs?scheduleId=" + java.util.UUID.randomUUID()).json())).isEmpty();
    assertThat(server.as(ADMIN_B).get("/api/v1/runs?scheduleId=" + schedules.get(0)).json().getJsonArray("items"))
        .isEmpty();
  }

  @Test
  void badFiltersAreNamed400s() {
    assertThat(editor.get("/api/v1/runs?scheduleId=nope").json().getJsonArray("errors").getJsonObject(0)
        .getString("field")).isEqualTo("?scheduleId");
    assertThat(editor.get("/api/v1/runs?status=exploded").status()).isEqualTo(400);
    assertThat(editor.get("/api/v1/runs?from=yesterday").json().getJsonArray("errors").getJsonObject(0)
        .getString("field")).isEqualTo("?from");
    assertThat(editor.get("/api/v1/runs?limit=0").status()).isEqualTo(400);
  }

  @Test
  void anotherOrgSeesNoneOfTheseRuns() {
    JsonObject page = server.as(ADMIN_B).get("/api/v1/runs?limit=200").json();
    assertThat(page.getJsonArray("items")).isEmpty();
  }
}
