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
import io.sightline.api.http.KeysetCursor;
import io.sightline.api.http.Problem;
import io.sightline.api.queries.QueryBinding;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.params.SqlTemplate;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.runs.IdenticalRunEndingException;
import io.sightline.shared.runs.RunRecords;
import io.sightline.shared.runs.RunLimitException;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Runs and their results. Ad-hoc SQL needs the editor role; anyone in the org reads runs and results. The api only
 * enqueues: runners execute.
 */
public final class RunResource {
  private static final String TAG = "runs";
  /**
   * Longest SQL text accepted (characters): 256 Ki, so that even SQL of three-byte UTF-8 characters fits in the
   * default {@code http.maxBodyBytes} (1 MiB) and is refused as a 400 naming {@code /sql}, not a 413.
   */
  public static final int MAX_SQL_LENGTH = 256 * 1024;
  static final int MAX_PAGE = 10_000;

  private static final String DOWNLOAD_META = """
      select res.columns, res.created_at, q.name as query_name from results res
      join runs r on r.id = res.run_id left join queries q on q.id = r.query_id
      where res.id = $1 and res.org_id = $2 and (res.pinned or res.expires_at > now())""";
  private static final int MAX_HISTORY_PAGE = 200;

  private final RunService runs;
  private final ResultReader results;
  private final Pool pool;
  private final Vertx vertx;

  public RunResource(Vertx vertx, Pool pool, RunService runs, ResultReader results) {
    this.vertx = vertx;
    this.pool = pool;
    this.runs = runs;
    this.results = results;
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/runs").access(Access.member(Role.EDITOR))
        .doc("createRun", TAG, "Run ad-hoc SQL (one statement) on a datasource, with {{placeholders}} declared in"
            + " declarations and bound to the values in params (never spliced). An identical live run is shared"
            + " (shared: true); maxAgeSeconds accepts a recent identical result instead of a new run (reused: true)")
        .body(object(props()
            .put("datasourceId", uuid())
            .put("sql", string(1, MAX_SQL_LENGTH, "select region, sum(customers_out) from outages group by 1"))
            .put("declarations", new JsonObject().put("type", "array").put("maxItems", 50)
                .put("items", new JsonObject().put("type", "object")).put("examples", new JsonArray()
                    .add(new JsonArray().add(new JsonObject().put("name", "region").put("type", "text")))))
            .put("params", new JsonObject().put("type", "object")
                .put("examples", new JsonArray().add(new JsonObject().put("region", "North"))))
            .put("options", object(props()
                .put("timeoutMs", integer(1, Long.MAX_VALUE / 2, 30_000))
                .put("maxRows", integer(1, Long.MAX_VALUE / 2, 100_000))
                .put("maxBytes", integer(1, Long.MAX_VALUE / 2, 64L << 20))))
            .put("maxAgeSeconds", integer(0, 365L * 24 * 3600, 0)), "datasourceId", "sql"))
        .largeBody().returns(201, runSchema()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/runs").access(Access.member(Role.VIEWER))
        .doc("listRuns", TAG, "Run history: one item per request (several may share one execution, same id), newest"
            + " first, filtered; limit + cursor (SQL shortened to 300 characters)")
        .query("queryId", uuid(), "requests of this saved query")
        .query("datasourceId", uuid(), "runs on this datasource")
        .query("scheduleId", uuid(), "requests made by this schedule's firings (scheduled and run-now)")
        .query("status", string(1, 100, "failed,timed_out"), "one or more statuses, comma-separated")
        .query("trigger", enumOf("manual", "schedule", "dashboard", "api"), "how the run was started")
        .query("requestedBy", string(1, 40, "me"), "requested by this user id, or 'me'")
        .query("from", string(1, 40, "2026-11-28T00:00:00Z"), "created at or after (ISO-8601)")
        .query("to", string(1, 40, "2026-11-29T00:00:00Z"), "created before (ISO-8601)")
        .query("limit", integer(1, MAX_HISTORY_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(runSchema()))
            .put("nextCursor", io.sightline.api.http.Schemas.nullableString(200, "opaque"))))
        .handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/runs/{runId}").access(Access.member(Role.VIEWER))
        .doc("getRun", TAG, "A run: status, timings, counts, error, result, and every request sharing it (requests);"
            + " its attribution is the caller's own request (requestId, or their latest), else the first")
        .query("requestId", uuid(), "describe this request of the run")
        .returns(200, runSchema()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/runs/{runId}/cancel").access(Access.member(Role.VIEWER))
        .doc("cancelRun", TAG, "Withdraw your request on a queued or running run (the run is cancelled when no request"
            + " remains), or cancel it for everyone (editors, admins); without scope: yours if you have one")
        .query("scope", enumOf("mine", "everyone"), "mine: withdraw your request(s); everyone: cancel the run")
        .query("requestId", uuid(), "withdraw only this request of yours")
        .returns(200, runSchema()).handler(this::cancel));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/runs/{runId}/events").access(Access.member(Role.VIEWER))
        .doc("getRunEvents", TAG, "A run's timeline: queued, claimed, started, progress, cancel, lease, finished")
        .returns(200, arrayOf(response(props().put("id", integer(1, Long.MAX_VALUE, 1))
            .put("attempt", integer(0, 100, 1)).put("at", string(1, 40, "2026-11-29T03:00:00Z"))
            .put("kind", enumOf("queued", "claimed", "started", "progress", "cancel_requested", "lease_lost",
                "requeued", "finished"))
            .put("detail", new JsonObject().put("type", "object")))))
        .handler(this::events));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/results/{resultId}.csv").access(Access.member(Role.VIEWER))
        .doc("downloadResultCsv", TAG, "The whole result as CSV (RFC 4180, formula-injection guarded), streamed chunk"
            + " by chunk").returns(200, null).handler(req -> download(req, true)));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/results/{resultId}.json").access(Access.member(Role.VIEWER))
        .doc("downloadResultJson", TAG, "The whole result as JSON {columns, rows}, streamed chunk by chunk")
        .returns(200, null).handler(req -> download(req, false)));
    // after the downloads: this route's {resultId} would also match "<id>.csv"
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

  private Future<Reply> list(ApiRequest req) {
    int limit = (int) parse(req.query("limit"), 50, "limit", 1, MAX_HISTORY_PAGE);
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    String requestedBy = req.query("requestedBy");
    if ("me".equals(requestedBy)) {
      requestedBy = req.principal().userId();
    }
    String status = req.query("status");
    List<String> statuses = status == null || status.isBlank() ? null
        : Arrays.stream(status.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (statuses != null && !STATUSES.containsAll(statuses)) {
      throw ApiException.invalid("?status", "must be among " + STATUSES);
    }
    String trigger = req.query("trigger");
    if (trigger != null && !TRIGGERS.contains(trigger)) {
      throw ApiException.invalid("?trigger", "must be one of " + TRIGGERS);
    }
    RunService.RunFilter filter = new RunService.RunFilter(uuidParam(req.query("queryId"), "queryId"),
        uuidParam(req.query("datasourceId"), "datasourceId"), statuses, trigger, uuidParam(requestedBy, "requestedBy"),
        timestamp(req.query("from"), "from"), timestamp(req.query("to"), "to"),
        uuidParam(req.query("scheduleId"), "scheduleId"));
    return runs.list(req.orgId(), filter, cursor == null ? null : cursor.at(), cursor == null ? null : cursor.id(),
        limit + 1).map(rows -> {
          JsonArray items = new JsonArray();
          for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            items.add(RunRecords.requested(rows.get(i)));
          }
          // pages are of requests (several may share one execution)
          String next = rows.size() > limit ? new KeysetCursor(rows.get(limit - 1).getOffsetDateTime("requested_at"),
              rows.get(limit - 1).getUUID("request_id")).encode() : null;
          return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
        });
  }

  private static final java.util.Set<String> STATUSES = java.util.Set.of("queued", "running", "succeeded", "failed",
      "cancelled", "timed_out");
  private static final java.util.Set<String> TRIGGERS = java.util.Set.of("manual", "schedule", "dashboard", "api");

  private static String uuidParam(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return java.util.UUID.fromString(text.trim()).toString();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("?" + name, "must be a UUID");
    }
  }

  /** An optional ISO-8601 query parameter; a 400 naming {@code ?name} when it is not one. */
  public static OffsetDateTime timestamp(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.invalid("?" + name, "must be an ISO-8601 timestamp with offset, e.g. 2026-11-29T00:00:00Z");
    }
  }

  /**
   * Streams a whole result, one decompressed chunk at a time (constant memory), converting off the event loop and
   * waiting for each write before fetching the next chunk (back-pressure from a slow client).
   */
  private Future<Reply> download(ApiRequest req, boolean csv) {
    java.util.UUID id = req.id("resultId", "That result");
    return pool.preparedQuery(DOWNLOAD_META).execute(Tuple.of(id, java.util.UUID.fromString(req.orgId())))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(ApiException.notFound("That result"));
          }
          Row meta = rows.iterator().next();
          JsonArray columns = meta.getJsonArray("columns");
          String name = fileName(meta.getString("query_name"), meta.getOffsetDateTime("created_at"), csv);
          HttpServerResponse response = req.ctx().response()
              .setChunked(true)
              .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json")
              .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
              .putHeader("Cache-Control", "no-store");
          boolean[] first = {true};
          boolean[] numeric = CsvRows.numericColumns(
              columns.stream().map(c -> String.valueOf(((JsonObject) c).getString("type"))).toList());
          Buffer head = csv ? CsvRows.header(columns.stream().map(c -> ((JsonObject) c).getString("name")).toList())
              : Buffer.buffer("{\"columns\":" + columns.encode() + ",\"rows\":[");
          return response.write(head)
              .compose(v -> results.forEachChunk(req.orgId(), id.toString(), chunk -> vertx.executeBlocking(() -> {
                Buffer converted = csv ? CsvRows.convert(chunk, numeric) : CsvRows.jsonRows(chunk, first[0]);
                first[0] = false;
                return converted;
              }).compose(response::write)))
              .compose(v -> csv ? response.end() : response.end("]}"))
              .map(v -> Reply.STREAMED);
        });
  }

  static String fileName(String queryName, OffsetDateTime at, boolean csv) {
    String base = queryName == null ? "result" : queryName.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (base.isEmpty()) {
      base = "result";
    }
    if (base.length() > 60) {
      base = base.substring(0, 60);
    }
    String stamp = at == null ? "" : "-" + at.withOffsetSameInstant(java.time.ZoneOffset.UTC)
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
    return base + stamp + (csv ? ".csv" : ".json");
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    JsonObject options = body.getJsonObject("options", new JsonObject());
    String sql = body.getString("sql");
    SqlTemplate template = SqlTemplate.parse(sql);
    QueryBinding.requireOneStatement(template);
    List<ParameterSpec> specs = QueryBinding.declarations(body.getJsonArray("declarations"), "/declarations");
    return QueryBinding.bind(pool, req.orgId(), template, specs, body.getJsonObject("params"))
        .map(bound -> new RunRequest(req.orgId(), body.getString("datasourceId"), null, null, sql, bound.values(),
            bound.sql(), new JsonArray(bound.bindValues()), options.getLong("timeoutMs"), options.getLong("maxRows"),
            options.getLong("maxBytes"), body.getLong("maxAgeSeconds"), req.principal().viaSession() ? "manual"
                : "api", RunRequest.INTERACTIVE, req.principal().userId(), null, null))
        .compose(run -> Future.<RunService.Enqueued>future(p -> runs.enqueue(run).onComplete(p)))
        .recover(err -> Future.failedFuture(translate(err, "That datasource")))
        .compose(enqueued -> reply(runs, req, enqueued));
  }

  /**
   * The answer to an enqueue, describing the caller's own request: 201 with the new run, or 200 with the shared live
   * run or the reused result's run ({@code sharedWith}: the other live requests of that execution).
   */
  public static Future<Reply> reply(RunService runs, ApiRequest req, RunService.Enqueued enqueued) {
    return runs.view(req.orgId(), enqueued.runId(), enqueued.requestId(), req.principal().userId())
        .map(json -> {
          json.put("shared", enqueued.shared()).put("reused", enqueued.reused());
          return new Reply(enqueued.created() ? 201 : 200, json, java.util.Map.of());
        });
  }

  private Future<Reply> get(ApiRequest req) {
    String id = req.id("runId", "That run").toString();
    return runs.view(req.orgId(), id, uuidParam(req.query("requestId"), "requestId"), req.principal().userId())
        .recover(err -> Future.failedFuture(translate(err, "That run or request"))).map(Reply::ok);
  }

  /**
   * Withdraws the caller's request(s) on the run (the execution is cancelled when none remains), or cancels it for
   * everyone (editors and admins). Without {@code scope}: the caller's own when they have a live request on it, else
   * everyone's.
   */
  private Future<Reply> cancel(ApiRequest req) {
    String id = req.id("runId", "That run").toString();
    String requestId = uuidParam(req.query("requestId"), "requestId");
    String scope = req.query("scope");
    if (scope != null && !Set.of("mine", "everyone").contains(scope)) {
      throw ApiException.invalid("?scope", "must be mine or everyone");
    }
    String me = req.principal().userId();
    return runs.view(req.orgId(), id, null, me)
        .recover(err -> Future.failedFuture(translate(err, "That run")))
        .compose(run -> {
          List<JsonObject> requests = run.getJsonArray("requests", new JsonArray()).stream()
              .map(JsonObject.class::cast).toList();
          // a request id that is not one of this run's is a 404, whatever the run's state
          if (requestId != null && requests.stream().noneMatch(r -> requestId.equalsIgnoreCase(r.getString("id")))) {
            return Future.failedFuture(ApiException.notFound("That request"));
          }
          boolean live = Set.of("queued", "running").contains(run.getString("status"));
          boolean mine = requests.stream()
              .anyMatch(r -> me.equals(r.getString("requestedBy")) && r.getString("withdrawnAt") == null
                  && (requestId == null || requestId.equalsIgnoreCase(r.getString("id"))));
          // no scope: yours when you have a live request on it (or name one), else everyone's
          boolean everyone = scope == null ? !mine && requestId == null : scope.equals("everyone");
          if (everyone && !req.principal().role().atLeast(Role.EDITOR)) {
            return Future.failedFuture(ApiException.forbidden(
                "Viewers may withdraw only their own requests; editors and admins cancel a run for everyone."));
          }
          if (!everyone && !mine && live) {
            return Future.failedFuture(new ApiException(Problem.of(409, "no-request", "Nothing of yours to withdraw",
                requestId == null ? "You have no live request on this run." : "That request is not yours, or is"
                    + " already withdrawn.")));
          }
          return runs.cancel(req.orgId(), id, me, everyone ? RunService.CancelScope.EVERYONE
                  : RunService.CancelScope.MINE, requestId)
              .compose(c -> runs.view(req.orgId(), id, requestId, me));
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

  public static long parse(String text, long fallback, String name, long min, long max) {
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

  public static Throwable translate(Throwable err, String what) {
    if (err instanceof NoSuchElementException) {
      return ApiException.notFound(what);
    }
    if (err instanceof RunLimitException limit) {
      return ApiException.invalid(limit.field(), limit.getMessage());
    }
    if (err instanceof IllegalArgumentException bad) {
      return ApiException.badRequest("Invalid request", bad.getMessage());
    }
    if (err instanceof IdenticalRunEndingException ending) {
      return new ApiException(Problem.of(409, "identical-run-ending", "Try again", ending.getMessage()));
    }
    return err;
  }

  public static JsonObject runSchema() {
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
        .put("resultId", uuid()).put("shared", bool(false)).put("reused", bool(false))
        .put("requestedByEmail", string(3, 254, "ops@example.com"))
        .put("requestedByName", string(0, 200, "Night shift"))
        .put("requestId", uuid()).put("requestedAt", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("sharedWith", integer(0, Integer.MAX_VALUE, 2))
        .put("withdrawnAt", string(1, 40, "2026-11-29T03:00:05Z")).put("withdrawnBy", uuid())
        .put("withdrawnByName", string(0, 200, "Night shift")).put("cancelledBy", uuid())
        .put("cancelledByName", string(0, 200, "Night shift"))
        .put("requests", arrayOf(response(props().put("id", uuid()).put("queryId", uuid())
            .put("queryName", string(1, 200, "Outages by region")).put("queryVersion", integer(1, Integer.MAX_VALUE, 3))
            .put("trigger", enumOf("manual", "schedule", "dashboard", "api")).put("requestedBy", uuid())
            .put("requestedByEmail", string(3, 254, "ops@example.com"))
            .put("requestedAt", string(1, 40, "2026-11-29T03:00:00Z"))
            .put("withdrawnAt", string(1, 40, "2026-11-29T03:00:05Z")).put("withdrawnBy", uuid()))))
        .put("queue", response(props().put("ahead", integer(0, Integer.MAX_VALUE, 2))
            .put("aheadAtLeast", bool(true))
            .put("running", integer(0, Integer.MAX_VALUE, 4)).put("maxConcurrency", integer(1, 1000, 4)))));
  }
}
