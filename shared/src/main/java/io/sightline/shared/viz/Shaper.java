package io.sightline.shared.viz;

import io.vertx.core.json.JsonObject;

/**
 * Shapes one stored result for one visualization, fed the result's JSON lines chunk by chunk, pass after pass (each
 * opened by {@link #begin}, which says whether another is needed). Memory depends on the config and width, never on the row
 * count. Not thread-safe: one shaper per request, fed by one thread at a time.
 */
public interface Shaper {
  /**
   * Starts pass {@code pass} (0, 1, …) over a result of {@code rowCount} rows; false when the shaper needs no more
   * passes (then {@link #finish} answers).
   */
  boolean begin(int pass, long rowCount);

  /** Whether the shaper wants the result's first and last rows before pass 0 ({@link #ends}). */
  default boolean wantsEnds() {
    return false;
  }

  /** The first and last rows (each one JSON line, without its newline), when {@link #wantsEnds} and rows exist. */
  default void ends(byte[] first, byte[] last) {
  }

  /** Whole JSON lines ({@code \n}-terminated) in {@code data[0, length)}. */
  void lines(byte[] data, int length);

  /**
   * For this pass, whether chunks may be prepared in parallel: {@link #prepare} on any thread, then {@link #apply}
   * in chunk order, instead of {@link #lines}.
   */
  default boolean parallel() {
    return false;
  }

  /** Parses whole JSON lines into what {@link #apply} needs; thread-safe, independent of other chunks. */
  default Object prepare(byte[] data, int length) {
    throw new UnsupportedOperationException();
  }

  /** Applies a prepared chunk; called in chunk order, one at a time. */
  default void apply(Object prepared) {
    throw new UnsupportedOperationException();
  }

  /** The answer (ShapedSeriesData, ShapedStat or ShapedTable of types.ts), with {@code meta}. */
  JsonObject finish(boolean resultTruncated, String truncatedReason);
}
