package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every run's connection goes back to the pool clean: with one pooled connection per datasource, the next run reuses
 * the very session (same backend pid) and must find none of what the previous run set — on writable datasources,
 * where the settings were committed, as on read-only ones (where only the rollback undoes them, and advisory locks
 * survive even that).
 */
@ExtendWith(PostgresExtension.class)
class SessionResetTest {
  private static final String PROBE_ROLE = "sightline_session_reset_probe";
  private static ConnectorRuns runs;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    runs = new ConnectorRuns(db);
    db.execute("create schema app; create table app.things (id int); insert into app.things values (1), (2)");
    db.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + PROBE_ROLE + "') then "
        + "create role " + PROBE_ROLE + "; end if; end $$; grant " + PROBE_ROLE + " to current_user");
  }

  @AfterAll
  static void stop() {
    runs.close();
    db.execute("revoke " + PROBE_ROLE + " from current_user; drop role if exists " + PROBE_ROLE);
  }

  @ParameterizedTest(name = "readOnly={0}")
  @ValueSource(booleans = {false, true})
  void aSearchPathSetByARunDoesNotOutliveIt_andTheDatasourcesOwnSurvivesTheReset(boolean readOnly) {
    DatasourceSpec ds = runs.datasource(readOnly, "app, public");
    long session = runs.run(ds, "select count(*) from things").succeeded().backendId();

    assertThat(runs.run(ds, "select set_config('search_path', 'pg_catalog', false)").value()).isEqualTo("pg_catalog");

    for (int i = 0; i < 4; i++) {
      ConnectorRuns.Run next = runs.run(ds, "select count(*) from things");
      assertThat(next.value()).isEqualTo(2L);
      assertThat(next.backendId()).as("the same pooled session").isEqualTo(session);
    }
    assertThat(runs.run(ds, "select current_setting('search_path')").value()).isEqualTo("app, public");
  }

  @ParameterizedTest(name = "readOnly={0}")
  @ValueSource(booleans = {false, true})
  void aClientEncodingSetByARunDoesNotOutliveIt(boolean readOnly) {
    DatasourceSpec ds = runs.datasource(readOnly, null);
    long session = runs.run(ds, "select 1").backendId();

    assertThat(runs.run(ds, "select set_config('client_encoding', 'LATIN1', false)").value()).isEqualTo("LATIN1");
    // in the same statement the client's UTF-8 decoding meets LATIN1 bytes: whatever it makes of them, the run ends
    ConnectorRuns.Run garbled = runs.run(ds, "select set_config('client_encoding', 'LATIN1', false), 'zürich'");
    assertThat(garbled.outcome() != null || garbled.failure() != null).isTrue();

    for (int i = 0; i < 4; i++) {
      ConnectorRuns.Run next = runs.run(ds, "select 'zürich ✓ €'::text");
      assertThat(next.value()).isEqualTo("zürich ✓ €");
    }
    ConnectorRuns.Run after = runs.run(ds, "select current_setting('client_encoding')");
    assertThat(after.value()).isEqualTo("UTF8");
    if (garbled.failure() == null) {
      assertThat(after.backendId()).as("the same pooled session").isEqualTo(session);
    }
  }

  @ParameterizedTest(name = "readOnly={0}")
  @ValueSource(booleans = {false, true})
  void aWorkMemSetByARunDoesNotOutliveIt(boolean readOnly) {
    DatasourceSpec ds = runs.datasource(readOnly, null);
    Object original = runs.run(ds, "select current_setting('work_mem')").value();

    runs.run(ds, "select set_config('work_mem', '1900MB', false)").succeeded();

    ConnectorRuns.Run next = runs.run(ds, "select current_setting('work_mem')");
    assertThat(next.value()).isEqualTo(original).isNotEqualTo("1900MB");
  }

  @ParameterizedTest(name = "readOnly={0}")
  @ValueSource(booleans = {false, true})
  void aSessionAdvisoryLockIsReleasedWhenItsRunEnds(boolean readOnly) {
    DatasourceSpec ds = runs.datasource(readOnly, null);

    long session = runs.run(ds, "select pg_advisory_lock(4242)").succeeded().backendId();

    // seen from another connection, once the run has ended
    assertThat(db.scalar("select count(*) from pg_locks where locktype = 'advisory' and objid = 4242 and pid = "
        + session)).isEqualTo(0L);
    assertThat(runs.run(ds, "select pg_try_advisory_lock(4242)").value()).isEqualTo(true);
    assertThat(runs.run(ds, "select 1").backendId()).as("the same pooled session").isEqualTo(session);
  }

  @Test
  void aRoleSetByARunDoesNotOutliveIt() {
    DatasourceSpec ds = runs.datasource(false, null);
    Object user = runs.run(ds, "select current_user").value();

    runs.run(ds, "select set_config('role', '" + PROBE_ROLE + "', false)").succeeded();

    assertThat(runs.run(ds, "select current_user").value()).isEqualTo(user);
  }

  @Test
  void preparedStatementsTempTablesAndListenersDoNotOutliveTheirRun() {
    DatasourceSpec ds = runs.datasource(false, null);
    long session = runs.run(ds, "prepare leftover as select 1").succeeded().backendId();
    runs.run(ds, "create temp table leftover (id int)").succeeded();
    runs.run(ds, "listen leftover").succeeded();

    ConnectorRuns.Run next = runs.run(ds, "select (select count(*) from pg_prepared_statements where name = 'leftover')"
        + " + (select count(*) from pg_class where relname = 'leftover' and relpersistence = 't')"
        + " + (select count(*) from pg_listening_channels())");
    assertThat(next.value()).isEqualTo(0L);
    assertThat(next.backendId()).as("the same pooled session").isEqualTo(session);
  }

  /**
   * The second cancel of a run closes its connection's socket: the run ends, and the pool never lends that connection
   * out again (closing a pooled connection the usual way would only have handed it back, statement still running).
   */
  @Test
  void aConnectionClosedByASecondCancelIsNotReused() {
    DatasourceSpec ds = runs.datasource(true, null);
    CompletableFuture<ExecutionHandle> started = new CompletableFuture<>();
    Future<ConnectorRuns.Run> sleeping = runs.start(ds, "select pg_sleep(30)", h -> {
      started.complete(h);
      return Future.succeededFuture();
    });
    ExecutionHandle handle = started.join();
    await().atMost(Duration.ofSeconds(10)).until(() -> "PgSleep".equals(db.scalar(
        "select wait_event from pg_stat_activity where pid = " + handle.backendId())));

    // the first asks the server to cancel; the second, right behind it, closes the socket
    runs.connector.cancel(runs.vertx, ds, handle);
    Await.result(runs.connector.cancel(runs.vertx, ds, handle));

    ConnectorRuns.Run ended = Await.result(sleeping);
    assertThat(ended.failure()).isNotNull();
    ConnectorRuns.Run next = runs.run(ds, "select 1");
    assertThat(next.value()).isEqualTo(1L);
    assertThat(next.backendId()).isNotEqualTo(handle.backendId());
  }

  /**
   * A cancel request travels on a connection of its own and Postgres applies it whenever it arrives. The runner cancels
   * a run it was asked to cancel as a runner took it, before the statement is sent, and then does not send it; had that
   * session gone back to the pool, the next run on it — another run — could have its statement cancelled by the late
   * request (found by RunEngineTest failing a run that nobody had cancelled yet under CI load). A connection that was
   * sent a cancel is closed, never reused.
   */
  @Test
  void aConnectionThatWasSentACancelIsNotReusedByTheNextRun() {
    DatasourceSpec ds = runs.datasource(true, null);
    for (int i = 0; i < 5; i++) {
      long[] cancelledPid = {0};
      ConnectorRuns.Run cancelled = runs.run(ds, "select 1 /* cancelled before sent */", h -> {
        cancelledPid[0] = h.backendId();
        runs.connector.cancel(runs.vertx, ds, h);
        return Future.failedFuture(new ExecutionException(ExecutionException.Kind.CANCELLED, "cancelled",
            "Cancelled before the statement was sent.", 0, false));
      });
      assertThat(cancelled.failure()).isNotNull();
      // the next run, on the datasource's one pooled connection: a new session, which no late cancel can reach
      ConnectorRuns.Run next = runs.run(ds, "select pg_sleep(0.3), 7 /* next run */");
      assertThat(next.failure()).as("round " + i + ": the next run must not be cancelled").isNull();
      assertThat(next.rows().get(0)[1]).isEqualTo(7L);
      assertThat(next.backendId()).isNotEqualTo(cancelledPid[0]);
    }
  }

  /** A session that cannot be reset is not reused: its socket is closed and the pool opens a new one. */
  @Test
  void aConnectionWhoseResetFailsIsClosedNotReturned() {
    PgConnectOptions options = new PgConnectOptions().setHost(db.url().host()).setPort(db.url().port())
        .setDatabase(db.url().database()).setUser(db.url().user()).setPassword(db.url().password().value());
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(runs.vertx)
        .build();
    try {
      SqlConnection first = Await.result(pool.getConnection());
      Future<Void> firstDropped = SessionReset.watchDrop(first);
      int firstPid = PgConnection.cast(first).processId();
      Await.result(SessionReset.reset(first, "discard everything")
          .compose(v -> SessionReset.release(first, firstDropped)));

      SqlConnection second = Await.result(pool.getConnection());
      Future<Void> secondDropped = SessionReset.watchDrop(second);
      assertThat(PgConnection.cast(second).processId()).isNotEqualTo(firstPid);
      Await.result(SessionReset.reset(second, SessionReset.RESET)
          .compose(v -> SessionReset.release(second, secondDropped)));

      SqlConnection third = Await.result(pool.getConnection());
      assertThat(PgConnection.cast(third).processId()).as("a reset connection is reused")
          .isEqualTo(PgConnection.cast(second).processId());
      Await.result(third.close());
      // the server session ends once it reads the closed socket
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(db.scalar("select count(*) from pg_stat_activity where pid = " + firstPid)).isEqualTo(0L));
    } finally {
      Await.result(pool.close());
    }
  }
}
