package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
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
 * Connection tests and schema introspection, asked of the api and done by a runner through the Postgres connector,
 * against the real test Postgres (which requires passwords of every role but its superuser).
 */
@ExtendWith(PostgresExtension.class)
class DatasourceRunnerTest {
  private static final String ADMIN = "admin@sightline.test";
  private static final String ADMIN_PASSWORD = "admin password for tests";
  private static final String READER_PASSWORD = "reader-Pa55-for-tests";
  private static Node node;
  private static ApiClient admin;
  private static TestDatabase db;
  private static String reader;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    reader = "reader_" + db.name().substring(db.name().length() - 6);
    db.execute("create role " + reader + " login password '" + READER_PASSWORD + "'");
    db.execute("create schema grid");
    db.execute("create table grid.outages (id bigint primary key, region text not null, customers_out integer,"
        + " started_at timestamptz)");
    db.execute("create view grid.open_outages as select id, region from grid.outages");
    db.execute("create materialized view grid.outages_by_region as select region, count(*) as n from grid.outages"
        + " group by region");
    db.execute("grant usage on schema grid to " + reader);
    db.execute("grant select on all tables in schema grid to " + reader);
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_ADMIN_EMAIL", ADMIN,
        "SIGHTLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)), NodeRole.STANDALONE, false);
    RunnerMain.deploy(node);
    ApiMain.deploy(node);
    admin = new ApiClient("http://127.0.0.1:" + node.config().http().port()).login(ADMIN, ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject settings() {
    return new JsonObject().put("name", "Grid").put("host", "127.0.0.1").put("port", db.url().port())
        .put("database", db.name()).put("user", reader).put("password", READER_PASSWORD).put("sslMode", "disable");
  }

  @Test
  void goodSettingsConnect() {
    Response r = admin.post("/api/v1/datasources/test", settings());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getBoolean("ok")).as(r.toString()).isTrue();
    assertThat(r.json().getString("serverVersion")).startsWith("PostgreSQL 17");
  }

  @Test
  void aWrongPasswordSaysAuthenticationFailed() {
    JsonObject result = admin.post("/api/v1/datasources/test", settings().put("password", "wrong")).json();
    assertThat(result.getBoolean("ok")).isFalse();
    assertThat(result.getString("code")).isEqualTo("authentication_failed");
    assertThat(result.getString("message")).contains("Authentication failed for user \"" + reader + "\"");
  }

  @Test
  void aMissingDatabaseSaysSo() {
    JsonObject result = admin.post("/api/v1/datasources/test", settings().put("database", "no_such_db")).json();
    assertThat(result.getString("code")).isEqualTo("database_not_found");
    assertThat(result.getString("message")).isEqualTo("Database \"no_such_db\" does not exist on 127.0.0.1:"
        + db.url().port() + ".");
  }

  @Test
  void aClosedPortSaysConnectionRefused() {
    int closed = FreePorts.next();
    JsonObject result = admin.post("/api/v1/datasources/test", settings().put("port", closed)).json();
    assertThat(result.getString("code")).isEqualTo("connection_refused");
    assertThat(result.getString("message")).startsWith("Connection refused by 127.0.0.1:" + closed);
  }

  @Test
  void requiringSslOfAServerWithoutItSaysSo() {
    JsonObject result = admin.post("/api/v1/datasources/test", settings().put("sslMode", "require")).json();
    assertThat(result.getBoolean("ok")).isFalse();
    assertThat(result.getString("code")).as(result.encode()).isEqualTo("ssl_not_supported");
  }

  @Test
  void aServerThatNeverAnswersTimesOutAfterTenSeconds() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            silent.accept(); // accept and never answer, like a hung server or a black-holing firewall
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long started = System.nanoTime();
      JsonObject result = admin.post("/api/v1/datasources/test", settings().put("port", silent.getLocalPort())).json();
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(result.getString("code")).as(result.encode()).isEqualTo("timeout");
      assertThat(result.getString("message")).isEqualTo("No answer from 127.0.0.1:" + silent.getLocalPort()
          + " within 10 s.");
      assertThat(tookMs).isBetween(9_500L, 14_000L);
    }
  }

  @Test
  void aSavedDatasourceIsTestedWithItsStoredPasswordAndItsSchemaIsIntrospected() {
    try (CapturedLogs logs = new CapturedLogs()) {
      Response created = admin.post("/api/v1/datasources", settings().put("name", "Grid (saved)"));
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().getString("id");
      JsonObject tested = admin.post("/api/v1/datasources/" + id + "/test", null).json();
      assertThat(tested.getBoolean("ok")).as(tested.encode()).isTrue();

      // an edit form may test changed settings without retyping the stored password
      JsonObject retest = admin.post("/api/v1/datasources/test", settings().put("datasourceId", id)
          .put("name", "Grid (saved)").copy()).json();
      assertThat(retest.getBoolean("ok")).isTrue();
      JsonObject withoutPassword = settings();
      withoutPassword.remove("password");
      assertThat(admin.post("/api/v1/datasources/test", withoutPassword.copy().put("datasourceId", id)).json()
          .getBoolean("ok")).as("stored password reused").isTrue();

      Response schema = admin.get("/api/v1/datasources/" + id + "/schema");
      assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
      JsonObject grid = schema.json().getJsonArray("schemas").stream().map(JsonObject.class::cast)
          .filter(s -> s.getString("name").equals("grid")).findFirst().orElseThrow();
      JsonArray relations = grid.getJsonArray("relations");
      assertThat(relations.stream().map(r -> ((JsonObject) r).getString("name") + ":" + ((JsonObject) r)
          .getString("kind")).toList())
          .containsExactly("open_outages:view", "outages:table", "outages_by_region:materialized_view");
      JsonObject outages = relations.getJsonObject(1);
      assertThat(outages.getJsonArray("columns").stream().map(c -> ((JsonObject) c).getString("name") + " "
          + ((JsonObject) c).getString("type") + (((JsonObject) c).getBoolean("nullable") ? "" : " not null")).toList())
          .containsExactly("id bigint not null", "region text not null", "customers_out integer",
              "started_at timestamp with time zone");

      // cached until refreshed
      db.execute("create table grid.feeders (id int)");
      db.execute("grant select on grid.feeders to " + reader);
      Response cached = admin.get("/api/v1/datasources/" + id + "/schema");
      assertThat(cached.json().getString("refreshedAt")).isEqualTo(schema.json().getString("refreshedAt"));
      assertThat(cached.body()).doesNotContain("feeders");
      Response refreshed = admin.post("/api/v1/datasources/" + id + "/schema/refresh", null);
      assertThat(refreshed.status()).isEqualTo(200);
      assertThat(refreshed.body()).contains("\"feeders\"");

      for (Response r : List.of(created, schema, cached, refreshed)) {
        assertThat(r.body()).doesNotContain(READER_PASSWORD);
      }
      assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(READER_PASSWORD));
    }
  }
}
