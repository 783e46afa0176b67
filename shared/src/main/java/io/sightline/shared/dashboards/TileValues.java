package io.sightline.shared.dashboards;

import io.sightline.shared.params.ParameterSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How a dashboard's parameter values reach its tiles, as pure functions over what is stored (the api checks bindings
 * when a dashboard is saved; the api's dashboard runs and the runner's scheduled refreshes both resolve them here).
 * A tile's {@code bindings} maps a parameter of its query to {@code {"from": "dashboard", "param": …}},
 * {@code {"value": …}} or {@code {"default": true}}; a parameter left out takes the query's default.
 */
public final class TileValues {
  private TileValues() {}

  /** The dashboard's values: each parameter's given value, else its default (a range preset stays a preset). */
  public static JsonObject dashboardValues(List<ParameterSpec> specs, JsonObject given) {
    JsonObject values = new JsonObject();
    for (ParameterSpec spec : specs) {
      Object v = given == null ? null : given.getValue(spec.name());
      values.put(spec.name(), v != null ? v : spec.defaultValue());
    }
    return values;
  }

  /**
   * The values a tile's query runs with: each parameter bound to a dashboard parameter gets that parameter's value
   * (when it has one), each bound to a fixed value gets it; everything else is left out, so the query's default
   * applies. Malformed bindings are left out too (saved dashboards have none).
   */
  public static JsonObject of(JsonObject bindings, JsonObject dashboardValues) {
    JsonObject out = new JsonObject();
    if (bindings == null) {
      return out;
    }
    for (String name : bindings.fieldNames()) {
      if (!(bindings.getValue(name) instanceof JsonObject b)) {
        continue;
      }
      Object v = null;
      if ("dashboard".equals(b.getValue("from")) && b.getValue("param") instanceof String p) {
        v = dashboardValues.getValue(p);
      } else if (b.containsKey("value")) {
        v = b.getValue("value");
      }
      if (v != null) {
        out.put(name, v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v);
      }
    }
    return out;
  }
}
