package io.sightline.api.dashboards;

import io.sightline.shared.dashboards.TileValues;
import io.sightline.shared.params.ParamType;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a tile's query gets its parameter values. A tile's {@code bindings} maps each parameter of the tile's query to
 * one of {@code {"from": "dashboard", "param": "<dashboard parameter>"}}, {@code {"value": <fixed value>}} or
 * {@code {"default": true}}; a parameter left out takes the query's default. Values travel by value, never by list
 * position.
 *
 * <p>A dashboard parameter may feed a tile parameter when every value it can hold is a value of the same shape
 * ({@link #incompatibility}): the same type (an enum's options all among the tile's options); integer → number;
 * enum or query_enum → text; text, enum and query_enum into one another (a value outside the tile's options is then
 * a run-time error of that tile only); single- and multi-select never mix. Dates, timestamps, their ranges and
 * booleans only feed their own type.
 */
final class Bindings {
  private Bindings() {}

  /** Where one tile parameter's value comes from. */
  enum Source { DASHBOARD, VALUE, DEFAULT }

  /** One binding: a dashboard parameter's name, a fixed value, or the query's default. */
  record Binding(Source source, String param, Object value) {
    JsonObject toJson() {
      return switch (source) {
        case DASHBOARD -> new JsonObject().put("from", "dashboard").put("param", param);
        case VALUE -> new JsonObject().put("value", value);
        case DEFAULT -> new JsonObject().put("default", true);
      };
    }
  }

  /**
   * Reads a tile's bindings (null: none); a malformed one is an error at {@code field/<parameter>} in {@code errors}
   * (and left out).
   */
  static Map<String, Binding> parse(JsonObject bindings, String field, Errors errors) {
    Map<String, Binding> out = new LinkedHashMap<>();
    if (bindings == null) {
      return out;
    }
    for (String name : bindings.fieldNames()) {
      String at = field + "/" + Errors.token(name);
      Object raw = bindings.getValue(name);
      if (!(raw instanceof JsonObject b)) {
        errors.add(at, "must be {\"from\": \"dashboard\", \"param\": …}, {\"value\": …} or {\"default\": true}");
        continue;
      }
      Set<String> keys = b.fieldNames();
      if (keys.equals(Set.of("from", "param")) && "dashboard".equals(b.getValue("from"))
          && b.getValue("param") instanceof String p && !p.isEmpty()) {
        out.put(name, new Binding(Source.DASHBOARD, p, null));
      } else if (keys.equals(Set.of("value"))) {
        out.put(name, new Binding(Source.VALUE, null, b.getValue("value")));
      } else if (keys.equals(Set.of("default")) && Boolean.TRUE.equals(b.getValue("default"))) {
        out.put(name, new Binding(Source.DEFAULT, null, null));
      } else {
        errors.add(at, "must be {\"from\": \"dashboard\", \"param\": …}, {\"value\": …} or {\"default\": true}");
      }
    }
    return out;
  }

  /**
   * Checks a tile's bindings against its query's parameters and the dashboard's: no unknown tile or dashboard
   * parameter, compatible types, a valid fixed value, and no required parameter without a default left unbound.
   */
  static void check(Map<String, Binding> bindings, List<ParameterSpec> tileParams,
      Map<String, ParameterSpec> dashboardParams, String field, Errors errors) {
    Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    tileParams.forEach(s -> byName.put(s.name(), s));
    for (Map.Entry<String, Binding> e : bindings.entrySet()) {
      String at = field + "/" + Errors.token(e.getKey());
      ParameterSpec tile = byName.get(e.getKey());
      Binding b = e.getValue();
      if (tile == null) {
        errors.add(at, "is not a parameter of the tile's query" + (byName.isEmpty() ? " (it has none)"
            : " (it has: " + String.join(", ", byName.keySet()) + ")"));
        continue;
      }
      switch (b.source()) {
        case DASHBOARD -> {
          ParameterSpec dash = dashboardParams.get(b.param());
          String why = dash == null ? "names no dashboard parameter '" + b.param() + "'" : incompatibility(dash, tile);
          if (why != null) {
            errors.add(at, why);
          }
        }
        case VALUE -> {
          if (b.value() == null) {
            errors.add(at + "/value", "must be a value (leave the parameter out, or use {\"default\": true}, for the"
                + " query's default)");
          } else {
            try {
              tile.checkValue(b.value(), at + "/value");
            } catch (ParameterException bad) {
              errors.add(bad.field(), "is not a valid value of " + tile.type().wireName() + " parameter '"
                  + tile.name() + "': " + bad.reason());
            }
          }
        }
        case DEFAULT -> { }
      }
    }
    for (ParameterSpec tile : tileParams) {
      Binding b = bindings.get(tile.name());
      if (tile.required() && tile.defaultValue() == null && (b == null || b.source() == Source.DEFAULT)) {
        errors.add(field + "/" + Errors.token(tile.name()), "is required by the tile's query and has no default:"
            + " bind it to a dashboard parameter or give it a value");
      }
    }
  }

  /** Why values of dashboard parameter {@code dash} cannot feed tile parameter {@code tile}; null when they can. */
  static String incompatibility(ParameterSpec dash, ParameterSpec tile) {
    String kinds = article(describe(dash)) + " dashboard parameter ('" + dash.name() + "') cannot feed "
        + article(describe(tile)) + " parameter";
    if (dash.multi() != tile.multi()) {
      return kinds + " (single- and multi-select values differ)";
    }
    ParamType d = dash.type();
    ParamType t = tile.type();
    if (d == ParamType.ENUM && t == ParamType.ENUM) {
      List<String> missing = dash.options().stream().filter(o -> !tile.options().contains(o)).toList();
      return missing.isEmpty() ? null : "the dashboard parameter '" + dash.name() + "' offers "
          + quoted(missing) + ", which the tile parameter does not (its options: " + quoted(tile.options()) + ")";
    }
    if (d == t || d == ParamType.INTEGER && t == ParamType.NUMBER || isText(d) && isText(t)) {
      return null;
    }
    return kinds;
  }

  private static boolean isText(ParamType type) {
    return type == ParamType.TEXT || type.isChoice();
  }

  private static String describe(ParameterSpec spec) {
    return (spec.multi() ? "multi-select " : "") + spec.type().wireName();
  }

  private static String article(String word) {
    return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
  }

  private static String quoted(List<String> values) {
    int shown = Math.min(values.size(), 10);
    return values.subList(0, shown).stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "))
        + (values.size() > shown ? " and " + (values.size() - shown) + " more" : "");
  }

  /** The values a tile's query runs with ({@link TileValues#of}, shared with scheduled refreshes). */
  static JsonObject values(Map<String, Binding> bindings, JsonObject dashboardValues) {
    return TileValues.of(toJson(bindings), dashboardValues);
  }

  /** The bindings as stored. */
  static JsonObject toJson(Map<String, Binding> bindings) {
    JsonObject out = new JsonObject();
    bindings.forEach((name, b) -> out.put(name, b.toJson()));
    return out;
  }
}
