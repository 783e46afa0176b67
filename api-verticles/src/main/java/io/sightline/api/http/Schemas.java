package io.sightline.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Small builders for the JSON Schemas (2020-12) that both validate request bodies and document them. Every property
 * carries an {@code examples} value: the OpenAPI document shows it, and the role-matrix test builds valid bodies
 * from it.
 */
public final class Schemas {
  private Schemas() {}

  /** A closed object: unknown fields are refused. */
  public static JsonObject object(JsonObject properties, String... required) {
    return new JsonObject().put("type", "object").put("properties", properties)
        .put("required", new JsonArray(java.util.List.of(required))).put("additionalProperties", false);
  }

  public static JsonObject props() {
    return new JsonObject();
  }

  public static JsonObject string(int minLength, int maxLength, String example) {
    return new JsonObject().put("type", "string").put("minLength", minLength).put("maxLength", maxLength)
        .put("examples", new JsonArray().add(example));
  }

  public static JsonObject nullableString(int maxLength, String example) {
    return new JsonObject().put("type", new JsonArray().add("string").add("null")).put("maxLength", maxLength)
        .put("examples", new JsonArray().add(example));
  }

  /** A pattern that text passes when it has a character {@link String#trim()} keeps: it is not blank. */
  public static final String NOT_BLANK = "[^\\x00-\\x20]";

  /** A name: required text that is not blank (only spaces or control characters) after trimming. */
  public static JsonObject name(int maxLength, String example) {
    return string(1, maxLength, example).put("pattern", NOT_BLANK);
  }

  public static JsonObject pattern(String regex, int maxLength, String example) {
    return string(1, maxLength, example).put("pattern", regex);
  }

  public static JsonObject email() {
    return pattern("^[^@\\s]+@[^@\\s]+$", 254, "ops@example.com");
  }

  public static JsonObject integer(long min, long max, long example) {
    return new JsonObject().put("type", "integer").put("minimum", min).put("maximum", max)
        .put("examples", new JsonArray().add(example));
  }

  public static JsonObject bool(boolean example) {
    return new JsonObject().put("type", "boolean").put("examples", new JsonArray().add(example));
  }

  public static JsonObject enumOf(String... values) {
    return new JsonObject().put("type", "string").put("enum", new JsonArray(java.util.List.of(values)))
        .put("examples", new JsonArray().add(values[0]));
  }

  public static JsonObject uuid() {
    return new JsonObject().put("type", "string").put("format", "uuid")
        .put("pattern", "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        .put("examples", new JsonArray().add("00000000-0000-0000-0000-000000000000"));
  }

  /** A response object, documented but not validated. */
  public static JsonObject response(JsonObject properties) {
    return new JsonObject().put("type", "object").put("properties", properties);
  }

  public static JsonObject arrayOf(JsonObject items) {
    return new JsonObject().put("type", "array").put("items", items);
  }

  public static JsonObject problem() {
    return response(props()
        .put("type", new JsonObject().put("type", "string"))
        .put("title", new JsonObject().put("type", "string"))
        .put("status", new JsonObject().put("type", "integer"))
        .put("detail", new JsonObject().put("type", "string"))
        .put("errors", arrayOf(response(props()
            .put("field", new JsonObject().put("type", "string").put("description", "JSON pointer into the body"))
            .put("message", new JsonObject().put("type", "string"))))));
  }
}
