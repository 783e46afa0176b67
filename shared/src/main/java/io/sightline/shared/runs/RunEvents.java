package io.sightline.shared.runs;

import io.sightline.shared.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Live run updates on the event bus: every state change and progress sample is published on the run's address and on
 * its org's run feed. Hints only — the database is the truth, and a lost message is repaired by the next one or a poll.
 */
public final class RunEvents {
  private RunEvents() {}

  public static void publish(Vertx vertx, String orgId, JsonObject event) {
    vertx.eventBus().publish(Addresses.run(event.getString("runId")), event);
    vertx.eventBus().publish(Addresses.orgRuns(orgId), event);
  }

  public static JsonObject state(String runId, String status) {
    return new JsonObject().put("runId", runId).put("status", status).put("at", System.currentTimeMillis());
  }
}
