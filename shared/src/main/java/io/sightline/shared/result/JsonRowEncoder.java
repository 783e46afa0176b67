package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.RawJson;
import io.sightline.shared.text.AsciiDigits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows as JSON lines — one JSON array per row, {@code \n}-terminated — following the value rules of
 * {@link ColumnMeta}: integers beyond ±2^53 become strings, decimals are always strings in plain notation with their
 * scale (exactly as the datasource printed them: {@code "25837.235200"}, {@code "-0.000000000000000001"}), non-finite
 * floats become strings, {@link RawJson} is embedded as JSON (a raw newline in it becomes a space, so a row stays one
 * line). Not thread-safe; one encoder per result.
 *
 * <p>A row is built in a reused byte array and handed to the target in one write. The bytes are the ones Jackson's
 * generator wrote for the same values before (format version 2): strings escape {@code "}, {@code \}, control characters
 * ({@code \n}, {@code \t}... or <code>&#92;u00XX</code>) and UTF-16 surrogates (<code>&#92;uD83D&#92;uDE00</code>); everything else is raw
 * UTF-8; floats are {@link Double#toString}. {@code JsonRowEncoderTest} checks this against Jackson.
 */
public final class JsonRowEncoder implements AutoCloseable {
  /** The largest integer a JSON number (IEEE double) carries exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /** Per ASCII character: 0 copied as is, a letter for a two-character escape, -1 for <code>&#92;u00XX</code>. */
  private static final byte[] ESCAPES = new byte[128];
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  static {
    Arrays.fill(ESCAPES, 0, 32, (byte) -1);
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
  }

  private final OutputStream out;
  private byte[] buf = new byte[1024];
  private int pos;
  private long count;

  public JsonRowEncoder(OutputStream target) {
    this.out = target;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends one row and its newline; returns the bytes it took. */
  public long write(Object[] row) {
    pos = 0;
    put('[');
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        put(',');
      }
      value(row[i]);
    }
    ensure(2);
    buf[pos++] = ']';
    buf[pos++] = '\n';
    try {
      out.write(buf, 0, pos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    count += pos;
    return pos;
  }

  /** Total bytes written so far. */
  public long bytesWritten() {
    return count;
  }

  private void value(Object v) {
    if (v == null) {
      put(NULL);
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Long l) {
      integer(l);
    } else if (v instanceof BigDecimal d) {
      decimal(d);
    } else if (v instanceof Double d) {
      floating(d);
    } else if (v instanceof Boolean b) {
      put(b ? TRUE : FALSE);
    } else if (v instanceof Integer i) {
      digits(i);
    } else if (v instanceof Short s) {
      digits(s);
    } else if (v instanceof Float f) {
      floating(f.doubleValue());
    } else if (v instanceof RawJson raw) {
      raw(raw.text());
    } else if (v instanceof List<?> list) {
      put('[');
      boolean first = true;
      for (Object e : list) {
        if (!first) {
          put(',');
        }
        first = false;
        value(e);
      }
      put(']');
    } else {
      string(v.toString());
    }
  }

  private void integer(long l) {
    if (l > MAX_SAFE_INTEGER || l < -MAX_SAFE_INTEGER) {
      put('"');
      digits(l);
      put('"');
    } else {
      digits(l);
    }
  }

  private void floating(double d) {
    ensure(32);
    pos = floating(d, buf, pos);
  }

  /**
   * A double as a row holds it: NaN and the infinities as strings ({@code "NaN"}, {@code "-Infinity"}), the rest as
   * {@link Double#toString}; room for 32 bytes. Answers the position after it.
   */
  public static int floating(double d, byte[] b, int p) {
    String s = Double.isNaN(d) ? "\"NaN\"" : Double.isInfinite(d) ? (d > 0 ? "\"Infinity\"" : "\"-Infinity\"")
        : Double.toString(d);
    for (int i = 0; i < s.length(); i++) {
      b[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  /**
   * Always a string: a JSON number goes through a double in most readers (a browser's JSON.parse), which drops the
   * scale ({@code 25837.235200} → {@code 25837.2352}), rounds beyond 15–17 digits and prints tiny values in exponent
   * notation. The string keeps the value digit for digit ({@link BigDecimal#toPlainString()}); up to 18 digits it is
   * written straight from the unscaled value.
   */
  private void decimal(BigDecimal d) {
    int scale = d.scale();
    if (scale < 0 || scale > 18 || d.precision() > 18) {
      string(d.toPlainString());
      return;
    }
    long unscaled = d.unscaledValue().longValue();
    ensure(scale + 24);
    byte[] b = buf;
    b[pos++] = '"';
    if (unscaled < 0) {
      b[pos++] = '-';
      unscaled = -unscaled;
    }
    if (scale == 0) {
      pos = AsciiDigits.write(b, pos, unscaled);
    } else {
      long unit = AsciiDigits.POWERS_OF_TEN[scale];
      pos = AsciiDigits.write(b, pos, unscaled / unit);  // within the room ensured above: buf stays the same array
      b[pos++] = '.';
      AsciiDigits.fixed(b, pos, scale, unscaled % unit);
      pos += scale;
    }
    b[pos++] = '"';
  }

  /** The decimal digits of {@code v} (with its sign). */
  private void digits(long v) {
    ensure(20);
    pos = AsciiDigits.write(buf, pos, v);
  }

  /** A JSON string: ASCII without escapes is copied byte for byte; the rest escaped or UTF-8 encoded. */
  private void string(String s) {
    int n = s.length();
    ensure(n + 2);
    byte[] b = buf;
    int p = pos;
    b[p++] = '"';
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 128 || ESCAPES[c] != 0) {
        break;
      }
      b[p++] = (byte) c;
    }
    pos = p;
    if (i < n) {
      escaped(s, i, n);
    }
    put('"');
  }

  private void escaped(String s, int from, int n) {
    ensure(6 * (n - from));
    pos = escaped(s, from, n, buf, pos);
  }

  /**
   * Writes characters {@code from..n} of {@code s} as a JSON string's content (no quotes) into {@code b} at {@code p},
   * which has room for 6 bytes a character; answers the position after them.
   */
  public static int escaped(String s, int from, int n, byte[] b, int p) {
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        p = ascii(c, b, p);
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        // as Jackson's generator writes them: each half of a pair as its own escape (JSON.parse joins them)
        p = unicodeEscape(c, b, p);
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return p;
  }

  /** An ASCII character ({@code c < 128}) as a JSON string writes it (as is, or escaped); room for 6 bytes. */
  public static int ascii(int c, byte[] b, int p) {
    byte e = ESCAPES[c];
    if (e == 0) {
      b[p++] = (byte) c;
    } else if (e > 0) {
      b[p++] = '\\';
      b[p++] = e;
    } else {
      p = unicodeEscape((char) c, b, p);
    }
    return p;
  }

  /** <code>&#92;uXXXX</code> for {@code c}, as Jackson wrote it (upper-case hex). */
  public static int unicodeEscape(char c, byte[] b, int p) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xf];
    b[p++] = HEX[(c >> 8) & 0xf];
    b[p++] = HEX[(c >> 4) & 0xf];
    b[p++] = HEX[c & 0xf];
    return p;
  }

  /** Whether an ASCII character ({@code c < 128}) goes into a JSON string as is. */
  public static boolean plain(int c) {
    return ESCAPES[c] == 0;
  }

  /** A json document's text as is, except raw newlines (whitespace outside strings) as spaces: one row, one line. */
  private void raw(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int start = pos;
    put(utf8);
    for (int i = start; i < pos; i++) {
      if (buf[i] == '\n') {
        buf[i] = ' ';
      }
    }
  }

  private void put(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  /** Closes the target (as Jackson's generator did). */
  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
