package io.sightline.shared.runs;

import io.vertx.core.json.JsonObject;

/** A run's effective limits, stored in {@code runs.options}. */
public record RunOptions(long timeoutMs, long maxRows, long maxBytes) {
  public JsonObject toJson() {
    return new JsonObject().put("timeoutMs", timeoutMs).put("maxRows", maxRows).put("maxBytes", maxBytes);
  }

  public static RunOptions fromJson(JsonObject json) {
    return new RunOptions(json.getLong("timeoutMs"), json.getLong("maxRows"), json.getLong("maxBytes"));
  }
}
