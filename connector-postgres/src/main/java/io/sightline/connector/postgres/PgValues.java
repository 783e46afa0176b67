package io.sightline.connector.postgres;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.data.Box;
import io.vertx.pgclient.data.Cidr;
import io.vertx.pgclient.data.Circle;
import io.vertx.pgclient.data.Inet;
import io.vertx.pgclient.data.Interval;
import io.vertx.pgclient.data.Line;
import io.vertx.pgclient.data.LineSegment;
import io.vertx.pgclient.data.Money;
import io.vertx.pgclient.data.Path;
import io.vertx.pgclient.data.Point;
import io.vertx.pgclient.data.Polygon;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns what vertx-pg-client 5.0.7 decodes into the canonical values of {@link ColumnMeta}. The golden files under
 * {@code src/test/resources/golden} are the specification; what the client cannot deliver is listed there too.
 *
 * <p>What the client gives (and this class relies on): {@link ColumnDescriptor#typeName()} is the client's own
 * {@code DataType} constant ({@code INT4}, {@code TEXT_ARRAY}, ...) and every type it does not know (enums, citext,
 * composite types, regclass, ...) is {@code UNKNOWN} — the type's OID and name are lost, so an enum cannot be told from
 * any other unknown type. Unknown types arrive as the server's text ({@code String}), or as {@code String[]} when that
 * text starts with '{'. Binary-decoded types arrive as Java objects ({@code Short}, {@code LocalDateTime}, {@code Buffer},
 * {@code Numeric}, {@code Interval}, Java arrays...); json/jsonb arrive already parsed ({@link JsonObject},
 * {@link JsonArray}, String, Number, Boolean or {@link Tuple#JSON_NULL}).
 */
final class PgValues {
  static final String INTEGER = "integer";
  static final String BIGINT = "bigint";
  static final String DECIMAL = "decimal";
  static final String NUMBER = "number";
  static final String BOOLEAN = "boolean";
  static final String TEXT = "text";
  static final String UUID_TYPE = "uuid";
  static final String DATE = "date";
  static final String TIMESTAMP = "timestamp";
  static final String TIMESTAMPTZ = "timestamptz";
  static final String TIME = "time";
  static final String TIMETZ = "timetz";
  static final String INTERVAL = "interval";
  static final String JSON = "json";
  static final String BYTEA = "bytea";
  static final String ARRAY = "array";
  static final String UNKNOWN = "unknown";

  private static final String ARRAY_SUFFIX = "_ARRAY";
  private static final Map<String, PgType> TYPES = new HashMap<>();

  static {
    type(INTEGER, "INT2", "INT4");
    type(BIGINT, "INT8");
    type(NUMBER, "FLOAT4", "FLOAT8");
    type(DECIMAL, "NUMERIC", "MONEY");
    type(BOOLEAN, "BOOL");
    type(TEXT, "TEXT", "VARCHAR", "BPCHAR", "NAME");
    TYPES.put("CHAR", new PgType(TEXT, "\"char\""));
    type(UUID_TYPE, "UUID");
    type(DATE, "DATE");
    type(TIMESTAMP, "TIMESTAMP");
    type(TIMESTAMPTZ, "TIMESTAMPTZ");
    type(TIME, "TIME");
    type(TIMETZ, "TIMETZ");
    type(INTERVAL, "INTERVAL");
    type(JSON, "JSON", "JSONB");
    type(BYTEA, "BYTEA");
    // the client hands these over as its own objects (Inet, Point, ...); they travel as Postgres' text form
    type(UNKNOWN, "INET", "CIDR", "POINT", "LINE", "LSEG", "BOX", "PATH", "POLYGON", "CIRCLE");
    TYPES.put("TS_VECTOR", new PgType(UNKNOWN, "tsvector"));
    TYPES.put("TS_QUERY", new PgType(UNKNOWN, "tsquery"));
    // the client asks for these in binary but cannot decode them: every value arrives as null (see golden files)
    type(UNKNOWN, "BIT", "VARBIT", "MACADDR", "MACADDR8", "XML", "OID", "VOID", "HSTORE");
    // any type the client does not know: enums, domains over them, citext, composites, regclass, pg_lsn, ...
    type(UNKNOWN, "UNKNOWN");
  }

  private static void type(String sightlineType, String... clientNames) {
    for (String name : clientNames) {
      TYPES.put(name, new PgType(sightlineType, name.toLowerCase(java.util.Locale.ROOT)));
    }
  }

  private record PgType(String type, String sourceType) {}

  private static final String JSON_NULL = "null";
  private static final String NAN = "NaN";

  private PgValues() {}

  /** Sightline columns of a result, from vertx-pg-client's column descriptors (available even for 0 rows). */
  static List<ColumnMeta> columns(List<ColumnDescriptor> descriptors) {
    List<ColumnMeta> columns = new ArrayList<>(descriptors.size());
    for (ColumnDescriptor d : descriptors) {
      columns.add(column(d.name(), d.typeName()));
    }
    return List.copyOf(columns);
  }

  static ColumnMeta column(String name, String clientType) {
    String t = clientType == null ? "UNKNOWN" : clientType;
    if (t.endsWith(ARRAY_SUFFIX)) {
      PgType element = TYPES.getOrDefault(t.substring(0, t.length() - ARRAY_SUFFIX.length()),
          new PgType(UNKNOWN, "unknown"));
      return new ColumnMeta(name, ARRAY, element.sourceType() + "[]", element.type());
    }
    PgType type = TYPES.getOrDefault(t, new PgType(UNKNOWN, t.toLowerCase(java.util.Locale.ROOT)));
    return new ColumnMeta(name, type.type(), type.sourceType());
  }

  /** One row as canonical values (see {@link ColumnMeta}): one entry per column, null for SQL NULL. */
  static Object[] row(Row row, List<ColumnMeta> columns) {
    int n = columns.size();
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      Object v = row.getValue(i);
      if (v != null) {
        ColumnMeta column = columns.get(i);
        values[i] = value(v, column.type(), column.elementType());
      }
    }
    return values;
  }

  /** A non-null client value as the canonical value of a column of Sightline type {@code type}. */
  static Object value(Object v, String type, String elementType) {
    switch (type) {
      case INTEGER, BIGINT -> {
        if (v instanceof Long l) {
          return l;
        }
        if (v instanceof Integer || v instanceof Short) {
          return ((Number) v).longValue();
        }
      }
      case NUMBER -> {
        if (v instanceof Double) {
          return v;
        }
        if (v instanceof Float f) {
          return widen(f);
        }
      }
      case DECIMAL -> {
        return decimal(v);
      }
      case TEXT -> {
        if (v instanceof String) {
          return v;
        }
      }
      case BOOLEAN -> {
        if (v instanceof Boolean) {
          return v;
        }
      }
      case TIMESTAMPTZ -> {
        if (v instanceof OffsetDateTime t) {
          return PgDateTimes.timestamptz(t);
        }
      }
      case TIMESTAMP -> {
        if (v instanceof LocalDateTime t) {
          return PgDateTimes.timestamp(t);
        }
      }
      case DATE -> {
        if (v instanceof LocalDate d) {
          return PgDateTimes.date(d);
        }
      }
      case JSON -> {
        return json(v);
      }
      case ARRAY -> {
        if (v instanceof Object[] a) {
          return list(a, elementType);
        }
      }
      default -> {
        // the remaining types are told apart by their value's class (below)
      }
    }
    return text(v);
  }

  private static List<Object> list(Object[] array, String elementType) {
    Object[] out = new Object[array.length];
    for (int i = 0; i < array.length; i++) {
      Object e = array[i];
      if (e != null) {
        // a nested Java array is a sub-array of a multi-dimensional array (5.0.7 never produces one, see golden)
        out[i] = e instanceof Object[] sub ? list(sub, elementType) : value(e, elementType, null);
      }
    }
    return Arrays.asList(out);
  }

  /** The text form of a value whose Sightline type is told by its class (uuid, time, interval, bytea, unknown...). */
  private static Object text(Object v) {
    if (v instanceof String) {
      return v;
    } else if (v instanceof UUID u) {
      return u.toString();
    } else if (v instanceof LocalTime t) {
      return PgDateTimes.time(t);
    } else if (v instanceof OffsetTime t) {
      return PgDateTimes.timetz(t);
    } else if (v instanceof Interval i) {
      return PgDateTimes.interval(i);
    } else if (v instanceof Buffer b) {
      return bytea(b);
    } else if (v instanceof String[] a) {
      return unknownArrayText(a);
    } else if (v instanceof Inet inet) {
      return inet(inet.getAddress(), inet.getNetmask());
    } else if (v instanceof Cidr cidr) {
      return inet(cidr.getAddress(), cidr.getNetmask());
    } else if (v instanceof Point || v instanceof Line || v instanceof LineSegment || v instanceof Box
        || v instanceof Path || v instanceof Polygon || v instanceof Circle) {
      return geometry(v);
    } else if (v instanceof Object[] a) {
      Object[] texts = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        texts[i] = a[i] == null ? null : text(a[i]).toString();
      }
      return arrayText(texts);
    } else if (v instanceof Numeric || v instanceof Money) {
      return decimal(v);
    } else if (v instanceof Float f) {
      return widen(f);
    } else if (v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    } else if (v instanceof LocalDate d) {
      return PgDateTimes.date(d);
    } else if (v instanceof LocalDateTime t) {
      return PgDateTimes.timestamp(t);
    } else if (v instanceof OffsetDateTime t) {
      return PgDateTimes.timestamptz(t);
    } else if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }

  // ---- numbers ----

  /** numeric (NaN as the string "NaN"; numeric ±Infinity never gets here: the client fails the query) and money. */
  static Object decimal(Object v) {
    if (v instanceof Numeric n) {
      BigDecimal d = n.bigDecimalValue();
      return d == null ? NAN : d;
    } else if (v instanceof Money m) {
      return m.bigDecimalValue();
    } else if (v instanceof BigDecimal) {
      return v;
    } else if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    return v.toString();
  }

  /**
   * A float4 as the double a person reads: 1.1f is 1.100000023841858 as a plain widening, so go through the float's
   * shortest decimal form. Small integral values (the common case) skip the detour.
   */
  static Double widen(Float f) {
    float x = f;
    if (x == (int) x && Math.abs(x) <= (1 << 24)) {
      return (double) x;
    }
    return Double.valueOf(Float.toString(x));
  }

  // ---- bytea, json ----

  static String bytea(Buffer b) {
    int n = Math.min(b.length(), ColumnMeta.BYTEA_CAP);
    return Base64.getEncoder().encodeToString(b.getBytes(0, n));
  }

  /**
   * The document's JSON text, carried as a string so that a JSON {@code null} document ({@code "null"}) stays distinct
   * from SQL NULL. The client has parsed the document; this is its compact re-encoding (numbers beyond a double are
   * rounded).
   */
  static String json(Object v) {
    if (v instanceof JsonObject o) {
      return o.encode();
    } else if (v instanceof JsonArray a) {
      return a.encode();
    } else if (v == Tuple.JSON_NULL) {
      return JSON_NULL;
    } else if (v instanceof Boolean b) {
      return b.toString();
    } else if (v instanceof Number n) {
      return n.toString();
    }
    return Json.encode(v);
  }

  // ---- text forms of the types Sightline has no type for ----

  /**
   * Postgres' text of an array of a type the client does not know (an enum[], citext[]...), which the client has
   * split at its commas: re-quoted as array_out does. A multi-dimensional one arrives cut at every comma ("{a", "b}"),
   * recognisable by its leading brace; its pieces are joined back as they are.
   */
  static String unknownArrayText(String[] a) {
    if (a.length > 0 && a[0] != null && a[0].startsWith("{")) {
      StringBuilder sb = new StringBuilder().append('{');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(a[i] == null ? "NULL" : a[i]);
      }
      return sb.append('}').toString();
    }
    return arrayText(a);
  }

  private static String arrayText(Object[] elements) {
    StringBuilder sb = new StringBuilder().append('{');
    for (int i = 0; i < elements.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String e = (String) elements[i];
      if (e == null) {
        sb.append("NULL");
      } else if (needsQuotes(e)) {
        sb.append('"');
        for (int c = 0; c < e.length(); c++) {
          char ch = e.charAt(c);
          if (ch == '"' || ch == '\\') {
            sb.append('\\');
          }
          sb.append(ch);
        }
        sb.append('"');
      } else {
        sb.append(e);
      }
    }
    return sb.append('}').toString();
  }

  /** Postgres' array_out rule. */
  private static boolean needsQuotes(String e) {
    if (e.isEmpty() || e.equalsIgnoreCase("NULL")) {
      return true;
    }
    for (int i = 0; i < e.length(); i++) {
      char ch = e.charAt(i);
      if (ch == '{' || ch == '}' || ch == ',' || ch == '"' || ch == '\\' || ch == ' ' || ch == '\t' || ch == '\n'
          || ch == '\r' || ch == '\u000B' || ch == '\f') {
        return true;
      }
    }
    return false;
  }

  /** inet/cidr as Postgres prints them: no /32 (/128) on a host inet, IPv6 with its longest zero run as "::". */
  static String inet(InetAddress address, Integer netmask) {
    String host = address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    return netmask == null ? host : host + "/" + netmask;
  }

  private static String ipv6(byte[] bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    if (bestLength < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  private static String geometry(Object v) {
    StringBuilder sb = new StringBuilder();
    if (v instanceof Point p) {
      point(sb, p);
    } else if (v instanceof Line l) {
      sb.append('{').append(number(l.getA())).append(',').append(number(l.getB())).append(',')
          .append(number(l.getC())).append('}');
    } else if (v instanceof LineSegment s) {
      sb.append('[');
      point(sb, s.getP1());
      sb.append(',');
      point(sb, s.getP2());
      sb.append(']');
    } else if (v instanceof Box b) {
      point(sb, b.getUpperRightCorner());
      sb.append(',');
      point(sb, b.getLowerLeftCorner());
    } else if (v instanceof Path p) {
      sb.append(p.isOpen() ? '[' : '(');
      points(sb, p.getPoints());
      sb.append(p.isOpen() ? ']' : ')');
    } else if (v instanceof Polygon p) {
      sb.append('(');
      points(sb, p.getPoints());
      sb.append(')');
    } else if (v instanceof Circle c) {
      sb.append('<');
      point(sb, c.getCenterPoint());
      sb.append(',').append(number(c.getRadius())).append('>');
    }
    return sb.toString();
  }

  private static void points(StringBuilder sb, List<Point> points) {
    for (int i = 0; i < points.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      point(sb, points.get(i));
    }
  }

  private static void point(StringBuilder sb, Point p) {
    sb.append('(').append(number(p.getX())).append(',').append(number(p.getY())).append(')');
  }

  /** A float8 about as Postgres prints it: 1 not 1.0, 1e+20 not 1.0E20. */
  static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exponent = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
  }
}
