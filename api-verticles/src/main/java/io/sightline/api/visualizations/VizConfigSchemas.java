package io.sightline.api.visualizations;

import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Schemas;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of each visualization kind's {@code config} (classpath {@code viz/<kind>.schema.json}, mirroring
 * {@code webapp/src/viz/types.ts} field for field). Registered once as OpenAPI components
 * ({@code VizConfig_<kind>}); a body schema with a {@code kind} and a {@code config} validates the config against the
 * schema of the body's kind, so a wrong field is a 400 naming it ({@code /config/y/0/aggregate}).
 */
public final class VizConfigSchemas {
  /** Every kind, in the order the API documents them. */
  public static final List<String> KINDS = List.of("line", "area", "bar", "stat", "table");

  private static final Map<String, JsonObject> SCHEMAS = load();

  private VizConfigSchemas() {}

  private static Map<String, JsonObject> load() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (String kind : KINDS) {
      String path = "viz/" + kind + ".schema.json";
      try (InputStream in = VizConfigSchemas.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing classpath resource " + path);
        }
        JsonObject schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!id(kind).equals(schema.getString("$id"))) {
          throw new IllegalStateException(path + ": $id must be " + id(kind));
        }
        out.put(kind, schema);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + path, e);
      }
    }
    return Map.copyOf(out);
  }

  /** The schema's {@code $id}, which route schemas {@code $ref}. */
  public static String id(String kind) {
    return "urn:sightline:viz:" + kind;
  }

  /** The config schema of {@code kind} (a copy). */
  public static JsonObject schema(String kind) {
    JsonObject schema = SCHEMAS.get(kind);
    if (schema == null) {
      throw new IllegalArgumentException("no visualization kind " + kind);
    }
    return schema.copy();
  }

  /** Registers the five schemas as {@code components.schemas.VizConfig_<kind>}. */
  public static void register(ApiRoutes routes) {
    KINDS.forEach(kind -> routes.component("VizConfig_" + kind, schema(kind)));
  }

  /** A {@code kind} property: one of {@link #KINDS}. */
  public static JsonObject kindProperty() {
    return Schemas.enumOf(KINDS.toArray(String[]::new));
  }

  /** A {@code config} property (an object; its shape is decided by the kind, see {@link #byKind(JsonObject)}). */
  public static JsonObject configProperty() {
    return new JsonObject().put("type", "object")
        .put("description", "The kind's config: components.schemas.VizConfig_<kind>")
        .put("examples", new JsonArray().add(new JsonObject()
            .put("x", new JsonObject().put("column", "day"))
            .put("y", new JsonArray().add(new JsonObject().put("column", "customers_out")))));
  }

  /**
   * {@code bodySchema} (an object with {@code kind} and {@code config} properties) with one {@code if kind = k then
   * config is VizConfig_k} per kind, so the body's config is validated against its own kind's schema.
   */
  public static JsonObject byKind(JsonObject bodySchema) {
    JsonArray rules = new JsonArray();
    for (String kind : KINDS) {
      rules.add(new JsonObject()
          .put("if", new JsonObject().put("properties", new JsonObject().put("kind", new JsonObject().put("const", kind)))
              .put("required", new JsonArray().add("kind")))
          .put("then", new JsonObject().put("properties", new JsonObject()
              .put("config", new JsonObject().put("$ref", id(kind))))));
    }
    return bodySchema.copy().put("allOf", rules);
  }

  /** A response's {@code config}: documented as any of the kinds' schemas. */
  public static JsonObject anyConfig() {
    JsonArray refs = new JsonArray();
    KINDS.forEach(kind -> refs.add(new JsonObject().put("$ref", id(kind))));
    return new JsonObject().put("anyOf", refs);
  }
}
