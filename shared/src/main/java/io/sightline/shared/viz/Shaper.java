package io.sightline.shared.viz;

import io.vertx.core.json.JsonObject;

/**
 * Shapes one stored result for one visualization, fed the result's JSON lines chunk by chunk: {@link #passes} times
 * over every chunk, each pass opened by {@link #begin}. Memory depends on the config and width, never on the row
 * count. Not thread-safe: one shaper per request, fed by one thread at a time.
 */
public interface Shaper {
  /** How many times the chunks must be read (1 or 2), given the result's row count. */
  int passes(long rowCount);

  /** Starts pass {@code pass} (0-based). */
  void begin(int pass);

  /** Whole JSON lines ({@code \n}-terminated) in {@code data[0, length)}. */
  void lines(byte[] data, int length);

  /** The answer (ShapedSeriesData, ShapedStat or ShapedTable of types.ts), with {@code meta}. */
  JsonObject finish(boolean resultTruncated, String truncatedReason);
}
