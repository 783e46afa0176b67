package io.sightline.api.schedules;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.shared.schedules.ScheduleFiring;
import io.sightline.shared.schedules.ScheduleSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON schemas of the schedules routes (request bodies and answers), for validation and the OpenAPI document. */
final class ScheduleSchemas {
  private ScheduleSchemas() {}

  static JsonObject save(boolean withVersion) {
    JsonObject props = props()
        .put("name", name(200, "Outages every morning"))
        .put("queryId", uuid()).put("dashboardId", uuid())
        .put("params", new JsonObject().put("type", "object").put("examples", new JsonArray().add(new JsonObject())))
        .put("kind", enumOf("interval", "cron"))
        .put("everySeconds", integer(ScheduleSpec.MIN_EVERY_SECONDS, ScheduleSpec.MAX_EVERY_SECONDS, 3600))
        .put("cron", string(1, ScheduleSpec.MAX_CRON_LENGTH, "30 7 * * MON-FRI"))
        .put("timezone", string(1, 100, "America/Toronto"))
        .put("startsAt", nullableString(40, "2026-03-01T00:00:00Z"))
        .put("endsAt", nullableString(40, "2026-12-31T00:00:00Z"))
        .put("enabled", bool(true));
    if (withVersion) {
      props.put("version", integer(1, Integer.MAX_VALUE, 1));
      return object(props, "name", "kind", "version");
    }
    return object(props, "name", "kind");
  }

  static JsonObject schedule() {
    return response(props().put("id", uuid()).put("name", string(1, 200, "Outages every morning"))
        .put("queryId", uuid()).put("dashboardId", uuid()).put("params", new JsonObject().put("type", "object"))
        .put("kind", enumOf("interval", "cron")).put("everySeconds", integer(60, Integer.MAX_VALUE, 3600))
        .put("cron", nullableString(200, "30 7 * * MON-FRI")).put("timezone", string(1, 100, "America/Toronto"))
        .put("description", string(1, 300, "at 07:30 every weekday (America/Toronto)"))
        .put("enabled", bool(true)).put("state", enumOf("ok", "failing", "broken", "paused", "ended"))
        .put("nextRunAt", nullableString(40, "2026-03-09T11:30:00Z"))
        .put("lastFiredAt", nullableString(40, "2026-03-06T12:30:00Z"))
        .put("consecutiveFailures", integer(0, Integer.MAX_VALUE, 0))
        .put("lastError", nullableString(10_000, "42P01: relation \"outages\" does not exist"))
        .put("brokenReason", nullableString(10_000, "the query \"Outages\" was archived"))
        .put("backoffUntil", nullableString(40, "2026-03-06T12:34:00Z"))
        .put("version", integer(1, Integer.MAX_VALUE, 1)));
  }

  static JsonObject firing() {
    return response(props().put("slotAt", string(1, 40, "2026-03-09T11:30:00Z"))
        .put("firedAt", string(1, 40, "2026-03-09T11:30:00.012Z"))
        .put("outcome", enumOf(ScheduleFiring.ENQUEUED, ScheduleFiring.REUSED, ScheduleFiring.SKIPPED_OVERLAP,
            ScheduleFiring.SKIPPED_MISSED, ScheduleFiring.SKIPPED_BACKOFF, ScheduleFiring.FAILED_TO_ENQUEUE))
        .put("manual", bool(false)).put("slots", integer(1, Integer.MAX_VALUE, 1))
        .put("runIds", arrayOf(uuid())).put("error", nullableString(10_000, "the query \"Outages\" was archived"))
        .put("runStatus", nullableString(20, "succeeded")));
  }
}
