package io.sightline.api.dashboards;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.shared.params.ParameterCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON schemas of the dashboards routes (request bodies and answers), for validation and the OpenAPI document. */
final class DashboardSchemas {
  private DashboardSchemas() {}

  static JsonObject tile() {
    JsonObject binding = new JsonObject().put("type", "object").put("maxProperties", 2)
        .put("description", "{\"from\": \"dashboard\", \"param\": <name>} | {\"value\": <fixed value>} |"
            + " {\"default\": true}");
    return object(props()
        .put("id", uuid())
        .put("kind", enumOf("viz", "text"))
        .put("visualizationId", uuid().put("type", new JsonArray().add("string").add("null")))
        .put("title", nullableString(200, "Outages per hour"))
        .put("text", nullableString(DashboardForm.MAX_TEXT_BYTES, "## Notes"))
        .put("x", integer(0, DashboardForm.COLUMNS - 1, 0))
        .put("y", integer(0, DashboardForm.MAX_Y, 0))
        .put("w", integer(1, DashboardForm.COLUMNS, 12))
        .put("h", integer(1, DashboardForm.MAX_HEIGHT, 8))
        .put("bindings", new JsonObject().put("type", "object").put("maxProperties", ParameterCheck.MAX_PARAMS)
            .put("additionalProperties", binding).put("examples", new JsonArray().add(new JsonObject())))
        .put("clickAction", new JsonObject().put("type", new JsonArray().add("object").add("null"))
            .put("properties", props().put("setParam", string(1, 64, "province")).put("column", string(1, 1000,
                "province")))
            .put("required", new JsonArray().add("setParam").add("column")).put("additionalProperties", false)),
        "kind", "x", "y", "w", "h");
  }

  static JsonObject save(boolean withVersion) {
    JsonArray refresh = new JsonArray().addNull();
    DashboardForm.REFRESH_SECONDS.forEach(refresh::add);
    JsonObject props = props()
        .put("name", name(200, "Outages"))
        .put("slug", string(1, DashboardForm.MAX_SLUG, "outages"))
        .put("description", string(0, 5000, "Customers without power, per province"))
        .put("tags", new JsonObject().put("type", "array").put("maxItems", DashboardForm.MAX_TAGS)
            .put("items", string(1, DashboardForm.MAX_TAG, "ops")).put("examples", new JsonArray().add(new JsonArray()
                .add("ops"))))
        .put("params", new JsonObject().put("type", "array").put("maxItems", 50)
            .put("items", new JsonObject().put("type", "object")).put("examples", new JsonArray().add(new JsonArray())))
        .put("refreshSeconds", new JsonObject().put("type", new JsonArray().add("integer").add("null"))
            .put("enum", refresh).put("examples", new JsonArray().add(60)))
        .put("tiles", new JsonObject().put("type", "array").put("maxItems", DashboardForm.MAX_TILES)
            .put("items", tile()).put("examples", new JsonArray().add(new JsonArray())));
    if (withVersion) {
      props.put("version", integer(1, Integer.MAX_VALUE, 1));
      return object(props, "name", "version");
    }
    return object(props, "name");
  }

  static JsonObject tileResponse() {
    return response(props().put("id", uuid()).put("kind", enumOf("viz", "text")).put("visualizationId", uuid())
        .put("title", nullableString(200, "Outages")).put("text", nullableString(DashboardForm.MAX_TEXT_BYTES, "## Notes"))
        .put("x", integer(0, 23, 0)).put("y", integer(0, DashboardForm.MAX_Y, 0)).put("w", integer(1, 24, 12))
        .put("h", integer(1, DashboardForm.MAX_HEIGHT, 8)).put("bindings", new JsonObject().put("type", "object"))
        .put("clickAction", new JsonObject().put("type", new JsonArray().add("object").add("null")))
        .put("visualization", response(props().put("id", uuid()).put("name", string(1, 200, "Outages per hour"))
            .put("kind", string(1, 20, "line")).put("config", new JsonObject().put("type", "object"))
            .put("version", integer(1, Integer.MAX_VALUE, 1)).put("queryId", uuid())))
        .put("query", response(props().put("id", uuid()).put("name", string(1, 200, "Outages"))
            .put("params", new JsonObject().put("type", "array")).put("archived", bool(false)))));
  }

  static JsonObject dashboard() {
    return response(props().put("id", uuid()).put("slug", string(1, DashboardForm.MAX_SLUG, "outages"))
        .put("name", string(1, 200, "Outages")).put("description", string(0, 5000, ""))
        .put("tags", arrayOf(string(1, DashboardForm.MAX_TAG, "ops")))
        .put("params", new JsonObject().put("type", "array"))
        .put("refreshSeconds", new JsonObject().put("type", new JsonArray().add("integer").add("null")))
        .put("version", integer(1, Integer.MAX_VALUE, 3))
        .put("createdBy", nullableString(254, "ops@example.com")).put("updatedBy", nullableString(254,
            "ops@example.com"))
        .put("createdAt", string(1, 40, "2026-11-29T03:00:00Z")).put("updatedAt", string(1, 40,
            "2026-11-29T03:00:00Z"))
        .put("lastViewedAt", nullableString(40, "2026-11-29T03:00:00Z"))
        .put("tiles", arrayOf(tileResponse())));
  }

  static JsonObject listItem() {
    return response(props().put("id", uuid()).put("slug", string(1, DashboardForm.MAX_SLUG, "outages"))
        .put("name", string(1, 200, "Outages")).put("description", string(0, 5000, ""))
        .put("tags", arrayOf(string(1, DashboardForm.MAX_TAG, "ops")))
        .put("tileCount", integer(0, DashboardForm.MAX_TILES, 6)).put("version", integer(1, Integer.MAX_VALUE, 3))
        .put("ownerId", uuid()).put("owner", nullableString(254, "ops@example.com"))
        .put("updatedBy", nullableString(254, "ops@example.com"))
        .put("createdAt", string(1, 40, "2026-11-29T03:00:00Z")).put("updatedAt", string(1, 40,
            "2026-11-29T03:00:00Z"))
        .put("lastViewedAt", nullableString(40, "2026-11-29T03:00:00Z")));
  }
}
