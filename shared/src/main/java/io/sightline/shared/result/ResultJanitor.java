package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired results (their objects first, then their rows) and sweeps orphans (objects of results that never got
 * a row: partial chunks of runs that were killed, lost their lease or failed). Idempotent; safe on any number of nodes
 * at once.
 */
public final class ResultJanitor {
  private static final Logger LOG = LoggerFactory.getLogger(ResultJanitor.class);
  /** The shortest grace {@link #orphanGrace} gives. */
  public static final Duration MIN_ORPHAN_GRACE = Duration.ofHours(1);
  /** Beyond the longest run: finishing a run (last uploads, its results row) and clock skew with the object store. */
  static final Duration ORPHAN_GRACE_MARGIN = Duration.ofMinutes(15);
  /** Locations as {@link ResultWriter}'s callers name them: a canonical, lower-case UUID (the result id). */
  private static final Pattern RESULT_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  // SKIP LOCKED: janitors on other nodes take other results; the row lock also holds off a concurrent update (a pin)
  // until this transaction has decided.
  static final String SELECT_EXPIRED = "select id, org_id, storage, location, chunk_count from results"
      + " where expires_at <= now() and not pinned order by expires_at limit $1 for update skip locked";
  static final String DELETE = "delete from results where id = any($1)";
  static final String SELECT_RECORDED = "select id from results where id = any($1)";

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

  /**
   * The orphan grace for a cluster whose longest run may last {@code maxTimeoutMs} (runs.maxTimeoutMs): a run writes
   * its chunks before its results row exists, for at most that long, so a location must have been idle for longer
   * than that before it may be taken for an orphan; plus {@link #ORPHAN_GRACE_MARGIN}, and at least
   * {@link #MIN_ORPHAN_GRACE}.
   */
  public static Duration orphanGrace(long maxTimeoutMs) {
    Duration grace = Duration.ofMillis(maxTimeoutMs).plus(ORPHAN_GRACE_MARGIN);
    return grace.compareTo(MIN_ORPHAN_GRACE) < 0 ? MIN_ORPHAN_GRACE : grace;
  }

  /**
   * Sweeps the object store for orphans: locations named like a result id that no results row has, none of whose
   * objects was modified within {@code grace}; deletes all their objects and returns how many locations it deleted.
   * One call pages through the whole store, {@code batchSize} locations at a time, each page checked against the
   * results table with one query (by primary key: an object store result's location is its id), so memory stays
   * bounded by a page. Anything in the store not named like a result id is left alone.
   *
   * <p>{@code grace} must exceed the longest a live run may write before its results row appears, or the chunks of a
   * run still executing would be taken for an orphan's: pass {@link #orphanGrace}{@code (runs.maxTimeoutMs)}. Safe on
   * many nodes at once (deleting what another node already deleted is fine), but each call lists the whole store:
   * call it every few minutes, not continuously.
   */
  public static Future<Integer> sweepOrphans(Pool pool, ResultStore store, Duration grace, int batchSize) {
    if (batchSize < 1) {
      return Future.failedFuture(new IllegalArgumentException("batchSize must be positive, not " + batchSize));
    }
    if (grace.isNegative() || grace.isZero()) {
      return Future.failedFuture(new IllegalArgumentException("grace must be positive, not " + grace));
    }
    Instant cutoff = Instant.now().minus(grace);
    AtomicInteger deleted = new AtomicInteger();
    return store.listLocations(batchSize, page -> sweepPage(pool, store, page, cutoff)
        .onSuccess(deleted::addAndGet).mapEmpty()).map(v -> deleted.get());
  }

  private static Future<Integer> sweepPage(Pool pool, ResultStore store, List<String> locations, Instant cutoff) {
    UUID[] ids = locations.stream().filter(l -> RESULT_ID.matcher(l).matches()).map(UUID::fromString)
        .toArray(UUID[]::new);
    if (ids.length == 0) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery(SELECT_RECORDED).execute(Tuple.of(ids)).compose(rows -> {
      Set<UUID> recorded = new HashSet<>();
      rows.forEach(row -> recorded.add(row.getUUID("id")));
      List<String> orphans = new ArrayList<>();
      for (UUID id : ids) {
        if (!recorded.contains(id)) {
          orphans.add(id.toString());
        }
      }
      return deleteOrphans(store, orphans, cutoff, 0, 0);
    });
  }

  /** One location at a time, so a page of orphans does not flood the object store. */
  private static Future<Integer> deleteOrphans(ResultStore store, List<String> orphans, Instant cutoff, int i,
      int deleted) {
    if (i >= orphans.size()) {
      return Future.succeededFuture(deleted);
    }
    String location = orphans.get(i);
    return store.deleteAllIfUnmodifiedSince(location, cutoff).compose(gone -> {
      if (gone) {
        LOG.debug("deleted the objects of orphaned result {} from {}", location, store);
      }
      return deleteOrphans(store, orphans, cutoff, i + 1, gone ? deleted + 1 : deleted);
    });
  }
}
