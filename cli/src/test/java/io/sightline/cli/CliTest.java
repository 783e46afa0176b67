package io.sightline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.api.auth.Passwords;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real server: an in-process node (api + runner) over the test's embedded Postgres, a datasource on
 * that Postgres, API keys made through the API. Commands run in-process except Ctrl+C, which needs its own process.
 */
@ExtendWith(PostgresExtension.class)
class CliTest {
  private static final String ADMIN = "admin@sightline.test";
  private static final String ADMIN_B = "admin-b@sightline.test";
  private static final String PASSWORD = "admin password for tests";
  private static final String ORG_B = "6b1f3c1e-5a0c-4f0e-9d56-3c0a3f3b2b10";

  private static SightlineConfig config;
  private static volatile Node node;
  private static TestDatabase db;
  private static String url;
  private static ApiClient admin;
  private static String key;
  private static String keyB;

  /** One command's outcome. */
  record Outcome(int code, String out, String err) {}

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    config = TestConfigs.config(db, Map.of("SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD", PASSWORD));
    startNode();
    url = "http://127.0.0.1:" + config.http().port();
    admin = new ApiClient(url).login(ADMIN, PASSWORD);
    key = admin.post("/api/v1/api-keys", new JsonObject().put("name", "cli")).json().getString("key");
    String hash = Passwords.hashNow(PASSWORD).replace("'", "''");
    db.execute("insert into orgs (id, name, slug) values ('" + ORG_B + "', 'Outages', 'outages')");
    db.execute("with u as (insert into users (email, display_name, password_hash) values ('" + ADMIN_B + "', 'B', '"
        + hash + "') returning id) insert into memberships (user_id, org_id, role) select id, '" + ORG_B
        + "', 'admin' from u");
    ApiClient adminB = new ApiClient(url).login(ADMIN_B, PASSWORD);
    keyB = adminB.post("/api/v1/api-keys", new JsonObject().put("name", "cli")).json().getString("key");
    for (ApiClient a : List.of(admin, adminB)) {
      a.post("/api/v1/datasources", new JsonObject().put("name", "Self").put("host", "127.0.0.1")
          .put("port", db.url().port()).put("database", db.name()).put("user", db.url().user())
          .put("sslMode", "disable").put("maxTimeoutMs", 60_000)).json().getString("id");
    }
    db.execute("create table cli_rows (id int primary key, name text, amount numeric(10,2))");
    db.execute("insert into cli_rows values (1, 'plain', 1.50), (2, 'with, comma \"quoted\"', null), "
        + "(3, null, -20.25)");
  }

  private static void startNode() {
    node = Node.start(config, NodeRole.STANDALONE, false);
    RunnerMain.deploy(node);
    ApiMain.deploy(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static Outcome cli(String... args) {
    return cliAs(key, args);
  }

  static Outcome cliAs(String apiKey, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SightlineCli.execute(args, Map.of("SIGHTLINE_URL", url, "SIGHTLINE_API_KEY", apiKey),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static final String SELECT = "select id, name, amount from cli_rows order by id";

  @Test
  void runPrintsTheResultAsCsvJsonAndTable() {
    Outcome csv = cli("run", "--datasource", "Self", "--sql", SELECT, "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    // what psql --csv prints for the same query, in RFC 4180 line endings
    assertThat(csv.out()).isEqualTo("id,name,amount\r\n1,plain,1.50\r\n2,\"with, comma \"\"quoted\"\"\",\r\n"
        + "3,,-20.25\r\n");
    assertThat(csv.err()).containsPattern("sightline: run [0-9a-f-]{36} (queued|running)");

    Outcome json = cli("run", "--datasource", "Self", "--sql", SELECT, "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"with, comma \\\"quoted\\\"\"").contains("\"-20.25\"");

    Outcome table = cli("run", "--datasource", "Self", "--sql", SELECT);
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).isEqualTo(String.join("\n",
        "id | name                 | amount",
        "---+----------------------+-------",
        "1  | plain                | 1.50",
        "2  | with, comma \"quoted\" | ",
        "3  |                      | -20.25",
        "(3 rows)", ""));

    Outcome limited = cli("run", "--datasource", "Self", "--sql", SELECT, "--format", "csv", "--max-rows", "1");
    assertThat(limited.out()).isEqualTo("id,name,amount\r\n1,plain,1.50\r\n");
    assertThat(limited.err()).contains("max_rows");
  }

  @Test
  void aFailingRunExitsOneWithThePostgresError() {
    Outcome failed = cli("run", "--datasource", "Self", "--sql", "select * from no_such_table");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("failed").contains("42P01").contains("relation \"no_such_table\" does not exist")
        .doesNotContain("Exception");
    assertThat(failed.out()).isEmpty();
  }

  @Test
  void exitCodesForAuthUnreachableAndUsage() {
    Outcome badKey = cliAs("sl_not-a-real-key", "runs", "ls");
    assertThat(badKey.code()).isEqualTo(3);
    assertThat(badKey.err()).doesNotContain("sl_not-a-real-key").doesNotContain("Exception").hasLineCount(1);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int unreachable = SightlineCli.execute(new String[] {"datasources", "ls", "--url",
        "http://127.0.0.1:" + FreePorts.next()}, Map.of("SIGHTLINE_API_KEY", key), new PrintStream(
        new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(unreachable).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("connection refused");

    assertThat(cli("run", "--sql", "select 1").code()).isEqualTo(2); // no datasource
    assertThat(cli("run", "--datasource", "Self").code()).isEqualTo(2); // no source
    assertThat(cli("run", "--datasource", "Self", "--sql", "select 1", "--format", "xml").code()).isEqualTo(2);
    assertThat(cli("run", "--datasource", "Nope", "--sql", "select 1").err()).contains("no datasource named");
    assertThat(cli("runs", "ls", "--status", "exploded").code()).isEqualTo(2);
    assertThat(cli("runs").code()).isEqualTo(2);
    Outcome twoStatements = cli("run", "--datasource", "Self", "--sql", "select 1; select 2");
    assertThat(twoStatements.code()).isEqualTo(2);
    assertThat(twoStatements.err()).contains("/sql").hasLineCount(1);
    for (String[] help : List.of(new String[] {"--help"}, new String[] {"runs", "tail", "--help"},
        new String[] {"queries", "import", "--help"}, new String[] {"schedules", "pause", "--help"})) {
      Outcome h = cli(help);
      assertThat(h.code()).isZero();
      assertThat(h.out()).startsWith("Usage: sightline cli");
    }
  }

  @Test
  void listingsAndDatasourceTest() {
    Outcome ds = cli("datasources", "ls");
    assertThat(ds.out()).contains("Self").contains("postgres");
    Outcome test = cli("datasources", "test", "Self");
    assertThat(test.code()).as(test.err()).isZero();
    assertThat(test.out()).contains("Self: ok");
    String runId = enqueue("select 42 as listed");
    await().atMost(Duration.ofSeconds(15)).until(() -> cli("runs", "show", runId).out().contains("\"succeeded\""));
    Outcome runs = cli("runs", "ls", "--datasource", "Self", "--status", "succeeded", "--limit", "5");
    assertThat(runs.code()).as(runs.err()).isZero();
    assertThat(runs.out()).contains(runId).contains("(ad hoc)").contains("1 rows");
    assertThat(cli("runs", "cancel", runId).out()).contains(runId + "  succeeded"); // finished: nothing changes

    String queryId = admin.post("/api/v1/queries", new JsonObject().put("name", "Scheduled rows")
        .put("datasourceId", datasourceId(admin)).put("sql", "select count(*) from cli_rows")).json().getString("id");
    admin.post("/api/v1/schedules", new JsonObject().put("name", "Hourly rows").put("queryId", queryId)
        .put("kind", "interval").put("everySeconds", 3600)).json();
    assertThat(cli("schedules", "pause", "Hourly rows").out()).isEqualTo("Hourly rows: paused\n");
    assertThat(cli("schedules", "ls").out()).containsPattern("Hourly rows +\\| paused +\\| query Scheduled rows");
    assertThat(cli("schedules", "resume", "Hourly rows").out()).isEqualTo("Hourly rows: ok\n");
    assertThat(cli("schedules", "pause", "No such schedule").code()).isEqualTo(2);
  }

  @Test
  void queriesExportThenImportIntoAnotherOrgGivesIdenticalQueries(@TempDir Path dir) throws Exception {
    String id = admin.post("/api/v1/queries", new JsonObject().put("name", "Rows above a bound")
        .put("description", "for the round trip").put("datasourceId", datasourceId(admin))
        .put("sql", "select id, name\nfrom cli_rows\nwhere id > {{floor}}")
        .put("params", new JsonArray().add(new JsonObject().put("name", "floor").put("type", "integer")
            .put("label", "Floor").put("default", 1)))).json().getString("id");
    admin.post("/api/v1/queries/" + id + "/visualizations", new JsonObject().put("name", "Rows").put("kind", "table")
        .put("config", new JsonObject())).json();

    Outcome exported = cli("queries", "export", "--dir", dir.toString());
    assertThat(exported.code()).as(exported.err()).isZero();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    assertThat(files).isNotEmpty();
    assertThat(Files.readString(dir.resolve("rows-above-a-bound.yaml"))).contains("datasource: Self")
        .contains("name: floor");

    String[] importArgs = Stream.concat(Stream.of("queries", "import"), files.stream().map(Path::toString))
        .toArray(String[]::new);
    Outcome imported = cliAs(keyB, importArgs);
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("created Rows above a bound");
    assertThat(cliAs(keyB, "queries", "show", "Rows above a bound").out())
        .isEqualTo(cli("queries", "show", "Rows above a bound").out());

    // a second import updates by name: nothing doubled
    Outcome again = cliAs(keyB, importArgs);
    assertThat(again.out()).contains("updated Rows above a bound");
    assertThat(cliAs(keyB, "queries", "ls").out().lines().filter(l -> l.startsWith("Rows above a bound")))
        .hasSize(1);
    Outcome ran = cliAs(keyB, "run", "--query", "Rows above a bound", "--param", "floor=2", "--format", "csv");
    assertThat(ran.out()).as(ran.err()).isEqualTo("id,name\r\n3,\r\n");
  }

  private static String datasourceId(ApiClient client) {
    return client.get("/api/v1/datasources").array().stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("name").equals("Self")).findFirst().orElseThrow().getString("id");
  }

  @Test
  void tailPrintsLiveRunsAndReconnectsAfterTheServerRestarts() throws Exception {
    SyncBuffer out = new SyncBuffer();
    SyncBuffer err = new SyncBuffer();
    Thread tail = new Thread(() -> SightlineCli.execute(new String[] {"runs", "tail", "--status", "succeeded,failed"},
        Map.of("SIGHTLINE_URL", url, "SIGHTLINE_API_KEY", key), out.stream(), err.stream()), "tail");
    tail.start();
    try {
      Thread.sleep(1500); // connected and registered
      String first = enqueue("select 1 as tail_first");
      String failed = enqueue("select 1/0 as tail_failed");
      await().atMost(Duration.ofSeconds(15)).until(() -> out.text().contains(first) && out.text().contains(failed));
      assertThat(line(out, first)).contains("succeeded").contains("(ad hoc)").contains("Self").contains("1 rows");
      assertThat(line(out, failed)).contains("failed").contains("22012").contains("division by zero");

      node.close();
      startNode();
      String second = enqueue("select 2 as tail_second");
      await().atMost(Duration.ofSeconds(20)).until(() -> out.text().contains(second));
      assertThat(err.text()).contains("reconnected");
      assertThat(line(out, second)).contains("succeeded");
      // nothing printed twice, though the catch-up read the history from before the restart
      assertThat(out.text().lines().filter(l -> l.contains(first))).hasSize(1);
      assertThat(out.text().lines().filter(l -> l.contains(failed))).hasSize(1);
      assertThat(out.text()).doesNotContain("queued");
    } finally {
      tail.interrupt();
      tail.join(5000);
    }
  }

  private static String line(SyncBuffer out, String runId) {
    return out.text().lines().filter(l -> l.contains(runId)).findFirst().orElseThrow();
  }

  private static String enqueue(String sql) {
    ApiClient.Response r = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId(admin))
        .put("sql", sql));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  @Test
  void ctrlCCancelsTheRunOnTheServer() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SIGHTLINE_URL", url, "SIGHTLINE_API_KEY", key));
    try (JvmProcess cli = JvmProcess.command("cli-run", SightlineCli.class.getName(), List.of("run", "--datasource",
        "Self", "--sql", "select pg_sleep(30) /* cli-ctrl-c */"), env)) {
      var running = cli.awaitLine("run ([0-9a-f-]{36}) running", Duration.ofSeconds(20));
      String runId = running.group(1);
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(cli.waitFor(Duration.ofSeconds(15))).as(cli.tail()).isEqualTo(130);
      assertThat(cli.output()).contains("interrupted");
      await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/runs/" + runId).json()
          .getString("status").equals("cancelled"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) db.scalar("select count(*) from pg_stat_activity"
          + " where query like '%cli-ctrl-c%' and pid <> pg_backend_pid()")).intValue() == 0);
    }
  }

  /** A thread-safe stdout/stderr for a command running on another thread. */
  static final class SyncBuffer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    PrintStream stream() {
      return new PrintStream(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          synchronized (bytes) {
            bytes.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (bytes) {
            bytes.write(b, off, len);
          }
        }
      }, true, StandardCharsets.UTF_8);
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

}
