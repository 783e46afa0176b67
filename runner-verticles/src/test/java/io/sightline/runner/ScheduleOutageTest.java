package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.boot.Node;
import io.sightline.shared.boot.NodeRole;
import io.sightline.shared.bus.Addresses;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import io.sightline.testkit.Await;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata Postgres stopped while schedules are firing and started again: two runner nodes over a Postgres of
 * this test's own (fixed port, durable data directory), a clock the test moves. Transactions cut by the shutdown roll
 * back whole and are fired again once the database is back; a commit that landed is not fired twice; the outage is
 * not recorded against any schedule. Every slot leaves exactly one firing.
 */
class ScheduleOutageTest {
  private static final int SCHEDULES = 60;
  private static final Instant T0 = Instant.parse("2030-01-07T12:00:00Z");

  @Test
  void aDatabaseRestartMidFiringNeitherDoublesNorLosesASlot(@TempDir Path home) throws Exception {
    int port = FreePorts.next();
    Path data = home.resolve("pgdata");
    EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(data, port);
    DatabaseUrl url = postgres.ensureDatabase("sightline");
    TestDatabase db = new TestDatabase("sightline", url, null);
    ScheduleFiringTest.TestClock clock = new ScheduleFiringTest.TestClock();
    clock.now.set(T0.minusSeconds(30));
    Node a = null;
    Node b = null;
    try (CapturedLogs logs = new CapturedLogs()) {
      a = runnerNode(db, clock, "outage-a");
      b = runnerNode(db, clock, "outage-b");
      String org = UUID.randomUUID().toString();
      db.execute("insert into orgs (id, name, slug) values ('" + org + "', 'Ops', 'ops')");
      String generated = UUID.randomUUID().toString();
      db.execute("insert into datasources (id, org_id, name, kind, options, max_concurrency) values ('" + generated
          + "', '" + org + "', 'gen', 'generated', '{\"host\":\"g\",\"port\":1,\"database\":\"n\",\"user\":\"n\"}',"
          + " 50)");
      for (int i = 0; i < SCHEDULES; i++) {
        String q = UUID.randomUUID().toString();
        db.execute("insert into queries (id, org_id, datasource_id, name, sql) values ('" + q + "', '" + org + "', '"
            + generated + "', 'q" + i + "', 'rows:" + (i + 1) + "')");
        db.execute("insert into schedules (org_id, query_id, name, kind, every_seconds, timezone, next_run_at)"
            + " values ('" + org + "', '" + q + "', 's" + i + "', 'interval', 60, 'UTC', '" + T0 + "')");
      }

      // the slot comes; the database goes away as soon as the first firings committed, while the rest are firing
      move(clock, T0, a, b);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
          .until(() -> count(db, "select count(*) from schedule_firings") > 0);
      postgres.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream()
          .anyMatch(l -> l.contains("schedule scan failed")));
      await("port " + port + " free again").atMost(Duration.ofSeconds(10)).until(() -> bindable(port));
      postgres = EmbeddedDatabase.startDurable(data, port);

      // back: every schedule's slot fired exactly once, none doubled by a retried transaction, none lost
      awaitFirings(db, SCHEDULES);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> count(db, "select count(*) from runs where status in ('queued', 'running')") == 0);
      // and the next slot fires as usual
      move(clock, T0.plusSeconds(60), a, b);
      awaitFirings(db, 2L * SCHEDULES);

      String firings = "firings: " + db.query("select schedule_id, slot_at, outcome, error from schedule_firings"
          + " order by schedule_id, slot_at");
      assertThat(count(db, "select count(*) from (select schedule_id from schedule_firings group by schedule_id"
          + " having array_agg(slot_at order by slot_at) = array['" + T0 + "'::timestamptz, '" + T0.plusSeconds(60)
          + "'::timestamptz]) ok")).as(firings).isEqualTo(SCHEDULES);
      assertThat(count(db, "select count(*) from schedule_firings where slot_at = '" + T0 + "' and outcome ="
          + " 'enqueued'")).as(firings).isEqualTo(SCHEDULES);
      // one run per enqueued firing; the outage is nobody's failure
      assertThat(count(db, "select count(*) from schedule_firings where outcome = 'enqueued' and"
          + " cardinality(run_ids) <> 1")).isZero();
      assertThat(count(db, "select count(*) from runs where trigger = 'schedule'")).isEqualTo(count(db,
          "select count(*) from schedule_firings where outcome = 'enqueued'"));
      assertThat(count(db, "select count(*) from schedule_firings where outcome = 'failed_to_enqueue'")).isZero();
      assertThat(count(db, "select count(*) from schedules where last_error like 'could not fire%' or broken_reason"
          + " is not null or not enabled")).isZero();
      assertThat(count(db, "select count(*) from schedules where next_run_at = '" + T0.plusSeconds(120) + "'"))
          .isEqualTo(SCHEDULES);
      assertThat(logs.lines()).as("the outage is not taken for a schedule's own failure")
          .noneMatch(l -> l.contains("could not fire"));
    } finally {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      postgres.close();
    }
  }

  @Test
  void theDatabaseGoingAwayIsRetriedNotRecordedAgainstTheSchedule() {
    assertThat(ScheduleFirer.retryable(new java.net.SocketException("Connection reset"))).isTrue();
    assertThat(ScheduleFirer.retryable(new RuntimeException(new java.net.ConnectException("refused")))).isTrue();
    assertThat(ScheduleFirer.retryable(new PgException("terminating connection due to administrator command",
        "FATAL", "57P01", null))).isTrue();
    assertThat(ScheduleFirer.retryable(new PgException("deadlock detected", "ERROR", "40P01", null))).isTrue();
    assertThat(ScheduleFirer.retryable(new PgException("refused by a trigger", "ERROR", "P0001", null))).isFalse();
    assertThat(ScheduleFirer.retryable(new PgException("value too long", "ERROR", "22001", null))).isFalse();
    assertThat(ScheduleFirer.retryable(new IllegalStateException("a bug"))).isFalse();
  }

  private static Node runnerNode(TestDatabase db, ScheduleFiringTest.TestClock clock, String id) {
    Node node = Node.start(TestConfigs.config(db, Map.of("SIGHTLINE_RUNNER_ID", id,
        "SIGHTLINE_DATABASE_CONNECT_TIMEOUT", "2")), NodeRole.RUNNER, false);
    Await.result(node.vertx().deployVerticle(new RunnerVerticle(node.config(), node.pool(), node.secrets(), 8,
        clock)));
    return node;
  }

  private static void move(ScheduleFiringTest.TestClock clock, Instant t, Node... nodes) {
    clock.now.set(t);
    for (Node n : nodes) {
      n.vertx().eventBus().publish(Addresses.SCHEDULES_CHANGED, new JsonObject());
    }
  }

  private static void awaitFirings(TestDatabase db, long expected) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> count(db, "select count(*) from schedule_firings") == expected);
  }

  private static long count(TestDatabase db, String sql) {
    return RunnerProcesses.count(db, sql);
  }

  private static boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
