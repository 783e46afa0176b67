package io.sightline.testkit;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.ChunkCodec;
import io.sightline.shared.result.ChunkRef;
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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
    Await.result(pool.withTransaction(conn -> insert(conn, summary, runId, orgId, expiresAt)));
    db.execute("update runs set result_id = '" + summary.resultId() + "' where id = '" + runId + "'");
    return summary.resultId();
  }

  private static final String INSERT_RESULT = "insert into results (id, org_id, run_id, storage, location, format_version,"
      + " columns, row_count, byte_count, compressed_bytes, chunk_count, chunk_index, truncated, truncated_reason,"
      + " expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

  private static final String INSERT_CHUNK = "insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count,"
      + " data) values ($1, $2, $3, $4, $5, $6)";

  /**
   * Inserts the results row (and result_chunks rows for the postgres tier) inside the caller's transaction, as a run's
   * success does (RunSql.SUCCEED) — for fixtures that store a result without running a query.
   */
  public static Future<Void> insert(SqlConnection conn, ResultSummary summary, String runId, String orgId,
      OffsetDateTime expiresAt) {
    UUID resultId = UUID.fromString(summary.resultId());
    UUID org = UUID.fromString(orgId);
    Tuple result = Tuple.tuple()
        .addValue(resultId)
        .addValue(org)
        .addValue(UUID.fromString(runId))
        .addValue(summary.storage())
        .addValue(summary.location())
        .addValue((short) ChunkCodec.FORMAT_VERSION)
        .addValue(ResultRecords.columnsJson(summary.columns()))
        .addValue(summary.rowCount())
        .addValue(summary.byteCount())
        .addValue(summary.compressedBytes())
        .addValue(summary.chunkCount())
        .addValue(ResultRecords.indexJson(summary.chunks()))
        .addValue(summary.truncated())
        .addValue(summary.truncatedReason())
        .addValue(expiresAt);
    Future<?> inserted = conn.preparedQuery(INSERT_RESULT).execute(result);
    if (!ResultSummary.POSTGRES.equals(summary.storage()) || summary.chunks().isEmpty()) {
      return inserted.mapEmpty();
    }
    List<Tuple> chunks = new ArrayList<>(summary.chunkCount());
    for (int i = 0; i < summary.chunkCount(); i++) {
      ChunkRef ref = summary.chunks().get(i);
      chunks.add(Tuple.of(resultId, ref.chunkNo(), org, ref.firstRow(), ref.rowCount(), summary.inlineChunks().get(i)));
    }
    return inserted.compose(v -> conn.preparedQuery(INSERT_CHUNK).executeBatch(chunks)).mapEmpty();
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
