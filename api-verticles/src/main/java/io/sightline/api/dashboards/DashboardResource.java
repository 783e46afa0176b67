package io.sightline.api.dashboards;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.integer;
import static io.sightline.api.http.Schemas.name;
import static io.sightline.api.http.Schemas.nullableString;
import static io.sightline.api.http.Schemas.object;
import static io.sightline.api.http.Schemas.props;
import static io.sightline.api.http.Schemas.response;
import static io.sightline.api.http.Schemas.string;

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
import io.sightline.api.queries.QueryEnumOptions;
import io.sightline.api.runs.RunResource;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterException;
import io.sightline.shared.params.ParameterSpec;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Dashboards (docs/api.md "Dashboards"): a grid of visualization and text tiles with shared parameters bound per tile.
 * A save sends the whole dashboard with the version it started from (stale: 409 saying who saved when) and is kept as
 * a version, in the same transaction; versions can be read and restored as a new save. Tiles show visualizations of
 * the same org only, and their bindings are checked against the tile query's parameters ({@link Bindings}): every
 * problem is a 400 naming {@code /tiles/<i>/…}. A dashboard is found by id or by slug (unique per org among live
 * dashboards; derived from the name when not given, with a numeric suffix on a clash; a slug given that is taken is a
 * 409). Deleting archives it when runs, run requests or schedules refer to it, else deletes it. Reading records the
 * caller's view (last viewed, recent dashboards); a tile whose query was archived is still shown, marked
 * {@code query.archived} (it no longer runs). Viewers read and run; editors write. Runs: {@link DashboardRuns}.
 */
public final class DashboardResource {
  static final String TAG = "dashboards";
  private static final int MAX_PAGE = 200;
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final DashboardRuns runs;

  public DashboardResource(Pool pool, RunService runService, ResultReader results) {
    this.pool = pool;
    this.runs = new DashboardRuns(pool, runService, new QueryEnumOptions(pool, results));
  }

  public void register(ApiRoutes routes) {
    Access viewer = Access.member(Role.VIEWER);
    Access editor = Access.member(Role.EDITOR);
    String one = "/api/v1/dashboards/{idOrSlug}";
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/dashboards").access(viewer)
        .doc("listDashboards", TAG, "Dashboards, most recently changed first (or, with recent=true, those the caller"
            + " opened, most recently viewed first); limit + cursor")
        .query("search", string(1, 200, "outages"), "words in the name or description")
        .query("tag", string(1, DashboardForm.MAX_TAG, "ops"), "only dashboards with this tag")
        .query("owner", string(1, 36, "me"), "only dashboards created by this user (id, or me)")
        .query("recent", bool(true), "only dashboards the caller opened, most recently viewed first")
        .query("limit", integer(1, MAX_PAGE, 50), "page size")
        .query("cursor", string(1, 200, "opaque"), "the nextCursor of the previous page")
        .returns(200, response(props().put("items", arrayOf(DashboardSchemas.listItem()))
            .put("nextCursor", nullableString(200, "opaque"))))
        .handler(this::list));
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/dashboards").access(editor)
        .doc("createDashboard", TAG, "Create a dashboard (version 1); slug derived from the name when not given")
        .body(DashboardSchemas.save(false)).largeBody().returns(201, DashboardSchemas.dashboard()).handler(this::create));
    routes.add(RouteSpec.route(HttpMethod.GET, one).access(viewer)
        .doc("getDashboard", TAG, "A dashboard by id or slug, with its tiles (each viz tile with its visualization and"
            + " its query's parameters); records the caller's view")
        .returns(200, DashboardSchemas.dashboard()).handler(this::get));
    routes.add(RouteSpec.route(HttpMethod.PUT, one).access(editor)
        .doc("saveDashboard", TAG, "Save the whole dashboard as a new version; 'version' is the version the edit"
            + " started from (409 stale-version saying who saved when)")
        .body(DashboardSchemas.save(true)).largeBody().returns(200, DashboardSchemas.dashboard()).handler(this::save));
    routes.add(RouteSpec.route(HttpMethod.DELETE, one).access(editor)
        .doc("deleteDashboard", TAG, "Delete a dashboard, or archive it when runs or schedules refer to it")
        .returns(204, null).handler(this::delete));
    routes.add(RouteSpec.route(HttpMethod.GET, one + "/versions").access(viewer)
        .doc("listDashboardVersions", TAG, "Every saved version, newest first")
        .returns(200, arrayOf(response(props().put("version", integer(1, Integer.MAX_VALUE, 3))
            .put("name", string(1, 200, "Outages")).put("tileCount", integer(0, DashboardForm.MAX_TILES, 4))
            .put("savedAt", string(1, 40, "2026-11-29T03:00:00Z")).put("savedBy", nullableString(254,
                "ops@example.com")))))
        .handler(this::versions));
    routes.add(RouteSpec.route(HttpMethod.GET, one + "/versions/{version}").access(viewer)
        .doc("getDashboardVersion", TAG, "One saved version: parameters, refresh, tags and the whole layout")
        .returns(200, DashboardSchemas.dashboard()).handler(this::version));
    routes.add(RouteSpec.route(HttpMethod.POST, one + "/versions/{version}/restore").access(editor)
        .doc("restoreDashboardVersion", TAG, "Save an old version's content as the newest version (the slug stays)")
        .returns(200, DashboardSchemas.dashboard()).handler(this::restore));
    routes.add(RouteSpec.route(HttpMethod.POST, one + "/duplicate").access(editor)
        .doc("duplicateDashboard", TAG, "A copy (version 1, new tile ids) named 'name' (default: '<name> (copy)'), its"
            + " slug derived from that name unless given")
        .body(object(props().put("name", name(200, "Outages (copy)")).put("slug", string(1, DashboardForm.MAX_SLUG,
            "outages-copy"))))
        .returns(201, DashboardSchemas.dashboard()).handler(this::duplicate));
    runs.register(routes, one + "/runs", viewer);
  }

  // ---- finding -----------------------------------------------------------------------------------------------------

  /** A dashboard reference from the path: an id (UUID-shaped) or a slug. */
  record Key(UUID id, String slug) {
    static Key of(ApiRequest req) {
      String raw = req.path("idOrSlug");
      if (raw != null && raw.length() == 36 && DashboardForm.slugProblem(raw.toLowerCase(Locale.ROOT)) != null) {
        try {
          return new Key(UUID.fromString(raw), null);
        } catch (IllegalArgumentException e) {
          // not an id: a slug
        }
      }
      return new Key(null, raw);
    }

    Tuple with(UUID org) {
      return Tuple.of(org, id, slug);
    }
  }

  static UUID org(ApiRequest req) {
    return UUID.fromString(req.orgId());
  }

  static UUID user(ApiRequest req) {
    return UUID.fromString(req.principal().userId());
  }

  /** The dashboard row ({@link DashboardSql#GET}); 404 when the org has no live dashboard with that id or slug. */
  static Future<Row> find(SqlConnectionOrPool conn, Key key, UUID org, UUID user) {
    return conn.query(DashboardSql.GET, key.with(org).addValue(user)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(ApiException.notFound("That dashboard")) : Future.succeededFuture(rows.iterator().next()));
  }

  /** A pool or a connection inside a transaction: the same reads serve both. */
  @FunctionalInterface
  interface SqlConnectionOrPool {
    Future<RowSet<Row>> query(String sql, Tuple values);

    static SqlConnectionOrPool of(Pool pool) {
      return (sql, values) -> pool.preparedQuery(sql).execute(values);
    }

    static SqlConnectionOrPool of(SqlConnection conn) {
      return (sql, values) -> conn.preparedQuery(sql).execute(values);
    }
  }

  // ---- reading -----------------------------------------------------------------------------------------------------

  private Future<Reply> list(ApiRequest req) {
    int limit = (int) RunResource.parse(req.query("limit"), 50, "limit", 1, MAX_PAGE);
    String recentParam = req.query("recent");
    if (recentParam != null && !Set.of("true", "false").contains(recentParam)) {
      throw ApiException.invalid("?recent", "must be true or false");
    }
    boolean recent = "true".equals(recentParam);
    UUID owner = ownerParam(req);
    KeysetCursor cursor = KeysetCursor.decode(req.query("cursor"));
    return pool.preparedQuery(recent ? DashboardSql.LIST_RECENT : DashboardSql.LIST).execute(Tuple.tuple()
            .addValue(org(req)).addValue(user(req)).addValue(likeLiteral(blankToNull(req.query("search"))))
            .addValue(blankToNull(req.query("tag"))).addValue(owner)
            .addValue(cursor == null ? null : cursor.at()).addValue(cursor == null ? null : cursor.id())
            .addValue(limit + 1))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          int n = 0;
          for (Row r : rows) {
            if (++n > limit) {
              break;
            }
            items.add(listItem(r));
            last = r;
          }
          String next = rows.size() > limit && last != null ? new KeysetCursor(
              last.getOffsetDateTime(recent ? "viewed_at" : "updated_at"), last.getUUID("id")).encode() : null;
          return Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
        });
  }

  private static UUID ownerParam(ApiRequest req) {
    String owner = blankToNull(req.query("owner"));
    if (owner == null) {
      return null;
    }
    if (owner.equals("me")) {
      return user(req);
    }
    try {
      return UUID.fromString(owner);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("?owner", "must be a user id or me");
    }
  }

  private Future<Reply> get(ApiRequest req) {
    UUID org = org(req);
    UUID user = user(req);
    return find(SqlConnectionOrPool.of(pool), Key.of(req), org, user)
        .compose(d -> pool.preparedQuery(DashboardSql.TILES).execute(Tuple.of(d.getUUID("id"), org))
            .compose(tiles -> pool.preparedQuery(DashboardSql.VIEWED).execute(Tuple.of(user, d.getUUID("id"), org))
                .map(v -> Reply.ok(json(d, tiles)))));
  }

  private Future<Reply> versions(ApiRequest req) {
    UUID org = org(req);
    return find(SqlConnectionOrPool.of(pool), Key.of(req), org, user(req))
        .compose(d -> pool.preparedQuery(DashboardSql.VERSIONS).execute(Tuple.of(d.getUUID("id"), org)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("version", r.getInteger("version"))
              .put("name", r.getString("name")).put("tileCount", r.getInteger("tile_count"))
              .put("savedAt", time(r.getOffsetDateTime("saved_at"))).put("savedBy", r.getString("saved_by_email"))));
          return Reply.ok(out);
        });
  }

  /** The dashboard and its version {@code version} of the path; 404 for either. */
  private Future<Row[]> findVersion(ApiRequest req) {
    UUID org = org(req);
    int version = req.number("version", "That version");
    return find(SqlConnectionOrPool.of(pool), Key.of(req), org, user(req))
        .compose(d -> pool.preparedQuery(DashboardSql.VERSION).execute(Tuple.of(d.getUUID("id"), org, version))
            .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiException.notFound("That version"))
                : Future.succeededFuture(new Row[] {d, rows.iterator().next()})));
  }

  private Future<Reply> version(ApiRequest req) {
    return findVersion(req).map(found -> {
      Row d = found[0];
      Row v = found[1];
      return Reply.ok(new JsonObject().put("id", d.getUUID("id").toString()).put("slug", v.getString("slug"))
          .put("name", v.getString("name")).put("description", v.getString("description"))
          .put("tags", tags(v)).put("params", v.getJsonArray("params"))
          .put("refreshSeconds", v.getInteger("refresh_seconds")).put("version", v.getInteger("version"))
          .put("savedBy", v.getString("saved_by_email")).put("savedAt", time(v.getOffsetDateTime("saved_at")))
          .put("tiles", v.getJsonArray("tiles")));
    });
  }

  // ---- writing -----------------------------------------------------------------------------------------------------

  private Future<Reply> create(ApiRequest req) {
    return insert(req, DashboardForm.of(req.body()));
  }

  /** Creates a dashboard from {@code form} (version 1, new tile ids); 201 with it. */
  private Future<Reply> insert(ApiRequest req, DashboardForm form) {
    UUID org = org(req);
    UUID user = user(req);
    UUID id = UUID.randomUUID();
    return pool.withTransaction(conn -> checkTiles(conn, org, form)
            .compose(v -> slug(conn, org, form, null, null))
            .compose(slug -> {
              DashboardForm f = form.withSlug(slug).withTileIds(Set.of());
              return conn.preparedQuery(DashboardSql.INSERT).execute(Tuple.tuple().addValue(id).addValue(org)
                      .addValue(f.name()).addValue(f.slug()).addValue(f.description()).addValue(f.paramsJson())
                      .addValue(f.refreshSeconds()).addValue(f.tags().toArray(new String[0])).addValue(user))
                  .compose(v -> writeTiles(conn, id, org, f));
            })
            .compose(v -> read(conn, id, org, user)))
        .recover(err -> Future.failedFuture(slugTaken(err, form)))
        .map(d -> new Reply(201, d, Map.of()));
  }

  private Future<Reply> save(ApiRequest req) {
    return update(req, DashboardForm.of(req.body()), req.body().getInteger("version"));
  }

  /** Saves {@code form} as the next version, if {@code basedOn} (null: any) is still the current one. */
  private Future<Reply> update(ApiRequest req, DashboardForm form, Integer basedOn) {
    UUID org = org(req);
    UUID user = user(req);
    Key key = Key.of(req);
    return pool.withTransaction(conn -> lock(conn, key, org).compose(current -> {
          int version = current.getInteger("version");
          if (basedOn != null && basedOn != version) {
            return Future.failedFuture(ApiException.staleVersion("dashboard", version,
                current.getString("updated_by_email"), time(current.getOffsetDateTime("updated_at")), basedOn));
          }
          UUID id = current.getUUID("id");
          return checkTiles(conn, org, form)
              .compose(v -> slug(conn, org, form, id, current.getString("slug")))
              .compose(slug -> conn.preparedQuery(DashboardSql.TILE_IDS).execute(Tuple.of(id, org)).compose(ids -> {
                Set<String> currentTiles = new HashSet<>();
                ids.forEach(r -> currentTiles.add(r.getUUID("id").toString()));
                DashboardForm f = form.withSlug(slug).withTileIds(currentTiles);
                return conn.preparedQuery(DashboardSql.UPDATE).execute(Tuple.tuple().addValue(id).addValue(org)
                        .addValue(f.name()).addValue(f.slug()).addValue(f.description()).addValue(f.paramsJson())
                        .addValue(f.refreshSeconds()).addValue(f.tags().toArray(new String[0])).addValue(user))
                    .compose(v -> conn.preparedQuery(DashboardSql.DELETE_TILES).execute(Tuple.of(id, org)))
                    .compose(v -> writeTiles(conn, id, org, f));
              }))
              .compose(v -> read(conn, id, org, user));
        }))
        .recover(err -> Future.failedFuture(slugTaken(err, form)))
        .map(Reply::ok);
  }

  /** Inserts the form's tiles (ids assigned) and the version row holding them. */
  private static Future<Void> writeTiles(SqlConnection conn, UUID id, UUID org, DashboardForm f) {
    JsonArray tiles = f.tilesJson();
    return conn.preparedQuery(DashboardSql.INSERT_TILES).execute(Tuple.of(id, org, tiles))
        .compose(v -> conn.preparedQuery(DashboardSql.INSERT_VERSION).execute(Tuple.of(id, org, tiles)))
        .mapEmpty();
  }

  private Future<Reply> restore(ApiRequest req) {
    return findVersion(req).compose(found -> {
      Row v = found[1];
      JsonObject body = DashboardForm.body(v.getString("name"), v.getString("description"), tags(v),
          v.getJsonArray("params"), v.getInteger("refresh_seconds"), v.getJsonArray("tiles"));
      return update(req, formOf(body), null);
    });
  }

  private Future<Reply> duplicate(ApiRequest req) {
    UUID org = org(req);
    return find(SqlConnectionOrPool.of(pool), Key.of(req), org, user(req))
        .compose(d -> pool.preparedQuery(DashboardSql.TILES).execute(Tuple.of(d.getUUID("id"), org)).compose(rows -> {
          JsonArray tiles = new JsonArray();
          rows.forEach(t -> tiles.add(tileJson(t, false)));
          String name = req.body().getString("name");
          JsonObject body = DashboardForm.body(name == null ? copyName(d.getString("name")) : name.trim(),
              d.getString("description"), tags(d), d.getJsonArray("params"), d.getInteger("refresh_seconds"), tiles);
          if (req.body().getString("slug") != null) {
            body.put("slug", req.body().getString("slug"));
          }
          return insert(req, formOf(body));
        }));
  }

  private static String copyName(String name) {
    String copy = name + " (copy)";
    return copy.length() <= 200 ? copy : name.substring(0, 193) + " (copy)";
  }

  /**
   * A stored dashboard's content read back as a form. Stored content passed every check when saved; what no longer
   * passes (a visualization deleted, a query's parameters changed) is a 400 naming the field, as for any save.
   */
  private static DashboardForm formOf(JsonObject body) {
    return DashboardForm.of(body);
  }

  private Future<Reply> delete(ApiRequest req) {
    UUID org = org(req);
    return pool.withTransaction(conn -> lock(conn, Key.of(req), org).compose(d -> {
      UUID id = d.getUUID("id");
      return conn.preparedQuery(DashboardSql.REFERENCED).execute(Tuple.of(id, org)).compose(rows -> {
        boolean archive = rows.iterator().next().getBoolean("referenced");
        return conn.preparedQuery(archive ? DashboardSql.ARCHIVE : DashboardSql.DELETE).execute(Tuple.of(id, org))
            .compose(done -> Audit.of(req, archive ? "dashboard.archived" : "dashboard.deleted")
                .target("dashboard", id, d.getString("name")).write(conn));
      });
    })).map(v -> Reply.noContent());
  }

  private static Future<Row> lock(SqlConnection conn, Key key, UUID org) {
    return conn.preparedQuery(DashboardSql.LOCK).execute(key.with(org))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiException.notFound("That dashboard"))
            : Future.succeededFuture(rows.iterator().next()));
  }

  /** The dashboard as the API answers it, read inside the save's transaction. */
  private static Future<JsonObject> read(SqlConnection conn, UUID id, UUID org, UUID user) {
    SqlConnectionOrPool c = SqlConnectionOrPool.of(conn);
    return find(c, new Key(id, null), org, user)
        .compose(d -> c.query(DashboardSql.TILES, Tuple.of(id, org)).map(tiles -> json(d, tiles)));
  }

  /**
   * Every viz tile's visualization is one of the org's, and its bindings fit its query's parameters and the
   * dashboard's; a 400 naming every bad field otherwise. One statement, whatever the number of tiles.
   */
  private static Future<Void> checkTiles(SqlConnection conn, UUID org, DashboardForm form) {
    UUID[] ids = form.tiles().stream().filter(DashboardForm.Tile::isViz).map(DashboardForm.Tile::visualizationId)
        .filter(java.util.Objects::nonNull).map(UUID::fromString).distinct().toArray(UUID[]::new);
    Future<RowSet<Row>> found = ids.length == 0 ? Future.succeededFuture(null)
        : conn.preparedQuery(DashboardSql.VISUALIZATIONS).execute(Tuple.tuple().addValue(org).addValue(ids));
    return found.map(rows -> {
      Map<String, JsonArray> paramsByViz = new HashMap<>();
      if (rows != null) {
        rows.forEach(r -> paramsByViz.put(r.getUUID("id").toString(), r.getJsonArray("params")));
      }
      Map<String, ParameterSpec> dashboardParams = form.paramsByName();
      Errors errors = new Errors();
      for (int i = 0; i < form.tiles().size(); i++) {
        DashboardForm.Tile t = form.tiles().get(i);
        if (!t.isViz() || t.visualizationId() == null) {
          continue;
        }
        JsonArray params = paramsByViz.get(UUID.fromString(t.visualizationId()).toString());
        if (params == null) {
          errors.add("/tiles/" + i + "/visualizationId", "no such visualization in this org");
          continue;
        }
        List<ParameterSpec> specs;
        try {
          specs = ParameterCheck.parseAll(params);
        } catch (ParameterException e) {
          errors.add("/tiles/" + i + "/visualizationId", "the visualization's query has an invalid parameter"
              + " schema: " + e.getMessage());
          continue;
        }
        Bindings.check(t.bindings(), specs, dashboardParams, "/tiles/" + i + "/bindings", errors);
      }
      errors.throwIfAny();
      return null;
    });
  }

  /**
   * The slug a save gets: the form's when given (a 409 naming it when another live dashboard of the org has it), else
   * the dashboard's current one ({@code currentSlug}), else one derived from the name with the first free numeric
   * suffix. Saves deriving from the same base take turns (a lock until their transaction ends), so parallel creates
   * of one name get distinct suffixes instead of a 409 they did not ask for.
   */
  private static Future<String> slug(SqlConnection conn, UUID org, DashboardForm form, UUID self, String currentSlug) {
    if (form.slug() == null && currentSlug != null) {
      return Future.succeededFuture(currentSlug);
    }
    String base = form.slug() != null ? form.slug() : DashboardForm.slugOf(form.name());
    return conn.preparedQuery(DashboardSql.LOCK_SLUG).execute(Tuple.of(org, base))
        .compose(locked -> conn.preparedQuery(DashboardSql.SLUGS_LIKE).execute(Tuple.of(org, base, self)))
        .compose(rows -> {
      Set<String> taken = new HashSet<>();
      rows.forEach(r -> taken.add(r.getString("slug")));
      if (form.slug() != null && taken.contains(base)) {
        return Future.failedFuture(slugTakenProblem(base));
      }
      return Future.succeededFuture(DashboardForm.free(base, taken));
    });
  }

  /** A concurrent save that took the same slug first (the unique index decided): the same 409. */
  private static Throwable slugTaken(Throwable err, DashboardForm form) {
    if (err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && "dashboards_org_slug_uq".equals(pg.getConstraint())) {
      return slugTakenProblem(form.slug() != null ? form.slug() : DashboardForm.slugOf(form.name()));
    }
    return err;
  }

  private static ApiException slugTakenProblem(String slug) {
    return new ApiException(Problem.of(409, "slug-taken", "Slug taken", "Another dashboard of this org has the"
        + " slug \"" + slug + "\". Choose another slug, or leave it out to derive a free one from the name.")
        .with("slug", slug).withError("/slug", "is taken by another dashboard"));
  }

  // ---- shapes ------------------------------------------------------------------------------------------------------

  /** The dashboard with its tiles, as GET and every save answer it. */
  static JsonObject json(Row d, RowSet<Row> tiles) {
    JsonArray out = new JsonArray();
    tiles.forEach(t -> out.add(tileJson(t, true)));
    return new JsonObject().put("id", d.getUUID("id").toString()).put("slug", d.getString("slug"))
        .put("name", d.getString("name")).put("description", d.getString("description")).put("tags", tags(d))
        .put("params", d.getJsonArray("params")).put("refreshSeconds", d.getInteger("refresh_seconds"))
        .put("version", d.getInteger("version"))
        .put("createdBy", d.getString("created_by_email")).put("updatedBy", d.getString("updated_by_email"))
        .put("createdAt", time(d.getOffsetDateTime("created_at"))).put("updatedAt", time(d.getOffsetDateTime(
            "updated_at")))
        .put("lastViewedAt", time(d.getOffsetDateTime("viewed_at")))
        .put("tiles", out);
  }

  /** A tile; with {@code details}, a viz tile also carries its visualization and its query's parameters. */
  static JsonObject tileJson(Row t, boolean details) {
    UUID viz = t.getUUID("visualization_id");
    JsonObject out = new JsonObject().put("id", t.getUUID("id").toString()).put("kind", t.getString("kind"))
        .put("visualizationId", viz == null ? null : viz.toString()).put("title", t.getString("title"))
        .put("text", t.getString("text")).put("x", t.getInteger("x")).put("y", t.getInteger("y"))
        .put("w", t.getInteger("w")).put("h", t.getInteger("h")).put("bindings", t.getJsonObject("bindings"))
        .put("clickAction", t.getValue("click_action") == null ? null : t.getJsonObject("click_action"));
    if (details && viz != null) {
      out.put("visualization", new JsonObject().put("id", viz.toString()).put("name", t.getString("viz_name"))
              .put("kind", t.getString("viz_kind")).put("config", t.getJsonObject("viz_config"))
              .put("version", t.getInteger("viz_version")).put("queryId", t.getUUID("query_id").toString()))
          .put("query", new JsonObject().put("id", t.getUUID("query_id").toString())
              .put("name", t.getString("query_name")).put("params", t.getJsonArray("query_params"))
              .put("archived", t.getBoolean("query_archived")));
    }
    return out;
  }

  private static JsonObject listItem(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("slug", r.getString("slug"))
        .put("name", r.getString("name")).put("description", r.getString("description")).put("tags", tags(r))
        .put("tileCount", r.getInteger("tile_count")).put("version", r.getInteger("version"))
        .put("ownerId", r.getUUID("created_by") == null ? null : r.getUUID("created_by").toString())
        .put("owner", r.getString("created_by_email")).put("updatedBy", r.getString("updated_by_email"))
        .put("createdAt", time(r.getOffsetDateTime("created_at")))
        .put("updatedAt", time(r.getOffsetDateTime("updated_at")))
        .put("lastViewedAt", time(r.getOffsetDateTime("viewed_at")));
  }

  private static JsonArray tags(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    return new JsonArray(tags == null ? new ArrayList<>() : new ArrayList<Object>(List.of(tags)));
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /** {@code text} matched literally by {@code ilike} (escape character {@code \}): its % and _ are not wildcards. */
  private static String likeLiteral(String text) {
    return text == null ? null : text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
