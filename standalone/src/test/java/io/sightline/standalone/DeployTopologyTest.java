package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.S3ProxyServer;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The topology of docs/deploy.md on one machine, configured from {@code deploy/sightline.env.example}: two api and two
 * runner processes (separate JVMs) over an external metadata Postgres ({@code SIGHTLINE_DATABASE_URL}) and an S3 store
 * (S3Proxy), joined by a member list. Only what names this machine's addresses and ports is replaced; everything else
 * is the example file's value. A query runs through each api, a large result lands in S3 and is read back through the
 * other api. Also checks the example files themselves: every variable is one Sightline reads, and the systemd units
 * pass {@code systemd-analyze verify}.
 */
@ExtendWith(PostgresExtension.class)
class DeployTopologyTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Duration START = Duration.ofSeconds(180);
  private static final String ADMIN = "admin@deploy.test";
  private static final String PASSWORD = "admin password for the deploy test";
  /** Read by the launcher script and the units, not by Sightline's configuration. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("SIGHTLINE_JAVA_OPTS");

  @Test
  void everyVariableOfTheExampleEnvironmentFileIsOneSightlineReads() throws IOException {
    Set<String> known = ConfigLoader.SETTINGS.stream().map(ConfigLoader.Setting::env).collect(Collectors.toSet());
    Map<String, String> example = exampleEnvironment();
    assertThat(example).containsKeys("SIGHTLINE_DATABASE_URL", "SIGHTLINE_SECRET_KEY", "SIGHTLINE_CLUSTER_MEMBERS",
        "SIGHTLINE_CLUSTER_HOST", "SIGHTLINE_S3_BUCKET");
    for (String name : example.keySet()) {
      assertThat(known.contains(name) || LAUNCHER_VARIABLES.contains(name)).as(name + " is not a Sightline setting")
          .isTrue();
    }
  }

  @Test
  void theSystemdUnitsVerifyCleanly() throws Exception {
    Path systemdAnalyze = Path.of("/usr/bin/systemd-analyze");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(systemdAnalyze),
        "systemd-analyze is not installed here (Debian: systemd); the units are not checked");
    for (String unit : List.of("sightline-api.service", "sightline-runner.service")) {
      Path file = DEPLOY.resolve("systemd").resolve(unit).toAbsolutePath().normalize();
      String text = Files.readString(file);
      assertThat(text).contains("EnvironmentFile=/etc/sightline/sightline.env", "User=sightline",
          "Restart=on-failure", "RestartPreventExitStatus=2", "SuccessExitStatus=143", "LimitNOFILE=");
      Process verify = new ProcessBuilder(systemdAnalyze.toString(), "verify", file.toString())
          .redirectErrorStream(true).start();
      String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(verify.waitFor()).as(out).isZero();
      // unknown keys and bad values are warnings ("..., ignoring"), not errors: refuse them too
      assertThat(out).as(unit).doesNotContain("ignoring", "Unknown", "Failed");
    }
  }

  @Test
  void twoApisAndTwoRunnersFromTheExampleFileServeQueriesAndShareLargeResultsThroughS3(TestDatabase db)
      throws Exception {
    String bucket = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3ProxyServer s3 = S3ProxyServer.start(bucket)) {
      String cluster = "sightline-deploy-" + UUID.randomUUID();
      int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next()};
      String members = "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1];
      Map<String, String> site = new HashMap<>(exampleEnvironment());
      // this machine's facts in place of the example's addresses, secrets and store
      site.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
      site.put("SIGHTLINE_SECRET_KEY", io.sightline.testkit.TestConfigs.SECRET_KEY);
      site.put("SIGHTLINE_S3_ENDPOINT", s3.endpoint().toString());
      site.put("SIGHTLINE_S3_BUCKET", bucket);
      site.put("SIGHTLINE_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
      site.put("SIGHTLINE_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
      site.put("SIGHTLINE_CLUSTER_NAME", cluster);
      site.put("SIGHTLINE_CLUSTER_MEMBERS", members);
      site.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
      site.put("SIGHTLINE_CLUSTER_EVENTBUS_PORT", "0");
      site.put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
      site.put("SIGHTLINE_METRICS_HOST", "127.0.0.1");
      site.put("SIGHTLINE_METRICS_PORT", "0");
      site.put("SIGHTLINE_HOME", Files.createTempDirectory("sightline-deploy").toString());
      // small enough that this test's result goes to the object store, as a large one would
      site.put("SIGHTLINE_RESULTS_INLINE_MAX_BYTES", "4096");
      site.put("SIGHTLINE_ADMIN_EMAIL", ADMIN);
      site.put("SIGHTLINE_ADMIN_PASSWORD", PASSWORD);
      String javaOpts = site.remove("SIGHTLINE_JAVA_OPTS");
      assertThat(javaOpts).contains("-XX:+ExitOnOutOfMemoryError");

      int[] http = {FreePorts.next(), FreePorts.next()};
      List<JvmProcess> processes = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          processes.add(JvmProcess.start("deploy-runner-" + (i + 1), RunnerMain.class.getName(), with(site,
              "SIGHTLINE_CLUSTER_PORT", hazelcast[i], "SIGHTLINE_RUNNER_ID", "runner-" + (i + 1)), "-Xmx256m"));
        }
        for (int i = 0; i < 2; i++) {
          processes.add(JvmProcess.start("deploy-api-" + (i + 1), ApiMain.class.getName(), with(site,
              "SIGHTLINE_CLUSTER_PORT", hazelcast[i + 2], "SIGHTLINE_HTTP_PORT", http[i]), "-Xmx256m"));
        }
        for (int i = 0; i < 2; i++) {
          processes.get(i).awaitLine("Sightline runner is ready", START);
          processes.get(i + 2).awaitLine("Sightline api is ready at http://127.0.0.1:" + http[i] + "/", START);
        }
        // each api sees the three other members of one cluster
        for (int port : http) {
          await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonObject clusterCheck = new JsonObject(Http.get("http://127.0.0.1:" + port + "/readyz").body())
                .getJsonObject("checks").getJsonObject("cluster");
            assertThat(clusterCheck.getInteger("members")).isEqualTo(4);
            assertThat(clusterCheck.getJsonArray("peers")).hasSize(3);
          });
        }

        ApiClient first = new ApiClient("http://127.0.0.1:" + http[0]).login(ADMIN, PASSWORD);
        ApiClient second = new ApiClient("http://127.0.0.1:" + http[1]).login(ADMIN, PASSWORD);
        String datasource = SelfDatasource.create(first, db, new JsonObject());

        // a query through each api, executed by whichever runner claims it
        Set<String> runners = new java.util.HashSet<>();
        for (ApiClient api : List.of(first, second)) {
          JsonObject run = runToEnd(api, datasource, "select g as n, md5(g::text) as hash"
              + " from generate_series(1, 20000) g");
          assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
          assertThat(run.getLong("rowCount")).isEqualTo(20000L);
          runners.add(run.getString("runner"));
          // the result, stored in S3 by a runner, read through the other api
          ApiClient other = api == first ? second : first;
          JsonObject page = other.get("/api/v1/results/" + run.getString("resultId") + "?offset=19998&limit=5")
              .json();
          JsonArray rows = page.getJsonArray("rows");
          assertThat(rows).hasSize(2);
          assertThat(rows.getJsonArray(1).getValue(0).toString()).isEqualTo("20000");
        }
        assertThat(runners).isSubsetOf("runner-1", "runner-2");
        var listed = s3.client().listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).build()).get();
        assertThat(listed.contents()).as("result chunks in the bucket").isNotEmpty();
      } finally {
        for (int i = processes.size() - 1; i >= 0; i--) {
          processes.get(i).close();
        }
      }
    }
  }

  private static JsonObject runToEnd(ApiClient api, String datasource, String sql) {
    String runId = api.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource).put("sql", sql)).json()
        .getString("id");
    JsonObject[] run = new JsonObject[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      run[0] = api.get("/api/v1/runs/" + runId).json();
      return !Set.of("queued", "running").contains(run[0].getString("status"));
    });
    return run[0];
  }

  private static Map<String, String> with(Map<String, String> site, Object... pairs) {
    Map<String, String> env = new HashMap<>(site);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put((String) pairs[i], pairs[i + 1].toString());
    }
    return env;
  }

  /** {@code deploy/sightline.env.example} as systemd reads it: {@code KEY=VALUE} lines, {@code #} comments. */
  private static Map<String, String> exampleEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DEPLOY.resolve("sightline.env.example"), StandardCharsets.UTF_8)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      assertThat(eq).as("not KEY=VALUE: " + line).isPositive();
      env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return env;
  }
}
