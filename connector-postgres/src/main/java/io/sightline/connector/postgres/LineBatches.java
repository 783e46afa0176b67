package io.sightline.connector.postgres;

import io.sightline.shared.connector.RowSink;
import io.vertx.core.Context;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The COPY reader's rows on their way to the sink ({@link CopyExecution}): encoded lines are gathered in a batch on the
 * reader's thread and handed to the sink on the run's context, with back-pressure. Two batches: one is filled while the
 * other is handed over, and the reader waits for the sink's {@code ready()} after a hand-over before it hands over the
 * batch after next. Used by one reader thread; the hand-overs run on the context.
 */
final class LineBatches {
  /**
   * A batch handed to the sink at once (at most: a larger row makes a batch of its own); two of them, one filled while
   * the other is handed over.
   */
  static final int BATCH_BYTES = 256 * 1024;

  private final Context context;
  private final RowSink sink;
  private final Batch[] batches = {new Batch(), null}; // the second only once a result needs it
  private int current;
  private CompletableFuture<Boolean> handing = CompletableFuture.completedFuture(true);
  /** Lines the sink took; written on the context, read by the reader after a hand-over completed. */
  private long rows;

  LineBatches(Context context, RowSink sink) {
    this.context = context;
    this.sink = sink;
  }

  /** Adds one row as its line, handing the full batch over first when it would not fit; false: read no further. */
  boolean add(CopyTextRows encoder, byte[] row) {
    Batch batch = batches[current];
    int need = encoder.maxLine(row.length);
    if (batch.count > 0 && batch.pos + need > BATCH_BYTES) {
      if (!await(handing)) { // the other batch is handed over: it is free, and the sink was ready
        return false;
      }
      handing = handOver(batch);
      current ^= 1;
      if (batches[current] == null) {
        batches[current] = new Batch();
      }
      batch = batches[current];
      batch.clear();
    }
    batch.add(encoder, row, need);
    return true;
  }

  /** Hands over what is left, after the batch in flight; false when the sink stopped taking rows. */
  boolean finish() {
    return await(handing) && await(handOver(batches[current]));
  }

  /** The rows the sink took: final once {@link #add} or {@link #finish} answered false, or {@link #finish} true. */
  long rows() {
    return rows;
  }

  /** Hands {@code batch}'s lines to the sink on the run's context; completes with whether to read on. */
  private CompletableFuture<Boolean> handOver(Batch batch) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        int start = 0;
        for (int i = 0; i < batch.count; i++) {
          if (sink.full()) {
            done.complete(false);
            return;
          }
          int end = batch.ends[i];
          try {
            sink.line(batch.buf, start, end - start);
          } catch (RuntimeException e) {
            throw new ExecutionFailures.SinkFailure(e);
          }
          rows++;
          start = end;
        }
        if (sink.full()) {
          done.complete(false);
          return;
        }
        sink.ready().onComplete(ready -> {
          if (ready.failed()) {
            done.completeExceptionally(new ExecutionFailures.SinkFailure(ready.cause()));
          } else {
            done.complete(!sink.full());
          }
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** Waits for {@code future} on the calling (reader) thread; its failure is rethrown as it is when unchecked. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a COPY", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
  }

  /** Lines of rows, one after the other in {@code buf}; {@code ends[i]} is where line i ends. */
  private static final class Batch {
    // small to begin with: most results are a few rows, and a run must not allocate half a megabyte for them
    byte[] buf = new byte[8192];
    int[] ends = new int[64];
    int pos;
    int count;

    void clear() {
      pos = 0;
      count = 0;
    }

    void add(CopyTextRows encoder, byte[] row, int need) {
      if (pos + need > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(Math.min(buf.length * 4, BATCH_BYTES), pos + need));
      }
      if (count == ends.length) {
        ends = Arrays.copyOf(ends, count * 2);
      }
      pos = encoder.line(row, row.length, buf, pos);
      ends[count++] = pos;
    }
  }
}
