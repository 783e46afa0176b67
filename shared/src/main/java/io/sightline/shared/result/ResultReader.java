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
  /** Results whose layout is kept (a 10,000,000-row result's index is about 800 chunks, some 40 KB). */
  static final int LAYOUTS_KEPT = 128;
  static final String SELECT_CHUNKS = "select chunk_no, data from result_chunks"
      + " where result_id = $1 and org_id = $2 and chunk_no = any($3)";

  private final Vertx vertx;
  private final Pool pool;
  private final ResultStore objectStore;
  /**
   * The columns and chunk index of results read lately. A stored result never changes (its row is inserted once and
   * only ever deleted), so they are kept by id instead of parsed from JSON for every page: profiled, parsing the index
   * was a fifth of the CPU of paging through a 10,000,000-row result.
   */
  private final Map<UUID, Layout> layouts = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Layout> eldest) {
          return size() > LAYOUTS_KEPT;
        }
      });

  private record Layout(List<ColumnMeta> columns, List<ChunkRef> chunks) {}

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
      List<ChunkRef> touched = overlapping(result.chunks(), offset, end);
      return fetch(result, touched)
          .compose(data -> offload(touched, () -> slice(touched, data, offset, end)))
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
    List<ChunkRef> one = List.of(result.chunks().get(i));
    fetch(result, one)
        .compose(data -> offload(one, () -> Buffer.buffer(ChunkCodec.decompress(data.get(0), one.get(0).bytes()))))
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
    Layout kept = layouts.get(id);
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
      Layout layout = kept;
      if (layout == null) {
        layout = new Layout(ResultRecords.columnsFrom((JsonArray) row.getValue("columns")),
            ResultRecords.indexFrom((JsonArray) row.getValue("chunk_index")));
        layouts.put(id, layout);
      }
      return Future.succeededFuture(new StoredResult(id, org, row.getString("storage"), row.getString("location"),
          layout.columns(), row.getLong("row_count"), layout.chunks(), row.getBoolean("truncated"),
          row.getString("truncated_reason")));
    });
  }

  /** The chunks holding any of rows {@code from .. end-1}, in order (binary search on first_row). */
  static List<ChunkRef> overlapping(List<ChunkRef> chunks, long from, long end) {
    List<ChunkRef> out = new ArrayList<>();
    if (from >= end) {
      return out;
    }
    int lo = 0;
    int hi = chunks.size() - 1;
    int first = chunks.size();
    while (lo <= hi) {  // the first chunk whose end is after `from`
      int mid = (lo + hi) >>> 1;
      if (chunks.get(mid).endRow() > from) {
        first = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    for (int i = first; i < chunks.size() && chunks.get(i).firstRow() < end; i++) {
      out.add(chunks.get(i));
    }
    return out;
  }

  /** The compressed bytes of {@code chunks}, in the same order. */
  private Future<List<Buffer>> fetch(StoredResult result, List<ChunkRef> chunks) {
    if (chunks.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (ResultSummary.POSTGRES.equals(result.storage())) {
      Integer[] numbers = chunks.stream().map(ChunkRef::chunkNo).toArray(Integer[]::new);
      return pool.preparedQuery(SELECT_CHUNKS).execute(Tuple.of(result.id(), result.orgId(), numbers))
          .map(rows -> inOrder(result, chunks, rows));
    }
    if (!result.storage().equals(objectStore.kind())) {
      return Future.failedFuture(new IllegalStateException("result " + result.id() + " is stored in '"
          + result.storage() + "' but this node's result store is '" + objectStore.kind() + "'"));
    }
    List<Future<Buffer>> gets = new ArrayList<>(chunks.size());
    for (ChunkRef c : chunks) {
      gets.add(objectStore.get(result.location(), c.chunkNo()));
    }
    return Future.all(gets).map(all -> {
      List<Buffer> out = new ArrayList<>(chunks.size());
      for (int i = 0; i < chunks.size(); i++) {
        out.add(all.resultAt(i));
      }
      return out;
    });
  }

  private static List<Buffer> inOrder(StoredResult result, List<ChunkRef> chunks, RowSet<Row> rows) {
    Map<Integer, Buffer> byNo = new HashMap<>();
    for (Row r : rows) {
      byNo.put(r.getInteger("chunk_no"), r.getBuffer("data"));
    }
    List<Buffer> out = new ArrayList<>(chunks.size());
    for (ChunkRef c : chunks) {
      Buffer data = byNo.get(c.chunkNo());
      if (data == null) {
        throw new IllegalStateException("chunk " + c.chunkNo() + " of result " + result.id() + " is missing");
      }
      out.add(data);
    }
    return out;
  }

  /** Runs decoding work on a worker thread when the chunks are large, else right here. */
  private <T> Future<T> offload(List<ChunkRef> chunks, Callable<T> work) {
    long bytes = 0;
    for (ChunkRef c : chunks) {
      bytes += c.bytes();
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

  /**
   * Decompresses {@code chunks} and joins rows {@code from .. end-1} into a JSON array: the lines' bytes as stored,
   * separated by commas.
   */
  static Buffer slice(List<ChunkRef> chunks, List<Buffer> data, long from, long end) {
    Buffer out = Buffer.buffer();
    out.appendByte((byte) '[');
    boolean first = true;
    for (int i = 0; i < chunks.size(); i++) {
      ChunkRef ref = chunks.get(i);
      byte[] lines;
      long linesFrom = ref.firstRow();   // the row of the first decoded line
      if (ref.frames().isEmpty()) {
        lines = ChunkCodec.decompress(data.get(i), ref.bytes());
      } else {
        // only the frames holding rows of the page
        int firstFrame = -1;
        int lastFrame = -1;
        long row = ref.firstRow();
        for (int f = 0; f < ref.frames().size(); f++) {
          long frameEnd = row + ref.frames().get(f).rows();
          if (frameEnd > from && row < end) {
            if (firstFrame < 0) {
              firstFrame = f;
              linesFrom = row;
            }
            lastFrame = f;
          }
          row = frameEnd;
        }
        if (firstFrame < 0) {
          continue;
        }
        lines = ChunkCodec.decompressFrames(data.get(i), ref, firstFrame, lastFrame);
      }
      long want = Math.min(end, ref.endRow()) - linesFrom;   // decoded lines up to the page's end
      long skip = Math.max(0, from - linesFrom);              // decoded lines before the page's start
      int start = 0;
      int p = -1;
      long line = 0;
      for (; line < want; line++) {
        if (line == skip) {
          start = p + 1;
        }
        p = nextNewline(lines, p + 1);
        if (p < 0) {
          throw new IllegalStateException("corrupt result chunk " + ref.chunkNo() + ": " + line + " lines, "
              + ref.rowCount() + " expected");
        }
      }
      if (want <= skip) {
        continue;
      }
      // the page's lines of this chunk as stored, their newlines turned into the commas between array elements
      if (!first) {
        out.appendByte((byte) ',');
      }
      for (int q = start; q < p; ) {
        int nl = nextNewline(lines, q);
        int stop = nl < 0 || nl > p ? p : nl;
        out.appendBytes(lines, q, stop - q);
        if (stop < p) {
          out.appendByte((byte) ',');
        }
        q = stop + 1;
      }
      first = false;
    }
    out.appendByte((byte) ']');
    return out;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * The index of the first {@code '\n'} at or after {@code from}, or -1: eight bytes at a time (the zero-byte test
   * of "Bit Twiddling Hacks" on the bytes XOR newline; its lowest flagged byte is always a true match).
   */
  static int nextNewline(byte[] a, int from) {
    int i = from;
    for (int n = a.length - 8; i <= n; i += 8) {
      long x = (long) LONGS.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < a.length; i++) {
      if (a[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
