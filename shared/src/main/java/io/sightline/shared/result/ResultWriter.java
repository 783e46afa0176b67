package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.RowSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a result into chunks (docs/result-format.md): rows are encoded as JSON lines into the current chunk; a chunk
 * of about {@code chunkBytes} is sealed, compressed (on a worker thread when large) and either held in memory — while
 * the compressed total stays within {@code inlineMaxBytes}, for the postgres tier — or, once that would be crossed,
 * written to the object store together with every chunk held so far and every later one.
 *
 * <p>Threading: the writer belongs to one Vert.x context, the one of its first {@link #columns}/{@link #row}/
 * {@link #ready} call (the connector's). All its state is touched on that context only; completions of compression and
 * uploads come back to it. {@link #finish()} and {@link #abort()} may be called from any context. {@link #rowCount()}
 * and {@link #byteCount()} may be read from anywhere.
 *
 * <p>Memory: the chunk being filled, at most about {@value #MAX_IN_FLIGHT} chunks being compressed or uploaded (the
 * connector waits on {@link #ready()}), and the held chunks (at most {@code inlineMaxBytes} compressed).
 */
public final class ResultWriter implements RowSink {
  /** {@link #ready()} waits while this many chunks are being compressed or uploaded. */
  static final int MAX_IN_FLIGHT = 2;
  /** At most this many puts of one result at once (a spill hands over every held chunk together). */
  static final int MAX_UPLOADS = 4;

  private final Vertx vertx;
  private final ResultStore objectStore;
  private final String resultId;
  private final ResultLimits limits;
  private final int chunkBytes;
  private final long inlineMaxBytes;

  private Context context;
  private List<ColumnMeta> columns;
  private final ChunkBuffer chunk;
  private final JsonRowEncoder encoder;
  private volatile long rowCount;
  private volatile long byteCount;
  private long chunkFirstRow;
  private int chunkRows;
  private String truncatedReason;

  private int sealed;                                   // chunk numbers handed out
  private int nextToPlace;                              // the next chunk number to place in the index
  private final Map<Integer, Sealed> compressedEarly = new HashMap<>();
  private final List<ChunkRef> index = new ArrayList<>();
  private final List<Buffer> held = new ArrayList<>();  // postgres tier, until a spill
  private long compressedBytes;
  private boolean spilled;

  // the frames of the chunk being filled: where each ends, its rows; frameRowsEnd = chunk rows in ended frames
  private int[] frameEnds = new int[16];
  private int[] frameRows = new int[16];
  private int frames;
  private int frameRowsEnd;

  private int inFlight;                                 // chunks being compressed, waiting to upload or uploading
  private final ArrayDeque<Upload> uploads = new ArrayDeque<>();
  private int uploading;
  private Promise<Void> readyWaiter;
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private Throwable failure;
  private Future<ResultSummary> finished;
  private boolean aborted;

  public ResultWriter(Vertx vertx, ResultStore objectStore, String resultId, ResultLimits limits, int chunkBytes,
      long inlineMaxBytes) {
    if (chunkBytes <= 0 || inlineMaxBytes < 0) {
      throw new IllegalArgumentException("chunkBytes must be positive and inlineMaxBytes not negative");
    }
    this.vertx = vertx;
    this.objectStore = objectStore;
    this.resultId = resultId;
    this.limits = limits;
    this.chunkBytes = chunkBytes;
    this.inlineMaxBytes = inlineMaxBytes;
    this.chunk = new ChunkBuffer(chunkBytes, MAX_IN_FLIGHT + 1);
    this.encoder = new JsonRowEncoder(chunk);
  }

  public String resultId() {
    return resultId;
  }

  /** Rows written so far. */
  public long rowCount() {
    return rowCount;
  }

  /** Uncompressed bytes written so far. */
  public long byteCount() {
    return byteCount;
  }

  // ---- RowSink (on the writer's context) ----------------------------------------------------------------------

  @Override
  public void columns(List<ColumnMeta> columns) {
    checkContext();
    if (this.columns == null) {
      this.columns = List.copyOf(columns);
    }
  }

  @Override
  public void row(Object[] values) {
    if (!accepting()) {
      return;
    }
    if (columns != null && values.length != columns.size()) {
      fail(new IllegalArgumentException("a row of " + values.length + " values for " + columns.size() + " columns"));
      return;
    }
    int before = chunk.length();
    long n;
    try {
      n = encoder.write(values);
    } catch (RuntimeException e) {
      chunk.truncate(before);
      fail(new IllegalArgumentException("cannot encode row " + rowCount + ": " + e.getMessage(), e));
      return;
    }
    written(before, n);
  }

  @Override
  public boolean takesLines() {
    return true;
  }

  /** A row already encoded by the connector: the same limits and chunking as {@link #row}. */
  @Override
  public void line(byte[] line, int offset, int length) {
    if (!accepting()) {
      return;
    }
    int before = chunk.length();
    chunk.write(line, offset, length);
    written(before, length);
  }

  /** Whether a row may be written now: none after a limit, an abort or a failure; counts a reached row limit. */
  private boolean accepting() {
    if (truncatedReason != null || aborted || failure != null) {
      return false;
    }
    if (finished != null) {
      throw new IllegalStateException("row after finish() of result " + resultId);
    }
    if (context == null) {
      checkContext();
    }
    if (rowCount >= limits.maxRows()) {
      truncatedReason = "max_rows";
      return false;
    }
    return true;
  }

  /** The row of {@code n} bytes just written after {@code before}: kept within the byte limit, or taken back. */
  private void written(int before, long n) {
    if (byteCount + n > limits.maxBytes()) {
      chunk.truncate(before);
      truncatedReason = "max_bytes";
      return;
    }
    rowCount++;
    byteCount += n;
    chunkRows++;
    int length = chunk.length();
    if (length >= chunkBytes) {
      seal();
    } else if (length - frameStart() >= ChunkCodec.FRAME_BYTES) {
      endFrame(length);
    }
  }

  /** Where the current frame of the chunk being filled starts. */
  private int frameStart() {
    return frames == 0 ? 0 : frameEnds[frames - 1];
  }

  /** The chunk's current frame ends after the row just written (at {@code length}). */
  private void endFrame(int length) {
    if (frames == frameEnds.length) {
      frameEnds = Arrays.copyOf(frameEnds, frames * 2);
      frameRows = Arrays.copyOf(frameRows, frames * 2);
    }
    frameEnds[frames] = length;
    frameRows[frames] = chunkRows - frameRowsEnd;
    frameRowsEnd = chunkRows;
    frames++;
  }

  @Override
  public Future<Void> ready() {
    checkContext();
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (inFlight < MAX_IN_FLIGHT || aborted) {
      return Future.succeededFuture();
    }
    if (readyWaiter == null) {
      readyWaiter = Promise.promise();
    }
    return readyWaiter.future();
  }

  /**
   * True once a limit was reached (the result is kept, truncated), or after finish()/abort(). A storage failure does not
   * make the writer full: {@link #ready()} fails instead, so the connector's execution fails with the store's reason.
   */
  @Override
  public boolean full() {
    return truncatedReason != null || aborted || finished != null;
  }

  // ---- finishing --------------------------------------------------------------------------------------------------

  /** Seals the last chunk and waits for pending compression and uploads; then describes the result. */
  public Future<ResultSummary> finish() {
    return onContext(this::doFinish);
  }

  /** Discards everything written so far: held chunks are dropped, spilled objects deleted (also after finish()). */
  public Future<Void> abort() {
    return onContext(this::doAbort);
  }

  private Future<ResultSummary> doFinish() {
    if (aborted) {
      return Future.failedFuture(new IllegalStateException("result " + resultId + " was aborted"));
    }
    if (finished == null) {
      seal();
      encoder.close();
      finished = drained().compose(v -> failure != null ? Future.failedFuture(failure)
          : aborted ? Future.failedFuture(new IllegalStateException("result " + resultId + " was aborted"))
          : Future.succeededFuture(summary()));
    }
    return finished;
  }

  private Future<Void> doAbort() {
    aborted = true;
    chunk.reset();
    chunkRows = 0;
    frames = 0;
    frameRowsEnd = 0;
    held.clear();
    compressedEarly.clear();
    dropQueuedUploads();
    encoder.close();
    settle();
    return drained().compose(v -> spilled ? here(objectStore.delete(resultId, sealed)) : Future.<Void>succeededFuture());
  }

  private ResultSummary summary() {
    String storage = spilled ? objectStore.kind() : ResultSummary.POSTGRES;
    return new ResultSummary(resultId, storage, spilled ? resultId : null, columns == null ? List.of() : columns,
        rowCount, byteCount, compressedBytes, index, truncatedReason != null, truncatedReason,
        spilled ? List.of() : held);
  }

  // ---- chunks -----------------------------------------------------------------------------------------------------

  private record Sealed(int chunkNo, long firstRow, int rowCount, int bytes, Buffer compressed,
      List<ChunkRef.Frame> frames) {}

  private void seal() {
    if (chunkRows == 0) {
      return;
    }
    int no = sealed++;
    long firstRow = chunkFirstRow;
    int rows = chunkRows;
    int len = chunk.length();
    if (frameStart() < len) {
      endFrame(len);
    }
    int[] ends = Arrays.copyOf(frameEnds, frames);
    int[] counts = Arrays.copyOf(frameRows, frames);
    int n = frames;
    frames = 0;
    frameRowsEnd = 0;
    byte[] data = chunk.detach();
    chunkFirstRow = rowCount;
    chunkRows = 0;
    inFlight++;
    Future<ChunkCodec.Packed> compressed;
    if (len > ChunkCodec.OFFLOAD_BYTES) {
      compressed = context.executeBlocking(() -> ChunkCodec.compress(data, ends, counts, n), false);
    } else {
      try {
        compressed = Future.succeededFuture(ChunkCodec.compress(data, ends, counts, n));
      } catch (RuntimeException e) {
        compressed = Future.failedFuture(e);
      }
    }
    compressed.onComplete(ar -> {
      inFlight--;
      chunk.recycle(data);  // compressed (or failed): its bytes are no longer read
      if (ar.failed()) {
        fail(new IllegalStateException("cannot compress chunk " + no + " of result " + resultId, ar.cause()));
      } else if (!aborted && failure == null) {
        compressedEarly.put(no, new Sealed(no, firstRow, rows, len, ar.result().data(), ar.result().frames()));
        placeInOrder();
      }
      settle();
    });
  }

  /** Compression may finish out of order: index and store chunks strictly in chunk order. */
  private void placeInOrder() {
    Sealed s;
    while ((s = compressedEarly.remove(nextToPlace)) != null) {
      nextToPlace++;
      place(s);
    }
  }

  private void place(Sealed s) {
    long size = s.compressed().length();
    index.add(new ChunkRef(s.chunkNo(), s.firstRow(), s.rowCount(), s.bytes(), size, s.frames()));
    compressedBytes += size;
    if (!spilled && compressedBytes <= inlineMaxBytes) {
      held.add(s.compressed());
      return;
    }
    if (!spilled) {
      spilled = true;
      for (int i = 0; i < held.size(); i++) {
        upload(i, held.get(i));
      }
      held.clear();
    }
    upload(s.chunkNo(), s.compressed());
  }

  private record Upload(int chunkNo, Buffer compressed) {}

  private void upload(int chunkNo, Buffer compressed) {
    inFlight++;
    uploads.add(new Upload(chunkNo, compressed));
    pump();
  }

  private void pump() {
    while (uploading < MAX_UPLOADS && !uploads.isEmpty()) {
      Upload u = uploads.poll();
      uploading++;
      Future<Void> put;
      try {
        put = objectStore.put(resultId, u.chunkNo(), u.compressed());
      } catch (RuntimeException e) {
        put = Future.failedFuture(e);
      }
      here(put).onComplete(ar -> {
        uploading--;
        inFlight--;
        if (ar.failed()) {
          fail(ar.cause());
        }
        pump();
        settle();
      });
    }
  }

  /** Drops uploads that have not started (abort, failure); the ones under way are waited for. */
  private void dropQueuedUploads() {
    inFlight -= uploads.size();
    uploads.clear();
  }

  private void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    held.clear();
    compressedEarly.clear();
    dropQueuedUploads();
    settle();
  }

  /** After any change of the in-flight count: wake the connector, and finish()/abort() once nothing is pending. */
  private void settle() {
    if (readyWaiter != null && (inFlight < MAX_IN_FLIGHT || failure != null || aborted)) {
      Promise<Void> waiter = readyWaiter;
      readyWaiter = null;
      if (failure != null) {
        waiter.fail(failure);
      } else {
        waiter.complete();
      }
    }
    if (inFlight == 0 && !drainWaiters.isEmpty()) {
      List<Promise<Void>> waiters = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      waiters.forEach(Promise::complete);
    }
  }

  private Future<Void> drained() {
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    drainWaiters.add(p);
    return p.future();
  }

  // ---- context ----------------------------------------------------------------------------------------------------

  private void checkContext() {
    Context current = Vertx.currentContext();
    if (context == null) {
      context = current != null ? current : vertx.getOrCreateContext();
    } else if (current != context) {
      throw new IllegalStateException("ResultWriter of result " + resultId
          + " must be fed from one Vert.x context (the connector's)");
    }
  }

  /** Runs {@code action} on the writer's context; the returned future completes on the caller's context. */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    if (context == null) {
      context = caller != null ? caller : vertx.getOrCreateContext();
    }
    if (caller == context) {
      return action.get();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(result);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return caller == null ? result.future() : Future.fromCompletionStage(result.future().toCompletionStage(), caller);
  }

  /** A store's future, completed back on the writer's context (whatever thread the store completes it on). */
  private <T> Future<T> here(Future<T> f) {
    return Future.fromCompletionStage(f.toCompletionStage(), context);
  }
}
