package io.sightline.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.TestDatabase;
import io.sightline.testkit.TestPostgres;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V4 gives every run recorded before it one request, attributed as the run was (requester, query, version, trigger,
 * values), and a cancelled run's request withdrawn by whoever its cancel_requested event names.
 */
class RunRequestsBackfillTest {
  private static final String ORG = "aaaaaaaa-0000-0000-0000-00000000000a";
  private static final String USER = "11111111-0000-0000-0000-000000000001";
  private static final String DS = "dddddddd-0000-0000-0000-000000000001";
  private static final String DONE = "eeeeeeee-0000-0000-0000-000000000001";
  private static final String CANCELLED = "eeeeeeee-0000-0000-0000-000000000002";

  @Test
  void everyExistingRunGetsOneRequestAsItWasRecorded() {
    try (TestDatabase db = TestPostgres.get().createEmptyDatabase("backfill")) {
      Flyway.configure().dataSource(db.url().jdbcUrl(), db.url().user(), db.url().password().value())
          .locations(Migrations.LOCATION).table(Migrations.HISTORY_TABLE).target("3").load().migrate();
      db.execute("insert into orgs (id, name, slug) values ('" + ORG + "', 'Org', 'org');"
          + "insert into users (id, email) values ('" + USER + "', 'ann@example.com');"
          + "insert into datasources (id, org_id, name) values ('" + DS + "', '" + ORG + "', 'DS');"
          + "insert into runs (id, org_id, datasource_id, sql, params, options, fingerprint, trigger, requested_by,"
          + " status, finished_at, created_at) values"
          + " ('" + DONE + "', '" + ORG + "', '" + DS + "', 'select 1', '{\"n\": 1}', '{}', 'f1', 'api', '" + USER
          + "', 'succeeded', now(), '2026-01-01T00:00:00Z'),"
          + " ('" + CANCELLED + "', '" + ORG + "', '" + DS + "', 'select 2', '{}', '{}', 'f2', 'manual', '" + USER
          + "', 'cancelled', now(), '2026-01-02T00:00:00Z');"
          + "update runs set cancel_requested_at = '2026-01-02T00:00:05Z' where id = '" + CANCELLED + "';"
          + "insert into run_events (run_id, org_id, kind, detail) values ('" + CANCELLED + "', '" + ORG
          + "', 'cancel_requested', '{\"by\": \"" + USER + "\"}')");

      Migrations.migrate(db.url());

      List<Map<String, Object>> requests = db.query("select run_id::text, trigger, requested_by::text,"
          + " params::text, created_at = (select created_at from runs where id = run_id) as same_time,"
          + " withdrawn_at is not null as withdrawn, withdrawn_by::text from run_requests order by created_at");
      assertThat(requests).hasSize(2);
      assertThat(requests.get(0)).containsEntry("run_id", DONE).containsEntry("trigger", "api")
          .containsEntry("requested_by", USER).containsEntry("params", "{\"n\": 1}")
          .containsEntry("same_time", true).containsEntry("withdrawn", false);
      assertThat(requests.get(1)).containsEntry("run_id", CANCELLED).containsEntry("withdrawn", true)
          .containsEntry("withdrawn_by", USER);
      assertThat(db.scalar("select cancel_requested_by::text from runs where id = '" + CANCELLED + "'"))
          .isEqualTo(USER);
    }
  }
}
