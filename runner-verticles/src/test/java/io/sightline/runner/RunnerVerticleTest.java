package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.testkit.Await;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class RunnerVerticleTest {
  private static Node node;

  @BeforeAll
  static void start(TestDatabase db) {
    node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-test-1")), NodeRole.RUNNER, false);
    RunnerMain.deploy(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void answersRunnerPingsWithItsIdAndConnectors() {
    JsonObject reply = Await.result(node.vertx().eventBus().<JsonObject>request(Addresses.RUNNERS_PING,
        new JsonObject())).body();
    assertThat(reply.getString("runnerId")).isEqualTo("runner-test-1");
    assertThat(reply.getJsonArray("connectors").getList()).contains("postgres", "generated");
    assertThat(reply.getInteger("concurrency")).isEqualTo(8);
  }

  @Test
  void logsTheProcesssRealTotalOfConcurrentRunsOnce(TestDatabase db) {
    // 5 runs over min(cores, 5) event loops: the shares add up to 5 (not 5 / 2 = 2 per loop), said once
    Node other = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-test-2",
        "SIGHTLINE_RUNNER_CONCURRENCY", "5")), NodeRole.RUNNER, false);
    try (CapturedLogs logs = new CapturedLogs()) {
      RunnerMain.deploy(other);
      int loops = Math.min(Runtime.getRuntime().availableProcessors(), 5);
      assertThat(logs.lines().stream().filter(l -> l.contains("concurrent runs")).toList()).singleElement()
          .asString().startsWith("io.sightline.runner.RunnerMain runner runner-test-2 ready: connectors [generated, ")
          .endsWith("], up to 5 concurrent runs (" + loops + " event loops)");
    } finally {
      other.close();
    }
  }

  @Test
  void warmsTheRunPathUpInTheBackgroundAndLeavesNothingBehind(TestDatabase db) throws Exception {
    long runs = (Long) db.scalar("select count(*) from runs");
    long results = (Long) db.scalar("select count(*) from results");
    String datasourceSessions = "select count(*) from pg_stat_activity where application_name like 'sightline-run%'";
    long sessions = (Long) db.scalar(datasourceSessions);
    Node other = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", "runner-test-3",
        "SIGHTLINE_RUNNER_WARMUP_ROWS", "40000")), NodeRole.RUNNER, false);
    try (CapturedLogs logs = new CapturedLogs()) {
      RunnerMain.deploy(other);
      int deployed = other.vertx().deploymentIDs().size();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (logs.lines().stream().noneMatch(l -> l.contains("runner warm-up"))) {
        assertThat(System.nanoTime()).as("the warm-up ends within a minute").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(logs.lines().stream().filter(l -> l.contains("runner warm-up")).toList()).singleElement().asString()
          .contains("runner warm-up: 40000 rows in " + RunnerWarmup.PASSES + " passes through the run path in ");
      // it undeploys itself and closes its connection: no session, no run, no result is left
      long until = System.nanoTime() + 10_000_000_000L;
      while (other.vertx().deploymentIDs().size() != deployed - 1
          || (Long) db.scalar(datasourceSessions) != sessions) {
        assertThat(System.nanoTime()).as("the warm-up's verticle and session are gone").isLessThan(until);
        Thread.sleep(50);
      }
      assertThat(db.scalar("select count(*) from runs")).isEqualTo(runs);
      // the generated values stay in range up to the most rows the setting allows
      assertThat(db.scalar("select count(*) from (" + RunnerWarmup.SQL.replace("$1", "99999990")
          .replace("$2", "100000000") + ") w")).isEqualTo(11L);
      assertThat(db.scalar("select count(*) from results")).isEqualTo(results);
    } finally {
      other.close();
    }
  }

  @Test
  void theWarmUpGivesWayToRealRunsWithoutHoldingATransactionOpen(TestDatabase db) throws Exception {
    // A run starts while the warm-up streams: it waits until the run ends, between two of its queries. A transaction
    // left open while it waited held the metadata database's oldest snapshot, and with it every dead row version of
    // the run queue, for as long as runs kept coming.
    io.sightline.shared.config.SightlineConfig config = TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_WARMUP_ROWS",
        "400000"));
    String warmupSessions = "select count(*) from pg_stat_activity where application_name like 'sightline-run%'"
        + " and state <> 'idle'";
    RunnerMetrics metrics = RunnerMetrics.of(node.vertx());
    int deployed = node.vertx().deploymentIDs().size();
    try (CapturedLogs logs = new CapturedLogs()) {
      Await.result(node.vertx().deployVerticle(new RunnerWarmup(config, 0, 2_000)));
      long until = System.nanoTime() + 30_000_000_000L;
      while ((Long) db.scalar(warmupSessions) == 0) {
        assertThat(System.nanoTime()).as("the warm-up queries its database").isLessThan(until);
        Thread.sleep(5);
      }
      metrics.runStarted("a-datasource", 0);
      boolean ended = false;
      try {
        Thread.sleep(500); // the query under way ends (2,000 rows: milliseconds)
        for (int i = 0; i < 20; i++) {
          assertThat(db.scalar("select count(*) from pg_stat_activity where application_name like 'sightline-run%'"
              + " and (state <> 'idle' or backend_xmin is not null)"))
              .as("while a run executes, the warm-up waits with no query or transaction open").isEqualTo(0L);
          Thread.sleep(50);
        }
        assertThat(logs.lines().stream().filter(l -> l.contains("runner warm-up"))).as("it has not finished").isEmpty();
        metrics.runEnded("a-datasource", null, null, 0, 0, 0);
        ended = true;
      } finally {
        if (!ended) {
          metrics.runEnded("a-datasource", null, null, 0, 0, 0);
        }
      }
      while (logs.lines().stream().noneMatch(l -> l.contains("runner warm-up"))
          || node.vertx().deploymentIDs().size() != deployed) {
        assertThat(System.nanoTime()).as("once the run ended, the warm-up finishes").isLessThan(until);
        Thread.sleep(50);
      }
      assertThat(logs.lines().stream().filter(l -> l.contains("runner warm-up")).toList()).singleElement().asString()
          .contains("runner warm-up: 400000 rows in " + RunnerWarmup.PASSES + " passes");
    }
  }

  @Test
  void aWarmUpThatCannotReachItsDatabaseSaysSoAndGoesAway(TestDatabase db) throws Exception {
    // the database went away (restarting, or a wrong address): a warning, nothing else, and the verticle is gone
    String unreachable = "postgres://postgres@127.0.0.1:" + io.sightline.testkit.FreePorts.next() + "/sightline";
    io.sightline.shared.config.SightlineConfig config = TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_WARMUP_ROWS",
        "1000", "SIGHTLINE_DATABASE_URL", unreachable));
    int deployed = node.vertx().deploymentIDs().size();
    try (CapturedLogs logs = new CapturedLogs()) {
      Await.result(node.vertx().deployVerticle(new RunnerWarmup(config, 0, RunnerWarmup.SEGMENT_ROWS)));
      long until = System.nanoTime() + 30_000_000_000L;
      while (logs.lines().stream().noneMatch(l -> l.contains("runner warm-up skipped"))
          || node.vertx().deploymentIDs().size() != deployed) {
        assertThat(System.nanoTime()).as("the warm-up gives up and undeploys").isLessThan(until);
        Thread.sleep(50);
      }
      assertThat(logs.lines().stream().filter(l -> l.contains("runner warm-up")).toList()).singleElement().asString()
          .startsWith("io.sightline.runner.RunnerWarmup runner warm-up skipped after ");
    }
  }
}
