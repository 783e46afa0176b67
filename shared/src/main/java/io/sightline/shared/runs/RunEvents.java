package io.sightline.shared.runs;

import io.sightline.shared.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Live run updates on the event bus: every state change and progress sample is published on the run's address and on
 * its org's run feed. Hints only — the database is the truth, and a lost message is repaired by the next one or a poll.
 *
 * <p>The queued, running and finished events of an execution also carry its {@code queryId} (null for ad-hoc SQL)
 * and {@code fingerprint}: the hash of exactly the work done (datasource, bound statement, bound parameter values,
 * limits), the key identical requests share an execution by. A page showing a query's result for some parameter
 * values (a dashboard tile) is told that fingerprint when it asks for the result, and so recognises, on the org feed,
 * a run of that very work started by anyone (a schedule, another viewer, the workbench) without polling. A succeeded
 * finished event also carries {@code resultId}.
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

  /** A state change of an execution, with what it computes: its query (null: ad-hoc SQL) and fingerprint. */
  public static JsonObject state(String runId, String status, String queryId, String fingerprint) {
    return state(runId, status).put("queryId", queryId).put("fingerprint", fingerprint);
  }
}
