package io.sightline.shared.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.db.MetadataPool;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run queue's statements stay prepared on each metadata connection, so Postgres parses and plans them once per
 * connection rather than on every call. The client keeps only statements under 2,048 characters by default; the run
 * read-back every enqueue answers with is longer and was planned on every call — measured, most of Postgres's CPU per
 * small run (docs/benchmarks.md).
 */
@ExtendWith(PostgresExtension.class)
class RunStatementsPreparedTest {
  private static final String ORG = "aaaaaaaa-0000-0000-0000-00000000000b";
  private static final String DS = "dddddddd-0000-0000-0000-00000000000b";
  private static final String RUN = "eeeeeeee-0000-0000-0000-00000000000b";

  @Test
  void everyRunStatementFitsTheStatementCache() throws IllegalAccessException {
    for (Field f : RunSql.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        f.setAccessible(true);
        assertThat(((String) f.get(null)).length()).as(f.getName())
            .isLessThanOrEqualTo(MetadataPool.STATEMENT_CACHE_SQL_LIMIT);
      }
    }
    assertThat(RunSql.VIEW.length()).as("the read-back is longer than the client's default limit")
        .isGreaterThan(2048);
  }

  @Test
  void theRunReadBackAndTheClaimPassAreParsedOncePerConnection(TestDatabase db) {
    db.execute("insert into orgs (id, name, slug) values ('" + ORG + "', 'Org', 'org-b');"
        + "insert into datasources (id, org_id, name) values ('" + DS + "', '" + ORG + "', 'DS');"
        + "insert into runs (id, org_id, datasource_id, sql, params, options, fingerprint, trigger) values"
        + " ('" + RUN + "', '" + ORG + "', '" + DS + "', 'select 1', '{}', '{}', 'f-prepared', 'api')");
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = MetadataPool.create(vertx, TestConfigs.config(db));
      Row prepared = Await.result(pool.withConnection(conn -> {
        Future<?> calls = Future.succeededFuture();
        for (int i = 0; i < 8; i++) {
          calls = calls.compose(v -> conn.preparedQuery(RunSql.VIEW)
              .execute(Tuple.of(UUID.fromString(RUN), UUID.fromString(ORG)))
              .onSuccess(rows -> assertThat(rows.iterator().next().getString("status")).isEqualTo("queued"))
              .compose(rows -> conn.preparedQuery(RunSql.CANDIDATES).execute()));
        }
        return calls.compose(v -> conn.preparedQuery("select"
            + " (select generic_plans + custom_plans from pg_prepared_statements where statement = $1) as view_calls,"
            + " (select generic_plans + custom_plans from pg_prepared_statements where statement = $2)"
            + " as candidates_calls").execute(Tuple.of(RunSql.VIEW, RunSql.CANDIDATES)))
            .map(rows -> rows.iterator().next());
      }));
      // one named statement served every call (a statement not kept is parsed anew each time and never listed)
      assertThat(prepared.getLong("view_calls")).isEqualTo(8L);
      assertThat(prepared.getLong("candidates_calls")).isEqualTo(8L);
      Await.result(pool.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
