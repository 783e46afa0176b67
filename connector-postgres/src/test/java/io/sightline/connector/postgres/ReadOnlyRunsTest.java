package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A read-only run never commits: some functions write even inside {@code BEGIN READ ONLY} — large objects up to
 * Postgres 16 ({@code lo_create}, {@code lo_from_bytea}; 17 refuses them), notifications in every version — and only
 * the rollback that ends every read-only run keeps them from taking effect. Writable datasources still commit.
 */
@ExtendWith(PostgresExtension.class)
class ReadOnlyRunsTest {
  private static final String LO_FROM_BYTEA = "select lo_from_bytea(0, convert_to('x', 'UTF8'))";
  private static final String LO_CREATE = "select lo_create(0)";
  private static final String LARGE_OBJECTS = "select count(*) from pg_largeobject_metadata";

  private static ConnectorRuns runs;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) {
    db = database;
    runs = new ConnectorRuns(db);
  }

  @AfterAll
  static void stop() {
    runs.close();
  }

  @Test
  void largeObjectsCreatedByAReadOnlyRunAreRolledBack() {
    DatasourceSpec ds = runs.datasource(true, null);
    long before = largeObjects();

    for (String sql : List.of(LO_FROM_BYTEA, LO_CREATE)) {
      ConnectorRuns.Run run = runs.run(ds, sql);
      if (run.failure() != null) {
        // Postgres 17+: refused outright
        assertThat(run.failure().code()).as(sql).isEqualTo("25006");
      }
    }

    assertThat(largeObjects()).isEqualTo(before);
  }

  @Test
  void aNotificationSentByAReadOnlyRunIsNeverDelivered() throws SQLException {
    DatasourceSpec ds = runs.datasource(true, null);
    try (Connection listener = db.connect(); Statement st = listener.createStatement()) {
      st.execute("listen read_only_probe");

      runs.run(ds, "select pg_notify('read_only_probe', 'from a read-only run')").succeeded();
      // notifications arrive in commit order: once this one is in, the read-only run's would have been too
      db.execute("select pg_notify('read_only_probe', 'sentinel')");

      List<String> received = new ArrayList<>();
      while (!received.contains("sentinel")) {
        PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(10_000);
        assertThat(batch).as("notifications within 10 s").isNotEmpty();
        Arrays.stream(batch).map(PGNotification::getParameter).forEach(received::add);
      }
      assertThat(received).containsExactly("sentinel");
    }
  }

  @Test
  void aWritableDatasourceCommitsWhatItsRunsWrite() {
    DatasourceSpec ds = runs.datasource(false, null);
    long before = largeObjects();

    runs.run(ds, LO_FROM_BYTEA).succeeded();
    runs.run(ds, LO_CREATE).succeeded();

    assertThat(largeObjects()).isEqualTo(before + 2);
  }

  private static long largeObjects() {
    return ((Number) db.scalar(LARGE_OBJECTS)).longValue();
  }
}
