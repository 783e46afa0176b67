package io.sightline.shared.text;

/**
 * Decimal digits written straight into a byte array, two at a time from a table (one division by 100 per pair, in int
 * arithmetic once the value fits): the hot path of every integer, decimal, date and time of a stored result, where
 * {@code Long.toString} would allocate a String per value and a digit-by-digit loop divides a long once per digit.
 */
public final class AsciiDigits {
  /** 10^0 … 10^18. */
  public static final long[] POWERS_OF_TEN = new long[19];
  private static final byte[] PAIRS = new byte[200];

  static {
    long p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++, p *= 10) {
      POWERS_OF_TEN[i] = p;
    }
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private AsciiDigits() {}

  /** How many digits {@code v} (≥ 0) has. */
  public static int length(long v) {
    int n = 1;
    while (n < 19 && v >= POWERS_OF_TEN[n]) {
      n++;
    }
    return n;
  }

  /**
   * Writes {@code v} (any long) at {@code pos} with its sign; {@code b} must have 20 bytes of room there. Returns the
   * position after the last digit.
   */
  public static int write(byte[] b, int pos, long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        byte[] min = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(min, 0, b, pos, min.length);
        return pos + min.length;
      }
      b[pos++] = '-';
      v = -v;
    }
    int end = pos + length(v);
    backwards(b, end, pos, v);
    return end;
  }

  /** Writes the last {@code width} digits of {@code v} (≥ 0) at {@code start}, zero-padded on the left. */
  public static void fixed(byte[] b, int start, int width, long v) {
    backwards(b, start + width, start, v);
  }

  /** Fills {@code b[start, end)} with the low digits of {@code v} ≥ 0, from the last one backwards. */
  private static void backwards(byte[] b, int end, int start, long v) {
    int p = end;
    while (v > Integer.MAX_VALUE && p - start >= 2) {
      long q = v / 100;
      int r = (int) (v - q * 100) << 1;
      v = q;
      b[--p] = PAIRS[r + 1];
      b[--p] = PAIRS[r];
    }
    int i = (int) v;
    while (p - start >= 2) {
      int q = i / 100;
      int r = (i - q * 100) << 1;
      i = q;
      b[--p] = PAIRS[r + 1];
      b[--p] = PAIRS[r];
    }
    if (p > start) {
      b[--p] = (byte) ('0' + i % 10);
    }
  }
}
