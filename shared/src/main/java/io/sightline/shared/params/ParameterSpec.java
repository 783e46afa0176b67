package io.sightline.shared.params;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One declared parameter of a saved query; the query's {@code params} JSON array holds these as objects:
 *
 * <pre>{@code
 * {"name": "from", "label": "From", "type": "date_range", "required": true, "default": "last_7d",
 *  "min": "2020-01-01", "max": "2030-12-31"}
 * {"name": "status", "type": "enum", "options": ["open", "closed"], "multi": true, "default": ["open"]}
 * {"name": "customer", "type": "query_enum", "optionsQueryId": "7d0c…", "optionsColumn": "name"}
 * }</pre>
 *
 * <p>JSON fields: {@code name} (required, {@code [A-Za-z_][A-Za-z0-9_]*}, at most 64 characters), {@code label},
 * {@code type} (required, a {@link ParamType#wireName()}), {@code required} (default false), {@code default} (a value
 * valid for the parameter, checked like a run value; ranges may default to a {@link RangePreset}), {@code min} /
 * {@code max} (integer and number: JSON numbers; date, timestamp and their ranges: ISO strings, applied to both ends of
 * a range), {@code options} (enum only: 1 to 1,000 distinct strings), {@code multi} (enum and query_enum),
 * {@code optionsQueryId} and {@code optionsColumn} (query_enum only, both required). Other fields are refused so a
 * typo does not silently drop a setting. JSON {@code null} counts as absent.
 *
 * <p>In Java, a numeric {@code min}/{@code max} is in {@link #min()}/{@link #max()} (Long for integer, BigDecimal for
 * number) and an ISO one in {@link #earliest()}/{@link #latest()}. The canonical constructor validates everything,
 * including the default; errors name the JSON field relative to the declaration ({@code /type}), and
 * {@link #fromJson(JsonObject, String)} / {@link ParameterCheck#parseAll} prefix them ({@code /params/2/type}).
 *
 * @param defaultValue a JSON value (String, Number, Boolean, JsonObject, JsonArray) or {@code null}
 * @param options the options of an enum, empty for other types (never null)
 * @param optionsQueryId the saved query (UUID) whose latest result gives a query_enum's options
 * @param optionsColumn the column of that result
 * @param earliest min of a date / timestamp (range) parameter, ISO text as declared
 * @param latest max of a date / timestamp (range) parameter, ISO text as declared
 */
public record ParameterSpec(String name, String label, ParamType type, boolean required, Object defaultValue,
    Number min, Number max, List<String> options, boolean multi, String optionsQueryId, String optionsColumn,
    String earliest, String latest) {

  static final int MAX_NAME = 64;
  static final int MAX_LABEL = 200;
  static final int MAX_OPTIONS = 1_000;
  static final int MAX_COLUMN = 1_000;
  private static final Set<String> FIELDS = Set.of("name", "label", "type", "required", "default", "min", "max",
      "options", "multi", "optionsQueryId", "optionsColumn");

  /** The declaration as in the API sketch, without date/timestamp bounds. */
  public ParameterSpec(String name, String label, ParamType type, boolean required, Object defaultValue, Number min,
      Number max, List<String> options, boolean multi, String optionsQueryId, String optionsColumn) {
    this(name, label, type, required, defaultValue, min, max, options, multi, optionsQueryId, optionsColumn, null,
        null);
  }

  public ParameterSpec {
    if (name == null) {
      throw new ParameterException(null, "/name", "is required");
    }
    if (!SqlTemplate.isName(name) || name.length() > MAX_NAME) {
      throw new ParameterException(null, "/name", "must start with a letter or underscore, contain only letters, "
          + "digits and underscores, and be at most " + MAX_NAME + " characters");
    }
    if (type == null) {
      throw new ParameterException(name, "/type", "is required (one of " + ParamType.WIRE_NAMES + ")");
    }
    if (label != null) {
      ParamValues.checkText(name, label, "/label", MAX_LABEL);
    }
    options = checkOptions(name, type, options);
    if (multi && !type.isChoice()) {
      throw new ParameterException(name, "/multi", "only enum and query_enum parameters can be multi-select");
    }
    if (type == ParamType.QUERY_ENUM) {
      if (optionsQueryId == null || optionsQueryId.isBlank()) {
        throw new ParameterException(name, "/optionsQueryId", "is required for a query_enum parameter");
      }
      if (!isUuid(optionsQueryId)) {
        throw new ParameterException(name, "/optionsQueryId", "must be a saved query's id (a UUID)");
      }
      if (optionsColumn == null || optionsColumn.isEmpty()) {
        throw new ParameterException(name, "/optionsColumn", "is required for a query_enum parameter");
      }
      ParamValues.checkText(name, optionsColumn, "/optionsColumn", MAX_COLUMN);
    } else if (optionsQueryId != null || optionsColumn != null) {
      throw new ParameterException(name, optionsQueryId != null ? "/optionsQueryId" : "/optionsColumn",
          "only query_enum parameters take their options from a query");
    }
    if (type.isNumeric()) {
      if (earliest != null || latest != null) {
        throw new ParameterException(name, earliest != null ? "/min" : "/max", "must be a number");
      }
      min = numericBound(name, type, min, "/min");
      max = numericBound(name, type, max, "/max");
      if (min != null && max != null && ParamValues.decimal(min).compareTo(ParamValues.decimal(max)) > 0) {
        throw new ParameterException(name, "/max", "must not be less than min");
      }
    } else if (min != null || max != null) {
      throw new ParameterException(name, min != null ? "/min" : "/max", type.isTemporal()
          ? "must be " + (type.isDateBased() ? ParamValues.DATE_FORMAT : ParamValues.TIMESTAMP_FORMAT)
          : "does not apply to " + type.wireName() + " parameters");
    }
    if (!type.isTemporal() && (earliest != null || latest != null)) {
      throw new ParameterException(name, earliest != null ? "/min" : "/max", type.isNumeric() ? "must be a number"
          : "does not apply to " + type.wireName() + " parameters");
    }
    if (earliest != null || latest != null) {
      ParameterSpec bounds = new ParameterSpec(name, null, type, false, null, null, null, null, false, null, null,
          null, null);
      Object from = earliest == null ? null : ParamValues.bound(bounds, earliest, "/min");
      Object to = latest == null ? null : ParamValues.bound(bounds, latest, "/max");
      Integer order = from == null || to == null ? null : ParamValues.compare(from, to, null);
      if (order != null && order > 0) {
        throw new ParameterException(name, "/max", "must not be before min");
      }
    }
    defaultValue = ParamValues.jsonCopy(defaultValue);
    if (defaultValue != null) {
      ParameterSpec withoutDefault = new ParameterSpec(name, label, type, required, null, min, max, options, multi,
          optionsQueryId, optionsColumn, earliest, latest);
      ParamValues.parse(withoutDefault, defaultValue, "/default", null, null);
    }
  }

  private static List<String> checkOptions(String name, ParamType type, List<String> options) {
    if (type != ParamType.ENUM) {
      if (options != null && !options.isEmpty()) {
        throw new ParameterException(name, "/options", type == ParamType.QUERY_ENUM
            ? "a query_enum parameter takes its options from optionsQueryId and optionsColumn"
            : "only enum parameters have options");
      }
      return List.of();
    }
    if (options == null || options.isEmpty()) {
      throw new ParameterException(name, "/options", "an enum parameter needs at least one option");
    }
    if (options.size() > MAX_OPTIONS) {
      throw new ParameterException(name, "/options", "at most " + MAX_OPTIONS + " options");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      if (option == null) {
        throw new ParameterException(name, "/options/" + i, "must be a string");
      }
      ParamValues.checkText(name, option, "/options/" + i, ParamValues.MAX_TEXT);
      if (!seen.add(option)) {
        throw new ParameterException(name, "/options/" + i, "is listed twice");
      }
    }
    return List.copyOf(options);
  }

  private static Number numericBound(String name, ParamType type, Number bound, String field) {
    if (bound == null) {
      return null;
    }
    if (type == ParamType.INTEGER) {
      return ParamValues.integer(name, bound, field);
    }
    return ParamValues.number(name, bound, field);
  }

  private static boolean isUuid(String s) {
    try {
      return s.length() == 36 && UUID.fromString(s) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Checks a value for this parameter as a save checks a default: type, bounds, options (a query_enum's are not
   * known here); a range preset stays unresolved. Throws {@link ParameterException} naming {@code field}.
   */
  public void checkValue(Object value, String field) {
    ParamValues.parse(this, ParamValues.jsonCopy(value), field, null, null);
  }

  /** Reads one declaration; errors name fields relative to it ({@code /type}). */
  public static ParameterSpec fromJson(JsonObject json) {
    return fromJson(json, "");
  }

  /** Reads one declaration found at JSON pointer {@code pointer} (e.g. {@code /params/2}), for error paths. */
  public static ParameterSpec fromJson(JsonObject json, String pointer) {
    Object nameValue = json.getValue("name");
    String name = nameValue instanceof String s ? s : null;
    try {
      for (String key : json.fieldNames()) {
        if (!FIELDS.contains(key)) {
          throw new ParameterException(name, "/" + ParameterException.pointerToken(key),
              "is not a parameter field (name, label, type, required, default, min, max, options, multi, "
                  + "optionsQueryId, optionsColumn)");
        }
      }
      if (nameValue != null && name == null) {
        throw new ParameterException(null, "/name", "must be a string");
      }
      String label = string(json, name, "label");
      String typeName = string(json, name, "type");
      ParamType type = ParamType.fromWireName(typeName);
      if (typeName != null && type == null) {
        throw new ParameterException(name, "/type", "must be one of " + ParamType.WIRE_NAMES);
      }
      boolean required = bool(json, name, "required");
      boolean multi = bool(json, name, "multi");
      Object minValue = json.getValue("min");
      Object maxValue = json.getValue("max");
      Number min = null;
      Number max = null;
      String earliest = null;
      String latest = null;
      if (type != null && type.isTemporal()) {
        earliest = isoBound(json, name, type, "min");
        latest = isoBound(json, name, type, "max");
      } else if (type != null && type.isNumeric()) {
        min = numberField(minValue, name, "/min");
        max = numberField(maxValue, name, "/max");
      } else if (type != null && (minValue != null || maxValue != null)) {
        throw new ParameterException(name, minValue != null ? "/min" : "/max",
            "does not apply to " + type.wireName() + " parameters");
      }
      List<String> options = null;
      Object optionsValue = json.getValue("options");
      if (optionsValue instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          if (!(array.getValue(i) instanceof String)) {
            throw new ParameterException(name, "/options/" + i, "must be a string");
          }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) (List<?>) array.getList();
        options = strings;
      } else if (optionsValue != null) {
        throw new ParameterException(name, "/options", "must be an array of strings");
      }
      return new ParameterSpec(name, label, type, required, json.getValue("default"), min, max, options, multi,
          string(json, name, "optionsQueryId"), string(json, name, "optionsColumn"), earliest, latest);
    } catch (ParameterException e) {
      throw e.under(pointer);
    }
  }

  private static String string(JsonObject json, String name, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new ParameterException(name, "/" + key, "must be a string");
    }
    return (String) v;
  }

  private static boolean bool(JsonObject json, String name, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof Boolean)) {
      throw new ParameterException(name, "/" + key, "must be true or false");
    }
    return Boolean.TRUE.equals(v);
  }

  private static Number numberField(Object v, String name, String field) {
    if (v != null && !(v instanceof Number)) {
      throw new ParameterException(name, field, "must be a number");
    }
    return (Number) v;
  }

  private static String isoBound(JsonObject json, String name, ParamType type, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new ParameterException(name, "/" + key, "must be "
          + (type.isDateBased() ? ParamValues.DATE_FORMAT : ParamValues.TIMESTAMP_FORMAT));
    }
    return (String) v;
  }

  /** The declaration as stored in the query's params (absent and false fields left out; {@code required} always). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (label != null) {
      json.put("label", label);
    }
    json.put("type", type.wireName()).put("required", required);
    if (defaultValue != null) {
      json.put("default", ParamValues.jsonCopy(defaultValue));
    }
    if (min != null || earliest != null) {
      json.put("min", min != null ? min : earliest);
    }
    if (max != null || latest != null) {
      json.put("max", max != null ? max : latest);
    }
    if (!options.isEmpty()) {
      json.put("options", new JsonArray(new ArrayList<Object>(options)));
    }
    if (multi) {
      json.put("multi", true);
    }
    if (optionsQueryId != null) {
      json.put("optionsQueryId", optionsQueryId);
    }
    if (optionsColumn != null) {
      json.put("optionsColumn", optionsColumn);
    }
    return json;
  }
}
