package io.sightline.shared.viz;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneRules;

/**
 * Reads numbers and times straight from a scanned row's bytes: doubles by the exact fast path (≤ 15 digits, divided
 * by a power of ten: correctly rounded) with {@link Double#parseDouble} for the rest; exact {@link BigDecimal}s for
 * decimal and bigint columns; ISO dates and timestamps to epoch milliseconds — {@code timestamptz} by its offset,
 * {@code timestamp} and {@code date} as wall-clock time in the org's zone (offsets cached per local minute).
 */
final class Cells {
  /** What {@link #time} answers for SQL NULL, infinity or text that is not a time. */
  static final long NO_TIME = Long.MIN_VALUE;
  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private final ZoneId zoneId;
  private final ZoneRules zone;
  private final ZoneOffset fixed;
  private long cachedMinute = Long.MIN_VALUE;
  private int cachedOffsetSeconds;
  private char[] chars = new char[64];
  private final byte[] lastTime = new byte[48];
  private int lastTimeLength = -1;
  private long lastTimeValue;

  Cells(ZoneId zone) {
    this.zoneId = zone;
    this.zone = zone.getRules();
    this.fixed = this.zone.isFixedOffset() ? this.zone.getOffset(java.time.Instant.EPOCH) : null;
  }

  /** Cells of the same zone for another thread (the caches here are not shared). */
  Cells fresh() {
    return new Cells(zoneId);
  }

  /** The number in the slot as a double; NaN when it is null or not a finite number. */
  static double number(RowScanner row, int slot) {
    byte k = row.kind(slot);
    if (k != RowScanner.NUMBER && k != RowScanner.STRING) {
      return Double.NaN;
    }
    byte[] b = row.data();
    int s = row.start(slot);
    int e = row.end(slot);
    int p = s;
    boolean negative = false;
    if (p < e && (b[p] == '-' || b[p] == '+')) {
      negative = b[p] == '-';
      p++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = -1;
    boolean sawDigit = false;
    for (; p < e; p++) {
      byte c = b[p];
      if (c >= '0' && c <= '9') {
        sawDigit = true;
        if (mantissa != 0 || c != '0') {
          digits++;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (scale >= 0) {
          scale++;
        }
        if (digits > 15) {
          return slow(b, s, e);
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        return slow(b, s, e);
      }
    }
    if (!sawDigit) {
      return Double.NaN;
    }
    if (scale > 22) {
      return slow(b, s, e);
    }
    double v = scale <= 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -v : v;
  }

  private static double slow(byte[] b, int s, int e) {
    try {
      double d = Double.parseDouble(new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1));
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException ex) {
      return Double.NaN;
    }
  }

  /** The number in the slot exactly; null when it is null or not a finite number. */
  BigDecimal exact(RowScanner row, int slot) {
    byte k = row.kind(slot);
    if (k != RowScanner.NUMBER && k != RowScanner.STRING) {
      return null;
    }
    byte[] b = row.data();
    int s = row.start(slot);
    int e = row.end(slot);
    int len = e - s;
    if (len == 0) {
      return null;
    }
    // fast path: up to 18 digits, plain notation
    if (len <= 19) {
      int p = s;
      boolean negative = b[p] == '-';
      if (negative || b[p] == '+') {
        p++;
      }
      long unscaled = 0;
      int scale = -1;
      int digits = 0;
      boolean plain = p < e;
      for (; p < e; p++) {
        byte c = b[p];
        if (c >= '0' && c <= '9') {
          unscaled = unscaled * 10 + (c - '0');
          digits++;
          if (scale >= 0) {
            scale++;
          }
        } else if (c == '.' && scale < 0) {
          scale = 0;
        } else {
          plain = false;
          break;
        }
      }
      if (plain && digits > 0 && digits <= 18) {
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
      }
    }
    if (chars.length < len) {
      chars = new char[len];
    }
    for (int i = 0; i < len; i++) {
      chars[i] = (char) (b[s + i] & 0xff);
    }
    try {
      return new BigDecimal(chars, 0, len);
    } catch (NumberFormatException ex) {
      return null;  // NaN, Infinity
    }
  }

  /**
   * The date or timestamp in the slot as epoch milliseconds, or {@link #NO_TIME}. The last text parsed is remembered:
   * long-format results repeat each x on consecutive rows (one per series).
   */
  long time(RowScanner row, int slot) {
    if (row.kind(slot) != RowScanner.STRING) {
      return NO_TIME;
    }
    byte[] b = row.data();
    int s = row.start(slot);
    int e = row.end(slot);
    int len = e - s;
    if (len == lastTimeLength && java.util.Arrays.equals(lastTime, 0, len, b, s, e)) {
      return lastTimeValue;
    }
    long value = parseTime(row, b, s, e);
    if (len <= lastTime.length) {
      System.arraycopy(b, s, lastTime, 0, len);
      lastTimeLength = len;
      lastTimeValue = value;
    }
    return value;
  }

  private long parseTime(RowScanner row, byte[] b, int s, int e) {
    // yyyy-MM-dd[THH:mm[:ss[.fff…]]][Z|±HH[:mm[:ss]]]
    if (e - s < 10 || b[s + 4] != '-' || b[s + 7] != '-' || !digits(b, s, 4) || !digits(b, s + 5, 2)
        || !digits(b, s + 8, 2)) {
      return slowTime(new String(b, s, e - s, java.nio.charset.StandardCharsets.UTF_8));
    }
    int year = num(b, s, 4);
    int month = num(b, s + 5, 2);
    int day = num(b, s + 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return NO_TIME;
    }
    long seconds = daysFromCivil(year, month, day) * 86_400L;
    long nanosMillis = 0;
    int p = s + 10;
    if (p < e && (b[p] == 'T' || b[p] == ' ')) {
      if (e - p < 6 || !digits(b, p + 1, 2) || b[p + 3] != ':' || !digits(b, p + 4, 2)) {
        return slowTime(new String(b, s, e - s, java.nio.charset.StandardCharsets.UTF_8));
      }
      seconds += num(b, p + 1, 2) * 3600L + num(b, p + 4, 2) * 60L;
      p += 6;
      if (p + 2 < e + 0 && b[p] == ':' && digits(b, p + 1, 2)) {
        seconds += num(b, p + 1, 2);
        p += 3;
        if (p < e && b[p] == '.') {
          p++;
          int scale = 0;
          while (p < e && b[p] >= '0' && b[p] <= '9') {
            if (scale < 3) {
              nanosMillis = nanosMillis * 10 + (b[p] - '0');
            }
            scale++;
            p++;
          }
          for (int i = scale; i < 3; i++) {
            nanosMillis *= 10;
          }
        }
      }
    }
    if (p == e) {  // no offset: wall-clock time in the org's zone
      return (seconds - offsetSeconds(seconds)) * 1000 + nanosMillis;
    }
    if (b[p] == 'Z' && p + 1 == e) {
      return seconds * 1000 + nanosMillis;
    }
    if ((b[p] == '+' || b[p] == '-') && e - p >= 3 && digits(b, p + 1, 2)) {
      int sign = b[p] == '-' ? -1 : 1;
      int off = num(b, p + 1, 2) * 3600;
      int q = p + 3;
      if (q < e && b[q] == ':') {
        q++;
      }
      if (q + 2 <= e && digits(b, q, 2)) {
        off += num(b, q, 2) * 60;
        q += 2;
        if (q < e && b[q] == ':') {
          q++;
        }
        if (q + 2 <= e && digits(b, q, 2)) {
          off += num(b, q, 2);
          q += 2;
        }
      }
      if (q == e) {
        return (seconds - sign * off) * 1000 + nanosMillis;
      }
    }
    return slowTime(new String(b, s, e - s, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The zone's offset for a local time given as seconds since the local epoch (cached per local minute). */
  private int offsetSeconds(long localSeconds) {
    if (fixed != null) {
      return fixed.getTotalSeconds();
    }
    long minute = Math.floorDiv(localSeconds, 60);
    if (minute != cachedMinute) {
      cachedMinute = minute;
      cachedOffsetSeconds = zone.getOffset(LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC))
          .getTotalSeconds();
    }
    return cachedOffsetSeconds;
  }

  /** Years beyond 4 digits, BC dates and other rare spellings; NO_TIME for infinity and non-times. */
  private long slowTime(String text) {
    if (text == null) {
      return NO_TIME;
    }
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime local = text.length() <= 10 ? java.time.LocalDate.parse(text).atStartOfDay()
            : LocalDateTime.parse(text);
        return local.atZone(zoneId).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        return NO_TIME;
      }
    }
  }

  private static boolean digits(byte[] b, int p, int n) {
    for (int i = 0; i < n; i++) {
      if (b[p + i] < '0' || b[p + i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static int num(byte[] b, int p, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = v * 10 + (b[p + i] - '0');
    }
    return v;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  static long daysFromCivil(long y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
