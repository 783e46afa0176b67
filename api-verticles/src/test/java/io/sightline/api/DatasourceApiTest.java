package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Datasource management through the api alone (no runner deployed). */
@ExtendWith(PostgresExtension.class)
class DatasourceApiTest {
  private static final String SECRET = "S3cr3t-datasource-pa55";
  private static ApiTestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    admin = server.as(ADMIN_A);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject settings(String name) {
    return new JsonObject().put("name", name).put("host", "db.internal").put("port", 6432).put("database", "outages")
        .put("user", "reader").put("password", SECRET).put("sslMode", "require").put("searchPath", "grid, public")
        .put("maxConcurrency", 4);
  }

  @Test
  void thePasswordIsSealedNeverReturnedKeptWhenOmittedAndClearedByNull() {
    List<Response> responses = new ArrayList<>();
    try (CapturedLogs logs = new CapturedLogs()) {
      Response created = admin.post("/api/v1/datasources", settings("Outages primary"));
      responses.add(created);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      JsonObject ds = created.json();
      String id = ds.getString("id");
      assertThat(ds.getBoolean("passwordSet")).isTrue();
      assertThat(ds.getString("host")).isEqualTo("db.internal");
      assertThat(ds.getInteger("port")).isEqualTo(6432);
      assertThat(ds.getString("sslMode")).isEqualTo("require");
      assertThat(ds.getBoolean("readOnly")).as("read-only by default").isTrue();
      assertThat(ds.containsKey("password")).isFalse();

      String sealed = sealedPassword(id);
      assertThat(sealed).isNotNull();
      assertThat(new String(Base64.getDecoder().decode(sealed))).doesNotContain(SECRET);
      SecretBox box = server.node.secrets();
      assertThat(server.db.scalar("select secret_key_id from datasources where id = '" + id + "'"))
          .isEqualTo(box.keyId());
      assertThat(box.open(Base64.getDecoder().decode(sealed), "datasource:" + id)).isEqualTo(SECRET);

      Response renamed = admin.patch("/api/v1/datasources/" + id, new JsonObject().put("name", "Outages (primary)")
          .put("maxConcurrency", 8));
      responses.add(renamed);
      assertThat(renamed.status()).isEqualTo(200);
      assertThat(renamed.json().getInteger("maxConcurrency")).isEqualTo(8);
      assertThat(renamed.json().getBoolean("passwordSet")).isTrue();
      assertThat(sealedPassword(id)).as("an update that omits the password keeps it").isEqualTo(sealed);

      Response changed = admin.patch("/api/v1/datasources/" + id, new JsonObject().put("password", "another-one"));
      responses.add(changed);
      assertThat(sealedPassword(id)).isNotEqualTo(sealed);

      Response cleared = admin.patch("/api/v1/datasources/" + id, new JsonObject().putNull("password"));
      responses.add(cleared);
      assertThat(cleared.json().getBoolean("passwordSet")).isFalse();
      assertThat(sealedPassword(id)).isNull();

      responses.add(admin.get("/api/v1/datasources"));
      responses.add(admin.get("/api/v1/datasources/" + id));
      responses.add(admin.post("/api/v1/datasources/test", settings("unsaved")));
      for (Response r : responses) {
        assertThat(r.body()).doesNotContain(SECRET).doesNotContain("another-one");
      }
      assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(SECRET) || l.contains("another-one"));
    }
  }

  @Test
  void viewersSeeDatasourcesWithoutConnectionDetails() {
    admin.post("/api/v1/datasources", settings("Viewer-visible"));
    Response r = server.as(VIEWER_A).get("/api/v1/datasources");
    assertThat(r.status()).isEqualTo(200);
    JsonObject ds = r.array().stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("name").equals("Viewer-visible")).findFirst().orElseThrow();
    assertThat(ds.fieldNames()).doesNotContain("host", "user", "database", "port", "passwordSet");
    assertThat(ds.getBoolean("readOnly")).isTrue();
  }

  @Test
  void namesAreUniquePerOrgAndArchivingFreesTheName() {
    Response first = admin.post("/api/v1/datasources", settings("Twin"));
    assertThat(first.status()).isEqualTo(201);
    Response second = admin.post("/api/v1/datasources", settings("twin"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().getString("detail")).contains("already exists");
    assertThat(admin.delete("/api/v1/datasources/" + first.json().getString("id")).status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/datasources/" + first.json().getString("id")).status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/datasources").body()).doesNotContain(first.json().getString("id"));
    assertThat(admin.post("/api/v1/datasources", settings("Twin")).status()).isEqualTo(201);
  }

  @Test
  void aDatasourceInUseIsNotDeletedAndThe409NamesEveryQueryThatUsesIt() {
    String id = admin.post("/api/v1/datasources", settings("Order book")).json().getString("id");
    String other = admin.post("/api/v1/datasources", settings("Order book replica")).json().getString("id");
    ApiClient editor = server.as(EDITOR_A);
    String daily = query(editor, id, "Daily notional");
    String top = query(editor, id, "Top desks");
    String sleepy = query(editor, id, "Sleepy");
    String elsewhere = query(editor, other, "Elsewhere");

    Response refused = admin.delete("/api/v1/datasources/" + id);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.header("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = refused.json();
    assertThat(problem.getString("type")).isEqualTo("urn:sightline:problem:datasource-in-use");
    assertThat(problem.getString("detail")).isEqualTo("3 saved queries use \"Order book\": \"Daily notional\","
        + " \"Sleepy\", \"Top desks\". Move them to another datasource or archive them first; run history stays"
        + " readable either way.");
    assertThat(problem.getLong("queryCount")).isEqualTo(3);
    assertThat(problem.getJsonArray("queries")).containsExactly(
        new JsonObject().put("id", daily).put("name", "Daily notional"),
        new JsonObject().put("id", sleepy).put("name", "Sleepy"),
        new JsonObject().put("id", top).put("name", "Top desks"));
    assertThat(problem.getJsonArray("queries").encode()).doesNotContain(elsewhere);
    assertThat(admin.get("/api/v1/datasources/" + id).status()).as("nothing was archived").isEqualTo(200);
    assertThat(editor.get("/api/v1/queries/" + daily).status()).isEqualTo(200);

    // moving one query away and archiving the others frees the datasource; the history of its runs stays readable
    assertThat(editor.put("/api/v1/queries/" + daily, queryBody(other, "Daily notional").put("version", 1))
        .status()).isEqualTo(200);
    assertThat(editor.delete("/api/v1/queries/" + top).status()).isEqualTo(204);
    Response one = admin.delete("/api/v1/datasources/" + id);
    assertThat(one.status()).isEqualTo(409);
    assertThat(one.json().getString("detail")).startsWith("1 saved query uses \"Order book\": \"Sleepy\". Move it");
    assertThat(editor.delete("/api/v1/queries/" + sleepy).status()).isEqualTo(204);

    assertThat(admin.delete("/api/v1/datasources/" + id).status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/datasources/" + id).status()).isEqualTo(404);
    assertThat(admin.delete("/api/v1/datasources/" + id).status()).as("already gone").isEqualTo(404);
    Response onto = editor.post("/api/v1/queries", queryBody(id, "Too late"));
    assertThat(onto.status()).as("no new query on an archived datasource").isEqualTo(400);
    assertThat(onto.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/datasourceId");
  }

  @Test
  void theDetailNamesFiveQueriesAndCountsTheRest() {
    String id = admin.post("/api/v1/datasources", settings("Busy")).json().getString("id");
    for (int i = 1; i <= 7; i++) {
      query(admin, id, "Query " + i);
    }
    JsonObject problem = admin.delete("/api/v1/datasources/" + id).json();
    assertThat(problem.getString("detail")).startsWith("7 saved queries use \"Busy\": \"Query 1\", \"Query 2\","
        + " \"Query 3\", \"Query 4\", \"Query 5\" and 2 more. Move them");
    assertThat(problem.getJsonArray("queries")).hasSize(7);
  }

  @Test
  void onlyAnAdminOfTheOrgDeletesADatasource() {
    String id = admin.post("/api/v1/datasources", settings("Guarded")).json().getString("id");
    for (String email : List.of(VIEWER_A, EDITOR_A)) {
      Response r = server.as(email).delete("/api/v1/datasources/" + id);
      assertThat(r.status()).as(email).isEqualTo(403);
    }
    Response otherOrg = server.as(ADMIN_B).delete("/api/v1/datasources/" + id);
    assertThat(otherOrg.status()).as("another org's datasource does not exist for B").isEqualTo(404);
    assertThat(otherOrg.body()).doesNotContain("Guarded");
    assertThat(admin.get("/api/v1/datasources/" + id).status()).isEqualTo(200);
    assertThat(admin.delete("/api/v1/datasources/" + id).status()).isEqualTo(204);
  }

  private static JsonObject queryBody(String datasourceId, String name) {
    return new JsonObject().put("name", name).put("datasourceId", datasourceId).put("sql", "select 1")
        .put("params", new JsonArray());
  }

  private static String query(ApiClient as, String datasourceId, String name) {
    Response r = as.post("/api/v1/queries", queryBody(datasourceId, name));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  @Test
  void withoutARunnerTestsAndSchemaSay503NoRunnerAvailable() {
    String id = admin.post("/api/v1/datasources", settings("Lonely")).json().getString("id");
    long started = System.nanoTime();
    for (Response r : List.of(admin.post("/api/v1/datasources/test", settings("unsaved")),
        admin.post("/api/v1/datasources/" + id + "/test", null),
        admin.get("/api/v1/datasources/" + id + "/schema"))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(503);
      assertThat(r.header("Content-Type")).hasValue("application/problem+json");
      assertThat(r.json().getString("title")).isEqualTo("No runner available");
    }
    assertThat((System.nanoTime() - started) / 1_000_000).as("answers at once, not after a timeout").isLessThan(5000);
  }

  @Test
  void aDifferentSecretKeyFailsStartUpInsteadOfFailingEveryConnectionLater(TestDatabase db) {
    admin.post("/api/v1/datasources", settings("Sealed"));
    String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_SECRET_KEY", otherKey)),
        NodeRole.API, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_SECRET_KEY (secretKey): this key (id ")
        .hasMessageContaining("did not encrypt")
        .hasMessageNotContaining(otherKey);
    assertThatThrownBy(() -> Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_SECRET_KEY", "")), NodeRole.API,
        false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_SECRET_KEY (secretKey): required");
  }

  private static String sealedPassword(String id) {
    Object v = server.db.scalar("select encode(secret_ciphertext, 'base64') from datasources where id = '" + id + "'");
    return v == null ? null : v.toString().replace("\n", "");
  }
}
