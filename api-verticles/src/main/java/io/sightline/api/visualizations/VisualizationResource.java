package io.sightline.api.visualizations;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
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
import io.sightline.api.http.Role;
import io.sightline.api.http.RouteSpec;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Visualizations of a saved query (docs/visualizations.md): a kind and a config validated against that kind's JSON
 * Schema ({@link VizConfigSchemas}), versioned on every save like queries (a save based on a stale version is a 409
 * saying who saved when). Viewers read, editors write. A visualization a dashboard tile uses is not deleted (409
 * {@code visualization-in-use} naming the dashboards); any other is deleted. Archiving a query keeps its
 * visualizations: they stay readable (and editable) by id, so tiles keep drawing, while the query's own list and create
 * routes answer 404 like the query itself.
 */
public final class VisualizationResource {
  private static final String TAG = "visualizations";
  /** Dashboards named in a 409's detail; the problem's {@code dashboards} member lists up to {@link #LISTED}. */
  private static final int NAMED_IN_DETAIL = 5;
  private static final int LISTED = 100;

  private final Pool pool;

  public VisualizationResource(Pool pool) {
    this.pool = pool;
  }

  public void register(ApiRoutes routes) {
    VizConfigSchemas.register(routes);
    Access viewer = Access.member(Role.VIEWER);
    Access editor = Access.member(Role.EDITOR);
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/queries/{queryId}/visualizations").access(viewer)
        .doc("listVisualizations", TAG, "The query's visualizations, oldest first")
        .returns(200, arrayOf(visualizationSchema())).handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/queries/{queryId}/visualizations").access(editor)
        .doc("createVisualization", TAG, "Add a visualization (version 1); config is validated against the schema"
            + " of its kind (components.schemas.VizConfig_<kind>)")
        .body(saveSchema(false)).returns(201, visualizationSchema()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/visualizations/{visualizationId}").access(viewer)
        .doc("getVisualization", TAG, "One visualization").returns(200, visualizationSchema()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PUT, "/api/v1/visualizations/{visualizationId}").access(editor)
        .doc("saveVisualization", TAG, "Save a new version; 'version' is the version the edit started from (409"
            + " stale-version saying who saved when)")
        .body(saveSchema(true)).returns(200, visualizationSchema()).handler(this::save));
    routes.add(RouteSpec.route(HttpMethod.DELETE, "/api/v1/visualizations/{visualizationId}").access(editor)
        .doc("deleteVisualization", TAG, "Delete a visualization; 409 visualization-in-use lists the dashboards whose"
            + " tiles show it (dashboardCount, dashboards[{id, name, archived}], at most 100)")
        .returns(204, null).handler(this::delete));
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  private Future<Reply> list(ApiRequest req) {
    UUID query = req.id("queryId", "That query");
    UUID org = UUID.fromString(req.orgId());
    return pool.preparedQuery(VisualizationSql.QUERY_VISIBLE).execute(Tuple.of(query, org))
        .compose(found -> found.size() == 0 ? Future.failedFuture(ApiException.notFound("That query"))
            : pool.preparedQuery(VisualizationSql.LIST).execute(Tuple.of(query, org)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(json(r)));
          return Reply.ok(out);
        });
  }

  private Future<Reply> get(ApiRequest req) {
    UUID id = req.id("visualizationId", "That visualization");
    return pool.preparedQuery(VisualizationSql.GET).execute(Tuple.of(id, UUID.fromString(req.orgId())))
        .map(rows -> Reply.ok(one(rows)));
  }

  // ---- writing ---------------------------------------------------------------------------------------------------

  /** A save's content; the body passed the kind's config schema already. */
  private record Content(String name, String kind, JsonObject config) {
    static Content of(JsonObject body) {
      return new Content(body.getString("name").trim(), body.getString("kind"), body.getJsonObject("config"));
    }
  }

  private Future<Reply> create(ApiRequest req) {
    UUID query = req.id("queryId", "That query");
    UUID org = UUID.fromString(req.orgId());
    UUID id = UUID.randomUUID();
    Content c = Content.of(req.body());
    return pool.withTransaction(conn -> conn.preparedQuery(VisualizationSql.QUERY_LIVE).execute(Tuple.of(query, org))
            .compose(found -> found.size() == 0 ? Future.failedFuture(ApiException.notFound("That query"))
                : conn.preparedQuery(VisualizationSql.INSERT).execute(Tuple.tuple().addValue(id).addValue(org)
                    .addValue(query).addValue(c.name()).addValue(c.kind()).addValue(c.config())
                    .addValue(UUID.fromString(req.principal().userId()))))
            .compose(v -> conn.preparedQuery(VisualizationSql.GET).execute(Tuple.of(id, org))))
        .map(rows -> new Reply(201, one(rows), Map.of()));
  }

  private Future<Reply> save(ApiRequest req) {
    UUID id = req.id("visualizationId", "That visualization");
    UUID org = UUID.fromString(req.orgId());
    Content c = Content.of(req.body());
    int basedOn = req.body().getInteger("version");
    return pool.withTransaction(conn -> lock(conn, id, org)
            .compose(current -> {
              int version = current.getInteger("version");
              if (version != basedOn) {
                return Future.failedFuture(ApiException.staleVersion("visualization", version,
                    current.getString("updated_by_email"), time(current.getOffsetDateTime("updated_at")), basedOn));
              }
              return conn.preparedQuery(VisualizationSql.UPDATE).execute(Tuple.tuple().addValue(id).addValue(org)
                  .addValue(c.name()).addValue(c.kind()).addValue(c.config())
                  .addValue(UUID.fromString(req.principal().userId())));
            })
            .compose(v -> conn.preparedQuery(VisualizationSql.GET).execute(Tuple.of(id, org))))
        .map(rows -> Reply.ok(one(rows)));
  }

  /**
   * Deletes a visualization no tile uses; otherwise a 409 naming the dashboards, so nobody's dashboard loses a tile
   * behind their back. The row lock makes a tile added meanwhile wait, then fail on its foreign key.
   */
  private Future<Reply> delete(ApiRequest req) {
    UUID id = req.id("visualizationId", "That visualization");
    UUID org = UUID.fromString(req.orgId());
    return pool.withTransaction(conn -> lock(conn, id, org)
        .compose(v -> conn.preparedQuery(VisualizationSql.DASHBOARDS_USING).execute(Tuple.of(id, org, LISTED)))
        .compose(using -> using.size() > 0 ? Future.failedFuture(inUse(using))
            : conn.preparedQuery(VisualizationSql.DELETE).execute(Tuple.of(id, org)))
        .map(deleted -> Reply.noContent()));
  }

  private static Future<Row> lock(SqlConnection conn, UUID id, UUID org) {
    return conn.preparedQuery(VisualizationSql.LOCK).execute(Tuple.of(id, org))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiException.notFound("That visualization"))
            : Future.succeededFuture(rows.iterator().next()));
  }

  private static ApiException inUse(RowSet<Row> using) {
    JsonArray dashboards = new JsonArray();
    java.util.List<String> names = new java.util.ArrayList<>();
    long total = 0;
    for (Row r : using) {
      boolean archived = r.getBoolean("archived");
      dashboards.add(new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
          .put("archived", archived));
      if (names.size() < NAMED_IN_DETAIL) {
        names.add("\"" + r.getString("name") + "\"" + (archived ? " (archived)" : ""));
      }
      total = r.getLong("total");
    }
    String named = String.join(", ", names) + (total > names.size() ? " and " + (total - names.size()) + " more" : "");
    String detail = (total == 1 ? "A tile of the dashboard " : "Tiles of the dashboards ") + named
        + " show this visualization. Remove " + (total == 1 ? "that tile" : "those tiles") + " first.";
    return new ApiException(Problem.of(409, "visualization-in-use", "Visualization in use", detail)
        .with("dashboardCount", total).with("dashboards", dashboards));
  }

  // ---- shapes ----------------------------------------------------------------------------------------------------

  private static JsonObject one(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw ApiException.notFound("That visualization");
    }
    return json(rows.iterator().next());
  }

  /** The {@code Visualization} of webapp/src/viz/types.ts. */
  static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("queryId", r.getUUID("query_id").toString())
        .put("name", r.getString("name")).put("kind", r.getString("kind")).put("config", r.getJsonObject("config"))
        .put("version", r.getInteger("version"))
        .put("createdBy", r.getString("created_by_email")).put("updatedBy", r.getString("updated_by_email"))
        .put("createdAt", time(r.getOffsetDateTime("created_at")))
        .put("updatedAt", time(r.getOffsetDateTime("updated_at")));
  }

  private static JsonObject saveSchema(boolean withVersion) {
    JsonObject props = props()
        .put("name", name(200, "Outages per day"))
        .put("kind", VizConfigSchemas.kindProperty())
        .put("config", VizConfigSchemas.configProperty());
    if (withVersion) {
      props.put("version", integer(1, Integer.MAX_VALUE, 1));
      return VizConfigSchemas.byKind(object(props, "name", "kind", "config", "version"));
    }
    return VizConfigSchemas.byKind(object(props, "name", "kind", "config"));
  }

  static JsonObject visualizationSchema() {
    return response(props().put("id", uuid()).put("queryId", uuid()).put("name", string(1, 200, "Outages per day"))
        .put("kind", VizConfigSchemas.kindProperty()).put("config", VizConfigSchemas.anyConfig())
        .put("version", integer(1, Integer.MAX_VALUE, 3))
        .put("createdBy", nullableString(254, "ops@example.com")).put("updatedBy", nullableString(254, "ops@example.com"))
        .put("createdAt", string(1, 40, "2026-11-29T03:00:00Z")).put("updatedAt", string(1, 40, "2026-11-29T03:00:00Z")));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
