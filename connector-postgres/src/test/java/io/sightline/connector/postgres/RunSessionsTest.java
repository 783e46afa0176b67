package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.testkit.Await;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connector#endSessions on Postgres, as the node that recovers a killed runner's run calls it: the run's sessions, found
 * by their application_name, are cancelled and, when still there after the grace period, terminated; other sessions
 * are left alone.
 */
@ExtendWith(PostgresExtension.class)
class RunSessionsTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static DatasourceSpec spec(TestDatabase db, int port) {
    return new DatasourceSpec(UUID.randomUUID().toString(), "postgres", "127.0.0.1", port, db.name(), db.url().user(),
        db.url().password(), "disable", "", true, 2);
  }

  private static Connection session(TestDatabase db, String applicationName) throws SQLException {
    Connection c = db.connect();
    try (var st = c.createStatement()) {
      st.execute("set application_name = '" + applicationName + "'");
    }
    return c;
  }

  private static long sessions(TestDatabase db, String applicationName) {
    return (Long) db.scalar("select count(*) from pg_stat_activity where application_name = '" + applicationName
        + "'");
  }

  @Test
  void cancelsThenTerminatesTheRunsSessionsAndLeavesOthersAlone(TestDatabase db) throws Exception {
    String runId = UUID.randomUUID().toString();
    String tag = "sightline-run-" + runId;
    try (Connection running = session(db, tag); Connection idle = session(db, tag);
        Connection unrelated = session(db, "sightline-run-" + UUID.randomUUID())) {
      // a statement still running for a runner that is gone, and a session that a cancel alone does not end
      CompletableFuture<Throwable> sleep = CompletableFuture.supplyAsync(() -> {
        try (var st = running.createStatement()) {
          st.execute("select pg_sleep(60)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> db.scalar("select count(*) from pg_stat_activity"
          + " where application_name = '" + tag + "' and state = 'active'").equals(1L));

      long started = System.nanoTime();
      int left = Await.result(new PostgresConnector().endSessions(vertx, spec(db, db.url().port()), runId, 0, 500));
      assertThat(left).isZero();
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5000);
      assertThat(sessions(db, tag)).isZero();
      assertThat(sleep.get().getMessage()).containsAnyOf("canceling statement", "terminating connection");
      assertThat(unrelated.isValid(2)).as("another run's session is left alone").isTrue();
      assertThat(idle.isValid(2)).isFalse();
    }
  }

  @Test
  void answersZeroWhenTheRunLeftNoSession(TestDatabase db) {
    assertThat(Await.result(new PostgresConnector().endSessions(vertx, spec(db, db.url().port()),
        UUID.randomUUID().toString(), 4242, 500))).isZero();
  }

  @Test
  void failsWhenTheDatasourceCannotBeReached(TestDatabase db) {
    assertThatThrownBy(() -> Await.result(new PostgresConnector().endSessions(vertx, spec(db, FreePorts.next()),
        UUID.randomUUID().toString(), 0, 500))).hasMessageContaining("refused");
  }
}
