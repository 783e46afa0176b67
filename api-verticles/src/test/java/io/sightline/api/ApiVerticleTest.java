package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.db.Migrations;
import io.sightline.testkit.Http;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ApiVerticleTest {
  private static Node node;
  private static String base;

  @BeforeAll
  static void start(TestDatabase db) {
    node = Node.start(TestConfigs.config(db), NodeRole.API, false);
    ApiMain.deploy(node);
    base = "http://127.0.0.1:" + node.config().http().port();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void healthzSaysTheProcessIsUp() {
    HttpResponse<String> r = Http.get(base + "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("up");
  }

  @Test
  void compressesResponsesWithZstdOrGzipAsTheClientAsks() throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    String plain = Http.get(base + "/healthz").body();
    for (String[] c : new String[][] {{"gzip, deflate, br, zstd", "zstd"}, {"gzip, deflate", "gzip"},
        {"identity", null}}) {
      HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
          .header("Accept-Encoding", c[0]).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Encoding")).as(c[0]).isEqualTo(java.util.Optional.ofNullable(c[1]));
      java.io.InputStream body = new java.io.ByteArrayInputStream(r.body());
      if ("zstd".equals(c[1])) {
        body = new com.github.luben.zstd.ZstdInputStream(body);
      } else if ("gzip".equals(c[1])) {
        body = new java.util.zip.GZIPInputStream(body);
      }
      assertThat(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).as(c[0]).isEqualTo(plain);
    }
  }

  @Test
  void readyzReportsEveryCheckUp() {
    HttpResponse<String> r = Http.get(base + "/readyz");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("ready");
    assertThat(body.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("up");
    assertThat(body.getJsonObject("checks").getJsonObject("migrations").getString("version"))
        .isEqualTo(Migrations.latestPackagedVersion(node.config().database().url()));
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void readyzStaysReadyWhileARollingUpgradeHasMigratedAheadOfThisBuildButNotBehindIt(TestDatabase db) {
    String expected = Migrations.latestPackagedVersion(db.url());
    db.execute("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
        + " installed_by, execution_time, success) values (999, '999', 'from a newer build', 'SQL', 'V999__x.sql', 0,"
        + " 'test', 0, true)");
    try {
      HttpResponse<String> r = Http.get(base + "/readyz");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject migrations = new JsonObject(r.body()).getJsonObject("checks").getJsonObject("migrations");
      assertThat(migrations.getString("status")).isEqualTo("up");
      assertThat(migrations.getBoolean("ahead")).isTrue();
      assertThat(migrations.getString("detail")).isEqualTo("schema at version 999, newer than this build's "
          + expected + " (an upgrade is under way)");
    } finally {
      db.execute("delete from flyway_schema_history where installed_rank = 999");
    }
    // behind this build (a newer migration of this build missing): not ready
    String previousRank = String.valueOf(db.scalar("select max(installed_rank) from flyway_schema_history"));
    db.execute("update flyway_schema_history set version = '0.' || version where installed_rank = "
        + previousRank);
    try {
      HttpResponse<String> r = Http.get(base + "/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject migrations = new JsonObject(r.body()).getJsonObject("checks").getJsonObject("migrations");
      assertThat(migrations.getString("status")).isEqualTo("down");
      assertThat(migrations.getString("detail")).startsWith("schema at version 0.");
    } finally {
      db.execute("update flyway_schema_history set version = substr(version, 3) where installed_rank = "
          + previousRank);
    }
    assertThat(Http.get(base + "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownApiRoutesAreProblemJsonNotTheApp() {
    for (String method : new String[] {"GET", "POST", "DELETE"}) {
      HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/no-such-thing"))
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Accept", "text/html").build());
      assertThat(r.statusCode()).as(method).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonObject problem = new JsonObject(r.body());
      assertThat(problem.getString("title")).isEqualTo("Not found");
      assertThat(problem.getInteger("status")).isEqualTo(404);
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void deepLinksServeTheAppShellUncached() {
    HttpResponse<String> r = Http.get(base + "/queries/42?from=last_7d", "Accept", "text/html,application/xhtml+xml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.body()).isEqualTo(Http.get(base + "/", "Accept", "text/html").body());
    if (webAppBuilt()) {
      assertThat(r.body()).contains("<div id=\"app\"></div>");
    } else {
      assertThat(r.body()).contains("-Dskip.web");
    }
  }

  @Test
  void missingAssetsAre404NotTheAppShell() {
    HttpResponse<String> r = Http.get(base + "/assets/no-such-chunk.js", "Accept", "*/*");
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void securityHeadersAreOnEveryResponse() {
    for (HttpResponse<String> r : List.of(Http.get(base + "/healthz"), Http.get(base + "/", "Accept", "text/html"),
        Http.get(base + "/api/v1/me"), Http.get(base + "/assets/no-such-chunk.js", "Accept", "*/*"))) {
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).hasValue("nosniff");
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
      String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
          "object-src 'none'").doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline");
    }
  }

  @Test
  void aPortInUseFailsDeploymentNamingTheSetting(TestDatabase db) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Node other = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_HTTP_PORT",
          Integer.toString(taken.getLocalPort()))), NodeRole.API, false);
      try {
        assertThatThrownBy(() -> ApiMain.deploy(other))
            .isInstanceOf(ConfigException.class)
            .hasMessage("SIGHTLINE_HTTP_PORT (http.port): 127.0.0.1:" + taken.getLocalPort()
                + " is already in use (or not an address of this machine)");
      } finally {
        other.close();
      }
    }
  }

  private static boolean webAppBuilt() {
    return ApiVerticleTest.class.getClassLoader().getResource("webroot/index.html") != null;
  }
}
