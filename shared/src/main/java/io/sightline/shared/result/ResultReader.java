package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.sightline.shared.connector.ColumnMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Reads stored results (docs/result-format.md): pages that decode only the chunks they touch, and a chunk-by-chunk
 * stream for downloads. Chunk bytes come from result_chunks (postgres tier) or the object store; large chunks are
 * decompressed on worker threads. Values are never parsed or re-encoded: a page is the stored JSON lines joined with
 * commas.
 */
public final class ResultReader {
  public static final int MAX_PAGE_ROWS = 10_000;

  /**
   * A result's header; its columns and chunk index only when {@code $3} is false (not cached here yet). Who may read it
   * and whether it has expired are asked every time.
   */
  static final String SELECT_RESULT = "select storage, location, format_version, row_count, truncated,"
      + " truncated_reason, case when $3 then null else columns end as columns,"
      + " case when $3 then null else chunk_index end as chunk_index"
      + " from results where id = $1 and org_id = $2 and (pinned or expires_at > now())";
  static final String SELECT_CHUNKS = "select chunk_no, data from result_chunks"
      + " where result_id = $1 and org_id = $2 and chunk_no = any($3)";

  private final Vertx vertx;
  private final Pool pool;
  private final ResultStore objectStore;
  /** The columns and chunk index of results read lately. */
  private final ResultLayouts layouts = new ResultLayouts(ResultLayouts.LAYOUTS_KEPT,
      ResultLayouts.INDEX_ENTRIES_KEPT);

  public ResultReader(Vertx vertx, Pool pool, ResultStore objectStore) {
    this.vertx = vertx;
    this.pool = pool;
    this.objectStore = objectStore;
  }

  /** A stored result's header and index. */
  record StoredResult(UUID id, UUID orgId, String storage, String location, List<ColumnMeta> columns, long rowCount,
      List<ChunkRef> chunks, boolean truncated, String truncatedReason) {}

  /**
   * Rows {@code offset .. offset+limit-1} (fewer at the end). Fails with a NoSuchElementException when the result does
   * not exist in that org (or has expired), with an IllegalArgumentException for a bad offset or limit. Decodes only
   * the chunks the page touches.
   */
  public Future<ResultPage> page(String orgId, String resultId, long offset, int limit) {
    if (offset < 0) {
      return Future.failedFuture(new IllegalArgumentException("offset must be 0 or more, not " + offset));
    }
    if (limit < 1 || limit > MAX_PAGE_ROWS) {
      return Future.failedFuture(new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_ROWS
          + ", not " + limit));
    }
    return load(orgId, resultId).compose(result -> {
      long end = Math.min(result.rowCount(), offset + limit);
      List<PageSlices.Span> spans = PageSlices.spans(PageSlices.overlapping(result.chunks(), offset, end), offset,
          end);
      return fetch(result, spans)
          .compose(parts -> offload(spans, () -> PageSlices.slice(spans, parts, offset, end)))
          .map(rows -> new ResultPage(result.columns(), offset, result.rowCount(), result.truncated(),
              result.truncatedReason(), rows));
    });
  }

  /**
   * The result's columns, row count and truncation, read with the same org and expiry filter as a page: a
   * NoSuchElementException for another org's, an expired or an unknown result.
   */
  public Future<ResultHeader> header(String orgId, String resultId) {
    return load(orgId, resultId).map(r -> new ResultHeader(r.columns(), r.rowCount(), r.truncated(),
        r.truncatedReason()));
  }

  /**
   * Streams every chunk's decompressed JSON lines, in order, to {@code consumer}; each call's future must complete
   * before the next chunk is fetched, so memory stays at about one chunk.
   */
  public Future<Void> forEachChunk(String orgId, String resultId, Function<Buffer, Future<Void>> consumer) {
    return load(orgId, resultId).compose(result -> {
      Promise<Void> done = Promise.promise();
      next(result, 0, consumer, done);
      return done.future();
    });
  }

  /**
   * One chunk after the other. A loop of callbacks completing one promise — not a chain of nested futures, whose
   * completion would recurse once per chunk and overflow the stack on very large results.
   */
  private void next(StoredResult result, int i, Function<Buffer, Future<Void>> consumer, Promise<Void> done) {
    if (i >= result.chunks().size()) {
      done.complete();
      return;
    }
    List<PageSlices.Span> one = List.of(PageSlices.Span.whole(result.chunks().get(i)));
    fetch(result, one)
        .compose(data -> offload(one, () -> Buffer.buffer(ChunkCodec.decompress(data.get(0),
            one.get(0).decodedBytes()))))
        .compose(consumer)
        .onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else {
            next(result, i + 1, consumer, done);
          }
        });
  }

  // ---- steps ------------------------------------------------------------------------------------------------------

  Future<StoredResult> load(String orgId, String resultId) {
    UUID id;
    UUID org;
    try {
      id = UUID.fromString(resultId);
      org = UUID.fromString(orgId);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(new NoSuchElementException("no result " + resultId));
    }
    ResultLayouts.Layout kept = layouts.get(id);
    return pool.preparedQuery(SELECT_RESULT).execute(Tuple.of(id, org, kept != null)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.failedFuture(new NoSuchElementException("no result " + resultId));
      }
      Row row = rows.iterator().next();
      int version = row.getShort("format_version");
      if (version < ChunkCodec.OLDEST_READ_VERSION || version > ChunkCodec.FORMAT_VERSION) {
        return Future.failedFuture(new IllegalStateException("result " + resultId + " has format version " + version
            + "; this build reads versions " + ChunkCodec.OLDEST_READ_VERSION + " to " + ChunkCodec.FORMAT_VERSION));
      }
      ResultLayouts.Layout layout = kept;
      if (layout == null) {
        layout = new ResultLayouts.Layout(ResultRecords.columnsFrom((JsonArray) row.getValue("columns")),
            ResultRecords.indexFrom((JsonArray) row.getValue("chunk_index")));
        layouts.put(id, layout);
      }
      return Future.succeededFuture(new StoredResult(id, org, row.getString("storage"), row.getString("location"),
          layout.columns(), row.getLong("row_count"), layout.chunks(), row.getBoolean("truncated"),
          row.getString("truncated_reason")));
    });
  }

  /**
   * The compressed bytes of each span, in order: from an object store only the span's frames (a ranged read unless it
   * is the whole chunk), from Postgres the whole chunk cut to them.
   */
  private Future<List<Buffer>> fetch(StoredResult result, List<PageSlices.Span> spans) {
    if (spans.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (ResultSummary.POSTGRES.equals(result.storage())) {
      Integer[] numbers = spans.stream().map(span -> span.ref().chunkNo()).toArray(Integer[]::new);
      return pool.preparedQuery(SELECT_CHUNKS).execute(Tuple.of(result.id(), result.orgId(), numbers))
          .map(rows -> inOrder(result, spans, rows));
    }
    if (!result.storage().equals(objectStore.kind())) {
      return Future.failedFuture(new IllegalStateException("result " + result.id() + " is stored in '"
          + result.storage() + "' but this node's result store is '" + objectStore.kind() + "'"));
    }
    List<Future<Buffer>> gets = new ArrayList<>(spans.size());
    for (PageSlices.Span span : spans) {
      gets.add(span.whole() ? objectStore.get(result.location(), span.ref().chunkNo())
          : objectStore.get(result.location(), span.ref().chunkNo(), span.compressedFrom(),
              Math.toIntExact(span.compressedTo() - span.compressedFrom())));
    }
    return Future.all(gets).map(all -> {
      List<Buffer> out = new ArrayList<>(spans.size());
      for (int i = 0; i < spans.size(); i++) {
        out.add(all.resultAt(i));
      }
      return out;
    });
  }

  /** The chunks' rows, in the spans' order, each cut to its span. */
  private static List<Buffer> inOrder(StoredResult result, List<PageSlices.Span> spans, RowSet<Row> rows) {
    Map<Integer, Buffer> byNo = new HashMap<>();
    for (Row r : rows) {
      byNo.put(r.getInteger("chunk_no"), r.getBuffer("data"));
    }
    List<Buffer> out = new ArrayList<>(spans.size());
    for (PageSlices.Span span : spans) {
      Buffer data = byNo.get(span.ref().chunkNo());
      if (data == null) {
        throw new IllegalStateException("chunk " + span.ref().chunkNo() + " of result " + result.id() + " is missing");
      }
      out.add(span.cut(data));
    }
    return out;
  }

  /** Runs decoding work on a worker thread when the spans decode to much, else right here. */
  private <T> Future<T> offload(List<PageSlices.Span> spans, Callable<T> work) {
    long bytes = 0;
    for (PageSlices.Span span : spans) {
      bytes += span.decodedBytes();
    }
    if (bytes > ChunkCodec.OFFLOAD_BYTES) {
      return vertx.executeBlocking(work, false);
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
