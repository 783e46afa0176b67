package io.sightline.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.testkit.TestDatabase;
import io.sightline.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * V12 dropped the org_id foreign keys of a run's events, requests, result and result chunks (each checked and locked
 * the org's row on every insert). What they guarded still holds through the composite keys to the parent: such a row
 * cannot name another org than its run's (or its result's), and deleting an org still deletes them all.
 */
class RunChildrenOrgTest {
  private static final String ORG = "aaaaaaaa-0000-0000-0000-00000000000a";
  private static final String OTHER = "bbbbbbbb-0000-0000-0000-00000000000b";
  private static final String RUN = "eeeeeeee-0000-0000-0000-000000000001";
  private static final String OTHER_RUN = "eeeeeeee-0000-0000-0000-000000000002";
  private static final String BARE_RUN = "eeeeeeee-0000-0000-0000-000000000003";
  private static final String RESULT = "cccccccc-0000-0000-0000-000000000001";
  private static final String OTHER_RESULT = "cccccccc-0000-0000-0000-000000000002";

  private static String runOf(String runId, String org, String ds, String result) {
    return "insert into runs (id, org_id, datasource_id, sql, options, fingerprint, trigger, status) values ('" + runId
        + "', '" + org + "', '" + ds + "', 'select 1', '{}', 'f-" + runId + "', 'api', 'queued');"
        + "insert into run_events (run_id, org_id, kind) values ('" + runId + "', '" + org + "', 'queued');"
        + "insert into run_requests (org_id, run_id, trigger) values ('" + org + "', '" + runId + "', 'api');"
        + "insert into results (id, org_id, run_id, storage, columns, expires_at) values ('" + result + "', '" + org
        + "', '" + runId + "', 'postgres', '[]', now() + interval '1 day');"
        + "insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count, data) values ('" + result
        + "', 0, '" + org + "', 0, 1, '\\x00');";
  }

  @Test
  void aRunsEventsRequestsAndResultBelongToItsOrgAndGoWithIt() {
    try (TestDatabase db = TestPostgres.get().createEmptyDatabase("runchildren")) {
      Migrations.migrate(db.url());
      db.execute("insert into orgs (id, name, slug) values ('" + ORG + "', 'Org', 'org'), ('" + OTHER
          + "', 'Other', 'other');"
          + "insert into datasources (id, org_id, name) values ('dddddddd-0000-0000-0000-000000000001', '" + ORG
          + "', 'DS'), ('dddddddd-0000-0000-0000-000000000002', '" + OTHER + "', 'DS');"
          + runOf(RUN, ORG, "dddddddd-0000-0000-0000-000000000001", RESULT)
          + runOf(OTHER_RUN, OTHER, "dddddddd-0000-0000-0000-000000000002", OTHER_RESULT)
          + "insert into runs (id, org_id, datasource_id, sql, options, fingerprint, trigger) values ('" + BARE_RUN
          + "', '" + ORG + "', 'dddddddd-0000-0000-0000-000000000001', 'select 2', '{}', 'f-bare', 'api');");

      for (String wrongOrg : new String[] {
          "insert into run_events (run_id, org_id, kind) values ('" + RUN + "', '" + OTHER + "', 'queued')",
          "insert into run_requests (org_id, run_id, trigger) values ('" + OTHER + "', '" + RUN + "', 'api')",
          "insert into results (org_id, run_id, storage, columns, expires_at) values ('" + OTHER + "', '" + BARE_RUN
              + "', 'postgres', '[]', now())",
          "insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count, data) values ('" + RESULT
              + "', 1, '" + OTHER + "', 1, 1, '\\x00')",
          "insert into run_events (run_id, org_id, kind) values ('" + RUN + "', '"
              + "ffffffff-0000-0000-0000-00000000000f', 'queued')"}) {
        assertThatThrownBy(() -> db.execute(wrongOrg)).as(wrongOrg).hasMessageContaining("foreign key");
      }

      db.execute("delete from orgs where id = '" + ORG + "'");
      for (String table : new String[] {"runs", "run_events", "run_requests", "results", "result_chunks"}) {
        assertThat(db.scalar("select count(*) from " + table + " where org_id = '" + ORG + "'")).as(table)
            .isEqualTo(0L);
        assertThat(db.scalar("select count(*) from " + table + " where org_id <> '" + ORG + "'")).as(table)
            .isEqualTo(1L);
      }
    }
  }
}
