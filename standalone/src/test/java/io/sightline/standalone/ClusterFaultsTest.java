package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.ApiMain;
import io.sightline.runner.RunnerMain;
import io.sightline.shared.bus.Addresses;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.S3ProxyServer;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults of a whole cluster, as separate JVMs on 127.0.0.1 over the test Postgres (also the datasource): two api and
 * two runner processes, started once for all scenarios (the start costs most of this class's time) and configured
 * from the deployment guide's {@code deploy/sightline.env.example} (docs/deploy.md: only this machine's addresses,
 * secrets and the S3 store — S3Proxy — replace the example's values), in this order — the documented topology serving
 * a query through each api with a result stored in S3 and read through the other api; a run cancelled through one
 * api while another process runs it; a datasource's cap held across two runner
 * processes; an event-bus client behind a TCP balancer failing over when its api dies; and a rolling restart (SIGTERM,
 * start again, one process at a time) under a steady stream of runs through both apis.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {
  private static final Duration START = Duration.ofSeconds(180);
  private static final String ADMIN = "admin@faults.test";
  private static final String PASSWORD = "admin password for the faults test";
  private static final String RUNNER_READY = "Sightline runner is ready";
  private static final String DRAIN_SECONDS = "2";

  private TestDatabase db;
  private final String cluster = "sightline-faults-" + java.util.UUID.randomUUID();
  private final int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next()};
  private final int[] http = {FreePorts.next(), FreePorts.next()};
  private final JvmProcess[] runners = new JvmProcess[2];
  private final JvmProcess[] apis = new JvmProcess[2];
  private final List<JvmProcess> started = new CopyOnWriteArrayList<>();
  private String home;
  private ApiClient admin;
  private String apiKey;
  private String orgId;
  private String datasource;

  private S3ProxyServer s3;
  private final String bucket = "faults-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  void startCluster(TestDatabase database) throws Exception {
    db = database;
    home = Files.createTempDirectory("sightline-faults").toString();
    s3 = S3ProxyServer.start(bucket);
    long t0 = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      runners[i] = startRunner(i);
      apis[i] = startApi(i);
    }
    for (int i = 0; i < 2; i++) {
      runners[i].awaitLine(RUNNER_READY, START);
      apis[i].awaitLine(apiReady(i), START);
    }
    System.out.println("ClusterFaultsTest: 2 api + 2 runner processes started in " + ms(t0) + " ms");
    admin = new ApiClient(base(0)).login(ADMIN, PASSWORD);
    apiKey = admin.post("/api/v1/api-keys", new JsonObject().put("name", "faults")).json().getString("key");
    orgId = db.scalar("select org_id from memberships limit 1").toString();
    datasource = SelfDatasource.create(admin, db, new JsonObject().put("maxConcurrency", 8));
  }

  @AfterAll
  void stopCluster() {
    started.forEach(JvmProcess::close);
    if (s3 != null) {
      s3.close();
    }
  }

  /**
   * docs/deploy.md's topology from its example file: each api sees the three other members; a query through each api
   * runs on a runner, its result (past the inline limit, as a large one would be) lands in the bucket, and the other
   * api reads a page of it from there.
   */
  @Test
  @Order(0)
  void theDocumentedTopologyServesQueriesThroughEachApiAndSharesResultsThroughS3() throws Exception {
    for (int i = 0; i < 2; i++) {
      int api = i;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        JsonObject clusterCheck = new JsonObject(io.sightline.testkit.Http.get(base(api) + "/readyz").body())
            .getJsonObject("checks").getJsonObject("cluster");
        assertThat(clusterCheck.getInteger("members")).isEqualTo(4);
        assertThat(clusterCheck.getJsonArray("peers")).hasSize(3);
      });
    }
    Set<String> ranOn = new java.util.HashSet<>();
    for (int i = 0; i < 2; i++) {
      ApiClient api = client(i);
      String runId = api.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
          .put("sql", "select g as n, md5(g::text) as hash from generate_series(1, 20000) g")).json().getString("id");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> RunnerCluster.TERMINAL.contains(status(runId)));
      JsonObject run = api.get("/api/v1/runs/" + runId).json();
      assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
      assertThat(run.getLong("rowCount")).isEqualTo(20000L);
      ranOn.add(run.getString("runner"));
      JsonObject page = client(1 - i).get("/api/v1/results/" + run.getString("resultId") + "?offset=19998&limit=5")
          .json();
      assertThat(page.getJsonArray("rows")).hasSize(2);
      assertThat(page.getJsonArray("rows").getJsonArray(1).getValue(0).toString()).isEqualTo("20000");
    }
    assertThat(ranOn).isSubsetOf("runner-1", "runner-2");
    var listed = s3.client().listObjectsV2(
        software.amazon.awssdk.services.s3.model.ListObjectsV2Request.builder().bucket(bucket).build()).get();
    assertThat(listed.contents()).as("result chunks in the bucket").isNotEmpty();
  }

  /** A long run executing on a runner process, cancelled through the api process that did not start it. */
  @Test
  @Order(1)
  void aRunCancelledThroughAnotherApiEndsCancelledAndItsBackendIsGone() {
    long t0 = System.nanoTime();
    ApiClient first = client(0);
    ApiClient second = client(1);
    String runId = first.post("/api/v1/runs", new JsonObject().put("datasourceId", datasource)
        .put("sql", "select pg_sleep(600) /* cancelled across nodes */")).json().getString("id");
    await().atMost(Duration.ofSeconds(20)).until(() -> db.sessionsOf(runId) == 1);
    long cancelAt = System.nanoTime();
    ApiClient.Response cancel = second.post("/api/v1/runs/" + runId + "/cancel?scope=everyone", null);
    assertThat(cancel.status()).as(cancel.toString()).isBetween(200, 299);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> "cancelled".equals(status(runId)) && db.sessionsOf(runId) == 0);
    System.out.println("ClusterFaultsTest: cancel across nodes took " + ms(cancelAt) + " ms (scenario " + ms(t0)
        + " ms)");
    assertThat(events(runId)).endsWith("finished");
  }

  /** A datasource capped at 2: ten runs over two runner processes never hold more than two of its sessions. */
  @Test
  @Order(2)
  void aDatasourceCapHoldsAcrossRunnerProcesses() throws Exception {
    long t0 = System.nanoTime();
    ApiClient api = client(0);
    String capped = SelfDatasource.create(admin, db, new JsonObject().put("name", "Capped").put("maxConcurrency", 2));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(client(i % 2).post("/api/v1/runs", new JsonObject().put("datasourceId", capped)
          .put("sql", "select pg_sleep(0.7), " + i + " /* capped */")).json().getString("id"));
    }
    String inList = ids.stream().map(id -> "'sightline-run-" + id + "'").collect(Collectors.joining(","));
    AtomicInteger most = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        long n = (Long) db.scalar("select count(*) from pg_stat_activity where application_name in (" + inList + ")");
        most.accumulateAndGet((int) n, Math::max);
        samples.incrementAndGet();
        sleepMs(50);
      }
    }, "cap-sampler");
    sampler.start();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> ids.stream().allMatch(id -> RunnerCluster.TERMINAL.contains(status(id))));
    } finally {
      sampling.set(false);
      sampler.join();
    }
    Set<String> by = new java.util.HashSet<>();
    for (String id : ids) {
      JsonObject run = api.get("/api/v1/runs/" + id).json();
      assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
      by.add(run.getString("runner"));
    }
    System.out.println("ClusterFaultsTest: cap 2 over 2 runners: at most " + most.get() + " sessions in "
        + samples.get() + " samples, runs on " + by + " (scenario " + ms(t0) + " ms)");
    assertThat(most.get()).isEqualTo(2);
  }

  /**
   * A raw event-bus client behind a TCP balancer; the api it is connected to dies (SIGKILL): the socket closes, the
   * client reconnects through the balancer to the other api, registers again and receives a later run's events.
   */
  @Test
  @Order(3)
  void anEventBusClientFailsOverToTheOtherApiThroughTheBalancer() {
    long t0 = System.nanoTime();
    String feed = Addresses.orgRuns(orgId);
    try (TcpBalancer balancer = new TcpBalancer(List.of(http[0], http[1]));
        BridgeSocket.Client bridge = new BridgeSocket.Client(balancer.port())) {
      BridgeSocket socket = openRegistered(bridge, feed);
      int victim = balancer.lastBackend() == http[0] ? 0 : 1;
      String before = runThrough(1 - victim, "select 'before the failover'");
      await().atMost(Duration.ofSeconds(20)).until(() -> socket.events(feed, before).stream()
          .anyMatch(e -> "succeeded".equals(e.getString("status"))));

      long killedAt = System.nanoTime();
      apis[victim].kill();
      try {
        await().atMost(Duration.ofSeconds(10)).until(socket::closed);
        BridgeSocket again = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
            .until(() -> openRegistered(bridge, feed), s -> true);
        assertThat(balancer.lastBackend()).isEqualTo(http[1 - victim]);
        long reconnectMs = ms(killedAt);
        // events are hints (the web app re-reads state after a reconnect): a run finishing while the new
        // registration is still reaching the other members may go unseen; a run started a little later must not
        List<String> after = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1000)).until(() -> {
          after.add(runThrough(1 - victim, "select 'after the failover', " + after.size()));
          return after.stream().anyMatch(id -> again.events(feed, id).stream()
              .anyMatch(e -> "succeeded".equals(e.getString("status"))));
        });
        long unseen = after.stream().filter(id -> again.events(feed, id).isEmpty()).count();
        System.out.println("ClusterFaultsTest: bridge failover: reconnected and registered " + reconnectMs
            + " ms after the kill; events received " + ms(killedAt) + " ms after it (" + unseen + " of "
            + after.size() + " runs started after the reconnect unseen so far); scenario " + ms(t0) + " ms");
        assertThat(unseen).as("runs started after the reconnect whose events never came").isLessThanOrEqualTo(2);
      } finally {
        apis[victim] = startApi(victim);
        apis[victim].awaitLine(apiReady(victim), START);
      }
    }
  }

  /**
   * A steady stream of small runs (and some long ones) through both apis, retried on the other api when one refuses,
   * while each runner and then each api is stopped (SIGTERM) and started again in turn: every accepted run ends in
   * exactly one terminal state, none executed twice, and a client of a stopping api gets a quick retryable failure.
   */
  @Test
  @Order(4)
  void aRollingRestartUnderLoadLosesAndDoublesNoRun() throws Exception {
    long t0 = System.nanoTime();
    Load load = new Load();
    Thread[] clients = {new Thread(() -> load.run(0), "load-0"), new Thread(() -> load.run(1), "load-1")};
    for (Thread c : clients) {
      c.start();
    }
    try {
      sleepMs(1000);
      for (int i = 0; i < 2; i++) {
        int n = i;
        restart(runners, n, () -> startRunner(n), RUNNER_READY);
      }
      for (int i = 0; i < 2; i++) {
        int n = i;
        restart(apis, n, () -> startApi(n), apiReady(n));
      }
      sleepMs(1000);
    } finally {
      load.stop.set(true);
      for (Thread c : clients) {
        c.join(30_000);
      }
    }
    List<String> accepted = new ArrayList<>(load.accepted);
    assertThat(accepted).hasSizeGreaterThan(20);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> (Long) db.scalar(
        "select count(*) from runs where id in (" + quoted(accepted) + ") and status in ('queued', 'running')") == 0);

    Map<String, Long> statuses = new HashMap<>();
    for (Map<String, Object> row : db.query("select status, count(*) as n from runs where id in (" + quoted(accepted)
        + ") group by status")) {
      statuses.put((String) row.get("status"), (Long) row.get("n"));
    }
    assertThat(statuses.values().stream().mapToLong(Long::longValue).sum()).as("every accepted run is there")
        .isEqualTo(accepted.size());
    assertThat(statuses.keySet()).isSubsetOf(RunnerCluster.TERMINAL);
    List<Map<String, Object>> odd = db.query("select run_id, count(*) filter (where kind = 'finished') as finished,"
        + " count(*) filter (where kind = 'started') as started from run_events where run_id in (" + quoted(accepted)
        + ") group by run_id having count(*) filter (where kind = 'finished') <> 1"
        + " or count(*) filter (where kind = 'started') > 1");
    assertThat(odd).as("runs finished other than once, or started twice").isEmpty();
    assertThat(load.hung.get()).as("requests that hung past the client timeout").isZero();
    String figures = "ClusterFaultsTest: rolling restart of 2 runners + 2 apis under load: " + accepted.size()
        + " runs accepted, " + statuses + ", retried on the other api: " + load.retries + " (" + load.failures
        + "), longest request " + load.longestMs.get() + " ms; scenario " + ms(t0) + " ms";
    System.out.println(figures);
    assertThat(statuses.getOrDefault("failed", 0L)).as(figures).isZero();
  }

  /** The load: each client alternates between the apis and moves to the other one when a request is refused. */
  private final class Load {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<String> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger hung = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong longestMs = new java.util.concurrent.atomic.AtomicLong();
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    void run(int first) {
      int api = first;
      int n = 0;
      while (!stop.get()) {
        n++;
        String sql = n % 10 == 0 ? "select pg_sleep(2), " + n + " /* long */" : "select " + n + " /* small */";
        long t = System.nanoTime();
        String failure = enqueue(api, sql);
        longestMs.accumulateAndGet(ms(t), Math::max);
        if (failure != null) {
          failures.merge(failure, 1, Integer::sum);
          retries.incrementAndGet();
          api = 1 - api;
          sleepMs(50);
          continue;
        }
        api = 1 - api;
        sleepMs(100);
      }
    }

    /** Null when accepted, else what went wrong (a status or the exception's kind). */
    private String enqueue(int api, String sql) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base(api) + "/api/v1/runs"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + apiKey)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("datasourceId", datasource).put("sql", sql)
              .encode())).build();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          accepted.add(new JsonObject(r.body()).getString("id"));
          return null;
        }
        assertThat(r.statusCode()).as("a stopping api refuses with 503: " + r.body()).isEqualTo(503);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        return "503";
      } catch (java.net.http.HttpTimeoutException e) {
        hung.incrementAndGet();
        return "timeout";
      } catch (java.io.IOException e) {
        return e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
  }

  /**
   * SIGTERM, which must end the process cleanly (143) within the drain and handover, then the same process again. An
   * api says "stopping" on /readyz at once, and still serves requests during its drain.
   */
  private void restart(JvmProcess[] slot, int i, java.util.function.Supplier<JvmProcess> start, String ready) {
    long t = System.nanoTime();
    slot[i].terminate();
    if (slot == apis) {
      await("api " + (i + 1) + " says it is stopping").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            java.net.http.HttpResponse<String> r = io.sightline.testkit.Http.get(base(i) + "/readyz");
            return r.statusCode() == 503 && "stopping".equals(new JsonObject(r.body()).getString("status"));
          });
      assertThat(io.sightline.testkit.Http.get(base(i) + "/healthz").statusCode()).as("served while draining")
          .isEqualTo(200);
    }
    assertThat(slot[i].waitFor(Duration.ofSeconds(40))).isEqualTo(143);
    long stoppedMs = ms(t);
    slot[i] = start.get();
    slot[i].awaitLine(ready, START);
    System.out.println("ClusterFaultsTest: restarted " + slot[i] + ": stopped in " + stoppedMs + " ms, back in "
        + ms(t) + " ms");
  }

  private BridgeSocket openRegistered(BridgeSocket.Client bridge, String feed) {
    BridgeSocket socket = bridge.open(BridgeSocket.Framing.RAW, null, null, "Bearer " + apiKey);
    socket.register(feed);
    sleepMs(300); // the registration is checked against the database before it is live
    return socket;
  }

  private String runThrough(int api, String sql) {
    return client(api).post("/api/v1/runs", new JsonObject().put("datasourceId", datasource).put("sql", sql)).json()
        .getString("id");
  }

  private JvmProcess startRunner(int i) {
    return track(JvmProcess.start("faults-runner-" + (i + 1), RunnerMain.class.getName(), env(hazelcast[i],
        Map.of("SIGHTLINE_RUNNER_ID", "runner-" + (i + 1), "SIGHTLINE_RUNNER_CONCURRENCY", "4"))));
  }

  private JvmProcess startApi(int i) {
    return track(JvmProcess.start("faults-api-" + (i + 1), ApiMain.class.getName(), env(hazelcast[i + 2],
        Map.of("SIGHTLINE_HTTP_HOST", "127.0.0.1", "SIGHTLINE_HTTP_PORT", Integer.toString(http[i]),
            "SIGHTLINE_HTTP_DRAIN_SECONDS", DRAIN_SECONDS, "SIGHTLINE_HOME", home,
            "SIGHTLINE_ADMIN_EMAIL", ADMIN, "SIGHTLINE_ADMIN_PASSWORD", PASSWORD))));
  }

  /** The example file's settings, this machine's facts over them, then the process's own. */
  private Map<String, String> env(int port, Map<String, String> extra) {
    String members = java.util.Arrays.stream(hazelcast).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    Map<String, String> all = new HashMap<>(DeployFilesTest.exampleEnvironment());
    all.remove("SIGHTLINE_JAVA_OPTS"); // the launcher's, not Sightline's
    // this machine's database and key in place of the example's placeholders
    all.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    all.put("SIGHTLINE_SECRET_KEY", io.sightline.testkit.TestConfigs.SECRET_KEY);
    all.put("SIGHTLINE_CLUSTER_NAME", cluster);
    all.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
    all.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(port));
    all.put("SIGHTLINE_CLUSTER_MEMBERS", members);
    all.put("SIGHTLINE_CLUSTER_EVENTBUS_PORT", "0");
    all.put("SIGHTLINE_HTTP_HOST", "127.0.0.1");
    all.put("SIGHTLINE_METRICS_HOST", "127.0.0.1");
    all.put("SIGHTLINE_METRICS_PORT", "0");
    all.put("SIGHTLINE_HOME", home);
    all.put("SIGHTLINE_S3_ENDPOINT", s3.endpoint().toString());
    all.put("SIGHTLINE_S3_BUCKET", bucket);
    all.put("SIGHTLINE_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
    all.put("SIGHTLINE_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
    // small enough that a 20,000-row result goes to the object store, as a large one would
    all.put("SIGHTLINE_RESULTS_INLINE_MAX_BYTES", "4096");
    all.putAll(extra);
    return RunnerCluster.clusterEnv(db, cluster, port, members, all);
  }

  private JvmProcess track(JvmProcess process) {
    started.add(process);
    return process;
  }

  private String apiReady(int i) {
    return "Sightline api is ready at http://127.0.0.1:" + http[i] + "/";
  }

  private String base(int i) {
    return "http://127.0.0.1:" + http[i];
  }

  private ApiClient client(int i) {
    return new ApiClient(base(i)).withApiKey(apiKey);
  }

  private String status(String runId) {
    return (String) db.scalar("select status from runs where id = '" + runId + "'");
  }

  private List<String> events(String runId) {
    return db.query("select kind from run_events where run_id = '" + runId + "' order by id").stream()
        .map(r -> (String) r.get("kind")).toList();
  }

  private static String quoted(List<String> ids) {
    return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
