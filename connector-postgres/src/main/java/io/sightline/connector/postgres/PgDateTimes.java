package io.sightline.connector.postgres;

import io.sightline.shared.text.AsciiDigits;
import io.vertx.pgclient.data.Interval;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The canonical text of dates, times and intervals (docs/result-format.md) from what vertx-pg-client 5.0.7 decodes:
 * ISO-8601, the fraction without trailing zeros as Postgres prints it, timestamptz in UTC with {@code Z}. Every
 * timestamp of a result passes here, so the text is assembled in a byte array ({@link Ascii}) and becomes a compact
 * Latin-1 String in one copy, rather than through a StringBuilder a character at a time.
 */
final class PgDateTimes {
  /** -infinity of timestamp/timestamptz as 5.0.7 decodes it (it compares against the wrong sentinel, see golden). */
  static final LocalDateTime TIMESTAMP_MINUS_INFINITY =
      LocalDateTime.of(2000, 1, 1, 0, 0).plus(Long.MIN_VALUE, ChronoUnit.MICROS);
  /** infinity/-infinity of interval (Postgres 17) after the client's normalisation of its (micros, days, months). */
  private static final Interval INTERVAL_INFINITY = clientInterval(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  private static final Interval INTERVAL_MINUS_INFINITY =
      clientInterval(Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE);
  private static final String INFINITY = "infinity";
  private static final String MINUS_INFINITY = "-infinity";

  private PgDateTimes() {}

  /**
   * A year as ISO-8601 and java.time write it: astronomical (1 BC is 0000, 44 BC is -0043), four digits at least, '+'
   * beyond 9999; room for 12 bytes. Answers the position after it.
   */
  static int isoYear(byte[] b, int p, int year) {
    int abs = Math.abs(year);
    if (abs < 10000) {
      if (year < 0) {
        b[p++] = '-';
      }
      AsciiDigits.fixed(b, p, 4, abs);
      return p + 4;
    }
    b[p++] = (byte) (year > 0 ? '+' : '-');
    return AsciiDigits.write(b, p, abs);
  }

  static String date(LocalDate d) {
    if (d.equals(LocalDate.MAX)) {
      return INFINITY;
    } else if (d.equals(LocalDate.MIN)) {
      return MINUS_INFINITY;
    }
    return new Ascii().date(d.getYear(), d.getMonthValue(), d.getDayOfMonth()).text();
  }

  /**
   * 5.0.7 decodes infinity as LocalDateTime.MAX, -infinity as {@link #TIMESTAMP_MINUS_INFINITY}, and the smallest
   * real timestamp (4714-11-24 00:00:00 BC) as LocalDateTime.MIN.
   */
  static String timestamp(LocalDateTime t) {
    if (t.equals(LocalDateTime.MAX)) {
      return INFINITY;
    } else if (t.equals(TIMESTAMP_MINUS_INFINITY)) {
      return MINUS_INFINITY;
    } else if (t.equals(LocalDateTime.MIN)) {
      t = LocalDateTime.of(-4713, 11, 24, 0, 0);
    }
    return new Ascii().dateTime(t).text();
  }

  static String timestamptz(OffsetDateTime t) {
    if (t.equals(OffsetDateTime.MAX)) {
      return INFINITY;
    } else if (t.equals(OffsetDateTime.MIN)) {
      t = OffsetDateTime.of(-4713, 11, 24, 0, 0, 0, 0, ZoneOffset.UTC);
    } else if (t.toLocalDateTime().equals(TIMESTAMP_MINUS_INFINITY)) {
      return MINUS_INFINITY;
    } else if (!t.getOffset().equals(ZoneOffset.UTC)) {
      t = t.withOffsetSameInstant(ZoneOffset.UTC);
    }
    return new Ascii().dateTime(t.toLocalDateTime()).put('Z').text();
  }

  static String time(LocalTime t) {
    return new Ascii().time(t.getHour(), t.getMinute(), t.getSecond(), t.getNano()).text();
  }

  /** The offset as ISO-8601 {@code +hh:mm}, {@code +00:00} included: a timetz keeps its offset, it is not an instant. */
  static String timetz(OffsetTime t) {
    ZoneOffset offset = t.getOffset();
    return new Ascii().time(t.getHour(), t.getMinute(), t.getSecond(), t.getNano())
        .put(offset.equals(ZoneOffset.UTC) ? "+00:00" : offset.getId()).text();
  }

  /**
   * ISO-8601 duration as Postgres writes it with {@code IntervalStyle = iso_8601}: each field signed on its own,
   * zero fields left out, {@code PT0S} for zero. The client has already folded 24 hours into a day and 30 days into a
   * month (an equal interval for Postgres' comparison, not the one the server printed), see golden/interval.sql.
   */
  static String interval(Interval i) {
    if (sameFields(i, INTERVAL_INFINITY)) {
      return INFINITY;
    } else if (sameFields(i, INTERVAL_MINUS_INFINITY)) {
      return MINUS_INFINITY;
    }
    int hours = i.getHours();
    int minutes = i.getMinutes();
    int seconds = i.getSeconds();
    int micros = i.getMicroseconds();
    Ascii a = new Ascii().put('P');
    a.field(i.getYears(), 'Y').field(i.getMonths(), 'M').field(i.getDays(), 'D');
    if (hours != 0 || minutes != 0 || seconds != 0 || micros != 0) {
      a.put('T').field(hours, 'H').field(minutes, 'M');
      if (seconds != 0 || micros != 0) {
        if (seconds < 0 || micros < 0) {
          a.put('-');
        }
        a.number(Math.abs(seconds)).fraction(Math.abs(micros), 6).put('S');
      }
    }
    return a.length() == 1 ? "PT0S" : a.text();
  }

  private static boolean sameFields(Interval a, Interval b) {
    return a.getYears() == b.getYears() && a.getMonths() == b.getMonths() && a.getDays() == b.getDays()
        && a.getHours() == b.getHours() && a.getMinutes() == b.getMinutes() && a.getSeconds() == b.getSeconds()
        && a.getMicroseconds() == b.getMicroseconds();
  }

  /** The Interval 5.0.7 builds from a binary interval (DataTypeCodec.binaryDecodeINTERVAL), to recognise infinity. */
  static Interval clientInterval(long time, int dayField, int monthField) {
    long micros = time;
    long seconds = micros / 1000000;
    micros -= seconds * 1000000;
    long minutes = seconds / 60;
    seconds -= minutes * 60;
    long hours = minutes / 60;
    minutes -= hours * 60;
    long days = hours / 24;
    hours -= days * 24;
    days += dayField;
    long months = days / 30;
    days -= months * 30;
    months += monthField;
    long years = months / 12;
    months -= years * 12;
    return new Interval((int) years, (int) months, (int) days, (int) hours, (int) minutes, (int) seconds,
        (int) micros);
  }

  /** A short ASCII text built in place: room for the longest date, time or interval (64 bytes; grows if need be). */
  private static final class Ascii {
    private byte[] b = new byte[64];
    private int n;

    Ascii put(char c) {
      room(1);
      b[n++] = (byte) c;
      return this;
    }

    Ascii put(String s) {
      room(s.length());
      for (int i = 0; i < s.length(); i++) {
        b[n++] = (byte) s.charAt(i);  // ASCII only: offsets
      }
      return this;
    }

    Ascii number(long v) {
      room(20);
      n = AsciiDigits.write(b, n, v);
      return this;
    }

    Ascii field(int value, char unit) {
      return value == 0 ? this : number(value).put(unit);
    }

    /** A non-negative value zero-padded to {@code width} digits, or all its digits when it has more. */
    Ascii padded(int value, int width) {
      if (value >= AsciiDigits.POWERS_OF_TEN[width]) {
        return number(value);
      }
      room(width);
      AsciiDigits.fixed(b, n, width, value);
      n += width;
      return this;
    }

    Ascii date(int year, int month, int day) {
      room(12);
      n = isoYear(b, n, year);
      return put('-').padded(month, 2).put('-').padded(day, 2);
    }

    Ascii dateTime(LocalDateTime t) {
      return date(t.getYear(), t.getMonthValue(), t.getDayOfMonth()).put('T')
          .time(t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    /** hh:mm:ss, then the fraction without trailing zeros (as Postgres prints it), none when whole. */
    Ascii time(int hour, int minute, int second, int nano) {
      return padded(hour, 2).put(':').padded(minute, 2).put(':').padded(second, 2).fraction(nano, 9);
    }

    Ascii fraction(int fraction, int digits) {
      if (fraction == 0) {
        return this;
      }
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      return put('.').padded(fraction, digits);
    }

    int length() {
      return n;
    }

    String text() {
      return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void room(int more) {
      if (n + more > b.length) {
        b = java.util.Arrays.copyOf(b, Math.max(2 * b.length, n + more));
      }
    }
  }
}
