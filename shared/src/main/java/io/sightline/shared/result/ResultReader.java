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
  /** Results whose layout is kept at most. */
  static final int LAYOUTS_KEPT = 128;
  /**
   * Index entries (chunks and their frames) kept at most, over all kept layouts: about 10 MB of heap. A 10,000,000-row
   * result of 1 MB chunks has about 800 chunks of 16 frames each.
   */
  static final int INDEX_ENTRIES_KEPT = 250_000;
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
  private final LayoutCache layouts = new LayoutCache(LAYOUTS_KEPT, INDEX_ENTRIES_KEPT);

  record Layout(List<ColumnMeta> columns, List<ChunkRef> chunks) {
    /** Its weight in the cache: chunks and frames. */
    int entries() {
      int n = chunks.size();
      for (ChunkRef c : chunks) {
        n += c.frames().size();
      }
      return n;
    }
  }

  /** Least recently used out first; at most {@code maxLayouts} layouts and {@code maxEntries} index entries. */
  static final class LayoutCache {
    private final java.util.LinkedHashMap<UUID, Layout> map = new java.util.LinkedHashMap<>(64, 0.75f, true);
    private final int maxLayouts;
    private final int maxEntries;
    private long entries;

    LayoutCache(int maxLayouts, int maxEntries) {
      this.maxLayouts = maxLayouts;
      this.maxEntries = maxEntries;
    }

    synchronized long entries() {
      return entries;
    }

    synchronized Layout get(UUID id) {
      return map.get(id);
    }

    synchronized void put(UUID id, Layout layout) {
      int weight = layout.entries();
      if (weight > maxEntries) {
        return;   // parsed again for each page: rare (a result of billions of rows)
      }
      Layout old = map.put(id, layout);
      entries += weight - (old == null ? 0 : old.entries());
      var eldest = map.entrySet().iterator();
      while (map.size() > maxLayouts || entries > maxEntries) {
        entries -= eldest.next().getValue().entries();
        eldest.remove();
      }
    }
  }

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
      List<Span> spans = spans(overlapping(result.chunks(), offset, end), offset, end);
      return fetchSpans(result, spans)
          .compose(parts -> offload(spans, () -> slice(spans, parts, offset, end)))
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
        .compose(data -> offload(one.get(0).bytes(), () -> Buffer.buffer(ChunkCodec.decompress(data.get(0),
            one.get(0).bytes()))))
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

  /**
   * The compressed bytes of each span: from an object store only the span's frames (a ranged read), from Postgres the
   * whole chunk cut to them.
   */
  private Future<List<Buffer>> fetchSpans(StoredResult result, List<Span> spans) {
    if (spans.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (ResultSummary.POSTGRES.equals(result.storage())) {
      return fetch(result, spans.stream().map(Span::ref).toList()).map(whole -> {
        List<Buffer> parts = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
          parts.add(spans.get(i).cut(whole.get(i)));
        }
        return parts;
      });
    }
    if (!result.storage().equals(objectStore.kind())) {
      return fetch(result, spans.stream().map(Span::ref).toList());   // fails with the reason
    }
    List<Future<Buffer>> gets = new ArrayList<>(spans.size());
    for (Span span : spans) {
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
  private <T> Future<T> offload(List<Span> spans, Callable<T> work) {
    long bytes = 0;
    for (Span span : spans) {
      bytes += span.decodedBytes();
    }
    return offload(bytes, work);
  }

  private <T> Future<T> offload(long bytes, Callable<T> work) {
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
   * The part of one chunk a page decodes: frames {@code firstFrame .. lastFrame} (the whole chunk when it is one frame),
   * at compressed bytes {@code compressedFrom .. compressedTo - 1} of the chunk, {@code decodedBytes} of lines whose
   * first is row {@code linesFrom}.
   */
  record Span(ChunkRef ref, long linesFrom, long compressedFrom, long compressedTo, long decodedBytes) {
    boolean whole() {
      return compressedFrom == 0 && compressedTo == ref.compressedBytes();
    }

    /** This span's bytes of the whole compressed chunk; fails when the chunk is shorter than its index says. */
    Buffer cut(Buffer chunk) {
      if (compressedTo > chunk.length()) {
        throw new IllegalStateException("corrupt result chunk " + ref.chunkNo() + ": " + chunk.length()
            + " compressed bytes, its index says " + ref.compressedBytes());
      }
      return whole() ? chunk : chunk.slice((int) compressedFrom, (int) compressedTo);
    }
  }

  /** For each of {@code chunks}, the frames holding any of rows {@code from .. end-1}. */
  static List<Span> spans(List<ChunkRef> chunks, long from, long end) {
    List<Span> out = new ArrayList<>(chunks.size());
    for (ChunkRef ref : chunks) {
      if (ref.frames().isEmpty()) {
        out.add(new Span(ref, ref.firstRow(), 0, ref.compressedBytes(), ref.bytes()));
        continue;
      }
      long row = ref.firstRow();
      long at = 0;
      long linesFrom = -1;
      long compressedFrom = 0;
      long compressedTo = 0;
      long decoded = 0;
      for (ChunkRef.Frame f : ref.frames()) {
        long frameEnd = row + f.rows();
        if (frameEnd > from && row < end) {
          if (linesFrom < 0) {
            linesFrom = row;
            compressedFrom = at;
          }
          compressedTo = at + f.compressedBytes();
          decoded += f.bytes();
        }
        row = frameEnd;
        at += f.compressedBytes();
      }
      if (linesFrom >= 0) {
        out.add(new Span(ref, linesFrom, compressedFrom, compressedTo, decoded));
      }
    }
    return out;
  }

  /**
   * Decompresses each span and joins rows {@code from .. end-1} into a JSON array: the lines' bytes as stored, the
   * newlines between them turned into commas. Two passes over the decoded bytes, eight at a time: one counting line
   * ends to find the page's first and last line, one replacing the newlines in the copied page.
   */
  static Buffer slice(List<Span> spans, List<Buffer> parts, long from, long end) {
    byte[][] decoded = new byte[spans.size()][];
    int[] starts = new int[spans.size()];
    int[] lengths = new int[spans.size()];
    long size = 2;   // the brackets
    int pieces = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      ChunkRef ref = span.ref();
      long want = Math.min(end, ref.endRow()) - span.linesFrom();   // decoded lines up to the page's end
      long skip = Math.max(0, from - span.linesFrom());             // decoded lines before the page's start
      if (want <= skip) {
        continue;
      }
      byte[] lines = ChunkCodec.decompress(parts.get(i), span.decodedBytes());
      int start = afterLines(lines, 0, skip);
      int stop = start < 0 ? -1 : afterLines(lines, start, want - skip);
      if (stop < 0) {
        throw new IllegalStateException("corrupt result chunk " + ref.chunkNo() + ": fewer lines than the "
            + ref.rowCount() + " its index says");
      }
      decoded[i] = lines;
      starts[i] = start;
      lengths[i] = stop - start;   // the lines with their newlines: the last becomes the comma before the next piece
      size += lengths[i];
      pieces++;
    }
    if (pieces == 0) {
      return Buffer.buffer("[]");
    }
    if (size - 1 > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("page of " + size + " bytes");
    }
    byte[] out = new byte[(int) size - 1];   // the last piece's final newline is not copied
    out[0] = '[';
    int at = 1;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] != null) {
        System.arraycopy(decoded[i], starts[i], out, at, lengths[i]);
        at += lengths[i];
      }
    }
    newlinesToCommas(out, 1, at - 1);
    out[at - 1] = ']';
    return Buffer.buffer(out);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /**
   * A mask with bit 7 set in exactly the bytes of {@code word} that are {@code '\n'} (the exact zero-byte test of
   * "Bit Twiddling Hacks" on the word XOR newlines: no false positives, so its bits can be counted).
   */
  private static long newlineMask(long word) {
    long x = word ^ NEWLINES;
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }

  /**
   * The index just past the {@code count}-th {@code '\n'} at or after {@code from} ({@code from} itself when count is
   * 0), or -1 when there are fewer: counts newlines eight bytes at a time.
   */
  static int afterLines(byte[] a, int from, long count) {
    if (count == 0) {
      return from;
    }
    long left = count;
    int i = from;
    for (int n = a.length - 8; i <= n; i += 8) {
      long found = newlineMask((long) LONGS.get(a, i));
      int c = Long.bitCount(found);
      if (c >= left) {
        for (long k = 1; k < left; k++) {
          found &= found - 1;   // drop the lowest
        }
        return i + (Long.numberOfTrailingZeros(found) >>> 3) + 1;
      }
      left -= c;
    }
    for (; i < a.length; i++) {
      if (a[i] == '\n' && --left == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Turns every {@code '\n'} of {@code a[from .. to-1]} into {@code ','}, eight bytes at a time. */
  static void newlinesToCommas(byte[] a, int from, int to) {
    int i = from;
    for (int n = to - 8; i <= n; i += 8) {
      long word = (long) LONGS.get(a, i);
      long found = newlineMask(word);
      if (found != 0) {
        LONGS.set(a, i, word ^ ((found >>> 7) * ('\n' ^ ',')));   // per byte: 0x01 * 0x26, no carries
      }
    }
    for (; i < to; i++) {
      if (a[i] == '\n') {
        a[i] = ',';
      }
    }
  }
}
