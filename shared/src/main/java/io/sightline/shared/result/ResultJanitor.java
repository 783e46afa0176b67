package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes expired results: their objects first, then their rows. Idempotent; safe on any number of nodes at once. */
public final class ResultJanitor {
  private static final Logger LOG = LoggerFactory.getLogger(ResultJanitor.class);

  // SKIP LOCKED: janitors on other nodes take other results; the row lock also holds off a concurrent update (a pin)
  // until this transaction has decided.
  static final String SELECT_EXPIRED = "select id, org_id, storage, location, chunk_count from results"
      + " where expires_at <= now() and not pinned order by expires_at limit $1 for update skip locked";
  static final String DELETE = "delete from results where id = any($1)";

  private ResultJanitor() {}

  /**
   * Deletes up to batchSize results whose expires_at has passed and pinned is false: their objects first, then the rows
   * (result_chunks cascade); returns how many. Run repeatedly until 0.
   */
  public static Future<Integer> deleteExpired(Pool pool, ResultStore objectStore, int batchSize) {
    if (batchSize < 1) {
      return Future.failedFuture(new IllegalArgumentException("batchSize must be positive, not " + batchSize));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(SELECT_EXPIRED).execute(Tuple.of(batchSize))
        .compose(rows -> {
          List<Row> expired = new ArrayList<>();
          rows.forEach(expired::add);
          if (expired.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return deleteObjects(objectStore, expired, 0).compose(v -> deleteRows(conn, expired));
        }));
  }

  /** One result at a time, so a large batch does not flood the object store. */
  private static Future<Void> deleteObjects(ResultStore store, List<Row> expired, int i) {
    if (i >= expired.size()) {
      return Future.succeededFuture();
    }
    Row row = expired.get(i);
    String storage = row.getString("storage");
    Future<Void> deleted;
    if (ResultSummary.POSTGRES.equals(storage)) {
      deleted = Future.succeededFuture();  // result_chunks go with the row
    } else if (storage.equals(store.kind())) {
      deleted = store.delete(row.getString("location"), row.getInteger("chunk_count"));
    } else {
      // written while another store was configured: it cannot be reached from here. Dropping the row still ends the
      // result (and keeps the janitor from selecting it forever); its objects need that store's own cleanup.
      LOG.warn("result {} of org {} is in the '{}' store at '{}', but this node uses '{}': deleting its row only",
          row.getUUID("id"), row.getUUID("org_id"), storage, row.getString("location"), store.kind());
      deleted = Future.succeededFuture();
    }
    return deleted.compose(v -> deleteObjects(store, expired, i + 1));
  }

  private static Future<Integer> deleteRows(SqlConnection conn, List<Row> expired) {
    UUID[] ids = expired.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
    return conn.preparedQuery(DELETE).execute(Tuple.of(ids)).map(rows -> rows.rowCount());
  }
}
