package io.sightline.shared.runs;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The JSON form of a runs row (API responses and events). */
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
      json.put("requestedByName", name == null || name.isBlank() ? null : name);
    }
    // where a queued run stands (only the single-run read computes it)
    if (r.getColumnIndex("queue_ahead") >= 0 && r.getValue("queue_ahead") != null) {
      json.put("queue", new JsonObject().put("ahead", r.getInteger("queue_ahead"))
          .put("running", r.getInteger("queue_running"))
          .put("maxConcurrency", r.getInteger("queue_max_concurrency")));
    }
    return json;
  }

  private static String uuid(UUID id) {
    return id == null ? null : id.toString();
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
