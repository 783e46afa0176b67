package io.sightline.api.datasources;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.pattern;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;
import static io.sightline.api.http.Schemas.uuid;

import io.sightline.api.audit.Audit;
import io.sightline.api.http.Access;
import io.sightline.api.http.ApiException;
import io.sightline.api.http.ApiRequest;
import io.sightline.api.http.ApiRoutes;
import io.sightline.api.http.Problem;
import io.sightline.api.http.Reply;
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.sightline.api.runners.RunnerClient;
import io.sightline.shared.crypto.SecretBox;
import io.sightline.shared.datasource.DatasourceMessages;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Datasources: admins create, edit, test and archive them; every member sees the list (connection details only for
 * admins); editors and admins browse their schema. The password is sealed with SIGHTLINE_SECRET_KEY before it is
 * stored, never returned ({@code passwordSet} says whether there is one), kept when an update omits it, and cleared by
 * {@code "password": null}. Tests and introspection are done by a runner, never by the api.
 */
public final class DatasourceResource {
  private static final String TAG = "datasources";
  private static final long TEST_TIMEOUT_MS = 15_000;
  private static final long INTROSPECT_TIMEOUT_MS = 75_000;
  private static final String NAME_TAKEN = "23505";
  /** How many of the queries that block a delete the 409 lists, and how many its detail names. */
  private static final int LISTED_QUERIES = 100;
  private static final int NAMED_IN_DETAIL = 5;

  private final Pool pool;
  private final SecretBox secrets;
  private final RunnerClient runners;

  public DatasourceResource(Pool pool, SecretBox secrets, RunnerClient runners) {
    this.pool = pool;
    this.secrets = secrets;
    this.runners = runners;
  }

  public void register(ApiRoutes routes) {
    Access admin = Access.member(Role.ADMIN);
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/datasources").access(Access.member(Role.VIEWER))
        .doc("listDatasources", TAG, "Datasources of this org (connection details for admins only)")
        .returns(200, arrayOf(datasourceSchema())).handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/datasources").access(admin)
        .doc("createDatasource", TAG, "Add a Postgres datasource")
        .body(settingsSchema("name", "host", "database", "user")).returns(201, datasourceSchema())
        .handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/datasources/{datasourceId}").access(Access.member(Role.VIEWER))
        .doc("getDatasource", TAG, "One datasource (connection details for admins only)")
        .returns(200, datasourceSchema()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PATCH, "/api/v1/datasources/{datasourceId}").access(admin)
        .doc("updateDatasource", TAG, "Change settings; an omitted password is kept, null clears it")
        .body(settingsSchema()).returns(200, datasourceSchema()).handler(this::update));
    routes.add(RouteSpec.route(HttpMethod.DELETE, "/api/v1/datasources/{datasourceId}").access(admin)
        .doc("archiveDatasource", TAG, "Delete (archive) a datasource that no saved query uses; 409"
            + " datasource-in-use lists the queries that do (queryCount, queries[{id, name}], at most 100)."
            + " Run history stays readable")
        .returns(204, null).handler(this::archive));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/datasources/test").access(admin)
        .doc("testDatasourceSettings", TAG, "Test unsaved settings through a runner (datasourceId: reuse that"
            + " datasource's stored password when none is given)")
        .body(settingsSchema("host", "database", "user").put("properties",
            settingsSchema().getJsonObject("properties").copy().put("datasourceId", uuid())))
        .returns(200, testResultSchema()).handler(this::testSettings));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/datasources/{datasourceId}/test").access(admin)
        .doc("testDatasource", TAG, "Test a saved datasource through a runner")
        .returns(200, testResultSchema()).handler(this::testSaved));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/datasources/{datasourceId}/schema")
        .access(Access.member(Role.EDITOR))
        .doc("getDatasourceSchema", TAG, "Schemas, tables, views and columns (cached; introspected on first use)")
        .returns(200, schemaSchema()).handler(req -> schema(req, false)));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/datasources/{datasourceId}/schema/refresh")
        .access(Access.member(Role.EDITOR))
        .doc("refreshDatasourceSchema", TAG, "Introspect the datasource again and replace the cached schema")
        .returns(200, schemaSchema()).handler(req -> schema(req, true)));
  }

  private Future<Reply> list(ApiRequest req) {
    boolean admin = req.principal().role() == Role.ADMIN;
    return pool.preparedQuery(DatasourceSql.LIST).execute(Tuple.of(UUID.fromString(req.orgId()))).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(json(r, admin)));
      return Reply.ok(out);
    });
  }

  private Future<Reply> get(ApiRequest req) {
    return load(req).map(r -> Reply.ok(json(r, req.principal().role() == Role.ADMIN)));
  }

  private Future<Reply> create(ApiRequest req) {
    DatasourceForm form = DatasourceForm.defaults().with(req.body()).checked();
    UUID id = UUID.randomUUID();
    String password = req.body().getString("password");
    boolean sealed = password != null && !password.isEmpty();
    Buffer ciphertext = sealed ? Buffer.buffer(secrets.seal(password,
        DatasourceMessages.storedPasswordContext(id.toString()))) : null;
    Tuple values = Tuple.of(id, UUID.fromString(req.orgId()), form.name(), form.kind(), form.options(), ciphertext,
            sealed ? secrets.keyId() : null)
        .addValue(form.maxConcurrency()).addValue((int) form.defaultTimeoutMs()).addValue((int) form.maxTimeoutMs())
        .addValue(form.defaultMaxRows()).addValue(form.maxRowsLimit()).addValue(form.defaultMaxBytes())
        .addValue(form.maxBytesLimit()).addValue(form.readOnly());
    return pool.withTransaction(conn -> conn.preparedQuery(DatasourceSql.INSERT).execute(values)
            .recover(err -> Future.failedFuture(nameTaken(err, form.name())))
            .compose(rows -> Audit.of(req, "datasource.created").target("datasource", id, form.name())
                .detail("passwordSet", sealed).write(conn).map(rows)))
        .map(rows -> Reply.created(json(rows.iterator().next(), true)));
  }

  private Future<Reply> update(ApiRequest req) {
    UUID id = req.id("datasourceId", "That datasource");
    UUID orgId = UUID.fromString(req.orgId());
    JsonObject body = req.body();
    return pool.withTransaction(conn -> conn.preparedQuery(DatasourceSql.LOCK).execute(Tuple.of(id, orgId))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(ApiException.notFound("That datasource"));
          }
          Row current = rows.iterator().next();
          DatasourceForm form = DatasourceForm.of(current).with(body).checked();
          Buffer ciphertext = current.getBuffer("secret_ciphertext");
          String keyId = current.getString("secret_key_id");
          if (body.containsKey("password")) {
            String password = body.getString("password");
            boolean set = password != null && !password.isEmpty();
            ciphertext = set ? Buffer.buffer(secrets.seal(password,
                DatasourceMessages.storedPasswordContext(id.toString()))) : null;
            keyId = set ? secrets.keyId() : null;
          }
          Tuple values = Tuple.of(id, orgId, form.name(), form.options(), ciphertext, keyId)
              .addValue(form.maxConcurrency()).addValue((int) form.defaultTimeoutMs())
              .addValue((int) form.maxTimeoutMs()).addValue(form.defaultMaxRows()).addValue(form.maxRowsLimit())
              .addValue(form.defaultMaxBytes()).addValue(form.maxBytesLimit()).addValue(form.readOnly());
          // the fields sent, never their values (a password's least of all)
          JsonArray fields = new JsonArray(body.fieldNames().stream().sorted().toList());
          return conn.preparedQuery(DatasourceSql.UPDATE).execute(values)
              .recover(err -> Future.failedFuture(nameTaken(err, form.name())))
              .compose(updated -> Audit.of(req, "datasource.updated").target("datasource", id, form.name())
                  .detail("fields", fields).write(conn).map(updated));
        }))
        .map(rows -> Reply.ok(json(rows.iterator().next(), true)));
  }

  /**
   * Deletes (archives) a datasource that no live query uses; otherwise a 409 {@code datasource-in-use} naming those
   * queries, so nobody's saved work stops running behind their back. Run history and results stay readable.
   */
  private Future<Reply> archive(ApiRequest req) {
    UUID id = req.id("datasourceId", "That datasource");
    UUID orgId = UUID.fromString(req.orgId());
    return pool.withTransaction(conn -> conn.preparedQuery(DatasourceSql.LOCK).execute(Tuple.of(id, orgId))
        .compose(locked -> {
          if (!locked.iterator().hasNext()) {
            return Future.failedFuture(ApiException.notFound("That datasource"));
          }
          String name = locked.iterator().next().getString("name");
          return conn.preparedQuery(DatasourceSql.QUERIES_USING).execute(Tuple.of(id, orgId, LISTED_QUERIES))
              .compose(using -> using.size() > 0 ? Future.failedFuture(inUse(name, using))
                  : conn.preparedQuery(DatasourceSql.ARCHIVE).execute(Tuple.of(id, orgId))
                      .compose(archived -> Audit.of(req, "datasource.deleted").target("datasource", id, name)
                          .write(conn)))
              .map(archived -> Reply.noContent());
        }));
  }

  private static ApiException inUse(String datasource, RowSet<Row> using) {
    JsonArray queries = new JsonArray();
    long total = 0;
    for (Row r : using) {
      queries.add(new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name")));
      total = r.getLong("total");
    }
    List<String> names = queries.stream().map(q -> "\"" + ((JsonObject) q).getString("name") + "\"")
        .limit(NAMED_IN_DETAIL).toList();
    String named = String.join(", ", names) + (total > names.size() ? " and " + (total - names.size()) + " more" : "");
    String detail = (total == 1 ? "1 saved query uses" : total + " saved queries use") + " \"" + datasource + "\": "
        + named + ". Move " + (total == 1 ? "it" : "them") + " to another datasource or archive "
        + (total == 1 ? "it" : "them") + " first; run history stays readable either way.";
    return new ApiException(Problem.of(409, "datasource-in-use", "Datasource in use", detail)
        .with("queryCount", total).with("queries", queries));
  }

  private Future<Reply> testSettings(ApiRequest req) {
    JsonObject body = req.body();
    DatasourceForm form = DatasourceForm.defaults().with(body);
    JsonObject message = new JsonObject().put("orgId", req.orgId()).put("kind", form.kind())
        .put("settings", form.options());
    String password = body.getString("password");
    if (password != null && !password.isEmpty()) {
      message.put("sealedPassword", Base64.getEncoder().encodeToString(
          secrets.seal(password, DatasourceMessages.TRANSIT_PASSWORD_CONTEXT)));
    } else if (body.getString("datasourceId") != null && !body.containsKey("password")) {
      message.put("passwordOf", body.getString("datasourceId"));
    }
    return runners.request(DatasourceMessages.TEST, message, TEST_TIMEOUT_MS, "test the connection")
        .map(Reply::ok);
  }

  private Future<Reply> testSaved(ApiRequest req) {
    UUID id = req.id("datasourceId", "That datasource");
    return load(req).compose(row -> runners.request(DatasourceMessages.TEST,
            new JsonObject().put("orgId", req.orgId()).put("datasourceId", id.toString()), TEST_TIMEOUT_MS,
            "test the connection"))
        .map(Reply::ok);
  }

  private Future<Reply> schema(ApiRequest req, boolean refresh) {
    UUID id = req.id("datasourceId", "That datasource");
    UUID orgId = UUID.fromString(req.orgId());
    Future<Row> cached = refresh ? load(req).map(r -> (Row) null)
        : pool.preparedQuery(DatasourceSql.CACHED_SCHEMA).execute(Tuple.of(id, orgId))
            .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
                : load(req).map(r -> (Row) null));
    return cached.compose(row -> {
      if (row != null) {
        return Future.succeededFuture(Reply.ok(new JsonObject().put("refreshedAt",
            row.getOffsetDateTime("refreshed_at").toInstant().toString()).mergeIn(row.getJsonObject("catalog"))));
      }
      return runners.request(DatasourceMessages.INTROSPECT,
              new JsonObject().put("orgId", orgId.toString()).put("datasourceId", id.toString()), INTROSPECT_TIMEOUT_MS,
              "read the datasource's schema")
          .compose(reply -> {
            if (!reply.getBoolean("ok", false)) {
              return Future.failedFuture(ApiException.badRequest("Cannot read the schema",
                  reply.getString("message")));
            }
            JsonObject catalog = reply.getJsonObject("catalog");
            return pool.preparedQuery(DatasourceSql.STORE_SCHEMA).execute(Tuple.of(id, orgId, catalog))
                .map(rows -> Reply.ok(new JsonObject().put("refreshedAt",
                    rows.iterator().next().getOffsetDateTime("refreshed_at").toInstant().toString())
                    .mergeIn(catalog)));
          });
    });
  }

  private Future<Row> load(ApiRequest req) {
    UUID id = req.id("datasourceId", "That datasource");
    return pool.preparedQuery(DatasourceSql.GET).execute(Tuple.of(id, UUID.fromString(req.orgId())))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(ApiException.notFound("That datasource")));
  }

  private static Throwable nameTaken(Throwable err, String name) {
    if (err instanceof PgException pg && NAME_TAKEN.equals(pg.getSqlState())) {
      return ApiException.conflict("Name taken", "A datasource named \"" + name + "\" already exists in this org.");
    }
    return err;
  }

  static JsonObject json(Row r, boolean withConnectionDetails) {
    DatasourceForm f = DatasourceForm.of(r);
    JsonObject out = new JsonObject()
        .put("id", r.getUUID("id").toString()).put("name", f.name()).put("kind", f.kind())
        .put("readOnly", f.readOnly()).put("maxConcurrency", f.maxConcurrency())
        .put("defaultTimeoutMs", f.defaultTimeoutMs()).put("maxTimeoutMs", f.maxTimeoutMs())
        .put("defaultMaxRows", f.defaultMaxRows()).put("maxRowsLimit", f.maxRowsLimit())
        .put("defaultMaxBytes", f.defaultMaxBytes()).put("maxBytesLimit", f.maxBytesLimit())
        .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("updatedAt", r.getOffsetDateTime("updated_at").toInstant().toString());
    if (withConnectionDetails) {
      out.put("host", f.host()).put("port", f.port()).put("database", f.database()).put("user", f.user())
          .put("sslMode", f.sslMode()).put("searchPath", f.searchPath())
          .put("passwordSet", r.getValue("secret_ciphertext") != null);
    }
    return out;
  }

  /** The writable settings; {@code required} names the fields a create needs. */
  static JsonObject settingsSchema(String... required) {
    return object(props()
        .put("name", name(200, "Outages replica"))
        .put("kind", enumOf("postgres"))
        .put("host", pattern("^[A-Za-z0-9._:\\-\\[\\]%]+$", 255, "db.internal"))
        .put("port", integer(1, 65535, 5432))
        .put("database", string(1, 63, "outages"))
        .put("user", string(1, 63, "sightline_reader"))
        .put("password", nullableString(1000, "reader password"))
        .put("sslMode", enumOf("prefer", "disable", "allow", "require", "verify-ca", "verify-full"))
        .put("searchPath", pattern("^\\s*$|^\\s*(\"[^\"]+\"|\\$user|[A-Za-z_][A-Za-z0-9_$]*)(\\s*,\\s*(\"[^\"]+\"|"
            + "\\$user|[A-Za-z_][A-Za-z0-9_$]*))*\\s*$", 500, "public, grid").put("minLength", 0))
        .put("maxConcurrency", integer(1, 256, 3))
        .put("defaultTimeoutMs", integer(1000, 86_400_000, 30_000))
        .put("maxTimeoutMs", integer(1000, 86_400_000, 300_000))
        .put("defaultMaxRows", integer(1, 1_000_000_000, 100_000))
        .put("maxRowsLimit", integer(1, 1_000_000_000, 1_000_000))
        .put("defaultMaxBytes", integer(1024, 64L * 1024 * 1024 * 1024, 64L * 1024 * 1024))
        .put("maxBytesLimit", integer(1024, 64L * 1024 * 1024 * 1024, 512L * 1024 * 1024))
        .put("readOnly", bool(true)), required);
  }

  private static JsonObject datasourceSchema() {
    return response(settingsSchema().getJsonObject("properties").copy().put("id", uuid())
        .put("passwordSet", bool(true)).put("createdAt", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("updatedAt", string(1, 40, "2026-11-29T03:00:00Z")));
  }

  private static JsonObject testResultSchema() {
    return response(props().put("ok", bool(true)).put("serverVersion", string(1, 500, "PostgreSQL 17.2"))
        .put("latencyMs", integer(0, 60_000, 12))
        .put("code", enumOf("authentication_failed", "connection_refused", "host_not_found", "host_unreachable",
            "database_not_found", "ssl_required", "ssl_not_supported", "ssl_error", "timeout", "permission_denied",
            "unsupported_kind", "error"))
        .put("message", string(1, 2000, "Authentication failed for user \"reader\"")));
  }

  private static JsonObject schemaSchema() {
    JsonObject column = response(props().put("name", string(1, 63, "customers_out"))
        .put("type", string(1, 200, "integer")).put("nullable", bool(true)));
    JsonObject relation = response(props().put("name", string(1, 63, "outages"))
        .put("kind", enumOf("table", "view", "materialized_view", "foreign_table", "partitioned_table"))
        .put("columns", arrayOf(column)));
    return response(props().put("refreshedAt", string(1, 40, "2026-11-29T03:00:00Z"))
        .put("truncated", bool(false))
        .put("schemas", arrayOf(response(props().put("name", string(1, 63, "public"))
            .put("relations", arrayOf(relation))))));
  }
}
