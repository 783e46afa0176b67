package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone process (api + runner) and the {@code reset-admin-password} tool with {@code SIGHTLINE_LOG_FORMAT=json}
 * and the packaged logback.xml: every log line on stdout is one JSON object with the standard fields, a request's
 * lines carry its request id; the tool's reset is in the audit log, as done from the command line.
 */
class JsonLogsProcessTest {
  private static final String EMAIL = "admin@localhost";
  private static final String CHOSEN = "a long chosen password 1";
  private static final Pattern PASSWORD = Pattern.compile("^\\| {3}Password {4}(\\S+) +\\|$", Pattern.MULTILINE);
  /**
   * What the processes print outside the log: the ready line, the first-admin line, the framed one-time password
   * block — and, at shutdown, vertx-sql-client's printStackTrace of a pooled metadata connection that the stopping
   * embedded Postgres terminates (SqlConnectionBase.handleException without a handler; not ours to format).
   */
  private static final Pattern NOT_A_LOG_LINE = Pattern.compile("Sightline is ready at .*|Created the first admin .*"
      + "|\\+-+\\+|\\| .* \\||\\s*|io\\.vertx\\.pgclient\\.PgException: FATAL: terminating connection due to"
      + " administrator command \\(57P01\\)");

  @TempDir
  Path home;

  @Test
  void everyLineIsAJsonObjectAndTheCommandLineResetIsAudited() throws Exception {
    int httpPort = FreePorts.next();
    String base = "http://127.0.0.1:" + httpPort;
    Map<String, String> env = Map.of("SIGHTLINE_HOME", home.toString(), "SIGHTLINE_HTTP_PORT",
        Integer.toString(httpPort), "SIGHTLINE_EMBEDDED_PG_PORT", "0", "SIGHTLINE_LOG_FORMAT", "json",
        "SIGHTLINE_ADMIN_PASSWORD", CHOSEN);
    String packaged = "-Dlogback.configurationFile=logback.xml";
    try (JvmProcess server = JvmProcess.start("json-logs", StandaloneMain.class.getName(), env, packaged)) {
      server.awaitLine("Sightline is ready at", Duration.ofSeconds(90));
      HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(base + "/api/v1/nothing-here")).header("X-Request-Id", "json-proc-1").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);

      String oneTime;
      try (JvmProcess tool = JvmProcess.command("json-logs-reset", StandaloneMain.class.getName(),
          List.of(ResetAdminPassword.COMMAND, EMAIL), env, packaged)) {
        assertThat(tool.waitFor(Duration.ofSeconds(90))).as(tool.output()).isEqualTo(0);
        Matcher m = PASSWORD.matcher(tool.output());
        assertThat(m.find()).as(tool.output()).isTrue();
        oneTime = m.group(1);
        assertLogLines(tool.output());
      }
      ApiClient admin = new ApiClient(base).login(EMAIL, oneTime);
      assertThat(admin.post("/api/v1/me/password", new JsonObject().put("currentPassword", oneTime)
          .put("newPassword", "a long chosen password 2")).status()).isEqualTo(204);
      JsonArray resets = admin.get("/api/v1/audit?action=auth.password_reset").json().getJsonArray("items");
      assertThat(resets).hasSize(1);
      JsonObject reset = resets.getJsonObject(0);
      assertThat(reset.getJsonObject("details").getString("via")).isEqualTo("command line");
      assertThat(reset.getJsonObject("actor").getString("userId")).isNull();
      assertThat(reset.getJsonObject("target").getString("name")).isEqualTo(EMAIL);
      server.stop(Duration.ofSeconds(30));

      List<JsonObject> lines = assertLogLines(server.output());
      assertThat(lines).hasSizeGreaterThan(3);
      assertThat(lines).anyMatch(l -> "json-proc-1".equals(l.getString("request_id"))
          && l.getString("message").contains("/api/v1/nothing-here 404"));
      // the runner's capacity: once per process, the whole of runner.concurrency (8), not one event loop's share
      assertThat(lines.stream().map(l -> l.getString("message")).filter(m -> m.contains("concurrent runs")))
          .singleElement().asString().contains("up to 8 concurrent runs");
    }
  }

  /** Every line is a JSON log object or one of the few printed ones; answers the JSON ones. */
  private static List<JsonObject> assertLogLines(String output) {
    List<JsonObject> json = new java.util.ArrayList<>();
    for (String line : output.lines().toList()) {
      if (NOT_A_LOG_LINE.matcher(line).matches()) {
        continue;
      }
      assertThat(line).as("a log line is one JSON object").startsWith("{");
      JsonObject o = new JsonObject(line);
      assertThat(o.fieldNames()).as(line).contains("timestamp", "level", "logger", "message");
      json.add(o);
    }
    return json;
  }
}
