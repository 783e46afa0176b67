package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * One run as a line of {@code runs tail} and {@code runs ls}: time, status, query, datasource, rows, duration, error
 * (columns separated by two spaces, fields that do not apply shown as {@code -}), or the same as one JSON object.
 */
record RunLine(String at, String runId, String status, String query, String datasource, Long rows, Long durationMs,
    String error) {

  /** The line of {@code run} (as {@code GET /api/v1/runs/{id}} answers it) in state {@code status} at {@code at}. */
  static RunLine of(JsonNode run, String status, String at, Lookup lookup) {
    boolean finished = !"queued".equals(status) && !"running".equals(status);
    JsonNode error = run.path("error");
    String message = finished && error.isObject()
        ? (error.path("code").isTextual() ? error.path("code").asText() + ": " : "") + error.path("message").asText("")
        : null;
    return new RunLine(at, run.path("id").asText(), status, lookup.queryName(text(run, "queryId")),
        lookup.datasourceName(text(run, "datasourceId")),
        finished && run.path("rowCount").isNumber() ? run.path("rowCount").asLong() : null,
        finished ? duration(run) : null, message == null ? null : message.replaceAll("\\s+", " ").strip());
  }

  /** Time from start to finish (queue time excluded); null while it has not finished. */
  private static Long duration(JsonNode run) {
    String started = text(run, "startedAt");
    String finished = text(run, "finishedAt");
    if (started == null || finished == null) {
      return run.path("execMs").isNumber() ? run.path("execMs").asLong() : null;
    }
    return Instant.parse(finished).toEpochMilli() - Instant.parse(started).toEpochMilli();
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  String text() {
    return String.join("  ", at, String.format(Locale.ROOT, "%-9s", status), quote(query), quote(datasource),
        rows == null ? "-" : rows + " rows", durationMs == null ? "-" : seconds(durationMs),
        error == null ? "-" : error) + "  " + runId;
  }

  private static String quote(String name) {
    return name.contains(" ") ? "\"" + name + "\"" : name;
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
  }

  ObjectNode json() {
    ObjectNode o = Api.object().put("at", at).put("runId", runId).put("status", status).put("query", query)
        .put("datasource", datasource);
    o.put("rows", rows);
    o.put("durationMs", durationMs);
    o.put("error", error);
    return o;
  }
}
