package io.sightline.shared.runs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a caller asks to run. {@code timeoutMs}, {@code maxRows} and {@code maxBytes} are per-run overrides (null: the
 * datasource's defaults); {@code maxAgeSeconds} accepts a recent result of the same fingerprint instead of a new run.
 *
 * @param trigger manual, schedule, dashboard or api
 * @param priority higher runs first; interactive runs use {@link #INTERACTIVE}, scheduled ones {@link #SCHEDULED}
 */
public record RunRequest(
    String orgId, String datasourceId, String queryId, Integer queryVersion, String sql, JsonObject params,
    String boundSql, JsonArray bindValues, Long timeoutMs, Long maxRows, Long maxBytes, Long maxAgeSeconds,
    String trigger, int priority, String requestedBy, String scheduleId, String dashboardId) {

  public static final int INTERACTIVE = 10;
  public static final int SCHEDULED = 0;

  /** An ad-hoc SQL run (no parameters) requested by a person or an API key. */
  public static RunRequest adHoc(String orgId, String datasourceId, String sql, Long timeoutMs, Long maxRows,
      Long maxBytes, Long maxAgeSeconds, String trigger, String requestedBy) {
    return new RunRequest(orgId, datasourceId, null, null, sql, new JsonObject(), sql, new JsonArray(), timeoutMs,
        maxRows, maxBytes, maxAgeSeconds, trigger, INTERACTIVE, requestedBy, null, null);
  }
}
