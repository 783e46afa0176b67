package io.sightline.shared.viz;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Reads a visualization config leniently where types.ts makes a field optional (absent or null = the default) and
 * strictly where it is required or names a column: every failure is a {@link ShapeException} naming the field's JSON
 * pointer under {@code /config}. Column names are checked against the result's columns here, at render time.
 */
final class ConfigReader {
  static final Set<String> NUMERIC = Set.of("integer", "bigint", "decimal", "number");
  static final Set<String> EXACT = Set.of("bigint", "decimal");
  static final Set<String> TIME = Set.of("date", "timestamp", "timestamptz");

  private final List<ColumnMeta> columns;

  ConfigReader(List<ColumnMeta> columns) {
    this.columns = columns;
  }

  static JsonObject object(JsonObject parent, String key, String path, boolean required) {
    Object v = parent == null ? null : parent.getValue(key);
    if (v == null) {
      if (required) {
        throw new ShapeException(path + "/" + key, "is required");
      }
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new ShapeException(path + "/" + key, "must be an object");
    }
    return o;
  }

  static JsonArray array(JsonObject parent, String key, String path) {
    Object v = parent.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw new ShapeException(path + "/" + key, "must be an array");
    }
    return a;
  }

  static String string(JsonObject parent, String key, String path, String fallback) {
    Object v = parent == null ? null : parent.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw new ShapeException(path + "/" + key, "must be a string");
    }
    return s;
  }

  static String choice(JsonObject parent, String key, String path, String fallback, String... allowed) {
    String v = string(parent, key, path, fallback);
    if (v != null && !List.of(allowed).contains(v)) {
      throw new ShapeException(path + "/" + key, "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  static Double number(JsonObject parent, String key, String path) {
    Object v = parent == null ? null : parent.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw new ShapeException(path + "/" + key, "must be a number");
    }
    return n.doubleValue();
  }

  static int integer(JsonObject parent, String key, String path, int fallback, int min, int max) {
    Double v = number(parent, key, path);
    if (v == null) {
      return fallback;
    }
    if (v != Math.rint(v) || v < min || v > max) {
      throw new ShapeException(path + "/" + key, "must be a whole number from " + min + " to " + max);
    }
    return v.intValue();
  }

  static boolean bool(JsonObject parent, String key, String path, boolean fallback) {
    Object v = parent == null ? null : parent.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw new ShapeException(path + "/" + key, "must be true or false");
    }
    return b;
  }

  /** The index of the column named at {@code parent.key}; a 400 naming the field when the result has none. */
  int column(JsonObject parent, String key, String path, boolean required) {
    String name = string(parent, key, path, null);
    if (name == null) {
      if (required) {
        throw new ShapeException(path + "/" + key, "is required");
      }
      return -1;
    }
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new ShapeException(path + "/" + key, "no column \"" + name + "\" in this result; it has: "
        + String.join(", ", columns.stream().map(ColumnMeta::name).toList()));
  }

  /** A column that must hold numbers (integer, bigint, decimal, number). */
  int numericColumn(JsonObject parent, String key, String path, boolean required) {
    int i = column(parent, key, path, required);
    if (i >= 0 && !NUMERIC.contains(type(i))) {
      throw new ShapeException(path + "/" + key, "column \"" + columns.get(i).name() + "\" is " + type(i)
          + ", not a number");
    }
    return i;
  }

  /** A column that must hold dates or timestamps. */
  int timeColumn(JsonObject parent, String key, String path, boolean required) {
    int i = column(parent, key, path, required);
    if (i >= 0 && !TIME.contains(type(i))) {
      throw new ShapeException(path + "/" + key, "column \"" + columns.get(i).name() + "\" is " + type(i)
          + ", not a date or timestamp");
    }
    return i;
  }

  String type(int column) {
    return columns.get(column).type();
  }

  String name(int column) {
    return columns.get(column).name();
  }

  boolean exact(int column) {
    return EXACT.contains(type(column));
  }

  int size() {
    return columns.size();
  }
}
