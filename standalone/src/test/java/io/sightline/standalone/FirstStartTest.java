package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.auth.InitialAdmin;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start as a newcomer sees it: the one-time admin password comes last, framed, after the ready line, and stays
 * in an owner-only file until it is changed; {@code sightline reset-admin-password} gives a new one while the server
 * runs and while it is stopped.
 */
class FirstStartTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String EMAIL = "admin@localhost";
  private static final Pattern PASSWORD = Pattern.compile("^\\| {3}Password {4}(\\S+) +\\|$", Pattern.MULTILINE);

  @TempDir
  Path home;

  @Test
  void theOneTimePasswordIsShownLastKeptUntilChangedAndCanBeResetRunningOrStopped() throws Exception {
    int httpPort = FreePorts.next();
    String base = "http://127.0.0.1:" + httpPort;
    Map<String, String> env = new HashMap<>(Map.of("SIGHTLINE_HOME", home.toString(), "SIGHTLINE_HTTP_PORT",
        Integer.toString(httpPort), "SIGHTLINE_EMBEDDED_PG_PORT", "0"));
    Path file = home.resolve(InitialAdmin.FILE);

    try (JvmProcess server = JvmProcess.start("first-start", StandaloneMain.class.getName(), env)) {
      server.awaitLine("Sightline is ready at", START);
      Matcher shown = awaitPassword(server);
      String out = server.output();
      String after = out.substring(out.indexOf("Sightline is ready at"));
      List<String> lines = after.lines().toList();
      int top = lines.indexOf(lines.stream().filter(l -> l.startsWith("+-")).findFirst().orElseThrow());
      int bottom = lines.subList(top + 1, lines.size()).indexOf(lines.get(top)) + top + 1;
      assertThat(lines.subList(1, top)).as("only a blank line between the ready line and the block")
          .allMatch(String::isBlank);
      assertThat(lines.subList(top + 1, bottom)).as("the framed block, unbroken by log lines").hasSizeGreaterThan(6)
          .allMatch(l -> l.startsWith("| ") && l.endsWith(" |") && l.length() == lines.get(top).length());
      String block = String.join("\n", lines.subList(top, bottom + 1));
      assertThat(block).contains("Sign in at  " + base + "/", "Email       " + EMAIL, file.toString());
      String first = shown.group(1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).contains("email: " + EMAIL, "password: " + first);

      ApiClient admin = new ApiClient(base).login(EMAIL, first);
      assertThat(admin.get("/api/v1/me").json().getJsonObject("user").getBoolean("mustChangePassword")).isTrue();
      // the test processes start with the demo off (JvmProcess): a first start then creates nothing of it
      server.awaitLine("demo: not installed \\(SIGHTLINE_DEMO=false\\)", Duration.ofSeconds(10));
      assertThat(admin.post("/api/v1/me/password", new JsonObject().put("currentPassword", first)
          .put("newPassword", "a long chosen password 1")).status()).isEqualTo(204);
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
      assertThat(admin.get("/api/v1/demo").json().getBoolean("installed")).isFalse();
      assertThat(admin.get("/api/v1/datasources").array()).as("no Demo datasource").isEmpty();

      // running: the tool uses the server's embedded Postgres, ends the admin's sessions
      String second = reset(env, "reset-running");
      assertThat(admin.get("/api/v1/me").status()).as("the old session ended").isEqualTo(401);
      assertThat(new ApiClient(base).post("/api/v1/auth/login", new JsonObject().put("email", EMAIL)
          .put("password", "a long chosen password 1")).status()).isEqualTo(401);
      ApiClient again = new ApiClient(base).login(EMAIL, second);
      assertThat(again.get("/api/v1/me").json().getJsonObject("user").getBoolean("mustChangePassword")).isTrue();
      assertThat(Files.readString(file)).contains("password: " + second);

      try (JvmProcess unknown = JvmProcess.command("reset-unknown", StandaloneMain.class.getName(),
          List.of(ResetAdminPassword.COMMAND, "nobody@example.com"), env)) {
        assertThat(unknown.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(unknown.output()).contains("no admin has the email nobody@example.com (admins: " + EMAIL + ")")
            .doesNotContain("\tat ");
      }
      server.stop(Duration.ofSeconds(30));
    }

    // stopped: the tool starts the embedded Postgres for the change and stops it again
    String third = reset(env, "reset-stopped");
    try (JvmProcess server = JvmProcess.start("after-reset", StandaloneMain.class.getName(), env)) {
      server.awaitLine("Sightline is ready at", START);
      assertThat(server.output()).as("no new first admin").doesNotContain("Sightline created its first admin");
      new ApiClient(base).login(EMAIL, third);
      server.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void twoHomesOnOneMachineBothStartWhenTheDefaultPortsAreTaken(@TempDir Path other) throws Exception {
    String ready = "Sightline is ready at (http://\\S+)";
    try (ServerSocket http = occupy(8080); ServerSocket postgres = occupy(54329);
        JvmProcess first = JvmProcess.start("home-one", StandaloneMain.class.getName(),
            Map.of("SIGHTLINE_HOME", home.toString()))) {
      String one = first.awaitLine(ready, START).group(1);
      try (JvmProcess second = JvmProcess.start("home-two", StandaloneMain.class.getName(),
          Map.of("SIGHTLINE_HOME", other.toString()))) {
        String two = second.awaitLine(ready, START).group(1);
        assertThat(one).isNotEqualTo(two).doesNotEndWith(":8080/");
        assertThat(two).doesNotEndWith(":8080/");
        for (JvmProcess p : List.of(first, second)) {
          assertThat(p.output()).contains("HTTP port 8080 is in use; using", "(set SIGHTLINE_HTTP_PORT to choose one)",
              "embedded Postgres port 54329 is in use; using any free port");
        }
        assertThat(Http.get(one + "readyz").statusCode()).isEqualTo(200);
        assertThat(Http.get(two + "readyz").statusCode()).isEqualTo(200);
        second.stop(Duration.ofSeconds(30));
      }
      first.stop(Duration.ofSeconds(30));
    }
  }

  /** Listens on {@code port} of 127.0.0.1 (or answers null when something else already does: taken either way). */
  private static ServerSocket occupy(int port) {
    try {
      return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
    } catch (IOException taken) {
      return null;
    }
  }

  /** Runs {@code reset-admin-password} in its own JVM; answers the password it printed. */
  private static String reset(Map<String, String> env, String name) {
    try (JvmProcess tool = JvmProcess.command(name, StandaloneMain.class.getName(),
        List.of(ResetAdminPassword.COMMAND, EMAIL), env)) {
      assertThat(tool.waitFor(Duration.ofSeconds(90))).as(tool.output()).isEqualTo(0);
      Matcher m = PASSWORD.matcher(tool.output());
      assertThat(m.find()).as(tool.output()).isTrue();
      return m.group(1);
    }
  }

  private static Matcher awaitPassword(JvmProcess server) {
    await().atMost(Duration.ofSeconds(10)).until(() -> PASSWORD.matcher(server.output()).find());
    Matcher m = PASSWORD.matcher(server.output());
    assertThat(m.find()).isTrue();
    return m;
  }
}
