package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException.Kind;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statements without a result (no row description) end as a result of zero columns with their command's row count;
 * failures are classified so that only a real connection loss is {@link Kind#CONNECTION}, no Java message reaches the
 * user, and each failure says whether the statement may have reached the server (a run that did must never be retried).
 */
@ExtendWith(PostgresExtension.class)
class CommandStatementsTest {
  private static ConnectorRuns runs;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    runs = new ConnectorRuns(db);
    db.execute("create table t (a int)");
  }

  @BeforeEach
  void emptyTable() {
    db.execute("truncate t");
  }

  @AfterAll
  static void stop() {
    runs.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"set transaction read write", "commit", "rollback", "begin", "lock table t", "notify x",
      "listen x", "unlisten *", "set local work_mem = '8MB'", "savepoint s", "insert into t values (100)"})
  void aStatementWithoutResultOnAReadOnlyDatasourceEndsCleanly(String sql) {
    assertEndsCleanly(runs.datasource(true, null), sql);
    assertThat(db.scalar("select count(*) from t")).isEqualTo(0L);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"set transaction read write", "commit", "lock table t", "notify x", "listen x",
      "create temp table tt (a int)", "update t set a = 1", "delete from t", "analyze t"})
  void aStatementWithoutResultOnAWritableDatasourceEndsCleanly(String sql) {
    assertEndsCleanly(runs.datasource(false, null), sql);
  }

  @Test
  void anInsertWithoutReturningInsertsOneRowAndReportsIt() {
    DatasourceSpec ds = runs.datasource(false, null);

    ConnectorRuns.Run run = runs.run(ds, "insert into t values (100)").succeeded();

    assertThat(run.outcome()).isEqualTo(ExecutionOutcome.command(1));
    assertThat(run.columns()).isEmpty();
    assertThat(run.rows()).isEmpty();
    assertThat(db.scalar("select count(*) from t where a = 100")).isEqualTo(1L);
  }

  @Test
  void updatesAndDeletesReportTheRowsTheyChanged() {
    DatasourceSpec ds = runs.datasource(false, null);
    db.execute("insert into t values (1), (2), (3)");

    assertThat(runs.run(ds, "update t set a = a + 10 where a < 3").succeeded().outcome().affectedRows()).isEqualTo(2);
    assertThat(runs.run(ds, "/* keep */ with gone as (delete from t returning a) insert into t select a from gone")
        .succeeded().outcome().affectedRows()).isEqualTo(3);
    assertThat(runs.run(ds, "delete from t").succeeded().outcome().affectedRows()).isEqualTo(3);
    assertThat(runs.run(ds, "-- copy\n(select 5 into temp five)").succeeded().outcome().affectedRows()).isEqualTo(1);
    // commands whose tag holds no count ("CREATE TABLE", "LOCK TABLE"): the client would read garbage from the tag
    assertThat(runs.run(ds, "create temp table tt (a int)").succeeded().outcome().affectedRows()).isZero();
    assertThat(runs.run(ds, "lock table t").succeeded().outcome().affectedRows()).isZero();
  }

  @Test
  void aStatementWithAResultIsNoCommand() {
    DatasourceSpec ds = runs.datasource(false, null);

    ConnectorRuns.Run returning = runs.run(ds, "insert into t values (7) returning a").succeeded();
    assertThat(returning.outcome().isCommand()).isFalse();
    assertThat(returning.rows()).hasSize(1);
    ConnectorRuns.Run empty = runs.run(ds, "select a from t where false").succeeded();
    assertThat(empty.outcome()).isEqualTo(new ExecutionOutcome(0, false));
    assertThat(empty.columns()).hasSize(1);
  }

  @Test
  void aSqlErrorIsTheServersErrorAfterTheStatementWasSent() {
    ConnectorRuns.Run run = runs.run(runs.datasource(true, null), "select * from no_such_table");

    assertThat(run.failure().kind()).isEqualTo(Kind.ERROR);
    assertThat(run.failure().code()).isEqualTo("42P01");
    assertThat(run.failure().position()).isEqualTo(15);
    assertThat(run.failure().statementSent()).isTrue();
  }

  @Test
  void anUnreachableDatasourceIsAConnectionFailureBeforeAnyStatementWasSent() {
    DatasourceSpec reachable = runs.datasource(true, null);
    DatasourceSpec nothingListens = new DatasourceSpec(reachable.id(), reachable.kind(), "127.0.0.1", FreePorts.next(),
        reachable.database(), reachable.user(), reachable.password(), "disable", null, true, 1);

    ConnectorRuns.Run run = runs.run(nothingListens, "select 1");

    assertThat(run.failure().kind()).isEqualTo(Kind.CONNECTION);
    assertThat(run.failure().code()).isEqualTo("connection_refused");
    assertThat(run.failure().statementSent()).isFalse();
  }

  @Test
  void aSessionTheServerEndsIsALostConnection_andTheNextRunGetsANewOne() {
    DatasourceSpec ds = runs.datasource(true, null);
    long first = runs.run(ds, "select 1").backendId();

    ConnectorRuns.Run run = runs.run(ds, "select pg_terminate_backend(pg_backend_pid())");

    assertThat(run.failure().kind()).isEqualTo(Kind.CONNECTION);
    assertThat(run.failure().statementSent()).isTrue();
    ConnectorRuns.Run next = runs.run(ds, "select 1");
    assertThat(next.value()).isEqualTo(1L);
    assertThat(next.backendId()).isNotEqualTo(first);
  }

  @Test
  void anUnexpectedFailureInTheConnectorIsAnInternalErrorWithoutItsJavaMessage() {
    DatasourceSpec ds = runs.datasource(true, null);

    ConnectorRuns.Run run = runs.run(ds, "select 1", handle -> {
      throw new NullPointerException("Cannot invoke \"java.util.List.size()\" because \"descriptors\" is null");
    });

    assertThat(run.failure().kind()).isEqualTo(Kind.ERROR);
    assertThat(run.failure().code()).isEqualTo("internal");
    assertThat(run.failure().getMessage()).doesNotContain("java", "null", "descriptors");
    assertThat(run.failure().statementSent()).isFalse();
    assertThat(runs.run(ds, "select 1").value()).as("the connection went back to the pool").isEqualTo(1L);
  }

  @Test
  void aValueTheClientCannotReadIsAnErrorNotALostConnection() {
    DatasourceSpec ds = runs.datasource(true, null);

    ConnectorRuns.Run run = runs.run(ds, "select 'Infinity'::numeric");

    assertThat(run.failure().kind()).isEqualTo(Kind.ERROR);
    assertThat(run.failure().code()).isEqualTo("unreadable_value");
    assertThat(run.failure().statementSent()).isTrue();
    assertThat(runs.run(ds, "select 1").value()).isEqualTo(1L);
  }

  /** A result of zero columns and the command's count, or the server's own refusal: never a crash or lost connection. */
  private static void assertEndsCleanly(DatasourceSpec ds, String sql) {
    ConnectorRuns.Run run = runs.run(ds, sql);
    if (run.failure() != null) {
      assertThat(run.failure().kind()).as(sql + ": " + run.failure().getMessage()).isEqualTo(Kind.ERROR);
      assertThat(run.failure().code()).as(sql).matches("[0-9A-Z]{5}");
      assertThat(run.failure().statementSent()).isTrue();
    } else {
      assertThat(run.outcome().isCommand()).as(sql).isTrue();
      assertThat(run.outcome().affectedRows()).as(sql).isGreaterThanOrEqualTo(0);
      assertThat(run.columns()).as(sql).isEmpty();
      assertThat(run.rows()).as(sql).isEmpty();
    }
    assertThat(runs.run(ds, "select 1").value()).as("the next run, after " + sql).isEqualTo(1L);
  }
}
