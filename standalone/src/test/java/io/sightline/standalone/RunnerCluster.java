package io.sightline.standalone;

import static org.awaitility.Awaitility.await;

import io.sightline.runner.RunnerMain;
import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.testkit.Await;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runner processes as separate JVMs over the test Postgres, which is also their datasource (so a test watches the
 * runs' backends in pg_stat_activity). The test's own JVM plays the api: it enqueues runs and reads them back through a
 * RunService of its own; the runners find the runs by polling. Closing it kills what is left of the processes.
 */
final class RunnerCluster implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(120);
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");

  final TestDatabase db;
  final Node api;
  final RunService runs;
  final String orgId = UUID.randomUUID().toString();
  final String name = "sightline-test-" + UUID.randomUUID();
  private final List<JvmProcess> processes = new ArrayList<>();

  RunnerCluster(TestDatabase db) {
    this.db = db;
    api = Node.start(TestConfigs.config(db), NodeRole.API, false);
    runs = new RunService(api.vertx(), api.pool(), api.config().runs());
    db.execute("insert into orgs (id, name, slug) values ('" + orgId + "', 'Ops', 'ops-" + orgId.substring(0, 8)
        + "')");
  }

  /**
   * Starts (without waiting for it) runner {@code id} of this cluster on Hazelcast {@code port}, joining through
   * {@code members}, with {@code env} added (e.g. SIGHTLINE_RUNS_LEASE_SECONDS, SIGHTLINE_RUNNER_CONCURRENCY).
   */
  JvmProcess runner(String id, int port, String members, Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    all.put("SIGHTLINE_RUNNER_ID", id);
    all.put("SIGHTLINE_RUNNER_CONCURRENCY", "4");
    all.putAll(env);
    return track(JvmProcess.start(id, RunnerMain.class.getName(), clusterEnv(db, name, port, members, all)));
  }

  /** The environment of a process of cluster {@code cluster} over the test database, with {@code extra} added. */
  static Map<String, String> clusterEnv(TestDatabase db, String cluster, int port, String members,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    env.put("SIGHTLINE_SECRET_KEY", TestConfigs.SECRET_KEY);
    env.put("SIGHTLINE_CLUSTER_NAME", cluster);
    env.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
    env.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(port));
    env.put("SIGHTLINE_CLUSTER_MEMBERS", members);
    env.putAll(extra);
    return env;
  }

  JvmProcess track(JvmProcess process) {
    processes.add(process);
    return process;
  }

  /** A Postgres datasource on the test database itself, as its superuser (so the test can watch its sessions). */
  String datasource(String dsName, int maxConcurrency) {
    return db.selfDatasource(orgId, dsName, maxConcurrency);
  }

  /**
   * Lets the datasource's runs last the whole test (its default timeout is 30 s, which a run held across a slow
   * process start on a loaded machine may reach); answers its id.
   */
  String untimed(String datasourceId) {
    db.execute("update datasources set max_timeout_ms = 3600000, default_timeout_ms = 3600000 where id = '"
        + datasourceId + "'");
    return datasourceId;
  }

  String enqueue(String datasourceId, String sql) {
    return Await.result(runs.enqueue(RunRequest.adHoc(orgId, datasourceId, sql, null, null, null, null, "api",
        null))).runId();
  }

  JsonObject run(String runId) {
    return Await.result(runs.get(orgId, runId));
  }

  /** The run's events, oldest first. */
  List<JsonObject> events(String runId) {
    JsonArray events = Await.result(runs.events(orgId, runId));
    return events.stream().map(JsonObject.class::cast).toList();
  }

  JsonObject awaitEnd(String runId, Duration atMost) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      last[0] = run(runId);
      return TERMINAL.contains(last[0].getString("status"));
    });
    return last[0];
  }

  @Override
  public void close() {
    processes.forEach(JvmProcess::close);
    api.close();
  }
}
