package io.sightline.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: the body of every API error ({@code application/problem+json}). {@code errors} lists
 * field-level causes as {@code {"field": "<json path>", "message": "..."}}; {@code extensions} are further members of
 * the problem (RFC 9457 §3.2), e.g. the queries that keep a datasource from being deleted. Never carries a stack
 * trace. Sent, it also names the request's id ({@code requestId}).
 */
public record Problem(int status, String type, String title, String detail, JsonArray errors, JsonObject extensions) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, "urn:sightline:problem:" + slug, title, detail, new JsonArray(), new JsonObject());
  }

  public Problem withError(String field, String message) {
    JsonArray copy = errors.copy().add(new JsonObject().put("field", field).put("message", message));
    return new Problem(status, type, title, detail, copy, extensions);
  }

  /** Adds an extension member; the standard members (type, title, status, detail, errors) cannot be replaced. */
  public Problem with(String member, Object value) {
    if (java.util.Set.of("type", "title", "status", "detail", "errors", "requestId").contains(member)) {
      throw new IllegalArgumentException("not an extension member: " + member);
    }
    return new Problem(status, type, title, detail, errors, extensions.copy().put(member, value));
  }

  public JsonObject toJson() {
    JsonObject json = extensions.copy().put("type", type).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (!errors.isEmpty()) {
      json.put("errors", errors);
    }
    return json;
  }

  /** Sends the problem, with the request's id ({@link RequestIds}, from the response header) as {@code requestId}. */
  public void send(HttpServerResponse response) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    JsonObject body = toJson();
    String requestId = response.headers().get(RequestIds.HEADER);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }
}
