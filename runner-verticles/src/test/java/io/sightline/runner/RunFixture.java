package io.sightline.runner;

import static org.awaitility.Awaitility.await;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.testkit.Await;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A runner node over a test database with an org and datasources pointing back at the test Postgres (as its
 * superuser, so tests can watch pg_stat_activity), and a RunService to enqueue as the api would.
 */
final class RunFixture implements AutoCloseable {
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");

  final TestDatabase db;
  final Node node;
  final RunService runs;
  final String orgId = UUID.randomUUID().toString();

  private RunFixture(TestDatabase db, Node node) {
    this.db = db;
    this.node = node;
    this.runs = new RunService(node.vertx(), node.pool(), node.config().runs());
    db.execute("insert into orgs (id, name, slug) values ('" + orgId + "', 'Ops', 'ops-" + orgId.substring(0, 8)
        + "')");
  }

  /** A node with {@code runnerInstances} runner verticles (0: none, enqueue only). */
  static RunFixture start(TestDatabase db, int runnerInstances, Map<String, String> overrides) {
    Node node = Node.start(TestConfigs.config(db, overrides), NodeRole.RUNNER, false);
    if (runnerInstances > 0) {
      Await.result(node.vertx().deployVerticle(() -> new RunnerVerticle(node.config(), node.pool(), node.secrets()),
          new DeploymentOptions().setInstances(runnerInstances)));
    }
    return new RunFixture(db, node);
  }

  /** A Postgres datasource on the test database itself. */
  String postgresDatasource(String name, int maxConcurrency) {
    return db.selfDatasource(orgId, name, maxConcurrency);
  }

  String generatedDatasource(String name) {
    return testConnectorDatasource(name, GeneratedRowsConnector.KIND);
  }

  /** A datasource served by {@link ScriptedConnector}. */
  String scriptedDatasource(String name) {
    return testConnectorDatasource(name, ScriptedConnector.KIND);
  }

  private String testConnectorDatasource(String name, String kind) {
    String id = UUID.randomUUID().toString();
    db.execute("insert into datasources (id, org_id, name, kind, options) values ('" + id + "', '" + orgId + "', '"
        + name + "', '" + kind + "', '{\"host\":\"" + kind
        + "\",\"port\":1,\"database\":\"none\",\"user\":\"none\"}')");
    return id;
  }

  RunService.Enqueued enqueue(String datasourceId, String sql) {
    return enqueue(datasourceId, sql, null, null, null);
  }

  RunService.Enqueued enqueue(String datasourceId, String sql, Long timeoutMs, Long maxRows, Long maxBytes) {
    return Await.result(runs.enqueue(RunRequest.adHoc(orgId, datasourceId, sql, timeoutMs, maxRows, maxBytes, null,
        "api", null)));
  }

  JsonObject run(String runId) {
    return Await.result(runs.get(orgId, runId));
  }

  /** Waits for the run to end and answers it. */
  JsonObject awaitEnd(String runId, Duration atMost) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
      last[0] = run(runId);
      return TERMINAL.contains(last[0].getString("status"));
    });
    return last[0];
  }

  JsonObject awaitStatus(String runId, String status, Duration atMost) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
      last[0] = run(runId);
      return status.equals(last[0].getString("status"));
    });
    return last[0];
  }

  /**
   * The reaper's two steps as a node does them, for runs that have no datasource session to end: takes over every run
   * whose lease expired, then ends each. Answers the new statuses by run id.
   */
  static java.util.Map<String, String> reapLost(io.sightline.shared.runs.RunQueue queue) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (var lost : Await.result(queue.takeOverLost("reaper:test", 30, 200))) {
      out.put(lost.runId(), Await.result(queue.endLost(lost)));
    }
    Await.result(queue.reapQueueTimeouts());
    return out;
  }

  /** The run's events: kind and detail, oldest first. */
  java.util.List<JsonObject> events(String runId) {
    return Await.result(runs.events(orgId, runId)).stream().map(JsonObject.class::cast).toList();
  }

  /** Sessions of runs currently open on the test Postgres. */
  long runSessions() {
    return db.runSessions();
  }

  long sessionsOf(String runId) {
    return db.sessionsOf(runId);
  }

  @Override
  public void close() {
    node.close();
  }
}
