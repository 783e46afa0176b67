package io.sightline.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route handler answers: a status, an optional JSON body (JsonObject, JsonArray, or a Buffer already holding
 * JSON text) and extra headers.
 */
public record Reply(int status, Object body, Map<String, String> headers) {
  /** The handler wrote (or is writing) the response itself, e.g. a download streamed chunk by chunk. */
  public static final Reply STREAMED = new Reply(200, null, Map.of());

  public static Reply ok(Object body) {
    return new Reply(200, body, Map.of());
  }

  public static Reply created(Object body) {
    return new Reply(201, body, Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, body, copy);
  }
}
