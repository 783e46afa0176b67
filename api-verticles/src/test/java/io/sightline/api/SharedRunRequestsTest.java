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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Identical requests share one execution, but each is recorded and attributed (issue 11, bug 2): the answer describes
 * the caller's own request, each query's history and "only mine" list it, a requester's cancel withdraws only their
 * request, and the execution is cancelled when none remains or by an editor for everyone. No runner: runs stay queued,
 * which keeps them live.
 */
@ExtendWith(PostgresExtension.class)
class SharedRunRequestsTest {
  private static ApiTestServer server;
  private static ApiClient editor;
  private static ApiClient viewer;
  private static String datasourceId;
  private static String editorId;
  private static String viewerId;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
    viewer = server.as(VIEWER_A);
    editorId = server.userId(EDITOR_A);
    viewerId = server.userId(VIEWER_A);
    datasourceId = server.as(ADMIN_A).post("/api/v1/datasources", new JsonObject().put("name", "Sleepy source")
        .put("host", "127.0.0.1").put("database", "grid").put("user", "reader")).json().getString("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String saveQuery(String name, String sql) {
    Response created = editor.post("/api/v1/queries", new JsonObject().put("name", name)
        .put("datasourceId", datasourceId).put("sql", sql));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().getString("id");
  }

  private static JsonObject run(ApiClient who, String queryId) {
    Response r = who.post("/api/v1/queries/" + queryId + "/runs", new JsonObject());
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    return r.json();
  }

  private static JsonArray history(ApiClient who, String filter) {
    Response r = who.get("/api/v1/runs?limit=200&" + filter);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  @Test
  void twoSavedQueriesWithTheSameSqlShareOneExecutionAndEachRecordsItsOwnRequest() {
    String sleepy = saveQuery("Sleepy", "select pg_sleep(30) /* shared */");
    String sleepy2 = saveQuery("Sleepy 2", "select pg_sleep(30) /* shared */");

    JsonObject first = run(editor, sleepy);
    assertThat(first.getBoolean("shared")).isFalse();
    assertThat(first.getInteger("sharedWith")).isZero();
    JsonObject second = run(viewer, sleepy2);
    // one execution …
    assertThat(second.getString("id")).isEqualTo(first.getString("id"));
    assertThat(second.getBoolean("shared")).isTrue();
    // … but the answer is the caller's own request
    assertThat(second.getString("queryId")).isEqualTo(sleepy2);
    assertThat(second.getString("requestedBy")).isEqualTo(viewerId);
    assertThat(second.getString("requestId")).isNotNull().isNotEqualTo(first.getString("requestId"));
    assertThat(second.getInteger("sharedWith")).isEqualTo(1);

    // each query's history lists its own request, with its requester
    JsonArray ofSleepy2 = history(editor, "queryId=" + sleepy2);
    assertThat(ofSleepy2).hasSize(1);
    assertThat(ofSleepy2.getJsonObject(0).getString("id")).isEqualTo(first.getString("id"));
    assertThat(ofSleepy2.getJsonObject(0).getString("requestedByEmail")).isEqualTo(VIEWER_A);
    assertThat(ofSleepy2.getJsonObject(0).getString("queryId")).isEqualTo(sleepy2);
    assertThat(ofSleepy2.getJsonObject(0).getInteger("sharedWith")).isEqualTo(1);
    JsonArray ofSleepy = history(viewer, "queryId=" + sleepy);
    assertThat(ofSleepy).hasSize(1);
    assertThat(ofSleepy.getJsonObject(0).getString("requestedByEmail")).isEqualTo(EDITOR_A);

    // "only mine" for her lists hers, not his
    JsonArray mine = history(viewer, "requestedBy=me");
    assertThat(mine.stream().map(r -> ((JsonObject) r).getString("requestId")).toList())
        .contains(second.getString("requestId")).doesNotContain(first.getString("requestId"));

    // the run itself lists both requests; each reader sees it as their own request
    JsonObject asEditor = editor.get("/api/v1/runs/" + first.getString("id")).json();
    assertThat(asEditor.getString("queryId")).isEqualTo(sleepy);
    assertThat(asEditor.getJsonArray("requests").stream().map(r -> ((JsonObject) r).getString("queryName")).toList())
        .containsExactly("Sleepy", "Sleepy 2");
    assertThat(viewer.get("/api/v1/runs/" + first.getString("id")).json().getString("queryId")).isEqualTo(sleepy2);
  }

  @Test
  void aRequestersCancelWithdrawsOnlyTheirRequestAndTheLastOneCancelsTheExecution() {
    String q1 = saveQuery("Withdraw 1", "select pg_sleep(30) /* withdraw */");
    String q2 = saveQuery("Withdraw 2", "select pg_sleep(30) /* withdraw */");
    String runId = run(editor, q1).getString("id");
    JsonObject hers = run(viewer, q2);

    // a viewer may withdraw her own request of a saved query
    Response withdrawn = viewer.post("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
    assertThat(withdrawn.json().getString("requestId")).isEqualTo(hers.getString("requestId"));
    assertThat(withdrawn.json().getString("withdrawnAt")).isNotNull();
    assertThat(withdrawn.json().getString("withdrawnBy")).isEqualTo(viewerId);
    // the execution goes on for the editor
    JsonObject forEditor = editor.get("/api/v1/runs/" + runId).json();
    assertThat(forEditor.getString("status")).isEqualTo("queued");
    assertThat(forEditor.getBoolean("cancelRequested")).isFalse();
    assertThat(forEditor.getInteger("sharedWith")).isZero();
    assertThat(forEditor.getString("withdrawnAt")).isNull();
    // withdrawing again: nothing of hers is left on it
    assertThat(viewer.post("/api/v1/runs/" + runId + "/cancel?scope=mine", null).status()).isEqualTo(409);

    // the last request withdrawn cancels the execution
    JsonObject last = editor.post("/api/v1/runs/" + runId + "/cancel?scope=mine", null).json();
    assertThat(last.getString("status")).isEqualTo("cancelled");
    assertThat(last.getString("cancelledBy")).isEqualTo(editorId);
    JsonArray events = editor.get("/api/v1/runs/" + runId + "/events").array();
    assertThat(events.stream().map(JsonObject.class::cast).filter(e -> e.getString("kind").equals("cancel_requested"))
        .map(e -> e.getJsonObject("detail").getString("scope")).toList()).containsExactly("last_request");
  }

  @Test
  void anEditorCancelsForEveryoneAndTheOtherRequesterSeesWhoDid() {
    String q1 = saveQuery("Everyone 1", "select pg_sleep(30) /* everyone */");
    String q2 = saveQuery("Everyone 2", "select pg_sleep(30) /* everyone */");
    String runId = run(viewer, q1).getString("id");
    run(editor, q2);
    // a viewer may not cancel it for everyone
    assertThat(viewer.post("/api/v1/runs/" + runId + "/cancel?scope=everyone", null).status()).isEqualTo(403);
    assertThat(editor.post("/api/v1/runs/" + runId + "/cancel?scope=bogus", null).json().getJsonArray("errors")
        .getJsonObject(0).getString("field")).isEqualTo("?scope");

    Response cancelled = editor.post("/api/v1/runs/" + runId + "/cancel?scope=everyone", null);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");

    JsonObject forViewer = viewer.get("/api/v1/runs/" + runId).json();
    assertThat(forViewer.getString("queryId")).isEqualTo(q1);
    assertThat(forViewer.getString("status")).isEqualTo("cancelled");
    assertThat(forViewer.getString("withdrawnBy")).isEqualTo(editorId);
    assertThat(forViewer.getString("withdrawnByEmail")).isEqualTo(EDITOR_A);
    assertThat(forViewer.getString("cancelledByEmail")).isEqualTo(EDITOR_A);
    JsonObject inHerHistory = history(viewer, "queryId=" + q1).getJsonObject(0);
    assertThat(inHerHistory.getString("cancelledByEmail")).isEqualTo(EDITOR_A);
    JsonArray events = viewer.get("/api/v1/runs/" + runId + "/events").array();
    assertThat(events.stream().map(JsonObject.class::cast).filter(e -> e.getString("kind").equals("cancel_requested"))
        .map(e -> e.getJsonObject("detail")).toList())
        .containsExactly(new JsonObject().put("by", editorId).put("scope", "everyone"));
  }

  @Test
  void anEditorWithoutARequestOnTheRunStillCancelsItAndAViewerCannot() {
    String q = saveQuery("Not mine", "select pg_sleep(30) /* not mine */");
    JsonObject admins = run(server.as(ADMIN_A), q);
    String runId = admins.getString("id");
    Response refused = viewer.post("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(refused.status()).isEqualTo(403);
    // naming somebody else's request withdraws nothing (and cancels nothing)
    assertThat(editor.post("/api/v1/runs/" + runId + "/cancel?requestId=" + admins.getString("requestId"), null)
        .status()).isEqualTo(409);
    assertThat(editor.get("/api/v1/runs/" + runId).json().getString("status")).isEqualTo("queued");
    assertThat(editor.post("/api/v1/runs/" + runId + "/cancel", null).json().getString("status"))
        .isEqualTo("cancelled");
  }

  @Test
  void fortyParallelIdenticalRequestsMakeOneExecutionAndFortyRequests() throws Exception {
    String q = saveQuery("Forty", "select pg_sleep(30) /* forty */");
    ExecutorService pool = Executors.newFixedThreadPool(40);
    try {
      List<CompletableFuture<JsonObject>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ApiClient who = i % 2 == 0 ? editor : viewer;
        answers.add(CompletableFuture.supplyAsync(() -> run(who, q), pool));
      }
      List<JsonObject> all = answers.stream().map(CompletableFuture::join).toList();
      Set<String> runIds = all.stream().map(a -> a.getString("id")).collect(Collectors.toSet());
      assertThat(runIds).hasSize(1);
      assertThat(all.stream().map(a -> a.getString("requestId")).collect(Collectors.toSet())).hasSize(40);
      assertThat(all.stream().filter(a -> !a.getBoolean("shared")).count()).isEqualTo(1);
      String runId = runIds.iterator().next();
      assertThat(server.db.scalar("select count(*) from runs where query_id = '" + q + "'")).isEqualTo(1L);
      assertThat(server.db.scalar("select count(*) from run_requests where run_id = '" + runId + "'")).isEqualTo(40L);
      assertThat(history(editor, "queryId=" + q)).hasSize(40);
      assertThat(history(viewer, "queryId=" + q + "&requestedBy=me")).hasSize(20);
      assertThat(editor.get("/api/v1/runs/" + runId).json().getInteger("sharedWith")).isEqualTo(39);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRequestAnsweredByARecentResultIsRecordedToo() {
    String q = saveQuery("Reused", "select 42 /* reused */");
    String runId = run(editor, q).getString("id");
    server.db.execute("with res as (insert into results (org_id, run_id, storage, columns, expires_at)"
        + " select org_id, id, 'postgres', '[]', now() + interval '1 hour' from runs where id = '" + runId
        + "' returning id, run_id) update runs r set status = 'succeeded', finished_at = now(), result_id = res.id"
        + " from res where r.id = res.run_id");

    Response reused = viewer.post("/api/v1/queries/" + q + "/runs", new JsonObject().put("maxAgeSeconds", 600));
    assertThat(reused.status()).as(reused.toString()).isEqualTo(200);
    assertThat(reused.json().getBoolean("reused")).isTrue();
    assertThat(reused.json().getString("id")).isEqualTo(runId);
    assertThat(reused.json().getString("requestedBy")).isEqualTo(viewerId);
    assertThat(history(viewer, "queryId=" + q + "&requestedBy=me").getJsonObject(0).getString("requestId"))
        .isEqualTo(reused.json().getString("requestId"));
  }
}
