package io.sightline.connector.postgres;

import io.sightline.shared.result.JsonRowEncoder;
import io.sightline.shared.text.AsciiDigits;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of {@code COPY (query) TO STDOUT} in text format, written as the JSON-lines rows the cursor path stores for the
 * same values ({@link PgValues}, then {@link JsonRowEncoder}: the golden files) — byte by byte, without a Java object
 * per value. Only for results whose every column has a type mapped here ({@link #of}). The session's DateStyle must be
 * ISO and its extra_float_digits at least 1 (pgjdbc asks for both at connect, as vertx-pg-client does): then each of
 * these types has one text form and a float's text parses back to its exact value.
 *
 * <p>The building block of a COPY read path (docs/benchmarks.md, "A COPY read path"), not yet used by the connector.
 */
final class CopyTextRows {
  private enum Kind { INTEGER, BIGINT, DECIMAL, FLOAT4, FLOAT8, BOOLEAN, TEXT, UUID, DATE, TIMESTAMP, TIMESTAMPTZ }

  /** By {@code pg_type.typname}. */
  private static final Map<String, Kind> KINDS = Map.ofEntries(Map.entry("int2", Kind.INTEGER),
      Map.entry("int4", Kind.INTEGER), Map.entry("int8", Kind.BIGINT), Map.entry("numeric", Kind.DECIMAL),
      Map.entry("float4", Kind.FLOAT4), Map.entry("float8", Kind.FLOAT8), Map.entry("bool", Kind.BOOLEAN),
      Map.entry("text", Kind.TEXT), Map.entry("varchar", Kind.TEXT), Map.entry("bpchar", Kind.TEXT),
      Map.entry("name", Kind.TEXT), Map.entry("uuid", Kind.UUID), Map.entry("date", Kind.DATE),
      Map.entry("timestamp", Kind.TIMESTAMP), Map.entry("timestamptz", Kind.TIMESTAMPTZ));
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  /** Integers of at most this many digits are within a JSON number's exact range (2^53 - 1 has 16). */
  private static final int SAFE_DIGITS = 15;

  private final Kind[] kinds;

  private CopyTextRows(Kind[] kinds) {
    this.kinds = kinds;
  }

  /** For columns of these types ({@code pg_type.typname}, in order), or empty when one of them is not mapped here. */
  static Optional<CopyTextRows> of(List<String> typeNames) {
    Kind[] kinds = new Kind[typeNames.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = KINDS.get(typeNames.get(i));
      if (kinds[i] == null) {
        return Optional.empty();
      }
    }
    return Optional.of(new CopyTextRows(kinds));
  }

  /** The most bytes {@link #line} writes for a COPY row of {@code length} bytes. */
  int maxLine(int length) {
    return 6 * length + 8 * kinds.length + 3;
  }

  /**
   * Writes the JSON line, newline included, of the COPY row {@code row[0..length)} (its own newline may be there or
   * not) into {@code out} from {@code pos}, which has room for {@link #maxLine}; answers the position after it.
   */
  int line(byte[] row, int length, byte[] out, int pos) {
    int end = length > 0 && row[length - 1] == '\n' ? length - 1 : length;
    int p = pos;
    out[p++] = '[';
    int from = 0;
    for (int c = 0; c < kinds.length; c++) {
      int to = from;
      while (to < end && row[to] != '\t') {
        to++;
      }
      if (c > 0) {
        out[p++] = ',';
      }
      if (to - from == 2 && row[from] == '\\' && row[from + 1] == 'N') {
        System.arraycopy(NULL, 0, out, p, 4);
        p += 4;
      } else {
        p = value(kinds[c], row, from, to, out, p);
      }
      from = to + 1;
    }
    if (from <= end) {
      throw new IllegalStateException("a COPY row with more fields than its " + kinds.length + " columns");
    }
    out[p++] = ']';
    out[p++] = '\n';
    return p;
  }

  private static int value(Kind kind, byte[] row, int from, int to, byte[] out, int p) {
    switch (kind) {
      case INTEGER -> {
        return copy(row, from, to, out, p);
      }
      case BIGINT -> {
        int digits = to - from - (row[from] == '-' ? 1 : 0);
        if (digits <= SAFE_DIGITS) {
          return copy(row, from, to, out, p);
        }
        long v = Long.parseLong(latin1(row, from, to));
        if (Math.abs(v) <= JsonRowEncoder.MAX_SAFE_INTEGER && v != Long.MIN_VALUE) {
          return copy(row, from, to, out, p);
        }
        return quoted(row, from, to, out, p);
      }
      case DECIMAL, UUID -> {
        // numeric: always a string, its digits as Postgres prints them (NaN and ±Infinity as words)
        return quoted(row, from, to, out, p);
      }
      case FLOAT4 -> {
        return JsonRowEncoder.floating(PgValues.widen(Float.parseFloat(latin1(row, from, to))), out, p);
      }
      case FLOAT8 -> {
        return JsonRowEncoder.floating(Double.parseDouble(latin1(row, from, to)), out, p);
      }
      case BOOLEAN -> {
        byte[] word = row[from] == 't' ? TRUE : FALSE;
        System.arraycopy(word, 0, out, p, word.length);
        return p + word.length;
      }
      case TEXT -> {
        return text(row, from, to, out, p);
      }
      case DATE, TIMESTAMP, TIMESTAMPTZ -> {
        return dateTime(kind, row, from, to, out, p);
      }
      default -> throw new IllegalStateException("unmapped kind " + kind);
    }
  }

  private static String latin1(byte[] row, int from, int to) {
    return new String(row, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static int copy(byte[] row, int from, int to, byte[] out, int p) {
    System.arraycopy(row, from, out, p, to - from);
    return p + to - from;
  }

  private static int quoted(byte[] row, int from, int to, byte[] out, int p) {
    out[p++] = '"';
    p = copy(row, from, to, out, p);
    out[p++] = '"';
    return p;
  }

  /**
   * A text field: COPY's backslash escapes undone, then written as a JSON string. Valid UTF-8 is copied as it is,
   * except 4-byte sequences, which become their two UTF-16 halves escaped (as the encoder writes them); a field with
   * anything else (invalid UTF-8, from a SQL_ASCII database) goes through a Java String as the cursor path's does.
   */
  private static int text(byte[] row, int from, int to, byte[] out, int p) {
    int start = p;
    out[p++] = '"';
    for (int i = from; i < to; i++) {
      int run = i;
      while (run < to && row[run] >= 0 && row[run] != '\\' && JsonRowEncoder.plain(row[run])) {
        run++;   // a run of ASCII that JSON takes as it is: copied in one go
      }
      if (run > i) {
        p = copy(row, i, run, out, p);
        if (run == to) {
          break;
        }
        i = run;
      }
      int b = row[i] & 0xff;
      if (b == '\\' && i + 1 < to) {
        b = unescape(row[++i]);
        if (b >= 0x80) {
          return slowText(row, from, to, out, start);
        }
        p = JsonRowEncoder.ascii(b, out, p);
      } else if (b < 0x80) {
        p = JsonRowEncoder.ascii(b, out, p);
      } else {
        int n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
        int cp = n == 0 || i + n > to ? -1 : codePoint(row, i, n);
        if (cp < 0) {
          return slowText(row, from, to, out, start);
        }
        if (n == 4) {
          p = JsonRowEncoder.unicodeEscape(Character.highSurrogate(cp), out, p);
          p = JsonRowEncoder.unicodeEscape(Character.lowSurrogate(cp), out, p);
        } else {
          p = copy(row, i, i + n, out, p);
        }
        i += n - 1;
      }
    }
    out[p++] = '"';
    return p;
  }

  /** The code point of the {@code n}-byte UTF-8 sequence at {@code i}, or -1 when it is not well-formed. */
  private static int codePoint(byte[] row, int i, int n) {
    int cp = row[i] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
    for (int k = 1; k < n; k++) {
      int b = row[i + k] & 0xff;
      if ((b & 0xc0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    boolean shortest = n == 2 ? cp >= 0x80 : n == 3 ? cp >= 0x800 : cp >= 0x10000;
    boolean valid = shortest && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    return valid ? cp : -1;
  }

  private static int slowText(byte[] row, int from, int to, byte[] out, int start) {
    byte[] raw = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      raw[n++] = row[i] == '\\' && i + 1 < to ? (byte) unescape(row[++i]) : row[i];
    }
    String s = new String(raw, 0, n, StandardCharsets.UTF_8);
    int p = start;
    out[p++] = '"';
    p = JsonRowEncoder.escaped(s, 0, s.length(), out, p);
    out[p++] = '"';
    return p;
  }

  /** The character a COPY text escape stands for (COPY TO writes only these). */
  private static int unescape(byte e) {
    return switch (e) {
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'v' -> 0x0b;
      default -> e & 0xff;
    };
  }

  /**
   * Postgres's ISO text ({@code 2026-11-29 03:04:05.5+05:45}, {@code 0044-03-15 BC}, {@code infinity}) as the
   * canonical text: {@code 2026-11-28T21:19:05.5Z} — timestamptz moved to UTC from the session's offset (the session's
   * time zone is the user's: it decides what their query's date_trunc and casts mean, so it is left alone), the year
   * astronomical and signed as ISO-8601 extends it ({@code -0043}, {@code +294276}).
   */
  private static int dateTime(Kind kind, byte[] row, int from, int to, byte[] out, int p) {
    if (row[from] == 'i' || row[from] == '-') {
      return quoted(row, from, to, out, p);   // infinity, -infinity (a year is never printed with a sign)
    }
    boolean bc = to - from > 3 && row[to - 3] == ' ' && row[to - 2] == 'B' && row[to - 1] == 'C';
    int end = bc ? to - 3 : to;
    int dash = from;
    int year = 0;
    while (row[dash] != '-') {
      year = year * 10 + (row[dash++] - '0');
    }
    if (bc) {
      year = 1 - year;
    }
    out[p++] = '"';
    if (kind == Kind.DATE) {
      p = PgDateTimes.isoYear(out, p, year);
      p = copy(row, dash, dash + 6, out, p);   // -MM-DD
      out[p++] = '"';
      return p;
    }
    int time = dash + 7;
    int zone = end;
    int offset = 0;
    if (kind == Kind.TIMESTAMPTZ) {
      zone = time + 8;
      while (row[zone] != '+' && row[zone] != '-') {
        zone++;
      }
      offset = offsetSeconds(row, zone, end);
    }
    if (offset == 0) {
      p = PgDateTimes.isoYear(out, p, year);
      p = copy(row, dash, dash + 6, out, p);
      out[p++] = 'T';
      p = copy(row, time, zone, out, p);
    } else {
      LocalDateTime utc = LocalDateTime.of(year, twoDigits(row, dash + 1), twoDigits(row, dash + 4),
          twoDigits(row, time), twoDigits(row, time + 3), twoDigits(row, time + 6)).minusSeconds(offset);
      p = PgDateTimes.isoYear(out, p, utc.getYear());
      p = twoDigits('-', utc.getMonthValue(), out, p);
      p = twoDigits('-', utc.getDayOfMonth(), out, p);
      p = twoDigits('T', utc.getHour(), out, p);
      p = twoDigits(':', utc.getMinute(), out, p);
      p = twoDigits(':', utc.getSecond(), out, p);
      p = copy(row, time + 8, zone, out, p);   // the fraction, if any: an offset has whole seconds
    }
    if (kind == Kind.TIMESTAMPTZ) {
      out[p++] = 'Z';
    }
    out[p++] = '"';
    return p;
  }

  /** {@code +05:45}, {@code -03}, {@code +05:41:16} (a local mean time) in seconds east of UTC. */
  private static int offsetSeconds(byte[] row, int sign, int end) {
    int seconds = 0;
    int unit = 3600;
    for (int i = sign + 1; i + 1 < end && unit >= 1; i += 3, unit /= 60) {
      seconds += twoDigits(row, i) * unit;
    }
    return row[sign] == '-' ? -seconds : seconds;
  }

  private static int twoDigits(byte[] row, int i) {
    return (row[i] - '0') * 10 + (row[i + 1] - '0');
  }

  private static int twoDigits(char before, int v, byte[] out, int p) {
    out[p++] = (byte) before;
    AsciiDigits.fixed(out, p, 2, v);
    return p + 2;
  }
}
