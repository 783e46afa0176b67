package io.sightline.api.queries;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.object;
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
import io.sightline.api.http.Problem;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.sightline.api.runs.RunResource;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.params.BoundQuery;
import io.sightline.shared.params.ParameterBinder;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.params.SqlTemplate;
import io.sightline.shared.params.Warning;
import io.sightline.shared.runs.RunRequest;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Saved queries: SQL with typed parameters, versioned on every save (a save based on a stale version is a 409, never a
 * silent overwrite), restorable, archived rather than deleted once anything refers to them, and runnable by every
 * member with parameter values (viewers run saved queries; ad-hoc SQL stays with editors).
 */
public final class QueryResource {
  private static final String TAG = "queries";
  private static final int MAX_PAGE = 200;

  private final Pool pool;
  private final RunService runs;
  private final QueryEnumOptions enumOptions;

  public QueryResource(Pool pool, RunService runs, ResultReader results) {
    this.pool = pool;
    this.runs = runs;
    this.enumOptions = new QueryEnumOptions(pool, results);
  }

  public void register(ApiRoutes routes) {
    Access viewer = Access.member(Role.VIEWER);
    Access editor = Access.member(Role.EDITOR);
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries").access(viewer)
        .doc("listQueries", TAG, "Saved queries, most recently changed first (limit + cursor)")
        .query("search", string(1, 200, "outages"), "words in the name or description")
        .query("datasourceId", uuid(), "only queries on this datasource")
        .query("limit", integer(1, MAX_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(querySchema()))
            .put("nextCursor", io.sightline.api.http.Schemas.nullableString(200, "opaque"))))
        .handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/queries").access(editor)
        .doc("createQuery", TAG, "Save a new query (version 1); answers warnings for undeclared or unused parameters")
        .body(saveSchema(false)).largeBody().returns(201, querySchema()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries/{queryId}").access(viewer)
        .doc("getQuery", TAG, "A saved query: SQL, parameter schema, run options, version").returns(200, querySchema())
        .handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PUT, "/api/v1/queries/{queryId}").access(editor)
        .doc("saveQuery", TAG, "Save a new version; 'version' is the version the edit started from (409 if stale)")
        .body(saveSchema(true)).largeBody().returns(200, querySchema()).handler(this::save));
    routes.add(RouteSpec.route(HttpMethod.DELETE, "/api/v1/queries/{queryId}").access(editor)
        .doc("deleteQuery", TAG, "Delete a query, or archive it when runs, visualizations or schedules refer to it")
        .returns(204, null).handler(this::delete));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries/{queryId}/versions").access(viewer)
        .doc("listQueryVersions", TAG, "Every saved version, newest first")
        .returns(200, arrayOf(response(props().put("version", integer(1, Integer.MAX_VALUE, 3))
            .put("name", string(1, 200, "Outages by region")).put("savedAt", string(1, 40, "2026-11-29T03:00:00Z"))
            .put("savedBy", string(0, 254, "ops@example.com")))))
        .handler(this::versions));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries/{queryId}/versions/{version}").access(viewer)
        .doc("getQueryVersion", TAG, "One saved version").returns(200, querySchema()).handler(this::version));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/queries/{queryId}/versions/{version}/restore").access(editor)
        .doc("restoreQueryVersion", TAG, "Save an old version's SQL, parameters and options as the newest version")
        .returns(200, querySchema()).handler(this::restore));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/queries/{queryId}/runs").access(viewer)
        .doc("runQuery", TAG, "Run a saved query with parameter values (bound, never spliced); shares an identical"
            + " live run; maxAgeSeconds accepts a recent identical result")
        .body(runSchema()).returns(201, RunResource.runSchema()).handler(this::run));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries/{queryId}/parameters/{name}/options").access(viewer)
        .doc("queryParameterOptions", TAG, "The options of a query-backed enum parameter: distinct values of a column"
            + " of the options query's latest result (404 until that query has run)")
        .returns(200, response(props().put("options", arrayOf(string(0, 10_000, "North")))
            .put("fromRunId", uuid()).put("refreshedAt", string(1, 40, "2026-11-29T03:00:00Z"))))
        .handler(this::options));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/queries/{queryId}/results/latest").access(viewer)
        .doc("latestQueryResult", TAG, "The latest stored result of this query for these parameter values, without"
            + " starting a run (404 when there is none, or none younger than maxAgeSeconds)")
        .body(runSchema()).returns(200, RunResource.runSchema()).handler(this::latest));
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  private Future<Reply> list(ApiRequest req) {
    int limit = (int) RunResource.parse(req.query("limit"), 50, "limit", 1, MAX_PAGE);
    String search = blankToNull(req.query("search"));
    UUID datasource = uuidOrNull(req.query("datasourceId"), "datasourceId");
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    return pool.preparedQuery(QuerySql.LIST).execute(Tuple.tuple().addValue(UUID.fromString(req.orgId()))
            .addValue(search).addValue(datasource).addValue(cursor == null ? null : cursor.at())
            .addValue(cursor == null ? null : cursor.id()).addValue(limit + 1))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          int n = 0;
          for (Row r : rows) {
            if (++n > limit) {
              break;
            }
            items.add(json(r, false));
            last = r;
          }
          String next = rows.size() > limit && last != null
              ? new KeysetCursor(last.getOffsetDateTime("updated_at"), last.getUUID("id")).encode() : null;
          return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
        });
  }

  private Future<Reply> get(ApiRequest req) {
    return load(req).map(r -> Reply.ok(json(r, true)));
  }

  private Future<Row> load(ApiRequest req) {
    UUID id = req.id("queryId", "That query");
    return pool.preparedQuery(QuerySql.GET).execute(Tuple.of(id, UUID.fromString(req.orgId())))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound("That query")));
  }

  private Future<Reply> versions(ApiRequest req) {
    UUID id = req.id("queryId", "That query");
    return load(req).compose(q -> pool.preparedQuery(QuerySql.VERSIONS).execute(Tuple.of(id,
            UUID.fromString(req.orgId()))))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("version", r.getInteger("version"))
              .put("name", r.getString("name")).put("savedAt", time(r.getOffsetDateTime("saved_at")))
              .put("savedBy", r.getString("saved_by_email"))));
          return Reply.ok(out);
        });
  }

  private Future<Row> loadVersion(ApiRequest req) {
    UUID id = req.id("queryId", "That query");
    int version = req.number("version", "That version");
    return pool.preparedQuery(QuerySql.VERSION).execute(Tuple.of(id, UUID.fromString(req.orgId()), version))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound("That version")));
  }

  private Future<Reply> version(ApiRequest req) {
    return loadVersion(req).map(v -> Reply.ok(new JsonObject().put("id", req.path("queryId"))
        .put("version", v.getInteger("version")).put("name", v.getString("name")).put("sql", v.getString("sql"))
        .put("params", v.getJsonArray("params")).put("runOptions", v.getJsonObject("run_options"))
        .put("savedAt", time(v.getOffsetDateTime("saved_at"))).put("savedBy", v.getString("saved_by_email"))));
  }

  // ---- writing ---------------------------------------------------------------------------------------------------

  /** A save's content, validated: parameter schema parsed, warnings computed. */
  private record Content(UUID datasourceId, String name, String description, String sql, JsonArray params,
      JsonObject runOptions, List<Warning> warnings) {}

  private static Content content(JsonObject body, String fallbackDescription) {
    List<ParameterSpec> specs = QueryBinding.declarations(body.getJsonArray("params", new JsonArray()), "/params");
    JsonArray normalized = new JsonArray();
    specs.forEach(s -> normalized.add(s.toJson()));
    String sql = body.getString("sql");
    SqlTemplate template = SqlTemplate.parse(sql);
    QueryBinding.requireOneStatement(template);
    List<Warning> warnings = ParameterCheck.check(template, specs);
    return new Content(UUID.fromString(body.getString("datasourceId")), body.getString("name").trim(),
        body.getString("description", fallbackDescription == null ? "" : fallbackDescription), sql, normalized,
        body.getJsonObject("runOptions", new JsonObject()), warnings);
  }

  private Future<Void> requireDatasource(SqlConnection conn, UUID datasourceId, String orgId) {
    return conn.preparedQuery(QuerySql.DATASOURCE_USABLE).execute(Tuple.of(datasourceId, UUID.fromString(orgId)))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture()
            : Future.failedFuture(ApiException.invalid("/datasourceId", "no such datasource in this org")));
  }

  private Future<Reply> create(ApiRequest req) {
    Content c = content(req.body(), null);
    UUID id = UUID.randomUUID();
    UUID user = UUID.fromString(req.principal().userId());
    return pool.withTransaction(conn -> requireDatasource(conn, c.datasourceId(), req.orgId())
            .compose(v -> conn.preparedQuery(QuerySql.INSERT).execute(Tuple.tuple().addValue(id)
                .addValue(UUID.fromString(req.orgId())).addValue(c.datasourceId()).addValue(c.name())
                .addValue(c.description()).addValue(c.sql()).addValue(c.params()).addValue(c.runOptions())
                .addValue(user)))
            .compose(v -> conn.preparedQuery(QuerySql.INSERT_VERSION).execute(Tuple.of(id)))
            .compose(v -> conn.preparedQuery(QuerySql.GET).execute(Tuple.of(id, UUID.fromString(req.orgId())))))
        .map(rows -> new Reply(201, withWarnings(json(rows.iterator().next(), true), c.warnings()), Map.of()));
  }

  private Future<Reply> save(ApiRequest req) {
    return saveContent(req, content(req.body(), null), req.body().getInteger("version"));
  }

  /** Saves {@code c} as the next version, if {@code basedOn} is still the current one. */
  private Future<Reply> saveContent(ApiRequest req, Content c, Integer basedOn) {
    UUID id = req.id("queryId", "That query");
    UUID org = UUID.fromString(req.orgId());
    UUID user = UUID.fromString(req.principal().userId());
    return pool.withTransaction(conn -> conn.preparedQuery(QuerySql.LOCK).execute(Tuple.of(id, org))
            .compose(rows -> {
              if (!rows.iterator().hasNext()) {
                return Future.failedFuture(ApiException.notFound("That query"));
              }
              Row current = rows.iterator().next();
              int version = current.getInteger("version");
              if (basedOn != null && basedOn != version) {
                return Future.failedFuture(ApiException.staleVersion("query", version,
                    current.getString("updated_by_email"), time(current.getOffsetDateTime("updated_at")), basedOn));
              }
              return requireDatasource(conn, c.datasourceId(), req.orgId());
            })
            .compose(v -> conn.preparedQuery(QuerySql.UPDATE).execute(Tuple.tuple().addValue(id).addValue(org)
                .addValue(c.datasourceId()).addValue(c.name()).addValue(c.description()).addValue(c.sql())
                .addValue(c.params()).addValue(c.runOptions()).addValue(user)))
            .compose(v -> conn.preparedQuery(QuerySql.INSERT_VERSION).execute(Tuple.of(id)))
            .compose(v -> conn.preparedQuery(QuerySql.GET).execute(Tuple.of(id, org))))
        .map(rows -> Reply.ok(withWarnings(json(rows.iterator().next(), true), c.warnings())));
  }

  private Future<Reply> restore(ApiRequest req) {
    return load(req).compose(current -> loadVersion(req).compose(v -> {
      JsonObject body = new JsonObject().put("datasourceId", current.getUUID("datasource_id").toString())
          .put("name", v.getString("name")).put("sql", v.getString("sql")).put("params", v.getJsonArray("params"))
          .put("runOptions", v.getJsonObject("run_options"));
      return saveContent(req, content(body, current.getString("description")), null);
    }));
  }

  private Future<Reply> delete(ApiRequest req) {
    UUID id = req.id("queryId", "That query");
    UUID org = UUID.fromString(req.orgId());
    return load(req).compose(q -> pool.withTransaction(conn -> conn.preparedQuery(QuerySql.REFERENCED)
            .execute(Tuple.of(id)).compose(rows -> {
              boolean archive = rows.iterator().next().getBoolean("referenced");
              return conn.preparedQuery(archive ? QuerySql.ARCHIVE : QuerySql.DELETE).execute(Tuple.of(id, org))
                  // none: archived meanwhile by someone else, whose request recorded it
                  .compose(done -> done.rowCount() == 0 ? Future.<Void>succeededFuture()
                      : Audit.of(req, archive ? "query.archived" : "query.deleted")
                          .target("query", id, q.getString("name")).write(conn));
            })))
        .map(v -> Reply.noContent());
  }

  // ---- running ---------------------------------------------------------------------------------------------------

  /** Binds the query's parameters with the request's values into a run request. */
  private Future<RunRequest> runRequest(ApiRequest req, Row q) {
    JsonObject body = req.body();
    JsonObject options = body.getJsonObject("options", new JsonObject());
    JsonObject defaults = q.getJsonObject("run_options");
    SqlTemplate template = SqlTemplate.parse(q.getString("sql"));
    QueryBinding.requireOneStatement(template);
    return QueryBinding.bind(pool, req.orgId(), template, specs(q), body.getJsonObject("params", new JsonObject()))
        .map(bound -> new RunRequest(req.orgId(), q.getUUID("datasource_id").toString(), q.getUUID("id").toString(),
          q.getInteger("version"), q.getString("sql"), bound.values(), bound.sql(), new JsonArray(bound.bindValues()),
          options.getLong("timeoutMs", defaults.getLong("timeoutMs")),
          options.getLong("maxRows", defaults.getLong("maxRows")),
          options.getLong("maxBytes", defaults.getLong("maxBytes")), body.getLong("maxAgeSeconds"),
          req.principal().viaSession() ? "manual" : "api", RunRequest.INTERACTIVE, req.principal().userId(), null,
          null));
  }

  private Future<Reply> options(ApiRequest req) {
    String name = req.path("name");
    return load(req).compose(q -> {
      ParameterSpec spec = specs(q).stream().filter(s -> s.name().equals(name)
          && s.type() == io.sightline.shared.params.ParamType.QUERY_ENUM).findFirst()
          .orElseThrow(() -> ApiException.notFound("A query-backed parameter named " + name));
      return enumOptions.of(req.orgId(), spec);
    }).map(o -> Reply.ok(new JsonObject().put("options", new JsonArray(o.values())).put("fromRunId", o.runId())
        .put("refreshedAt", o.refreshedAt())));
  }

  private static List<ParameterSpec> specs(Row q) {
    try {
      return ParameterCheck.parseAll(q.getJsonArray("params"));
    } catch (ParameterException e) {
      throw ApiException.badRequest("The saved parameter schema is invalid", e.getMessage());
    }
  }

  /** Values of query-backed enums must be among the current options (checked here: the binder cannot know them). */
  private Future<Void> checkQueryEnums(ApiRequest req, Row q, RunRequest run) {
    return enumOptions.loader(req.orgId()).check(specs(q), run.params()).recover(err -> Future.failedFuture(
        err instanceof ParameterException e ? new ApiException(Problem.of(400, "parameter", "Invalid parameter value",
            e.getMessage()).withError(e.field(), e.reason())) : err));
  }

  private Future<Reply> run(ApiRequest req) {
    return load(req).compose(q -> runRequest(req, q).compose(run -> checkQueryEnums(req, q, run).map(run)))
        .compose(run -> runs.enqueue(run)
        .recover(err -> Future.failedFuture(RunResource.translate(err, "That query's datasource")))
        .compose(enqueued -> RunResource.reply(runs, req, enqueued)));
  }

  private Future<Reply> latest(ApiRequest req) {
    return load(req).compose(q -> runRequest(req, q)).compose(run -> runs.latest(run, req.body().getLong("maxAgeSeconds"))
        .recover(err -> Future.failedFuture(RunResource.translate(err, "That query's datasource"))))
        .compose(found -> found.isPresent() ? Future.succeededFuture(Reply.ok(found.get()))
            : Future.failedFuture(new ApiException(Problem.of(404, "no-result", "No result yet",
                "No stored result of this query for these parameter values; run it."))));
  }

  // ---- shapes ----------------------------------------------------------------------------------------------------

  static JsonObject json(Row r, boolean full) {
    JsonObject out = new JsonObject()
        .put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
        .put("description", r.getString("description")).put("datasourceId", r.getUUID("datasource_id").toString())
        .put("version", r.getInteger("version")).put("params", r.getJsonArray("params"))
        .put("createdAt", time(r.getOffsetDateTime("created_at"))).put("createdBy", r.getString("created_by_email"))
        .put("updatedAt", time(r.getOffsetDateTime("updated_at"))).put("updatedBy", r.getString("updated_by_email"));
    if (full) {
      out.put("sql", r.getString("sql")).put("runOptions", r.getJsonObject("run_options"));
    }
    return out;
  }

  private static JsonObject withWarnings(JsonObject query, List<Warning> warnings) {
    JsonArray list = new JsonArray();
    warnings.forEach(w -> list.add(new JsonObject().put("parameter", w.parameter()).put("message", w.message())));
    return query.put("warnings", list);
  }

  private static JsonObject saveSchema(boolean withVersion) {
    JsonObject props = props()
        .put("name", name(200, "Outages by region"))
        .put("description", string(0, 5000, "Customers without power, per region"))
        .put("datasourceId", uuid())
        .put("sql", string(1, RunResource.MAX_SQL_LENGTH,
            "select region, sum(customers_out) from outages where started_at >= {{period.start}} group by 1"))
        .put("params", new JsonObject().put("type", "array").put("maxItems", 50)
            .put("items", new JsonObject().put("type", "object")).put("examples", new JsonArray().add(new JsonArray())))
        .put("runOptions", object(props()
            .put("timeoutMs", integer(1, Long.MAX_VALUE / 2, 30_000))
            .put("maxRows", integer(1, Long.MAX_VALUE / 2, 100_000))
            .put("maxBytes", integer(1, Long.MAX_VALUE / 2, 64L << 20))));
    if (withVersion) {
      props.put("version", integer(1, Integer.MAX_VALUE, 1));
      return object(props, "name", "datasourceId", "sql", "version");
    }
    return object(props, "name", "datasourceId", "sql");
  }

  private static JsonObject runSchema() {
    return object(props()
        .put("params", new JsonObject().put("type", "object").put("examples", new JsonArray().add(new JsonObject())))
        .put("options", object(props()
            .put("timeoutMs", integer(1, Long.MAX_VALUE / 2, 30_000))
            .put("maxRows", integer(1, Long.MAX_VALUE / 2, 100_000))
            .put("maxBytes", integer(1, Long.MAX_VALUE / 2, 64L << 20))))
        .put("maxAgeSeconds", integer(0, 365L * 24 * 3600, 0)));
  }

  static JsonObject querySchema() {
    return response(props().put("id", uuid()).put("name", string(1, 200, "Outages by region"))
        .put("description", string(0, 5000, "")).put("datasourceId", uuid())
        .put("sql", string(1, RunResource.MAX_SQL_LENGTH, "select 1")).put("version", integer(1, Integer.MAX_VALUE, 3))
        .put("params", new JsonObject().put("type", "array"))
        .put("runOptions", new JsonObject().put("type", "object"))
        .put("warnings", arrayOf(response(props().put("parameter", string(1, 100, "period"))
            .put("message", string(1, 500, "declared but not used in the SQL"))))));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static UUID uuidOrNull(String s, String name) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("?" + name, "must be a UUID");
    }
  }
}
