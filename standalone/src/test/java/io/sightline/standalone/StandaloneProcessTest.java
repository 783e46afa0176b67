package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command, as a user runs it: StandaloneMain in its own JVM over its own data directory, with the
 * embedded Postgres as its child process.
 */
@ExtendWith(PostgresExtension.class)
class StandaloneProcessTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String READY = "Sightline is ready at (http://\\S+)";

  @TempDir
  Path home;

  private Map<String, String> env(int httpPort, int pgPort) {
    Map<String, String> env = new HashMap<>();
    env.put("SIGHTLINE_HOME", home.toString());
    env.put("SIGHTLINE_HTTP_PORT", Integer.toString(httpPort));
    env.put("SIGHTLINE_EMBEDDED_PG_PORT", Integer.toString(pgPort));
    return env;
  }

  @Test
  void startsOnEmbeddedPostgresServesTheAppAndKeepsDataAcrossRestarts() throws Exception {
    int httpPort = FreePorts.next();
    int pgPort = FreePorts.next();
    String base = "http://127.0.0.1:" + httpPort;
    DatabaseUrl embedded = DatabaseUrl.of("127.0.0.1", pgPort, "sightline", "postgres", "");

    try (JvmProcess first = JvmProcess.start("standalone-first", StandaloneMain.class.getName(), env(httpPort, pgPort))) {
      assertThat(first.awaitLine(READY, START).group(1)).isEqualTo(base + "/");
      HttpResponse<String> ready = Http.get(base + "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getJsonObject("cluster").getString("mode"))
          .isEqualTo("standalone");
      HttpResponse<String> shell = Http.get(base + "/", "Accept", "text/html");
      assertThat(shell.statusCode()).isEqualTo(200);
      assertThat(shell.body()).containsAnyOf("<div id=\"app\"></div>", "-Dskip.web");
      assertThat(scalar(embedded, "show fsync")).isEqualTo("on");
      assertThat(scalar(embedded, "show synchronous_commit")).isEqualTo("on");
      execute(embedded, "insert into orgs (name, slug) values ('Outage tracking', 'outages')");

      assertThat(first.stop(Duration.ofSeconds(30))).isEqualTo(143);
      assertThat(first.output()).contains("embedded Postgres stopped");
    }
    assertNoPostgresLeftOver();
    assertThat(Http.answers(base + "/healthz")).isFalse();

    try (JvmProcess second = JvmProcess.start("standalone-restart", StandaloneMain.class.getName(),
        env(httpPort, pgPort))) {
      second.awaitLine(READY, START);
      assertThat(Http.get(base + "/readyz").statusCode()).isEqualTo(200);
      assertThat(scalar(embedded, "select name from orgs where slug = 'outages'")).isEqualTo("Outage tracking");
      assertThat(Files.readString(home.resolve("secret.key")).trim()).hasSize(44);
      second.stop(Duration.ofSeconds(30));
    }
    assertNoPostgresLeftOver();
  }

  @Test
  void aPostgresOrphanedByAKilledProcessIsStoppedAtTheNextStart() throws Exception {
    int httpPort = FreePorts.next();
    int pgPort = FreePorts.next();
    try (JvmProcess killed = JvmProcess.start("standalone-killed", StandaloneMain.class.getName(),
        env(httpPort, pgPort))) {
      killed.awaitLine(READY, START);
      killed.kill();
    }
    assertThat(postgresProcessesOverHome()).as("kill -9 leaves the postmaster behind").isNotEmpty();

    try (JvmProcess next = JvmProcess.start("standalone-after-kill", StandaloneMain.class.getName(),
        env(httpPort, pgPort))) {
      next.awaitLine(READY, START);
      assertThat(next.output()).contains("stopping an orphaned embedded Postgres");
      assertThat(Http.get("http://127.0.0.1:" + httpPort + "/readyz").statusCode()).isEqualTo(200);
      next.stop(Duration.ofSeconds(30));
    }
    assertNoPostgresLeftOver();
  }

  @Test
  void aBadSettingFailsStartUpWithOneLineNamingIt() {
    Map<String, String> env = env(FreePorts.next(), 0);
    env.put("SIGHTLINE_HTTP_PORT", "eighty");
    try (JvmProcess p = JvmProcess.start("standalone-bad-port", StandaloneMain.class.getName(), env)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.output().strip())
          .isEqualTo("sightline: SIGHTLINE_HTTP_PORT (http.port): 'eighty' is not a valid whole number");
    }
  }

  @Test
  void anHttpPortInUseIsNamedAndNothingIsLeftRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        JvmProcess p = JvmProcess.start("standalone-port-taken", StandaloneMain.class.getName(),
            env(taken.getLocalPort(), 0))) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(p.output()).contains("sightline: SIGHTLINE_HTTP_PORT (http.port): 127.0.0.1:" + taken.getLocalPort()
          + " is already in use");
      assertThat(p.output()).doesNotContain("\tat ");
    }
    assertNoPostgresLeftOver();
  }

  @Test
  void aSecondProcessOnTheSameHomeIsRefused() {
    int httpPort = FreePorts.next();
    try (JvmProcess first = JvmProcess.start("standalone-owner", StandaloneMain.class.getName(),
        env(httpPort, 0))) {
      first.awaitLine(READY, START);
      try (JvmProcess second = JvmProcess.start("standalone-intruder", StandaloneMain.class.getName(),
          env(FreePorts.next(), 0))) {
        assertThat(second.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(second.output()).contains("SIGHTLINE_HOME (home): " + home + " is in use by another running"
            + " Sightline");
      }
      assertThat(Http.get("http://127.0.0.1:" + httpPort + "/readyz").statusCode()).isEqualTo(200);
      first.stop(Duration.ofSeconds(30));
    }
    assertNoPostgresLeftOver();
  }

  @Test
  void withADatabaseUrlItStartsNoEmbeddedPostgres(TestDatabase db) {
    int httpPort = FreePorts.next();
    Map<String, String> env = env(httpPort, 0);
    env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    try (JvmProcess p = JvmProcess.start("standalone-external-db", StandaloneMain.class.getName(), env)) {
      p.awaitLine(READY, START);
      assertThat(Http.get("http://127.0.0.1:" + httpPort + "/readyz").statusCode()).isEqualTo(200);
      assertThat(home.resolve("pgdata")).doesNotExist();
      assertThat(p.output()).doesNotContain("embedded Postgres");
      p.stop(Duration.ofSeconds(30));
    }
  }

  private void assertNoPostgresLeftOver() {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(postgresProcessesOverHome()).isEmpty());
  }

  /** Postgres processes whose command line names this test's data directory. */
  private List<ProcessHandle> postgresProcessesOverHome() {
    String dataDir = home.resolve("pgdata").toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(dataDir)).orElse(false))
        .toList();
  }

  private static Object scalar(DatabaseUrl url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getObject(1);
    }
  }

  private static void execute(DatabaseUrl url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
