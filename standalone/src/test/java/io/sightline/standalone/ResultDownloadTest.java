package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads stream chunk by chunk: a 2,000,000-row result comes out of a server whose whole JVM (api, runner and all)
 * has a 96 MB heap. Also the CSV rules (RFC 4180, formula-injection guard) and the JSON shape.
 */
@ExtendWith(PostgresExtension.class)
class ResultDownloadTest {
  private static final String ADMIN = "admin@sightline.test";
  private static final String PASSWORD = "admin password for tests";
  private static JvmProcess server;
  private static ApiClient admin;
  private static String base;
  private static String datasourceId;

  @BeforeAll
  static void start(TestDatabase db, @TempDir java.nio.file.Path home) {
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>(TestConfigs.env(db, Map.of()));
    env.put("SIGHTLINE_HTTP_PORT", Integer.toString(port));
    env.put("SIGHTLINE_HOME", home.toString());
    env.put("SIGHTLINE_ADMIN_EMAIL", ADMIN);
    env.put("SIGHTLINE_ADMIN_PASSWORD", PASSWORD);
    server = JvmProcess.start("download-server", StandaloneMain.class.getName(), env, "-Xmx96m");
    server.awaitLine("Sightline is ready", Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + port;
    admin = new ApiClient(base).login(ADMIN, PASSWORD);
    datasourceId = SelfDatasource.create(admin, db, new JsonObject().put("defaultMaxRows", 5_000_000)
        .put("maxRowsLimit", 5_000_000).put("defaultMaxBytes", 256L << 20));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String runToResult(String sql) {
    String runId = admin.post("/api/v1/runs", new JsonObject().put("datasourceId", datasourceId).put("sql", sql)).json()
        .getString("id");
    JsonObject[] run = new JsonObject[1];
    await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
      run[0] = admin.get("/api/v1/runs/" + runId).json();
      return !run[0].getString("status").equals("queued") && !run[0].getString("status").equals("running");
    });
    assertThat(run[0].getString("status")).as(run[0].encode()).isEqualTo("succeeded");
    return run[0].getString("resultId");
  }

  private static HttpResponse<java.io.InputStream> download(String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String cookie = "sightline_session=" + admin.cookie("sightline_session").orElseThrow().getValue();
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void twoMillionRowsDownloadAsCsvFromASmallHeap() throws Exception {
    String resultId = runToResult("select g as n, md5(g::text) as hash from generate_series(1, 2000000) g");
    HttpResponse<java.io.InputStream> r = download("/api/v1/results/" + resultId + ".csv");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"result-")
        .endsWith(".csv\"");
    long lines = 0;
    String last = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      assertThat(header).isEqualTo("n,hash");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        last = line;
      }
    }
    assertThat(lines).isEqualTo(2_000_000);
    assertThat(last).startsWith("2000000,");
    assertThat(server.isAlive()).as("the server survived the download at a 96 MB heap").isTrue();
    assertThat(server.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void csvFollowsRfc4180AndDefusesFormulas() throws Exception {
    String resultId = runToResult("select * from (values (1, '=HYPERLINK(\"http://evil\")', 'a,b', 'say \"hi\"',"
        + " 'two' || chr(10) || 'lines', -5, '@SUM(A1)', '+1', '-1', null::text, '{\"k\":[1,2]}'::json)) t(id, f, c, q,"
        + " nl, neg, at, plus, minus, nothing, doc)");
    HttpResponse<java.io.InputStream> r = download("/api/v1/results/" + resultId + ".csv");
    String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(body).isEqualTo("id,f,c,q,nl,neg,at,plus,minus,nothing,doc\r\n"
        + "1,\"'=HYPERLINK(\"\"http://evil\"\")\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",-5,'@SUM(A1),'+1,'-1,,"
        + "\"{\"\"k\"\":[1,2]}\"\r\n");
  }

  @Test
  void exactNegativeNumbersDownloadAsNumbersNotGuardedText() throws Exception {
    // numeric(24,6) sums and bigints beyond 2^53 travel as exact strings in the result; in CSV they stay numbers
    String resultId = runToResult("select 'etf' as desk, -sum(n)::numeric(24,6) as notional,"
        + " -9007199254740993::bigint as big, '-1'::text as txt"
        + " from (values (165236003391.0734::numeric(24,6))) t(n)");
    HttpResponse<java.io.InputStream> r = download("/api/v1/results/" + resultId + ".csv");
    String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(body).isEqualTo("desk,notional,big,txt\r\netf,-165236003391.073400,-9007199254740993,'-1\r\n");
  }

  @Test
  void jsonDownloadIsOneDocumentWithColumnsAndRows() throws Exception {
    String resultId = runToResult("select g as n, g::text || '!' as s from generate_series(1, 3) g");
    HttpResponse<java.io.InputStream> r = download("/api/v1/results/" + resultId + ".json");
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonObject doc = new JsonObject(new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
    assertThat(doc.getJsonArray("columns").getJsonObject(1).getString("name")).isEqualTo("s");
    assertThat(doc.getJsonArray("rows")).containsExactly(new JsonArray().add(1).add("1!"),
        new JsonArray().add(2).add("2!"), new JsonArray().add(3).add("3!"));
  }
}
