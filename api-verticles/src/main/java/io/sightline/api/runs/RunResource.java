package io.sightline.api.runs;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.runs.RunLimitException;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.NoSuchElementException;

/**
 * Runs and their results. Ad-hoc SQL needs the editor role; anyone in the org reads runs and results. The api only
 * enqueues: runners execute.
 */
public final class RunResource {
  private static final String TAG = "runs";
  static final int MAX_SQL_LENGTH = 1 << 20;
  static final int MAX_PAGE = 10_000;

  private final RunService runs;
  private final ResultReader results;

  public RunResource(RunService runs, ResultReader results) {
    this.runs = runs;
    this.results = results;
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/runs").access(Access.member(Role.EDITOR))
        .doc("createRun", TAG, "Run ad-hoc SQL on a datasource. An identical live run is shared (shared: true);"
            + " maxAgeSeconds accepts a recent identical result instead of a new run (reused: true)")
        .body(object(props()
            .put("datasourceId", uuid())
            .put("sql", string(1, MAX_SQL_LENGTH, "select region, sum(customers_out) from outages group by 1"))
            .put("options", object(props()
                .put("timeoutMs", integer(1, Long.MAX_VALUE / 2, 30_000))
                .put("maxRows", integer(1, Long.MAX_VALUE / 2, 100_000))
                .put("maxBytes", integer(1, Long.MAX_VALUE / 2, 64L << 20))))
            .put("maxAgeSeconds", integer(0, 365L * 24 * 3600, 0)), "datasourceId", "sql"))
        .returns(201, runSchema()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/runs/{runId}").access(Access.member(Role.VIEWER))
        .doc("getRun", TAG, "A run: status, timings, counts, error, result").returns(200, runSchema())
        .handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/runs/{runId}/cancel").access(Access.member(Role.VIEWER))
        .doc("cancelRun", TAG, "Cancel a queued or running run (viewers: only their own)")
        .returns(200, runSchema()).handler(this::cancel));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/runs/{runId}/events").access(Access.member(Role.VIEWER))
        .doc("getRunEvents", TAG, "A run's timeline: queued, claimed, started, progress, cancel, lease, finished")
        .returns(200, arrayOf(response(props().put("id", integer(1, Long.MAX_VALUE, 1))
            .put("attempt", integer(0, 100, 1)).put("at", string(1, 40, "2026-11-29T03:00:00Z"))
            .put("kind", enumOf("queued", "claimed", "started", "progress", "cancel_requested", "lease_lost",
                "requeued", "finished"))
            .put("detail", new JsonObject().put("type", "object")))))
        .handler(this::events));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/results/{resultId}").access(Access.member(Role.VIEWER))
        .doc("getResultPage", TAG, "A page of a stored result: typed columns and rows (values as the result format"
            + " encodes them: integers beyond 2^53 and long decimals as strings)")
        .query("offset", integer(0, Long.MAX_VALUE, 0), "first row (0-based)")
        .query("limit", integer(1, MAX_PAGE, 500), "rows in the page (at most " + MAX_PAGE + ")")
        .returns(200, response(props().put("resultId", uuid())
            .put("columns", arrayOf(response(props().put("name", string(1, 200, "region"))
                .put("type", string(1, 40, "text")).put("sourceType", string(1, 100, "text")))))
            .put("offset", integer(0, Long.MAX_VALUE, 0)).put("totalRows", integer(0, Long.MAX_VALUE, 1200))
            .put("truncated", bool(false)).put("truncatedReason", enumOf("max_rows", "max_bytes"))
            .put("rows", arrayOf(new JsonObject().put("type", "array")))))
        .handler(this::page));
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    JsonObject options = body.getJsonObject("options", new JsonObject());
    RunRequest run = RunRequest.adHoc(req.orgId(), body.getString("datasourceId"), body.getString("sql"),
        options.getLong("timeoutMs"), options.getLong("maxRows"), options.getLong("maxBytes"),
        body.getLong("maxAgeSeconds"), req.principal().viaSession() ? "manual" : "api", req.principal().userId());
    return Future.<RunService.Enqueued>future(p -> runs.enqueue(run).onComplete(p))
        .recover(err -> Future.failedFuture(translate(err, "That datasource")))
        .compose(enqueued -> (enqueued.run() != null ? Future.succeededFuture(enqueued.run())
            : runs.get(req.orgId(), enqueued.runId())).map(json -> {
          json.put("shared", enqueued.shared()).put("reused", enqueued.reused());
          return new Reply(enqueued.created() ? 201 : 200, json, java.util.Map.of());
        }));
  }

  private Future<Reply> get(ApiRequest req) {
    String id = req.id("runId", "That run").toString();
    return runs.get(req.orgId(), id).recover(err -> Future.failedFuture(translate(err, "That run"))).map(Reply::ok);
  }

  private Future<Reply> cancel(ApiRequest req) {
    String id = req.id("runId", "That run").toString();
    return runs.get(req.orgId(), id)
        .recover(err -> Future.failedFuture(translate(err, "That run")))
        .compose(run -> {
          boolean own = req.principal().userId().equals(run.getString("requestedBy"));
          if (!own && !req.principal().role().atLeast(Role.EDITOR)) {
            return Future.failedFuture(ApiException.forbidden("Viewers may cancel only their own runs."));
          }
          return runs.cancel(req.orgId(), id, req.principal().userId());
        })
        .map(Reply::ok);
  }

  private Future<Reply> events(ApiRequest req) {
    String id = req.id("runId", "That run").toString();
    return runs.events(req.orgId(), id).recover(err -> Future.failedFuture(translate(err, "That run")))
        .map(Reply::ok);
  }

  private Future<Reply> page(ApiRequest req) {
    String id = req.id("resultId", "That result").toString();
    long offset = parse(req.query("offset"), 0, "offset", 0, Long.MAX_VALUE);
    int limit = (int) parse(req.query("limit"), 500, "limit", 1, MAX_PAGE);
    return results.page(req.orgId(), id, offset, limit)
        .recover(err -> Future.failedFuture(translate(err, "That result")))
        .map(page -> {
          JsonArray columns = new JsonArray();
          page.columns().forEach(c -> columns.add(c.toJson()));
          JsonObject head = new JsonObject().put("resultId", id).put("columns", columns).put("offset", page.offset())
              .put("limit", limit).put("totalRows", page.totalRows()).put("truncated", page.truncated())
              .put("truncatedReason", page.truncatedReason());
          String encoded = head.encode();
          // splice the stored rows in as they are: no decoding and re-encoding of values
          Buffer body = Buffer.buffer(encoded.length() + page.rowsJson().length() + 10)
              .appendString(encoded, "UTF-8").setByte(encoded.length() - 1, (byte) ',')
              .appendString("\"rows\":").appendBuffer(page.rowsJson()).appendString("}");
          return Reply.ok(body);
        });
  }

  private static long parse(String text, long fallback, String name, long min, long max) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text);
      if (v < min || v > max) {
        throw ApiException.invalid("?" + name, "must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.invalid("?" + name, "must be a whole number");
    }
  }

  private static Throwable translate(Throwable err, String what) {
    if (err instanceof NoSuchElementException) {
      return ApiException.notFound(what);
    }
    if (err instanceof RunLimitException limit) {
      return ApiException.invalid(limit.field(), limit.getMessage());
    }
    if (err instanceof IllegalArgumentException bad) {
      return ApiException.badRequest("Invalid request", bad.getMessage());
    }
    return err;
  }

  static JsonObject runSchema() {
    return response(props()
        .put("id", uuid()).put("datasourceId", uuid())
        .put("status", enumOf("queued", "running", "succeeded", "failed", "cancelled", "timed_out"))
        .put("sql", string(1, MAX_SQL_LENGTH, "select 1"))
        .put("options", response(props().put("timeoutMs", integer(1, Long.MAX_VALUE, 30_000))
            .put("maxRows", integer(1, Long.MAX_VALUE, 100_000)).put("maxBytes", integer(1, Long.MAX_VALUE, 1 << 26))))
        .put("trigger", enumOf("manual", "schedule", "dashboard", "api"))
        .put("attempt", integer(0, 100, 1)).put("runner", string(0, 200, "host-1234"))
        .put("createdAt", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("queueMs", integer(0, Long.MAX_VALUE, 3)).put("execMs", integer(0, Long.MAX_VALUE, 120))
        .put("persistMs", integer(0, Long.MAX_VALUE, 4)).put("rowCount", integer(0, Long.MAX_VALUE, 1200))
        .put("byteCount", integer(0, Long.MAX_VALUE, 48_000)).put("truncated", bool(false))
        .put("error", response(props().put("code", string(1, 40, "42P01"))
            .put("message", string(1, 2000, "relation \"outage\" does not exist"))
            .put("position", integer(1, MAX_SQL_LENGTH, 15))))
        .put("resultId", uuid()).put("shared", bool(false)).put("reused", bool(false)));
  }
}
