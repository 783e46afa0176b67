package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.auth.Passwords;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.standalone.demo.DemoHistory;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a newcomer's first start makes it (docs/demo.md): a start killed while it generates the demo database,
 * then one killed while it creates the demo's objects, leave nothing behind once the next start has installed exactly
 * one complete demo (the rows an uninterrupted install generates); every query runs with its defaults and returns rows,
 * every visualization shapes its result, every dashboard tile runs, the tick schedule fires; a later start installs
 * nothing; an admin — and only an admin of that org — removes all of it, the database included, refused while
 * members' own work depends on it; it never comes back, even after a restart. (With SIGHTLINE_DEMO=false a first start
 * makes nothing of it: FirstStartTest, whose processes start with the demo off.)
 */
class DemoProcessTest {
  private static final Duration START = Duration.ofSeconds(120);
  private static final String EMAIL = "demo-admin@example.com";
  private static final String PASSWORD = "demo admin password 0001";

  @TempDir
  Path home;

  @Test
  void theFirstStartInstallsTheDemoOnceEvenIfKilledMidwayAndAnAdminRemovesAllOfItForGood() throws Exception {
    int httpPort = FreePorts.next();
    int pgPort = FreePorts.next();
    String base = "http://127.0.0.1:" + httpPort;
    Map<String, String> env = env(httpPort, pgPort, "true");
    // a twentieth of the demo's rows: DemoDatabaseTest builds the full one
    String scale = "-Dsightline.demo.scale=0.05";

    // the first start is killed while it generates the demo database ...
    try (JvmProcess server = JvmProcess.start("demo-killed-generating", StandaloneMain.class.getName(), env,
        scale)) {
      server.awaitLine("demo: generating the demo database", START);
      await().atMost(START).pollInterval(Duration.ofMillis(20)).until(() -> count(pgPort, "postgres",
          "select count(*) from pg_stat_activity where datname = 'sightline_demo' and state = 'active'"
              + " and query ~ '^(insert into (ohub.outages|trad.orders)|call demo.plan)'") > 0);
      server.kill();
    }
    assertThat(count(pgPort, "postgres", "select count(*) from pg_database where datname = 'sightline_demo'"))
        .as("a half-made demo database").isEqualTo(1);
    // ... the next start is killed while it creates the demo's objects through the API ...
    try (JvmProcess server = JvmProcess.start("demo-killed-creating", StandaloneMain.class.getName(), env, scale)) {
      server.awaitLine("demo: removed an unfinished install \\(its database and 0 objects\\); installing it again",
          START);
      await().atMost(START).pollInterval(Duration.ofMillis(20)).until(() -> count(pgPort, "sightline",
          "select count(*) from queries") >= 2);
      server.kill();
    }
    assertThat(count(pgPort, "sightline", "select count(*) from demo_installs")).isZero();
    long halfMade = count(pgPort, "sightline", "select (select count(*) from datasources) + (select count(*) from"
        + " queries) + (select count(*) from visualizations) + (select count(*) from dashboards)"
        + " + (select count(*) from schedules)");

    // ... and the one after removes what was made and installs exactly one complete demo
    // (schedules fire by a clock running 6× fast from now: a one-minute slot every 10 s)
    String clock = "-Dsightline.test.scheduleClock=" + Instant.now() + "," + System.currentTimeMillis() + ",6";
    String installedAt;
    JsonObject demo;
    try (JvmProcess server = JvmProcess.start("demo-first", StandaloneMain.class.getName(), env, clock, scale)) {
      server.awaitLine("Sightline is ready at", START);
      Matcher removedObjects = server.awaitLine("demo: removed an unfinished install \\(its database and (\\d+)"
          + " objects\\)", START);
      assertThat(halfMade).isPositive();
      assertThat(Long.parseLong(removedObjects.group(1))).as("every object the killed install made")
          .isEqualTo(halfMade);
      server.awaitLine("demo: (installed|not installed).*", START);
      assertThat(server.output()).as(server.output()).contains("demo: installed");
      ApiClient admin = new ApiClient(base).login(EMAIL, PASSWORD);

      demo = admin.get("/api/v1/demo").json();
      assertThat(demo.getBoolean("installed")).isTrue();
      installedAt = demo.getString("installedAt");
      assertThat(names(demo, "datasources")).containsExactlyInAnyOrder("Demo", "Demo ticker");
      assertThat(names(demo, "dashboards")).containsExactlyInAnyOrder("ohub — power outages across Canada",
          "Trad — order flow");
      assertThat(demo.getJsonArray("queries")).hasSize(12);
      assertThat(demo.getJsonArray("visualizations")).hasSize(8);
      assertThat(demo.getJsonArray("schedules")).hasSize(6);
      assertThat(demo.getJsonArray("dependents")).isEmpty();
      assertThat(admin.get("/api/v1/api-keys").body()).as("the installer's key is gone").doesNotContain("demo installer");
      // exactly one demo: nothing the killed installs made is left beside it
      assertThat(admin.get("/api/v1/datasources").array()).hasSize(2);
      assertThat(admin.get("/api/v1/queries").json().getJsonArray("items")).hasSize(12);
      assertThat(count(pgPort, "sightline", "select count(*) from visualizations")).isEqualTo(8);
      assertThat(admin.get("/api/v1/dashboards").json().getJsonArray("items")).hasSize(2);
      assertThat(admin.get("/api/v1/schedules").json().getJsonArray("items")).hasSize(6);
      assertThat(count(pgPort, "sightline", "select count(*) from api_keys")).isZero();
      // holding the rows an uninterrupted install from the same seed, anchor and scale generates
      Instant anchor = Instant.ofEpochMilli(count(pgPort, "sightline",
          "select (extract(epoch from anchor) * 1000)::bigint from demo_installs"));
      assertThat(DemoHistory.of(DatabaseUrl.of("127.0.0.1", pgPort, "sightline_demo", "postgres", "")))
          .isEqualTo(DemoHistory.ofUninterruptedInstall(anchor, 0.05));

      // every query runs with its defaults and returns rows; every visualization shapes its result
      Map<String, String> resultOfQuery = new HashMap<>();
      for (Object q : demo.getJsonArray("queries")) {
        String id = ((JsonObject) q).getString("id");
        JsonObject run = runToEnd(admin, admin.post("/api/v1/queries/" + id + "/runs", new JsonObject()).json());
        assertThat(run.getString("status")).as(((JsonObject) q).getString("name") + ": " + run).isEqualTo("succeeded");
        assertThat(run.getLong("rowCount")).as(((JsonObject) q).getString("name")).isPositive();
        resultOfQuery.put(id, run.getString("resultId"));
      }
      for (Object v : demo.getJsonArray("visualizations")) {
        String id = ((JsonObject) v).getString("id");
        JsonObject viz = admin.get("/api/v1/visualizations/" + id).json();
        ApiClient.Response shaped = admin.post("/api/v1/results/" + resultOfQuery.get(viz.getString("queryId"))
            + "/series?visualizationId=" + id, new JsonObject().put("width", 800));
        assertThat(shaped.status()).as(viz.getString("name") + ": " + shaped.body()).isEqualTo(200);
      }
      // every tile of both dashboards runs without an error
      for (Object d : demo.getJsonArray("dashboards")) {
        JsonObject answer = admin.post("/api/v1/dashboards/" + ((JsonObject) d).getString("id") + "/runs",
            new JsonObject()).json();
        JsonArray tiles = answer.getJsonArray("tiles", answer.getJsonArray("items"));
        assertThat(tiles).as(answer.encode()).hasSize(4);
        tiles.forEach(t -> assertThat(((JsonObject) t).getString("status")).as(t.toString()).isNotEqualTo("error"));
      }
      // each dashboard multi-select offers exactly the values its tiles' options queries find in the data
      for (Object d : demo.getJsonArray("dashboards")) {
        JsonObject dashboard = admin.get("/api/v1/dashboards/" + ((JsonObject) d).getString("id")).json();
        String tileQuery = dashboard.getJsonArray("tiles").stream().map(t -> ((JsonObject) t).getJsonObject("query"))
            .filter(q -> q != null).findFirst().orElseThrow().getString("id");
        for (Object p : dashboard.getJsonArray("params")) {
          JsonObject param = (JsonObject) p;
          if (param.getString("type").equals("enum")) {
            JsonArray options = admin.get("/api/v1/queries/" + tileQuery + "/parameters/" + param.getString("name")
                + "/options").json().getJsonArray("options");
            assertThat(param.getJsonArray("options").getList()).as(param.getString("name"))
                .containsExactlyInAnyOrderElementsOf(options.getList());
          }
        }
      }
      // the schedules are healthy and the tick fires, adding rows
      for (Object s : demo.getJsonArray("schedules")) {
        JsonObject schedule = admin.get("/api/v1/schedules/" + ((JsonObject) s).getString("id")).json();
        assertThat(schedule.getBoolean("enabled")).as(schedule.encode()).isTrue();
        assertThat(schedule.getString("state")).as(schedule.encode()).isIn("ok", null);
      }
      String tick = idNamed(demo, "schedules", "Demo tick (new synthetic rows every minute)");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
          admin.get("/api/v1/schedules/" + tick + "/firings").json().getJsonArray("items").stream()
              .anyMatch(f -> "enqueued".equals(((JsonObject) f).getString("outcome"))));
      await().atMost(Duration.ofSeconds(60)).until(() -> count(pgPort, "sightline_demo",
          "select count(*) from demo.ticks") > 0);

      // members see it, cannot remove it
      ApiClient viewer = member(admin, base, "viewer@example.com", "viewer");
      assertThat(viewer.get("/api/v1/demo").json().getBoolean("installed")).isTrue();
      assertThat(viewer.delete("/api/v1/demo").status()).isEqualTo(403);

      // another org sees nothing of it and cannot remove it
      ApiClient other = otherOrgAdmin(pgPort, base);
      assertThat(other.get("/api/v1/demo").json().getBoolean("installed")).isFalse();
      assertThat(other.delete("/api/v1/demo").status()).isEqualTo(404);
      assertThat(other.get("/api/v1/dashboards").json().getJsonArray("items")).isEmpty();

      server.stop(Duration.ofSeconds(30));
    }

    // a later start whose embedded Postgres listens on another port (the usual one was taken): the demo's
    // datasources follow it, so its queries still run
    int movedPort = FreePorts.next();
    Map<String, String> moved = env(httpPort, movedPort, "true");
    try (JvmProcess server = JvmProcess.start("demo-moved", StandaloneMain.class.getName(), moved)) {
      server.awaitLine("demo: its 2 datasource\\(s\\) now use the embedded Postgres's port " + movedPort, START);
      ApiClient admin = new ApiClient(base).login(EMAIL, PASSWORD);
      String outages = idNamed(demo, "queries", "ohub · Customers out now");
      JsonObject run = runToEnd(admin, admin.post("/api/v1/queries/" + outages + "/runs", new JsonObject()).json());
      assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
      assertThat(server.output()).doesNotContain("demo: generating");

      // a member's own query on the Demo datasource blocks the removal, listed
      String demoDatasource = idNamed(demo, "datasources", "Demo");
      String mine = admin.post("/api/v1/queries", new JsonObject().put("name", "My outage count")
          .put("datasourceId", demoDatasource).put("sql", "select count(*) from ohub.outages")).json().getString("id");
      assertThat(admin.get("/api/v1/demo").json().getJsonArray("dependents").encode()).contains(mine);
      ApiClient.Response refused = admin.delete("/api/v1/demo");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().getString("type")).endsWith("demo-in-use");
      assertThat(refused.json().getString("detail")).contains("My outage count");
      assertThat(admin.delete("/api/v1/queries/" + mine).status()).isEqualTo(204);

      ApiClient.Response removed = admin.delete("/api/v1/demo");
      assertThat(removed.status()).as(removed.body()).isEqualTo(200);
      assertThat(removed.json().getBoolean("databaseDropped")).isTrue();
      assertThat(removed.json().getJsonObject("removed").getInteger("queries")).isEqualTo(12);
      assertThat(admin.get("/api/v1/demo").json().getBoolean("installed")).isFalse();
      assertThat(admin.get("/api/v1/datasources").array()).isEmpty();
      assertThat(admin.get("/api/v1/queries").json().getJsonArray("items")).isEmpty();
      assertThat(admin.get("/api/v1/dashboards").json().getJsonArray("items")).isEmpty();
      assertThat(admin.get("/api/v1/schedules").json().getJsonArray("items")).isEmpty();
      assertThat(count(movedPort, "postgres", "select count(*) from pg_database where datname = 'sightline_demo'"))
          .isZero();
      assertThat(admin.delete("/api/v1/demo").status()).as("once removed, nothing left to remove").isEqualTo(404);
      assertThat(count(movedPort, "sightline", "select count(*) from demo_installs where removed_at is not null"))
          .isEqualTo(1);
      server.stop(Duration.ofSeconds(30));
    }

    // it stays removed: a later start neither installs it again nor takes anything for an unfinished install
    try (JvmProcess server = JvmProcess.start("demo-second", StandaloneMain.class.getName(), moved)) {
      server.awaitLine("Sightline is ready at", START);
      ApiClient admin = new ApiClient(base).login(EMAIL, PASSWORD);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> count(movedPort, "postgres",
          "select count(*) from pg_database where datname = 'sightline_demo'") == 0
          && !admin.get("/api/v1/demo").json().getBoolean("installed")
          && admin.get("/api/v1/datasources").array().isEmpty());
      assertThat(admin.get("/api/v1/demo").json().getString("installedAt")).as("not installed again")
          .isEqualTo(installedAt);
      assertThat(server.output()).doesNotContain("demo: generating").doesNotContain("demo: removed an unfinished");
      server.stop(Duration.ofSeconds(30));
    }
  }

  private Map<String, String> env(int httpPort, int pgPort, String demo) {
    return Map.of("SIGHTLINE_HOME", home.toString(), "SIGHTLINE_HTTP_PORT", Integer.toString(httpPort),
        "SIGHTLINE_EMBEDDED_PG_PORT", Integer.toString(pgPort), "SIGHTLINE_ADMIN_EMAIL", EMAIL,
        "SIGHTLINE_ADMIN_PASSWORD", PASSWORD, "SIGHTLINE_DEMO", demo);
  }

  private static JsonObject runToEnd(ApiClient client, JsonObject run) {
    String id = run.getString("id");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !List.of("queued",
        "running").contains(client.get("/api/v1/runs/" + id).json().getString("status")));
    return client.get("/api/v1/runs/" + id).json();
  }

  private static List<String> names(JsonObject demo, String kind) {
    return demo.getJsonArray(kind).stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  private static String idNamed(JsonObject demo, String kind, String name) {
    return demo.getJsonArray(kind).stream().map(o -> (JsonObject) o).filter(o -> o.getString("name").equals(name))
        .findFirst().orElseThrow().getString("id");
  }

  /** A member of the admin's org with {@code role}, signed in (its pending password change done). */
  private static ApiClient member(ApiClient admin, String base, String email, String role) {
    String password = "member password 0001";
    assertThat(admin.post("/api/v1/users", new JsonObject().put("email", email).put("role", role)
        .put("password", password)).status()).isEqualTo(201);
    ApiClient member = new ApiClient(base).login(email, password);
    if (member.get("/api/v1/me").json().getJsonObject("user").getBoolean("mustChangePassword")) {
      member.post("/api/v1/me/password", new JsonObject().put("currentPassword", password)
          .put("newPassword", "member password 0002"));
    }
    return member;
  }

  /** The admin of a second org, made directly in the metadata database (the API has no org creation). */
  private static ApiClient otherOrgAdmin(int pgPort, String base) throws Exception {
    String email = "other-admin@example.com";
    String password = "other admin password 01";
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/sightline",
        "postgres", ""); PreparedStatement st = c.prepareStatement("""
            with o as (insert into orgs (name, slug) values ('Other', 'other') returning id),
                 u as (insert into users (email, display_name, password_hash) values (?, 'Other', ?) returning id)
            insert into memberships (user_id, org_id, role) select u.id, o.id, 'admin' from u, o""")) {
      st.setString(1, email);
      st.setString(2, Passwords.hashNow(password));
      st.executeUpdate();
    }
    return new ApiClient(base).login(email, password);
  }

  private static long count(int pgPort, String database, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database,
        "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
