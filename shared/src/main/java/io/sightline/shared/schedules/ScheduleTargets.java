package io.sightline.shared.schedules;

import io.sightline.shared.dashboards.TileValues;
import io.sightline.shared.params.BoundQuery;
import io.sightline.shared.params.ParameterBinder;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.params.SqlTemplate;
import io.sightline.shared.runs.RunRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a schedule runs: its query bound with the schedule's parameter values, or one request per distinct piece of work
 * among its dashboard's viz tiles (each tile's values through its bindings from the schedule's values over the
 * dashboard's defaults; tiles doing identical work share one request). Values are bound as any run's are: presets
 * evaluated at {@code now} in the org's time zone, so a scheduled refresh is the very result an interactive dashboard
 * run finds. Used when a schedule is saved (a target that cannot run is a 400 naming the field, so a saved schedule can
 * run) and when it fires (the same failure marks it broken with the reason).
 */
public final class ScheduleTargets {
  private ScheduleTargets() {}

  /** The schedule a request is for, and how it is attributed. */
  public record Attribution(String scheduleId, String requestedBy, int priority) {}

  /**
   * The requests to enqueue, the tiles that cannot run ("tile 2 (Outages): …"), which do not stop the others, and the
   * parameter declarations the schedule's values are for (the query's, or the dashboard's): a save checks its
   * query_enum values against their options with them, which this module cannot read.
   */
  public record Resolved(List<RunRequest> requests, List<String> tileErrors, List<ParameterSpec> specs) {}

  /**
   * Resolves the target of org {@code orgId}: {@code queryId} or {@code dashboardId} with {@code params}. Fails with a
   * {@link ScheduleException}: {@code /queryId} or {@code /dashboardId} when the target is missing, archived, or
   * cannot run (its datasource gone, its SQL no longer binds, no tile can run), {@code /params/<name>} when a value
   * does not pass the parameter check.
   */
  public static Future<Resolved> resolve(SqlClient client, String orgId, String queryId, String dashboardId,
      JsonObject params, Instant now, Attribution attribution) {
    UUID org = UUID.fromString(orgId);
    JsonObject values = params == null ? new JsonObject() : params;
    if (queryId != null) {
      return client.preparedQuery(ScheduleSql.QUERY_TARGET).execute(Tuple.of(UUID.fromString(queryId), org))
          .map(rows -> {
            Row q = rows.iterator().next();
            return new Resolved(List.of(query(q, orgId, values, now, attribution)), List.of(),
                ParameterCheck.parseAll(q.getJsonArray("params")));
          });
    }
    UUID dashboard = UUID.fromString(dashboardId);
    return client.preparedQuery(ScheduleSql.DASHBOARD_TARGET).execute(Tuple.of(dashboard, org)).compose(rows -> {
      Row d = rows.iterator().next();
      if (d.getUUID("id") == null) {
        throw new ScheduleException("/dashboardId", "the dashboard no longer exists");
      }
      if (d.getValue("archived_at") != null) {
        throw new ScheduleException("/dashboardId", "the dashboard \"" + d.getString("name") + "\" was archived");
      }
      ZoneId zone = ZoneId.of(d.getString("timezone"));
      List<ParameterSpec> specs = ParameterCheck.parseAll(d.getJsonArray("params"));
      try {
        ParameterBinder.bind(SqlTemplate.parse(""), specs, values, now, zone);
      } catch (ParameterException e) {
        throw new ScheduleException(e.field(), "does not pass the dashboard's parameter check: " + e.getMessage());
      }
      JsonObject dashboardValues = TileValues.dashboardValues(specs, values);
      return client.preparedQuery(ScheduleSql.DASHBOARD_TILES).execute(Tuple.of(dashboard, org))
          .map(tiles -> tiles(tiles, orgId, dashboardId, dashboardValues, now, zone, attribution, specs));
    });
  }

  private static RunRequest query(Row q, String orgId, JsonObject values, Instant now, Attribution attribution) {
    if (q.getUUID("id") == null) {
      throw new ScheduleException("/queryId", "the query no longer exists");
    }
    String name = "the query \"" + q.getString("name") + "\"";
    if (q.getValue("archived_at") != null) {
      throw new ScheduleException("/queryId", name + " was archived");
    }
    if (!q.getBoolean("datasource_usable")) {
      throw new ScheduleException("/queryId", name + "'s datasource was deleted");
    }
    BoundQuery bound;
    try {
      bound = bind(q, values, now, ZoneId.of(q.getString("timezone")));
    } catch (ParameterException e) {
      throw e.field().startsWith("/params/")
          ? new ScheduleException(e.field(), "does not pass " + name + "'s parameter check: " + e.getMessage())
          : new ScheduleException("/queryId", name + " cannot run: " + e.getMessage());
    }
    return request(q, bound, orgId, null, attribution);
  }

  private static BoundQuery bind(Row q, JsonObject values, Instant now, ZoneId zone) {
    SqlTemplate template = SqlTemplate.parse(q.getString("sql"));
    if (template.secondStatementStart() >= 0) {
      throw new ParameterException(null, "/sql", "its SQL holds more than one statement");
    }
    List<ParameterSpec> specs = ParameterCheck.parseAll(q.getJsonArray("params"));
    return ParameterBinder.bind(template, specs, values, now, zone);
  }

  private static RunRequest request(Row q, BoundQuery bound, String orgId, String dashboardId, Attribution a) {
    JsonObject defaults = q.getJsonObject("run_options") == null ? new JsonObject() : q.getJsonObject("run_options");
    return new RunRequest(orgId, q.getUUID("datasource_id").toString(), q.getUUID(dashboardId == null ? "id"
        : "query_id").toString(), q.getInteger("version"), q.getString("sql"), bound.values(), bound.sql(),
        new JsonArray(bound.bindValues()), defaults.getLong("timeoutMs"), defaults.getLong("maxRows"),
        defaults.getLong("maxBytes"), null, "schedule", a.priority(), a.requestedBy(), a.scheduleId(), dashboardId);
  }

  private static Resolved tiles(Iterable<Row> tiles, String orgId, String dashboardId, JsonObject dashboardValues,
      Instant now, ZoneId zone, Attribution attribution, List<ParameterSpec> specs) {
    Map<String, RunRequest> distinct = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    int n = 0;
    for (Row t : tiles) {
      n++;
      if (t.getUUID("query_id") == null) {
        errors.add("tile " + n + ": its visualization or query no longer exists");
        continue;
      }
      try {
        BoundQuery bound = bind(t, TileValues.of(t.getJsonObject("bindings"), dashboardValues), now, zone);
        RunRequest req = request(t, bound, orgId, dashboardId, attribution);
        distinct.putIfAbsent(String.join("\u0000", req.datasourceId(), req.boundSql(), req.bindValues().encode(),
            String.valueOf(req.timeoutMs()), String.valueOf(req.maxRows()), String.valueOf(req.maxBytes())), req);
      } catch (ParameterException e) {
        errors.add("tile " + n + " (" + t.getString("query_name") + "): " + e.getMessage());
      }
    }
    if (n == 0) {
      throw new ScheduleException("/dashboardId", "the dashboard has no visualization tile to refresh");
    }
    if (distinct.isEmpty()) {
      throw new ScheduleException("/dashboardId", "no tile of the dashboard can run: " + errors.get(0));
    }
    return new Resolved(List.copyOf(distinct.values()), errors, specs);
  }
}
