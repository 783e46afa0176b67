package io.sightline.shared.runs;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The JSON form of a runs row (API responses and events), and of a run_requests row: who asked for an execution. A run
 * as a requester sees it is the execution with its request's attribution laid over ({@link #asRequested}).
 */
public final class RunRecords {
  private RunRecords() {}

  public static JsonObject json(Row r) {
    JsonObject json = new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("datasourceId", r.getUUID("datasource_id").toString())
        .put("queryId", uuid(r.getUUID("query_id")))
        .put("queryVersion", r.getInteger("query_version"))
        .put("sql", r.getString("sql"))
        .put("params", r.getJsonObject("params"))
        .put("options", r.getJsonObject("options"))
        .put("trigger", r.getString("trigger"))
        .put("requestedBy", uuid(r.getUUID("requested_by")))
        .put("status", r.getString("status"))
        .put("attempt", r.getInteger("attempt"))
        .put("runner", r.getString("runner_id"))
        .put("cancelRequested", r.getValue("cancel_requested_at") != null)
        .put("createdAt", time(r.getOffsetDateTime("created_at")))
        .put("startedAt", time(r.getOffsetDateTime("started_at")))
        .put("finishedAt", time(r.getOffsetDateTime("finished_at")))
        .put("queueMs", r.getLong("queue_ms"))
        .put("execMs", r.getLong("exec_ms"))
        .put("persistMs", r.getLong("persist_ms"))
        .put("rowCount", r.getLong("row_count"))
        .put("byteCount", r.getLong("byte_count"))
        .put("truncated", r.getBoolean("truncated"))
        .put("truncatedReason", r.getString("truncated_reason"))
        .put("error", r.getString("error_code") == null && r.getString("error_message") == null ? null
            : new JsonObject().put("code", r.getString("error_code")).put("message", r.getString("error_message"))
                .put("position", r.getInteger("error_position")))
        .put("resultId", uuid(r.getUUID("result_id")));
    // who asked for it, in words (the history and single-run reads join the user)
    if (r.getColumnIndex("requested_by_email") >= 0) {
      json.put("requestedByEmail", r.getString("requested_by_email"));
      String name = r.getString("requested_by_name");
      json.put("requestedByName", blankToNull(name));
    }
    // who cancelled it for everyone (or withdrew its last request)
    if (r.getColumnIndex("cancel_requested_by") >= 0) {
      json.put("cancelledBy", uuid(r.getUUID("cancel_requested_by")))
          .put("cancelledByEmail", r.getString("cancelled_by_email"))
          .put("cancelledByName", blankToNull(r.getString("cancelled_by_name")));
    }
    // where a queued run stands (only the single-run read computes it)
    if (r.getColumnIndex("queue_ahead") >= 0 && r.getValue("queue_ahead") != null) {
      int ahead = r.getInteger("queue_ahead");
      JsonObject queue = new JsonObject().put("ahead", Math.min(ahead, RunSql.QUEUE_AHEAD_COUNTED))
          .put("running", r.getInteger("queue_running"))
          .put("maxConcurrency", r.getInteger("queue_max_concurrency"));
      if (ahead > RunSql.QUEUE_AHEAD_COUNTED) {
        queue.put("aheadAtLeast", true);  // counted no further: "1,000+ runs ahead"
      }
      json.put("queue", queue);
    }
    return json;
  }

  /** A request (columns named as RunSql's request reads name them). */
  public static JsonObject request(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("request_id").toString())
        .put("queryId", uuid(r.getUUID("request_query_id")))
        .put("queryName", r.getString("request_query_name"))
        .put("queryVersion", r.getInteger("request_query_version"))
        .put("params", r.getJsonObject("request_params"))
        .put("trigger", r.getString("request_trigger"))
        .put("scheduleId", uuid(r.getUUID("request_schedule_id")))
        .put("dashboardId", uuid(r.getUUID("request_dashboard_id")))
        .put("requestedBy", uuid(r.getUUID("request_requested_by")))
        .put("requestedByEmail", r.getString("request_requested_by_email"))
        .put("requestedByName", blankToNull(r.getString("request_requested_by_name")))
        .put("requestedAt", time(r.getOffsetDateTime("requested_at")))
        .put("withdrawnAt", time(r.getOffsetDateTime("withdrawn_at")))
        .put("withdrawnBy", uuid(r.getUUID("withdrawn_by")))
        .put("withdrawnByEmail", r.getString("withdrawn_by_email"))
        .put("withdrawnByName", blankToNull(r.getString("withdrawn_by_name")))
        .put("sharedWith", r.getInteger("shared_with"));
  }

  /** A history row: its execution as its request's requester sees it. */
  public static JsonObject requested(Row r) {
    return asRequested(json(r), request(r));
  }

  /**
   * The execution {@code run} as the requester of {@code request} sees it: the request's query, version, values,
   * trigger and requester; its id ({@code requestId}), time, withdrawal; and {@code sharedWith}, the other live
   * requests of the same execution. {@code id} stays the execution's (runs, events and results are read by it).
   */
  public static JsonObject asRequested(JsonObject run, JsonObject request) {
    for (String field : new String[] {"queryId", "queryVersion", "params", "trigger", "requestedBy",
        "requestedByEmail", "requestedByName", "requestedAt", "withdrawnAt", "withdrawnBy", "withdrawnByEmail",
        "withdrawnByName", "sharedWith", "queryName", "scheduleId", "dashboardId"}) {
      run.put(field, request.getValue(field));
    }
    return run.put("requestId", request.getString("id"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String uuid(UUID id) {
    return id == null ? null : id.toString();
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
