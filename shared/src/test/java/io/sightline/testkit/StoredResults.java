package io.sightline.testkit;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.ResultLimits;
import io.sightline.shared.result.ResultRecords;
import io.sightline.shared.result.ResultStore;
import io.sightline.shared.result.ResultSummary;
import io.sightline.shared.result.ResultWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Stored results for tests: rows written through the real {@link ResultWriter} (as a connector does: batches on one
 * context, waiting on ready()) and recorded with {@link ResultRecords}, with a succeeded run (and a datasource) of
 * the org behind them. Rows come from an iterator, so a million-row result never sits in the test's memory.
 */
public final class StoredResults {
  private StoredResults() {}

  /** Writes {@code rows}; small results stay in Postgres, larger ones spill to {@code store}. Returns the result id. */
  public static String write(Vertx vertx, Pool pool, TestDatabase db, String orgId, ResultStore store,
      List<ColumnMeta> columns, Iterator<Object[]> rows) {
    return write(vertx, pool, db, orgId, store, columns, rows, ResultLimits.unlimited(), OffsetDateTime.now()
        .plusDays(1));
  }

  public static String write(Vertx vertx, Pool pool, TestDatabase db, String orgId, ResultStore store,
      List<ColumnMeta> columns, Iterator<Object[]> rows, ResultLimits limits, OffsetDateTime expiresAt) {
    ResultWriter writer = new ResultWriter(vertx, store, UUID.randomUUID().toString(), limits, 1 << 20, 8L << 20);
    Context ctx = vertx.getOrCreateContext();
    Promise<ResultSummary> written = Promise.promise();
    ctx.runOnContext(v -> {
      writer.columns(columns);
      batches(writer, rows).compose(x -> writer.finish()).onComplete(written);
    });
    ResultSummary summary = Await.result(written.future());
    String runId = newRun(db, orgId);
    Await.result(pool.withTransaction(conn -> ResultRecords.insert(conn, summary, runId, orgId, expiresAt)));
    db.execute("update runs set result_id = '" + summary.resultId() + "' where id = '" + runId + "'");
    return summary.resultId();
  }

  private static Future<Void> batches(ResultWriter writer, Iterator<Object[]> rows) {
    for (int i = 0; i < 1000 && rows.hasNext() && !writer.full(); i++) {
      writer.row(rows.next());
    }
    if (!rows.hasNext() || writer.full()) {
      return Future.succeededFuture();
    }
    return writer.ready().compose(v -> batches(writer, rows));
  }

  private static String newRun(TestDatabase db, String orgId) {
    var found = db.query("select id from datasources where org_id = '" + orgId + "' order by created_at limit 1");
    Object ds = found.isEmpty() ? null : found.get(0).get("id");
    if (ds == null) {
      ds = db.scalar("insert into datasources (org_id, name) values ('" + orgId + "', 'results fixture "
          + UUID.randomUUID() + "') returning id");
    }
    return db.scalar("insert into runs (org_id, datasource_id, sql, options, fingerprint, trigger, status, attempt,"
        + " started_at, finished_at) values ('" + orgId + "', '" + ds + "', 'select 1', '{}', '" + UUID.randomUUID()
        + "', 'manual', 'succeeded', 1, now(), now()) returning id").toString();
  }
}
