package io.sightline.shared.params;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a parameter's declaration and turns it into a typed value. Used for declared defaults
 * at save time ({@code zone == null}: presets stay presets, timestamps without an offset stay local, bounds are
 * compared only where that needs no zone) and for run values at bind time (everything resolved).
 *
 * <p>Typed values: String (text, enum, query_enum), List&lt;String&gt; (multi), Long, BigDecimal, Boolean, LocalDate,
 * Instant (microsecond precision, as Postgres keeps it), {@link Range} of LocalDate or Instant; at save time also
 * LocalDateTime and {@link RangePreset}.
 */
final class ParamValues {
  static final int MAX_TEXT = 10_000;
  static final int MAX_CHOICES = 1_000;
  /** Decimal exponent and precision limit for numbers: far inside Postgres numeric, far outside any real filter. */
  static final int MAX_DIGITS = 1_000;

  static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?)"
          + "([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?");
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  static final String DATE_FORMAT = "a date (yyyy-MM-dd)";
  static final String TIMESTAMP_FORMAT =
      "an ISO-8601 timestamp (yyyy-MM-ddTHH:mm[:ss[.fraction]], optionally followed by Z or an offset like +02:00)";

  /** A resolved (or, at save time, partly resolved) range: LocalDate, Instant or LocalDateTime bounds. */
  record Range(Object start, Object end) {}

  private ParamValues() {}

  /** Checks {@code raw} (not null) for {@code spec}; {@code field} is the JSON pointer of the value for errors. */
  static Object parse(ParameterSpec spec, Object raw, String field, ZoneId zone, Instant now) {
    String name = spec.name();
    switch (spec.type()) {
      case TEXT:
        return text(name, raw, field);
      case INTEGER: {
        long v = integer(name, raw, field);
        checkNumberBounds(spec, BigDecimal.valueOf(v), field);
        return v;
      }
      case NUMBER: {
        BigDecimal v = number(name, raw, field);
        checkNumberBounds(spec, v, field);
        return v;
      }
      case BOOLEAN:
        return bool(name, raw, field);
      case DATE:
      case TIMESTAMP: {
        Object v = temporal(spec, raw, field, zone);
        checkTemporalBounds(spec, v, field, zone);
        return v;
      }
      case DATE_RANGE:
      case TIMESTAMP_RANGE:
        return range(spec, raw, field, zone, now);
      case ENUM:
      case QUERY_ENUM:
        return choice(spec, raw, field);
      default:
        throw new IllegalStateException(spec.type().name());
    }
  }

  static ParameterException fail(String name, String field, String reason) {
    return new ParameterException(name, field, reason);
  }

  // ---------------------------------------------------------------------------------------------------- text

  static String text(String name, Object raw, String field) {
    if (!(raw instanceof String s)) {
      throw fail(name, field, "must be a string");
    }
    checkText(name, s, field, MAX_TEXT);
    return s;
  }

  /** At most {@code max} characters (code points), no NUL, no unpaired surrogate (it could not be sent as UTF-8). */
  static void checkText(String name, String s, String field, int max) {
    if (s.length() > max && s.codePointCount(0, s.length()) > max) {
      throw fail(name, field, "is longer than " + max + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        throw fail(name, field, "must not contain NUL characters");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw fail(name, field, "is not valid Unicode (unpaired surrogate)");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------- numbers

  /** A whole number in the signed 64-bit range: a JSON number without fraction, or a string of digits. */
  static long integer(String name, Object raw, String field) {
    if (raw instanceof String s) {
      if (s.length() > 1000 || !INTEGER.matcher(s).matches()) {
        throw fail(name, field, "must be an integer");
      }
      return exactLong(name, new BigInteger(s), field);
    }
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof BigInteger b) {
      return exactLong(name, b, field);
    }
    if (raw instanceof BigDecimal d) {
      if (d.signum() == 0) {
        return 0;
      }
      if (d.precision() - d.scale() > 20) {
        throw fail(name, field, "is out of range for a 64-bit integer");
      }
      BigDecimal stripped = d.stripTrailingZeros();
      if (stripped.scale() > 0) {
        throw fail(name, field, "must be a whole number");
      }
      return exactLong(name, stripped.toBigIntegerExact(), field);
    }
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (!Double.isFinite(d)) {
        throw fail(name, field, "must be an integer");
      }
      if (d != Math.rint(d)) {
        throw fail(name, field, "must be a whole number");
      }
      if (Math.abs(d) > 0x1p53) {
        throw fail(name, field, "is too large to be exact as a JSON number; send it as a string of digits");
      }
      return (long) d;
    }
    throw fail(name, field, "must be an integer");
  }

  private static long exactLong(String name, BigInteger b, String field) {
    if (b.bitLength() > 63) {
      throw fail(name, field, "is out of range for a 64-bit integer");
    }
    return b.longValue();
  }

  /** A finite decimal: a JSON number or a decimal string (1.5, -2, 1e3). */
  static BigDecimal number(String name, Object raw, String field) {
    BigDecimal d;
    if (raw instanceof String s) {
      if (s.length() > 2 * MAX_DIGITS || !DECIMAL.matcher(s).matches()) {
        throw fail(name, field, "must be a finite decimal number");
      }
      try {
        d = new BigDecimal(s);
      } catch (NumberFormatException | ArithmeticException e) {
        throw fail(name, field, "is outside the supported range");
      }
    } else if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      d = BigDecimal.valueOf(((Number) raw).longValue());
    } else if (raw instanceof BigInteger b) {
      d = new BigDecimal(b);
    } else if (raw instanceof BigDecimal b) {
      d = b;
    } else if (raw instanceof Double || raw instanceof Float) {
      double v = ((Number) raw).doubleValue();
      if (!Double.isFinite(v)) {
        throw fail(name, field, "must be a finite decimal number");
      }
      d = new BigDecimal(raw instanceof Float f ? Float.toString(f) : Double.toString(v));
    } else {
      throw fail(name, field, "must be a finite decimal number");
    }
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    long adjusted = (long) d.precision() - d.scale() - 1;
    if (d.precision() > MAX_DIGITS || Math.abs(adjusted) > MAX_DIGITS) {
      throw fail(name, field, "is outside the supported range (at most " + MAX_DIGITS
          + " significant digits, exponent within ±" + MAX_DIGITS + ")");
    }
    return d;
  }

  private static void checkNumberBounds(ParameterSpec spec, BigDecimal v, String field) {
    if (spec.min() != null && v.compareTo(decimal(spec.min())) < 0) {
      throw fail(spec.name(), field, "must be at least " + plain(spec.min()));
    }
    if (spec.max() != null && v.compareTo(decimal(spec.max())) > 0) {
      throw fail(spec.name(), field, "must be at most " + plain(spec.max()));
    }
  }

  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.toString());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static String plain(Number n) {
    return decimal(n).toPlainString();
  }

  static boolean bool(String name, Object raw, String field) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if ("true".equals(raw)) {
      return true;
    }
    if ("false".equals(raw)) {
      return false;
    }
    throw fail(name, field, "must be true or false");
  }

  // ---------------------------------------------------------------------------------------------------- dates, times

  /** A date, or a timestamp (Instant; LocalDateTime when it has no offset and no zone is given). */
  private static Object temporal(ParameterSpec spec, Object raw, String field, ZoneId zone) {
    return spec.type().isDateBased() ? date(spec.name(), raw, field) : timestamp(spec.name(), raw, field, zone);
  }

  static LocalDate date(String name, Object raw, String field) {
    if (!(raw instanceof String s) || !DATE.matcher(s).matches()) {
      throw fail(name, field, "must be " + DATE_FORMAT);
    }
    return parseDate(name, s, field);
  }

  private static LocalDate parseDate(String name, String s, String field) {
    LocalDate d;
    try {
      d = LocalDate.parse(s);
    } catch (DateTimeException e) {
      throw fail(name, field, "is not a valid date");
    }
    if (d.getYear() < 1) {
      throw fail(name, field, "is outside the supported range (years 0001 to 9999)");
    }
    return d;
  }

  /** With an offset: an Instant. Without: interpreted in {@code zone}, or a LocalDateTime if the zone is null. */
  static Object timestamp(String name, Object raw, String field, ZoneId zone) {
    Matcher m = raw instanceof String s && s.length() <= 64 ? TIMESTAMP.matcher(s) : null;
    if (m == null || !m.matches()) {
      throw fail(name, field, "must be " + TIMESTAMP_FORMAT);
    }
    LocalDate date = parseDate(name, m.group(1), field);
    LocalTime time;
    try {
      time = LocalTime.parse(m.group(2));
    } catch (DateTimeException e) {
      throw fail(name, field, "is not a valid time of day");
    }
    LocalDateTime local = LocalDateTime.of(date, time);
    String offset = m.group(3);
    if (offset == null) {
      return zone == null ? local : instant(name, local.atZone(zone).toInstant(), field);
    }
    ZoneOffset zoneOffset;
    try {
      zoneOffset = offset.equalsIgnoreCase("z") ? ZoneOffset.UTC : ZoneOffset.of(offset);
    } catch (DateTimeException e) {
      throw fail(name, field, "has an invalid offset (at most ±18:00)");
    }
    return instant(name, local.toInstant(zoneOffset), field);
  }

  private static Instant instant(String name, Instant i, String field) {
    if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
      throw fail(name, field, "is outside the supported range (years 0001 to 9999)");
    }
    return i.truncatedTo(ChronoUnit.MICROS);
  }

  /** Compares two temporal values; {@code null} when that needs a zone and there is none. */
  static Integer compare(Object a, Object b, ZoneId zone) {
    if (a instanceof LocalDate x && b instanceof LocalDate y) {
      return x.compareTo(y);
    }
    if (a instanceof Instant x && b instanceof Instant y) {
      return x.compareTo(y);
    }
    if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
      return x.compareTo(y);
    }
    if (zone == null) {
      return null;
    }
    return toInstant(a, zone).compareTo(toInstant(b, zone));
  }

  private static Instant toInstant(Object t, ZoneId zone) {
    return t instanceof LocalDateTime l ? l.atZone(zone).toInstant() : (Instant) t;
  }

  /** The declared bound (min/max of a date or timestamp parameter) as a typed value. */
  static Object bound(ParameterSpec spec, String text, String field) {
    return spec.type().isDateBased() ? date(spec.name(), text, field) : timestamp(spec.name(), text, field, null);
  }

  private static void checkTemporalBounds(ParameterSpec spec, Object v, String field, ZoneId zone) {
    if (spec.earliest() != null) {
      Integer c = compare(v, bound(spec, spec.earliest(), "/min"), zone);
      if (c != null && c < 0) {
        throw fail(spec.name(), field, "must not be before " + spec.earliest());
      }
    }
    if (spec.latest() != null) {
      Integer c = compare(v, bound(spec, spec.latest(), "/max"), zone);
      if (c != null && c > 0) {
        throw fail(spec.name(), field, "must not be after " + spec.latest());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------- ranges

  private static Object range(ParameterSpec spec, Object raw, String field, ZoneId zone, Instant now) {
    String name = spec.name();
    boolean dates = spec.type().isDateBased();
    String expected = "must be {\"start\": …, \"end\": …} or one of " + RangePreset.WIRE_NAMES;
    Range range;
    if (raw instanceof String s) {
      RangePreset preset = RangePreset.fromWireName(s);
      if (preset == null) {
        throw fail(name, field, expected);
      }
      if (zone == null) {
        return preset;
      }
      if (dates) {
        LocalDate[] d = preset.dates(now, zone);
        range = new Range(d[0], d[1]);
      } else {
        Instant[] i = preset.instants(now, zone);
        range = new Range(instant(name, i[0], field), instant(name, i[1], field));
      }
    } else if (raw instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        if (!key.equals("start") && !key.equals("end")) {
          throw fail(name, field + "/" + ParameterException.pointerToken(key),
              "unknown field; a range has start and end");
        }
      }
      Object start = bound(spec, o.getValue("start"), field + "/start", zone, dates);
      Object end = bound(spec, o.getValue("end"), field + "/end", zone, dates);
      Integer c = compare(start, end, zone);
      if (c != null && c > 0) {
        throw fail(name, field, "start must not be after end");
      }
      range = new Range(start, end);
    } else {
      throw fail(name, field, expected);
    }
    checkTemporalBounds(spec, range.start(), field + "/start", zone);
    checkTemporalBounds(spec, range.end(), field + "/end", zone);
    return range;
  }

  private static Object bound(ParameterSpec spec, Object raw, String field, ZoneId zone, boolean dates) {
    if (raw == null) {
      throw fail(spec.name(), field, "is required");
    }
    return dates ? date(spec.name(), raw, field) : timestamp(spec.name(), raw, field, zone);
  }

  // ---------------------------------------------------------------------------------------------------- choices

  private static Object choice(ParameterSpec spec, Object raw, String field) {
    String name = spec.name();
    Set<String> options = spec.type() == ParamType.ENUM ? new HashSet<>(spec.options()) : null;
    if (!spec.multi()) {
      String s = text(name, raw, field);
      if (options != null && !options.contains(s)) {
        throw fail(name, field, "is not one of the options");
      }
      return s;
    }
    if (!(raw instanceof JsonArray array)) {
      throw fail(name, field, "must be an array of strings (multi-select)");
    }
    if (array.isEmpty()) {
      throw fail(name, field, "must have at least one value");
    }
    if (array.size() > MAX_CHOICES) {
      throw fail(name, field, "must have at most " + MAX_CHOICES + " values");
    }
    List<String> chosen = new ArrayList<>(array.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String element = field + "/" + i;
      String s = text(name, array.getValue(i), element);
      if (options != null && !options.contains(s)) {
        throw fail(name, element, "is not one of the options");
      }
      if (!seen.add(s)) {
        throw fail(name, element, "is given twice");
      }
      chosen.add(s);
    }
    return Collections.unmodifiableList(chosen);
  }

  // ---------------------------------------------------------------------------------------------------- output

  /** What is bound for a typed value (or one part of a range): text, or a list of text for multi-select. */
  static Object bindText(Object typed, String part) {
    if (typed == null) {
      return null;
    }
    if (typed instanceof Range r) {
      return bindText("start".equals(part) ? r.start() : r.end(), null);
    }
    if (typed instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (typed instanceof List<?> list) {
      return list; // already an unmodifiable List<String>
    }
    return typed.toString(); // String, Long, Boolean, LocalDate (yyyy-MM-dd), Instant (ISO-8601, Z)
  }

  /** The typed value as recorded with the run (JSON). */
  static Object json(Object typed) {
    if (typed == null || typed instanceof String || typed instanceof Long || typed instanceof BigDecimal
        || typed instanceof Boolean) {
      return typed;
    }
    if (typed instanceof Range r) {
      return new JsonObject().put("start", json(r.start())).put("end", json(r.end()));
    }
    if (typed instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return typed.toString();
  }

  /** A JSON-compatible copy of a declared default: Map and List become JsonObject and JsonArray. */
  @SuppressWarnings("unchecked")
  static Object jsonCopy(Object value) {
    if (value instanceof JsonObject o) {
      return o.copy();
    }
    if (value instanceof JsonArray a) {
      return a.copy();
    }
    if (value instanceof Map<?, ?> m) {
      return new JsonObject((Map<String, Object>) m).copy();
    }
    if (value instanceof List<?> l) {
      return new JsonArray((List<Object>) l).copy();
    }
    return value;
  }
}
