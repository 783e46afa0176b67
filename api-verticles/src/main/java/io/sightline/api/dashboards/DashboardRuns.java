package io.sightline.api.dashboards;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Problem;
import io.sightline.api.http.Reply;
import io.sightline.api.http.RouteSpec;
import io.sightline.api.queries.QueryBinding;
import io.sightline.api.queries.QueryEnumOptions;
import io.sightline.api.runs.RunResource;
import io.sightline.shared.dashboards.TileValues;
import io.sightline.shared.db.DatabaseUnavailable;
import io.sightline.shared.params.BoundQuery;
import io.sightline.shared.params.ParameterBinder;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.params.SqlTemplate;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/dashboards/{idOrSlug}/runs}: one request for every viz tile of a dashboard (or those named). The
 * dashboard's parameter values are checked as a query run checks its own; each tile's values are resolved through its
 * bindings (dashboard value, fixed value, or its query's default) and bound at one instant in the org's time zone, so
 * tiles doing the same work have the same fingerprint. Each distinct piece of work is then answered by the latest
 * stored result younger than {@code maxAgeSeconds} (default: the dashboard's refresh interval; without one, any age)
 * or enqueued once through {@link RunService} (identical live runs are shared by the engine), recorded as a dashboard
 * request; a reused result comes with its {@code finishedAt} (the tile's "updated N min ago"). A tile whose values
 * do not bind (a query_enum value not among its options included) or whose query was archived gets its own error;
 * the others still run. The database work is a fixed number of statements, plus one options lookup per distinct
 * query_enum options source and one enqueue per distinct piece of work, in parallel — never one round trip per tile
 * in sequence.
 */
final class DashboardRuns {
  private final Pool pool;
  private final RunService runs;
  private final QueryEnumOptions enumOptions;

  DashboardRuns(Pool pool, RunService runs, QueryEnumOptions enumOptions) {
    this.pool = pool;
    this.runs = runs;
    this.enumOptions = enumOptions;
  }

  void register(ApiRoutes routes, String path, Access access) {
    routes.add(RouteSpec.route(HttpMethod.POST, path).access(access)
        .doc("runDashboard", DashboardResource.TAG, "Results for the dashboard's viz tiles with these parameter values:"
            + " a stored result fresh enough (maxAgeSeconds, default the refresh interval) or a run, per tile, in one"
            + " answer; each tile's fingerprint is what the org's run events carry for that work")
        .body(object(props()
            .put("params", new JsonObject().put("type", "object").put("examples", new JsonArray().add(new JsonObject())))
            .put("tileIds", new JsonObject().put("type", "array").put("maxItems", DashboardForm.MAX_TILES)
                .put("items", uuid()).put("examples", new JsonArray().add(new JsonArray())))
            .put("maxAgeSeconds", integer(0, 365L * 24 * 3600, 60))))
        .returns(200, response(props().put("tiles", arrayOf(response(props()
            .put("tileId", uuid()).put("queryId", uuid()).put("runId", uuid()).put("resultId", uuid())
            .put("status", enumOf("queued", "running", "succeeded", "error"))
            .put("reused", bool(true)).put("fingerprint", nullableString(64, "3f2a…"))
            .put("finishedAt", nullableString(40, "2026-11-29T03:00:00Z"))
            .put("error", response(props().put("code", string(1, 40, "binding"))
                .put("message", string(1, 2000, "is required")).put("field", string(0, 300,
                    "/tiles/3/bindings/period")))))))))
        .handler(this::run));
  }

  /** One viz tile to answer: its request, or why it has none. */
  private static final class TileRun {
    final int index;
    final String tileId;
    final String queryId;
    List<ParameterSpec> specs;
    RunRequest request;
    JsonObject error;
    JsonObject answer;

    TileRun(int index, String tileId, String queryId) {
      this.index = index;
      this.tileId = tileId;
      this.queryId = queryId;
    }

    /** This tile answers an error instead of running. */
    void fail(JsonObject why) {
      error = why;
      request = null;
    }
  }

  private Future<Reply> run(ApiRequest req) {
    long started = System.nanoTime();
    UUID org = DashboardResource.org(req);
    UUID user = DashboardResource.user(req);
    JsonObject body = req.body();
    Instant now = Instant.now();
    return DashboardResource.find(DashboardResource.SqlConnectionOrPool.of(pool), DashboardResource.Key.of(req), org,
            user)
        .compose(d -> {
          ZoneId zone = ZoneId.of(d.getString("timezone"));
          List<ParameterSpec> specs = QueryBinding.declarations(d.getJsonArray("params"), "/params");
          JsonObject dashboardValues = dashboardValues(specs, body.getJsonObject("params", new JsonObject()), now,
              zone);
          Long maxAge = body.getLong("maxAgeSeconds", d.getInteger("refresh_seconds") == null ? null
              : d.getInteger("refresh_seconds").longValue());
          QueryEnumOptions.Loader options = enumOptions.loader(req.orgId());
          return options.check(specs, dashboardValues).recover(err -> Future.failedFuture(
                  err instanceof ParameterException e ? invalid(e) : err))
              .compose(v -> pool.preparedQuery(DashboardSql.TILES).execute(Tuple.of(d.getUUID("id"), org)))
              .compose(rows -> checkOptions(options, tiles(req, d, rows, dashboardValues, now, zone,
                  body.getJsonArray("tileIds"), maxAge)))
              .compose(tiles -> answer(req.orgId(), tiles, maxAge));
        })
        .map(tiles -> {
          JsonArray out = new JsonArray();
          tiles.forEach(t -> out.add(t.answer));
          return Reply.ok(new JsonObject().put("tiles", out))
              .withHeader("Server-Timing", "app;dur=" + (System.nanoTime() - started) / 1_000_000);
        });
  }

  /**
   * The dashboard's parameter values: those given, checked like a query run's values (a 400 naming
   * {@code /params/<name>}; query_enum values against their options once the values are known), else each
   * parameter's default; as given (a range preset stays a preset: each tile binds it at the same instant).
   */
  private static JsonObject dashboardValues(List<ParameterSpec> specs, JsonObject given, Instant now, ZoneId zone) {
    try {
      ParameterBinder.bind(SqlTemplate.parse(""), specs, given, now, zone);
    } catch (ParameterException e) {
      throw invalid(e);
    }
    return TileValues.dashboardValues(specs, given);
  }

  private static ApiException invalid(ParameterException e) {
    return new ApiException(Problem.of(400, "parameter", "Invalid parameter value", e.getMessage())
        .withError(e.field(), e.getMessage()));
  }

  /** The viz tiles to answer (all, or {@code tileIds}), each bound into a run request or given its error. */
  private static List<TileRun> tiles(ApiRequest req, Row d, Iterable<Row> rows, JsonObject dashboardValues,
      Instant now, ZoneId zone, JsonArray tileIds, Long maxAge) {
    Set<String> wanted = null;
    if (tileIds != null) {
      wanted = new LinkedHashSet<>();
      for (Object id : tileIds) {
        wanted.add(UUID.fromString((String) id).toString());
      }
    }
    Set<String> seen = new java.util.HashSet<>();
    List<TileRun> out = new ArrayList<>();
    int i = -1;
    for (Row t : rows) {
      i++;
      String tileId = t.getUUID("id").toString();
      seen.add(tileId);
      if (!"viz".equals(t.getString("kind")) || wanted != null && !wanted.contains(tileId)) {
        continue;
      }
      TileRun run = new TileRun(i, tileId, t.getUUID("query_id").toString());
      out.add(run);
      if (t.getBoolean("query_archived")) {
        run.fail(error("query-archived", "The query \"" + t.getString("query_name") + "\" was archived: this tile no"
            + " longer runs. Remove the tile, or show a visualization of a live query.", "/tiles/" + i
            + "/visualizationId"));
        continue;
      }
      String at = "/tiles/" + i + "/bindings/";
      try {
        SqlTemplate template = SqlTemplate.parse(t.getString("query_sql"));
        QueryBinding.requireOneStatement(template);
        run.specs = ParameterCheck.parseAll(t.getJsonArray("query_params"));
        Map<String, Bindings.Binding> bindings = Bindings.parse(t.getJsonObject("bindings"), at, new Errors());
        BoundQuery bound = ParameterBinder.bind(template, run.specs, Bindings.values(bindings, dashboardValues), now,
            zone);
        JsonObject defaults = t.getJsonObject("run_options");
        run.request = new RunRequest(req.orgId(), t.getUUID("datasource_id").toString(), run.queryId,
            t.getInteger("query_version"), t.getString("query_sql"), bound.values(), bound.sql(),
            new JsonArray(bound.bindValues()), defaults.getLong("timeoutMs"), defaults.getLong("maxRows"),
            defaults.getLong("maxBytes"), maxAge, "dashboard", RunRequest.INTERACTIVE, req.principal().userId(), null,
            d.getUUID("id").toString());
      } catch (ParameterException e) {
        run.fail(bindingError(i, e));
      } catch (ApiException e) {
        run.fail(error("query", e.problem().errors().isEmpty() ? e.getMessage()
            : e.problem().errors().getJsonObject(0).getString("message"), "/tiles/" + i + "/visualizationId"));
      }
    }
    if (wanted != null) {
      int n = 0;
      for (String id : wanted) {
        if (!seen.contains(id)) {
          throw ApiException.invalid("/tileIds/" + n, "is not a tile of this dashboard");
        }
        n++;
      }
    }
    return out;
  }

  /** A tile's value that does not bind: the field of its query's parameter, as a path into the tile's bindings. */
  private static JsonObject bindingError(int i, ParameterException e) {
    return error("binding", "tile " + e.getMessage(), tileField(i, e.field()));
  }

  /** {@code /params/<p>…} of a tile's query as {@code /tiles/<i>/bindings/<p>…}; {@code /sql} as its visualization. */
  private static String tileField(int i, String field) {
    String at = "/tiles/" + i + "/bindings/";
    return field.startsWith("/params/") ? at + field.substring("/params/".length())
        : field.equals("/sql") ? "/tiles/" + i + "/visualizationId" : at;
  }

  /**
   * The query_enum values of every runnable tile checked against their options (each options source read once): a
   * value not among them, or no options to check against, is that tile's error. A database outage fails the whole
   * answer.
   */
  private static Future<List<TileRun>> checkOptions(QueryEnumOptions.Loader options, List<TileRun> tiles) {
    List<Future<Void>> checks = new ArrayList<>();
    for (TileRun t : tiles) {
      if (t.request == null) {
        continue;
      }
      checks.add(options.check(t.specs, t.request.params()).recover(err -> {
        if (DatabaseUnavailable.is(err)) {
          return Future.failedFuture(err);
        }
        if (err instanceof ParameterException e) {
          t.fail(bindingError(t.index, e));
        } else if (err instanceof ApiException api && !api.problem().errors().isEmpty()) {
          JsonObject first = api.problem().errors().getJsonObject(0);
          String field = first.getString("field");
          t.fail(error("options", "tile parameter '" + field.substring("/params/".length()) + "': "
              + first.getString("message"), tileField(t.index, field)));
        } else {
          t.fail(error("options", "The options of the tile's query_enum parameters could not be read; try again.",
              null));
        }
        return Future.succeededFuture();
      }));
    }
    return Future.all(checks).map(tiles);
  }

  /**
   * Answers every tile: one lookup of the latest fresh results for all of them, then one enqueue per distinct piece
   * of work still without one (in parallel); tiles doing the same work share its answer. The enqueue looks for a
   * fresh result again (one that landed since the lookup — another viewer's run finishing — is reused, not run
   * twice); the result ids of those are read in one more statement.
   */
  private Future<List<TileRun>> answer(String orgId, List<TileRun> tiles, Long maxAge) {
    List<TileRun> runnable = tiles.stream().filter(t -> t.request != null).toList();
    if (runnable.isEmpty()) {
      tiles.forEach(t -> t.answer = answer(t, null, null, null, false, null));
      return Future.succeededFuture(tiles);
    }
    return runs.latestMany(orgId, runnable.stream().map(t -> t.request).toList(), maxAge).compose(latest -> {
      Map<String, List<TileRun>> toRun = new LinkedHashMap<>();
      for (int i = 0; i < runnable.size(); i++) {
        TileRun t = runnable.get(i);
        RunService.Latest l = latest.get(i);
        if (l.error() != null) {
          t.error = enqueueError(l.error());
        } else if (l.runId() != null) {
          t.answer = answer(t, l.runId(), l.resultId(), "succeeded", true, l.fingerprint())
              .put("finishedAt", l.finishedAt().toString());
        } else {
          toRun.computeIfAbsent(l.fingerprint(), k -> new ArrayList<>()).add(t);
        }
      }
      List<Future<RunService.Enqueued>> enqueued = new ArrayList<>();
      List<List<TileRun>> groups = new ArrayList<>(toRun.values());
      groups.forEach(g -> enqueued.add(runs.enqueue(g.get(0).request)));
      return Future.join(enqueued).transform(done -> {
        for (Future<RunService.Enqueued> f : enqueued) {
          if (f.failed() && DatabaseUnavailable.is(f.cause())) {
            // the whole answer is unavailable (503), not each tile's
            return Future.failedFuture(f.cause());
          }
        }
        UUID[] reused = enqueued.stream().filter(f -> f.succeeded() && f.result().reused())
            .map(f -> UUID.fromString(f.result().runId())).toArray(UUID[]::new);
        Future<Map<String, String>> results = reused.length == 0 ? Future.succeededFuture(Map.of())
            : pool.preparedQuery(DashboardSql.RESULTS_OF_RUNS).execute(Tuple.of(reused, UUID.fromString(orgId)))
                .map(rows -> {
                  Map<String, String> out = new java.util.HashMap<>();
                  rows.forEach(r -> out.put(r.getUUID("id").toString(), r.getUUID("result_id").toString()));
                  return out;
                });
        return results.map(resultIds -> {
          for (int g = 0; g < groups.size(); g++) {
            Future<RunService.Enqueued> f = enqueued.get(g);
            for (TileRun t : groups.get(g)) {
              if (f.succeeded()) {
                RunService.Enqueued e = f.result();
                t.answer = answer(t, e.runId(), e.reused() ? resultIds.get(e.runId()) : null, e.status(),
                    e.reused(), e.fingerprint());
              } else {
                t.error = enqueueError(f.cause());
              }
            }
          }
          tiles.forEach(t -> {
            if (t.answer == null) {
              t.answer = answer(t, null, null, null, false, null);
            }
          });
          return tiles;
        });
      });
    });
  }

  private static JsonObject answer(TileRun t, String runId, String resultId, String status, boolean reused,
      String fingerprint) {
    JsonObject out = new JsonObject().put("tileId", t.tileId).put("queryId", t.queryId).put("runId", runId)
        .put("resultId", resultId).put("status", t.error != null ? "error" : status).put("reused", reused)
        .put("fingerprint", fingerprint).put("finishedAt", (String) null);
    if (t.error != null) {
      out.put("error", t.error);
    }
    return out;
  }

  private static JsonObject enqueueError(Throwable err) {
    if (err instanceof NoSuchElementException) {
      return error("datasource", "The tile's query's datasource no longer exists.", null);
    }
    Throwable translated = RunResource.translate(err, "That query's datasource");
    if (translated instanceof ApiException api) {
      return error("run", api.problem().detail() == null ? api.getMessage() : api.problem().errors().isEmpty()
          ? api.problem().detail() : api.problem().errors().getJsonObject(0).getString("message"), null);
    }
    return error("run", "The run could not be started; try again.", null);
  }

  private static JsonObject error(String code, String message, String field) {
    JsonObject e = new JsonObject().put("code", code).put("message", message);
    if (field != null) {
      e.put("field", field);
    }
    return e;
  }
}
