package io.sightline.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: the body of every API error ({@code application/problem+json}). {@code errors} lists
 * field-level causes as {@code {"field": "<json path>", "message": "..."}}. Never carries a stack trace.
 */
public record Problem(int status, String type, String title, String detail, JsonArray errors) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, "urn:sightline:problem:" + slug, title, detail, new JsonArray());
  }

  public Problem withError(String field, String message) {
    JsonArray copy = errors.copy().add(new JsonObject().put("field", field).put("message", message));
    return new Problem(status, type, title, detail, copy);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (!errors.isEmpty()) {
      json.put("errors", errors);
    }
    return json;
  }

  public void send(HttpServerResponse response) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(toJson().encode());
  }
}
