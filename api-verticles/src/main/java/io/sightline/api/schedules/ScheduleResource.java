package io.sightline.api.schedules;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.audit.Audit;
import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.KeysetCursor;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.sightline.api.queries.QueryEnumOptions;
import io.sightline.api.runs.RunResource;
import io.sightline.shared.bus.Addresses;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.sightline.shared.schedules.ScheduleException;
import io.sightline.shared.schedules.ScheduleFiring;
import io.sightline.shared.schedules.ScheduleRow;
import io.sightline.shared.schedules.ScheduleSpec;
import io.sightline.shared.schedules.ScheduleTargets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Schedules (docs/schedules.md): refreshes of a saved query or a whole dashboard on an interval or a cron, in an IANA
 * zone. Saving checks everything a firing needs — the spec (a cron that never fires is a 400), the target (the org's,
 * not archived, runnable) and the parameter values against its declarations, query_enum values against their options
 * — so a saved schedule can run. Saves name the version they started from (a stale one is a 409). Editors manage
 * schedules, viewers read them; every lookup is filtered by the caller's org. Firing itself is the runners'
 * ({@code ScheduleFirer}); run-now fires here through the same {@link ScheduleFiring}, outside the slots.
 */
public final class ScheduleResource {
  static final String TAG = "schedules";
  private static final int MAX_PAGE = 200;
  private static final int PREVIEW = 10;
  private static final Set<String> STATES = Set.of("ok", "failing", "broken", "paused", "ended");

  private final Vertx vertx;
  private final Pool pool;
  private final RunService runs;
  private final QueryEnumOptions enumOptions;

  public ScheduleResource(Vertx vertx, Pool pool, RunService runs, ResultReader results) {
    this.vertx = vertx;
    this.pool = pool;
    this.runs = runs;
    this.enumOptions = new QueryEnumOptions(pool, results);
  }

  public void register(ApiRoutes routes) {
    Access viewer = Access.member(Role.VIEWER);
    Access editor = Access.member(Role.EDITOR);
    String one = "/api/v1/schedules/{scheduleId}";
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/schedules").access(viewer)
        .doc("listSchedules", TAG, "Schedules, most recently changed first (limit + cursor), with their state")
        .query("queryId", uuid(), "only schedules of this query")
        .query("dashboardId", uuid(), "only schedules of this dashboard")
        .query("state", enumOf("ok", "failing", "broken", "paused", "ended"), "only schedules in this state")
        .query("limit", integer(1, MAX_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(ScheduleSchemas.schedule()))
            .put("nextCursor", nullableString(200, "opaque"))))
        .handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/schedules/preview").access(viewer)
        .doc("previewSchedule", TAG, "The next 10 firing times of a cron or an interval in a time zone (default: the"
            + " org's), from now or 'from'")
        .query("cron", string(1, ScheduleSpec.MAX_CRON_LENGTH, "30 7 * * MON-FRI"), "Unix 5-field cron")
        .query("every", integer(ScheduleSpec.MIN_EVERY_SECONDS, ScheduleSpec.MAX_EVERY_SECONDS, 3600),
            "an interval in seconds (instead of cron)")
        .query("timezone", string(1, 100, "America/Toronto"), "IANA time zone")
        .query("from", string(1, 40, "2026-03-08T00:00:00Z"), "ISO-8601 instant to start from")
        .returns(200, response(props().put("description", string(1, 300, "at 07:30 every weekday"))
            .put("timezone", string(1, 100, "America/Toronto"))
            .put("times", arrayOf(response(props().put("at", string(1, 40, "2026-03-09T11:30:00Z"))
                .put("local", string(1, 60, "2026-03-09T07:30-04:00")))))))
        .handler(this::preview));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/schedules").access(editor)
        .doc("createSchedule", TAG, "Create a schedule of a query or a dashboard (checked: it can run)")
        .body(ScheduleSchemas.save(false)).returns(201, ScheduleSchemas.schedule()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, one).access(viewer)
        .doc("getSchedule", TAG, "A schedule with its state, next run, failures and broken reason")
        .returns(200, ScheduleSchemas.schedule()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PUT, one).access(editor)
        .doc("saveSchedule", TAG, "Save a schedule; 'version' is the version the edit started from (409 if stale)")
        .body(ScheduleSchemas.save(true)).returns(200, ScheduleSchemas.schedule()).handler(this::save));
    routes.add(RouteSpec.route(HttpMethod.DELETE, one).access(editor)
        .doc("deleteSchedule", TAG, "Delete a schedule and its firing history (its runs stay)")
        .returns(204, null).handler(this::delete));
    routes.add(RouteSpec.route(HttpMethod.POST, one + "/pause").access(editor)
        .doc("pauseSchedule", TAG, "Stop firing until resumed").returns(200, ScheduleSchemas.schedule()).handler(this::pause));
    routes.add(RouteSpec.route(HttpMethod.POST, one + "/resume").access(editor)
        .doc("resumeSchedule", TAG, "Fire again from the next slot after now (slots while paused are not caught up)")
        .returns(200, ScheduleSchemas.schedule()).handler(this::resume));
    routes.add(RouteSpec.route(HttpMethod.POST, one + "/run-now").access(editor)
        .doc("runScheduleNow", TAG, "Fire the schedule now, outside its slots (its success resets the failures)")
        .returns(201, ScheduleSchemas.firing()).handler(this::runNow));
    routes.add(RouteSpec.route(HttpMethod.GET, one + "/firings").access(viewer)
        .doc("listScheduleFirings", TAG, "The schedule's firings, newest slot first (limit + cursor), with their runs")
        .query("limit", integer(1, MAX_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(ScheduleSchemas.firing()))
            .put("nextCursor", nullableString(200, "opaque"))))
        .handler(this::firings));
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  private Future<Reply> list(ApiRequest req) {
    int limit = (int) RunResource.parse(req.query("limit"), 50, "limit", 1, MAX_PAGE);
    String state = blankToNull(req.query("state"));
    if (state != null && !STATES.contains(state)) {
      throw ApiException.invalid("?state", "must be one of " + String.join(", ", new java.util.TreeSet<>(STATES)));
    }
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    return pool.preparedQuery(ScheduleSql.LIST).execute(Tuple.tuple().addValue(org(req))
            .addValue(uuidParam(req.query("queryId"), "queryId"))
            .addValue(uuidParam(req.query("dashboardId"), "dashboardId")).addValue(state)
            .addValue(cursor == null ? null : cursor.at()).addValue(cursor == null ? null : cursor.id())
            .addValue(limit + 1))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          for (Row r : rows) {
            if (items.size() == limit) {
              break;
            }
            items.add(json(r));
            last = r;
          }
          String next = rows.size() > limit ? new KeysetCursor(last.getOffsetDateTime("updated_at"),
              last.getUUID("id")).encode() : null;
          return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
        });
  }

  private Future<Reply> get(ApiRequest req) {
    return load(req.id("scheduleId", "That schedule"), org(req)).map(r -> Reply.ok(json(r)));
  }

  private Future<Row> load(UUID id, UUID org) {
    return pool.preparedQuery(ScheduleSql.GET).execute(Tuple.of(id, org))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound("That schedule")));
  }

  private Future<Reply> preview(ApiRequest req) {
    String cron = blankToNull(req.query("cron"));
    Integer every = req.query("every") == null ? null
        : (int) RunResource.parse(req.query("every"), 0, "every", ScheduleSpec.MIN_EVERY_SECONDS,
            ScheduleSpec.MAX_EVERY_SECONDS);
    Instant from = instantParam(req.query("from"), "?from");
    Instant start = from == null ? Instant.now() : from;
    return timezone(req, blankToNull(req.query("timezone"))).map(zone -> {
      ScheduleSpec spec;
      try {
        spec = ScheduleSpec.of(cron != null || every == null ? "cron" : "interval", every, cron == null && every == null
            ? "0 * * * *" : cron, zone, null, null, start);
      } catch (ScheduleException e) {
        String field = switch (e.field()) {
          case "/everySeconds" -> "?every";
          case "/kind" -> "?cron";
          default -> "?" + e.field().substring(1);
        };
        throw ApiException.invalid(field, e.getMessage());
      }
      JsonArray times = new JsonArray();
      for (Instant t : spec.upcoming(start, PREVIEW)) {
        times.add(new JsonObject().put("at", t.toString())
            .put("local", t.atZone(spec.zone()).toOffsetDateTime().toString()));
      }
      return Reply.ok(new JsonObject().put("description", spec.describe()).put("timezone", spec.zone().getId())
          .put("times", times));
    });
  }

  private Future<Reply> firings(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    int limit = (int) RunResource.parse(req.query("limit"), 50, "limit", 1, MAX_PAGE);
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    return load(id, org).compose(s -> pool.preparedQuery(ScheduleSql.FIRINGS).execute(Tuple.tuple().addValue(id)
            .addValue(org).addValue(cursor == null ? null : cursor.at())
            .addValue(cursor == null ? null : cursor.id().getLeastSignificantBits()).addValue(limit + 1)))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          for (Row f : rows) {
            if (items.size() == limit) {
              break;
            }
            items.add(firingJson(f));
            last = f;
          }
          // the cursor carries the firing's numeric id in a UUID's low bits: opaque to clients all the same
          String next = rows.size() > limit ? new KeysetCursor(last.getOffsetDateTime("slot_at"),
              new UUID(0, last.getLong("id"))).encode() : null;
          return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
        });
  }

  // ---- writing ---------------------------------------------------------------------------------------------------

  /** A save's content, validated: the spec (timezone defaulted to the org's) and the target. */
  private record Content(String name, UUID queryId, UUID dashboardId, JsonObject params, ScheduleSpec spec) {}

  private Future<Content> content(SqlConnection conn, ApiRequest req) {
    JsonObject body = req.body();
    String queryId = body.getString("queryId");
    String dashboardId = body.getString("dashboardId");
    if ((queryId == null) == (dashboardId == null)) {
      throw ApiException.invalid(queryId == null ? "/queryId" : "/dashboardId",
          "a schedule refreshes exactly one target: send queryId or dashboardId");
    }
    Instant now = Instant.now();
    Instant startsAt = instantParam(body.getString("startsAt"), "/startsAt");
    Instant endsAt = instantParam(body.getString("endsAt"), "/endsAt");
    JsonObject params = body.getJsonObject("params", new JsonObject());
    return timezone(req, body.getString("timezone")).compose(zone -> {
      ScheduleSpec spec;
      try {
        spec = ScheduleSpec.of(body.getString("kind"), body.getInteger("everySeconds"), body.getString("cron"), zone,
            startsAt, endsAt, now);
      } catch (ScheduleException e) {
        throw ApiException.invalid(e.field(), e.getMessage());
      }
      // what a firing would run, without enqueueing it: the target is the org's, live and runnable, the values pass
      return ScheduleTargets.resolve(conn, req.orgId(), queryId, dashboardId, params, now,
              new ScheduleTargets.Attribution(null, null, RunRequest.SCHEDULED))
          .recover(err -> Future.failedFuture(err instanceof ScheduleException e
              ? ApiException.invalid(e.field(), e.getMessage()) : err))
          .compose(resolved -> checkOptions(req, resolved.specs(), params))
          .map(v -> new Content(body.getString("name").trim(), queryId == null ? null : UUID.fromString(queryId),
              dashboardId == null ? null : UUID.fromString(dashboardId), params, spec));
    });
  }

  /**
   * The query_enum values the schedule sets, checked against their options (the latest result of each options
   * query) as an interactive run checks them: a value not among them, or no options yet to check against, is a 400
   * naming {@code /params/<name>}. Values left to the declaration's default are not checked here.
   */
  private Future<Void> checkOptions(ApiRequest req, List<ParameterSpec> specs, JsonObject params) {
    List<ParameterSpec> given = specs.stream().filter(s -> params.getValue(s.name()) != null).toList();
    return enumOptions.loader(req.orgId()).check(given, params).recover(err -> {
      if (err instanceof ParameterException e) {
        return Future.failedFuture(ApiException.invalid(e.field(), e.reason()));
      }
      if (err instanceof ApiException api && api.problem().status() == 404 && !api.problem().errors().isEmpty()) {
        JsonObject first = api.problem().errors().getJsonObject(0);
        return Future.failedFuture(ApiException.invalid(first.getString("field"), first.getString("message")));
      }
      return Future.failedFuture(err);
    });
  }

  private Future<String> timezone(ApiRequest req, String given) {
    if (given != null) {
      return Future.succeededFuture(given);
    }
    return pool.preparedQuery(ScheduleSql.ORG_TIMEZONE).execute(Tuple.of(org(req)))
        .map(rows -> rows.iterator().next().getString("timezone"));
  }

  private Future<Reply> create(ApiRequest req) {
    UUID id = UUID.randomUUID();
    UUID org = org(req);
    UUID user = user(req);
    return pool.withTransaction(conn -> Future.succeededFuture().compose(v -> content(conn, req))
            .compose(c -> conn.preparedQuery(ScheduleSql.INSERT)
            .execute(Tuple.tuple().addValue(id).addValue(org).addValue(c.name()).addValue(c.queryId())
                .addValue(c.dashboardId()).addValue(c.params()).addValue(c.spec().kind().wireName())
                .addValue(c.spec().everySeconds()).addValue(c.spec().cron()).addValue(c.spec().zone().getId())
                .addValue(time(c.spec().startsAt())).addValue(time(c.spec().endsAt()))
                .addValue(req.body().getBoolean("enabled", true)).addValue(time(next(c.spec())))
                .addValue(user))))
        .compose(v -> changed(id, org))
        .map(r -> Reply.created(json(r)));
  }

  private Future<Reply> save(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    int basedOn = req.body().getInteger("version");
    return pool.withTransaction(conn -> lock(conn, id, org).compose(current -> {
          int version = current.getInteger("version");
          if (basedOn != version) {
            return Future.failedFuture(ApiException.staleVersion("schedule", version,
                current.getString("updated_by_email"), time(current.getOffsetDateTime("updated_at")).toString(),
                basedOn));
          }
          return content(conn, req);
        }).compose(c -> conn.preparedQuery(ScheduleSql.UPDATE).execute(Tuple.tuple().addValue(id).addValue(org)
            .addValue(c.name()).addValue(c.queryId()).addValue(c.dashboardId()).addValue(c.params())
            .addValue(c.spec().kind().wireName()).addValue(c.spec().everySeconds()).addValue(c.spec().cron())
            .addValue(c.spec().zone().getId()).addValue(time(c.spec().startsAt())).addValue(time(c.spec().endsAt()))
            .addValue(time(next(c.spec()))).addValue(user(req)))))
        .compose(v -> changed(id, org))
        .map(r -> Reply.ok(json(r)));
  }

  private Future<Reply> delete(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    return pool.withTransaction(conn -> lock(conn, id, org)
            .compose(s -> conn.preparedQuery(ScheduleSql.DELETE).execute(Tuple.of(id, org)))
            .compose(deleted -> {
              Row d = deleted.iterator().next();
              return Audit.of(req, "schedule.deleted").target("schedule", id, d.getString("name"))
                  .detail("refreshes", d.getString("target_kind")).detail("refreshesId", d.getUUID("target_id")
                      .toString()).write(conn);
            }))
        .map(v -> Reply.noContent());
  }

  private Future<Reply> pause(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    return pool.withTransaction(conn -> lock(conn, id, org)
            .compose(s -> conn.preparedQuery(ScheduleSql.PAUSE).execute(Tuple.of(id, org, user(req)))))
        .compose(v -> changed(id, org))
        .map(r -> Reply.ok(json(r)));
  }

  private Future<Reply> resume(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    return pool.withTransaction(conn -> lock(conn, id, org).compose(s -> {
          if (s.getValue("ended_at") != null) {
            return Future.failedFuture(ApiException.conflict("Schedule ended", "Its window ended at "
                + time(s.getOffsetDateTime("ends_at")) + "; save it with a later endsAt to run it again."));
          }
          ScheduleSpec spec = ScheduleSpec.stored(s.getString("kind"), s.getInteger("every_seconds"),
              s.getString("cron"), s.getString("timezone"), time(s.getOffsetDateTime("starts_at")),
              time(s.getOffsetDateTime("ends_at")));
          Instant next = next(spec);
          if (next == null) {
            return Future.failedFuture(ApiException.conflict("Schedule ended", "Its window has no slot left."));
          }
          return conn.preparedQuery(ScheduleSql.RESUME).execute(Tuple.of(id, org, time(next), user(req)));
        }))
        .compose(v -> changed(id, org))
        .map(r -> Reply.ok(json(r)));
  }

  /** Fires the schedule now through the runners' own firing code, holding its row; answers the firing. */
  private Future<Reply> runNow(ApiRequest req) {
    UUID id = req.id("scheduleId", "That schedule");
    UUID org = org(req);
    Instant now = Instant.now();
    ScheduleFiring firing = new ScheduleFiring(runs);
    List<Runnable> announce = new ArrayList<>();
    return pool.withTransaction(conn -> lock(conn, id, org)
            .compose(s -> conn.preparedQuery(ScheduleSql.FIRING_ROW).execute(Tuple.of(id, org)))
            .compose(rows -> firing.fire(conn, ScheduleRow.of(rows.iterator().next()), now, now, true,
                req.principal().userId(), RunRequest.INTERACTIVE))
            .map(fired -> {
              announce.add(fired.announce());
              return fired;
            }))
        .map(fired -> {
          announce.forEach(Runnable::run);
          return Reply.created(new JsonObject().put("slotAt", now.toString()).put("firedAt", now.toString())
              .put("outcome", fired.outcome()).put("manual", true).put("slots", 1)
              .put("runIds", new JsonArray(fired.runIds())).put("error", fired.error()));
        });
  }

  private Future<Row> lock(SqlConnection conn, UUID id, UUID org) {
    return conn.preparedQuery(ScheduleSql.LOCK).execute(Tuple.of(id, org))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound("That schedule")));
  }

  /** Hints the runners that a schedule's slots changed (they re-plan their wake-up), then reads it back. */
  private Future<Row> changed(UUID id, UUID org) {
    vertx.eventBus().publish(Addresses.SCHEDULES_CHANGED, new JsonObject().put("scheduleId", id.toString()));
    return load(id, org);
  }

  private static Instant next(ScheduleSpec spec) {
    return spec.next(Instant.now()).orElse(null);
  }

  // ---- shapes ----------------------------------------------------------------------------------------------------

  static JsonObject json(Row r) {
    JsonObject out = new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
        .put("queryId", str(r.getUUID("query_id"))).put("queryName", r.getString("query_name"))
        .put("dashboardId", str(r.getUUID("dashboard_id"))).put("dashboardName", r.getString("dashboard_name"))
        .put("params", r.getJsonObject("params")).put("kind", r.getString("kind"))
        .put("everySeconds", r.getInteger("every_seconds")).put("cron", r.getString("cron"))
        .put("timezone", r.getString("timezone")).put("startsAt", text(r.getOffsetDateTime("starts_at")))
        .put("endsAt", text(r.getOffsetDateTime("ends_at"))).put("enabled", r.getBoolean("enabled"))
        .put("state", r.getString("state")).put("nextRunAt", text(r.getOffsetDateTime("next_run_at")))
        .put("lastFiredAt", text(r.getOffsetDateTime("last_fired_at"))).put("lastRunId", str(r.getUUID("last_run_id")))
        .put("consecutiveFailures", r.getInteger("consecutive_failures")).put("lastError", r.getString("last_error"))
        .put("brokenReason", r.getString("broken_reason"))
        .put("backoffUntil", text(r.getOffsetDateTime("backoff_until")))
        .put("endedAt", text(r.getOffsetDateTime("ended_at"))).put("version", r.getInteger("version"))
        .put("createdAt", text(r.getOffsetDateTime("created_at"))).put("createdBy", r.getString("created_by_email"))
        .put("updatedAt", text(r.getOffsetDateTime("updated_at"))).put("updatedBy", r.getString("updated_by_email"));
    out.put("description", ScheduleSpec.stored(r.getString("kind"), r.getInteger("every_seconds"),
        r.getString("cron"), r.getString("timezone"), null, null).describe());
    return out;
  }

  private static JsonObject firingJson(Row f) {
    JsonArray runIds = new JsonArray();
    for (UUID u : f.getArrayOfUUIDs("run_ids")) {
      runIds.add(u.toString());
    }
    return new JsonObject().put("id", f.getLong("id")).put("slotAt", text(f.getOffsetDateTime("slot_at")))
        .put("firedAt", text(f.getOffsetDateTime("fired_at"))).put("outcome", f.getString("outcome"))
        .put("manual", f.getBoolean("manual")).put("slots", f.getInteger("slots")).put("runIds", runIds)
        .put("error", f.getString("error")).put("runStatus", f.getString("run_status"))
        .put("settledAt", text(f.getOffsetDateTime("settled_at")))
        .put("runs", new JsonArray(String.valueOf(f.getValue("runs"))));
  }

  // ---- small helpers ---------------------------------------------------------------------------------------------

  private static UUID org(ApiRequest req) {
    return UUID.fromString(req.orgId());
  }

  private static UUID user(ApiRequest req) {
    return UUID.fromString(req.principal().userId());
  }

  private static Instant instantParam(String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T00:00:00Z");
    }
  }

  private static UUID uuidParam(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(text.trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("?" + name, "must be a UUID");
    }
  }

  private static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant time(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
