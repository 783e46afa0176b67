package io.sightline.shared.schedules;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored schedule, as firing it needs it (read from a {@code schedules} row). */
public record ScheduleRow(String id, String orgId, String queryId, String dashboardId, JsonObject params,
    ScheduleSpec spec, Instant nextRunAt, Instant backoffUntil, int consecutiveFailures) {

  /** The schedule's columns every statement that fires or shows it selects ({@code s}). */
  public static final String COLUMNS = """
      s.id, s.org_id, s.query_id, s.dashboard_id, s.params, s.kind, s.every_seconds, s.cron, s.timezone, s.starts_at,
      s.ends_at, s.next_run_at, s.backoff_until, s.consecutive_failures""";

  public static ScheduleRow of(Row r) {
    return new ScheduleRow(r.getUUID("id").toString(), r.getUUID("org_id").toString(), str(r.getUUID("query_id")),
        str(r.getUUID("dashboard_id")), r.getJsonObject("params"),
        ScheduleSpec.stored(r.getString("kind"), r.getInteger("every_seconds"), r.getString("cron"),
            r.getString("timezone"), instant(r.getOffsetDateTime("starts_at")), instant(r.getOffsetDateTime("ends_at"))),
        instant(r.getOffsetDateTime("next_run_at")), instant(r.getOffsetDateTime("backoff_until")),
        r.getInteger("consecutive_failures"));
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
