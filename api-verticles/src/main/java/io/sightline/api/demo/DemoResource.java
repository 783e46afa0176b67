package io.sightline.api.demo;

import static io.sightline.api.http.Schemas.arrayOf;
import static io.sightline.api.http.Schemas.bool;
import static io.sightline.api.http.Schemas.enumOf;
import static io.sightline.api.http.Schemas.integer;
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
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo a first standalone start installs: {@code GET /api/v1/demo} says whether this org has it, what it contains
 * and what members built on it; {@code DELETE /api/v1/demo} (admins) removes all of it at once — schedules,
 * dashboards, visualizations, queries, datasources — and asks the process that owns the demo database to drop it
 * (the {@value #DROP_DATABASE} event-bus address, served by the standalone process; without it, in a cluster, the
 * database stays and the answer says so). The api never connects to the demo database itself. A removal that would
 * break what members built on the demo (their queries on its datasource, visualizations of its queries, dashboards
 * showing its charts, schedules of its queries or dashboards) is refused with a 409 {@code demo-in-use} listing them.
 */
public final class DemoResource {
  private static final Logger LOG = LoggerFactory.getLogger(DemoResource.class);
  /** The address where the standalone process drops the demo database: {"orgId", "database"} → {"dropped": true}. */
  public static final String DROP_DATABASE = "sightline.demo.drop-database";
  /** Answered by the standalone process while it installs the demo (absent otherwise). */
  public static final String PROGRESS = "sightline.demo.progress";
  private static final long DROP_TIMEOUT_MS = 60_000;
  private static final String TAG = "demo";

  private final Vertx vertx;
  private final Pool pool;

  public DemoResource(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.GET, "/api/v1/demo").access(Access.member(Role.VIEWER))
        .doc("getDemo", TAG, "Whether this org has the demo, what it contains, and what members built on it")
        .returns(200, statusSchema()).handler(this::status));
    routes.add(RouteSpec.route(HttpMethod.DELETE, "/api/v1/demo").access(Access.member(Role.ADMIN))
        .doc("removeDemo", TAG, "Remove the demo: schedules, dashboards, visualizations, queries, datasources and (in"
            + " the standalone process) its database; 409 demo-in-use lists members' objects that depend on it")
        .returns(200, removedSchema()).handler(this::remove));
  }

  private Future<Reply> status(ApiRequest req) {
    UUID org = UUID.fromString(req.orgId());
    return pool.preparedQuery(DemoSql.GET).execute(Tuple.of(org)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        // not (yet) installed: a first start may be installing it right now
        return vertx.eventBus().<JsonObject>request(PROGRESS, new JsonObject(),
                new DeliveryOptions().setLocalOnly(true).setSendTimeout(1000))
            .map(reply -> reply.body().getBoolean("installing", false))
            .otherwise(false)
            .map(installing -> Reply.ok(new JsonObject().put("installed", false).put("installing", installing)));
      }
      Row r = rows.iterator().next();
      DemoObjects objects = DemoObjects.of(r);
      boolean installed = r.getValue("removed_at") == null;
      JsonObject out = new JsonObject().put("installed", installed)
          .put("installedAt", r.getOffsetDateTime("installed_at").toInstant().toString())
          .put("removedAt", installed ? null : r.getOffsetDateTime("removed_at").toInstant().toString())
          .put("database", r.getString("database")).put("seed", r.getLong("seed"));
      if (!installed) {
        return Future.succeededFuture(Reply.ok(out));
      }
      return DemoInstalls.contents(pool, org, objects).compose(contents -> DemoInstalls.dependents(pool, org, objects)
          .map(dependents -> Reply.ok(out.mergeIn(contents).put("dependents", dependents))));
    });
  }

  private Future<Reply> remove(ApiRequest req) {
    UUID org = UUID.fromString(req.orgId());
    UUID user = UUID.fromString(req.principal().userId());
    return pool.withTransaction(conn -> conn.preparedQuery(DemoSql.LOCK).execute(Tuple.of(org)).compose(rows -> {
      Row r = rows.iterator().hasNext() ? rows.iterator().next() : null;
      if (r == null || r.getValue("removed_at") != null) {
        return Future.failedFuture(ApiException.notFound("The demo"));
      }
      DemoObjects objects = DemoObjects.of(r);
      String database = r.getString("database");
      return DemoInstalls.dependents(conn, org, objects).compose(dependents -> dependents.isEmpty()
          ? DemoInstalls.remove(conn, org, objects)
          : Future.failedFuture(inUse(dependents)))
          .compose(removed -> conn.preparedQuery(DemoSql.MARK_REMOVED).execute(Tuple.of(org, user))
              .map(v -> new JsonObject().put("removed", removed).put("database", database)));
    })).compose(done -> dropDatabase(org, done.getString("database")).map(db -> Reply.ok(
        new JsonObject().put("removed", done.getJsonObject("removed")).mergeIn(db))));
  }

  /** Asks the owner of the demo database to drop it; answers {databaseDropped, databaseMessage}. */
  private Future<JsonObject> dropDatabase(UUID org, String database) {
    return vertx.eventBus().<JsonObject>request(DROP_DATABASE,
            new JsonObject().put("orgId", org.toString()).put("database", database),
            new DeliveryOptions().setSendTimeout(DROP_TIMEOUT_MS))
        .map(reply -> new JsonObject().put("databaseDropped", true)
            .put("databaseMessage", "The demo database " + database + " was dropped."))
        .recover(err -> {
          boolean noOwner = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          if (!noOwner) {
            LOG.warn("demo removed, but its database {} was not dropped: {}", database, err.getMessage());
          }
          return Future.succeededFuture(new JsonObject().put("databaseDropped", false).put("databaseMessage", noOwner
              ? "No process here owns the demo database " + database + "; it stays where it is (drop it by hand)."
              : "The demo database " + database + " could not be dropped (" + err.getMessage()
                  + "); drop it by hand."));
        });
  }

  private static ApiException inUse(JsonArray dependents) {
    String named = String.join(", ", dependents.stream().limit(5).map(d -> ((JsonObject) d).getString("kind") + " \""
        + ((JsonObject) d).getString("name") + "\"").toList())
        + (dependents.size() > 5 ? " and " + (dependents.size() - 5) + " more" : "");
    return new ApiException(Problem.of(409, "demo-in-use", "The demo is in use",
            dependents.size() + (dependents.size() == 1 ? " object members made depends" : " objects members made"
                + " depend") + " on the demo: " + named + ". Delete them, or move queries to another datasource,"
                + " first; then remove the demo.")
        .with("dependentCount", dependents.size()).with("dependents", dependents));
  }

  private static JsonObject item() {
    return response(props().put("id", uuid()).put("name", string(1, 200, "Demo")));
  }

  private static JsonObject statusSchema() {
    return response(props().put("installed", bool(true)).put("installing", bool(false))
        .put("installedAt", string(1, 40, "2026-12-03T05:00:00Z"))
        .put("removedAt", string(1, 40, "2026-12-03T05:00:00Z"))
        .put("database", string(1, 63, "sightline_demo")).put("seed", integer(0, Long.MAX_VALUE, 20_261_203))
        .put("datasources", arrayOf(item())).put("queries", arrayOf(item()))
        .put("visualizations", arrayOf(item()))
        .put("dashboards", arrayOf(response(props().put("id", uuid()).put("name", string(1, 200, "Trad — order flow"))
            .put("slug", string(1, 100, "demo-trad")))))
        .put("schedules", arrayOf(item()))
        .put("dependents", arrayOf(response(props()
            .put("kind", enumOf("query", "visualization", "dashboard", "schedule")).put("id", uuid())
            .put("name", string(1, 200, "My outages query"))))));
  }

  private static JsonObject removedSchema() {
    JsonObject count = integer(0, 1000, 2);
    return response(props()
        .put("removed", response(props().put("schedules", count).put("dashboards", count)
            .put("visualizations", count).put("queries", count).put("datasources", count)))
        .put("databaseDropped", bool(true))
        .put("databaseMessage", string(1, 500, "The demo database sightline_demo was dropped.")));
  }
}
