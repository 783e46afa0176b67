package io.sightline.shared.result;

/**
 * How much of a result is kept: at most {@code maxRows} rows and at most {@code maxBytes} bytes of JSON lines
 * (uncompressed, newlines included). The first row that would cross either limit is not written and marks the result
 * truncated.
 */
public record ResultLimits(long maxRows, long maxBytes) {
  public ResultLimits {
    if (maxRows < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("result limits must not be negative: " + maxRows + " rows, " + maxBytes
          + " bytes");
    }
  }

  /** No limits (tests, tools). */
  public static ResultLimits unlimited() {
    return new ResultLimits(Long.MAX_VALUE, Long.MAX_VALUE);
  }
}
