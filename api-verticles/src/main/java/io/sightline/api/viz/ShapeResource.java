package io.sightline.api.viz;

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
import io.sightline.api.runs.RunResource;
import io.sightline.shared.result.ResultHeader;
import io.sightline.shared.result.ResultReader;
import io.sightline.shared.viz.ResultShaping;
import io.sightline.shared.viz.ShapeException;
import io.sightline.shared.viz.Shaper;
import io.sightline.shared.viz.Shapers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code POST /api/v1/results/{resultId}/series}: a stored result shaped for a chart (docs/visualizations.md
 * "Shaping"), from a config in the body or a saved visualization's. The result is read chunk by chunk on worker
 * threads; answers are cached per (result, config, width rounded up to 100 px).
 */
public final class ShapeResource {
  private static final String TAG = "visualizations";
  static final int WIDTH_STEP = 100;
  private static final String SELECT_VISUALIZATION = "select kind, config from visualizations"
      + " where id = $1 and org_id = $2 and archived_at is null";
  private static final String SELECT_ZONE = "select timezone from orgs where id = $1";

  private final Vertx vertx;
  private final Pool pool;
  private final ResultReader results;
  private final ShapeCache cache;

  public ShapeResource(Vertx vertx, Pool pool, ResultReader results) {
    this(vertx, pool, results, 512, 64L << 20);
  }

  ShapeResource(Vertx vertx, Pool pool, ResultReader results, int cacheEntries, long cacheBytes) {
    this.vertx = vertx;
    this.pool = pool;
    this.results = results;
    this.cache = new ShapeCache(cacheEntries, cacheBytes);
  }

  public void register(ApiRoutes routes) {
    routes.add(RouteSpec.route(HttpMethod.POST, "/api/v1/results/{resultId}/series")
        .access(Access.member(Role.VIEWER))
        .doc("shapeResult", TAG, "Chart-ready data from a stored result: {kind, config, width}, or ?visualizationId="
            + " with {width}. Pivots by the series column, aggregates duplicate x, sums series beyond top N into"
            + " Other, and samples time axes beyond 2 × width points to the exact min and max per pixel bucket;"
            + " meta says what was sampled, cut or null. A config naming a column the result lacks is a 400")
        .query("visualizationId", uuid(), "shape with this saved visualization's kind and config")
        .body(object(props()
            .put("kind", enumOf("line", "area", "bar", "stat", "table"))
            .put("config", new JsonObject().put("type", "object").put("examples", new JsonArray()
                .add(new JsonObject().put("x", new JsonObject().put("column", "hour"))
                    .put("y", new JsonArray().add(new JsonObject().put("column", "outages")))
                    .put("seriesBy", "province"))))
            .put("width", integer(Shapers.MIN_WIDTH, Shapers.MAX_WIDTH, Shapers.DEFAULT_WIDTH))))
        .returns(200, response(props()
            .put("kind", enumOf("line", "area", "bar", "stat", "table"))
            .put("x", response(props().put("column", string(1, 200, "hour"))
                .put("type", enumOf("time", "category")).put("values", arrayOf(new JsonObject()))
                .put("bucketMs", integer(1, Long.MAX_VALUE, 60_000))))
            .put("series", arrayOf(response(props().put("key", string(1, 400, "North"))
                .put("name", string(1, 400, "North")).put("column", string(1, 200, "outages"))
                .put("axis", enumOf("left", "right")).put("render", enumOf("line", "bar"))
                .put("values", arrayOf(new JsonObject())).put("exact", new JsonObject().put("type", "object"))
                .put("total", new JsonObject().put("type", "number")).put("other", bool(false)))))
            .put("value", new JsonObject().put("type", "number")).put("exact", string(1, 200, "9007199254740993"))
            .put("comparisons", arrayOf(new JsonObject().put("type", "object")))
            .put("sparkline", new JsonObject().put("type", "object"))
            .put("totals", new JsonObject().put("type", "object"))
            .put("meta", response(props().put("sourceRows", integer(0, Long.MAX_VALUE, 1_000_000))
                .put("points", integer(0, Long.MAX_VALUE, 7200)).put("sampled", bool(true))
                .put("seriesTruncated", bool(false)).put("otherSeries", integer(0, Integer.MAX_VALUE, 0))
                .put("nulls", integer(0, Long.MAX_VALUE, 0)).put("resultTruncated", bool(false))
                .put("resultTruncatedReason", enumOf("max_rows", "max_bytes"))
                .put("categoriesTruncated", bool(false))))))
        .handler(this::shape));
  }

  private record Request(String kind, JsonObject config) {}

  private Future<Reply> shape(ApiRequest req) {
    UUID resultId = req.id("resultId", "That result");
    JsonObject body = req.body();
    int width = roundUp(body.getInteger("width", Shapers.DEFAULT_WIDTH));
    String visualizationId = req.query("visualizationId");
    // the result first: another org's or an expired result is a 404 whatever the body says
    return results.header(req.orgId(), resultId.toString())
        .recover(err -> Future.failedFuture(RunResource.translate(err, "That result")))
        .compose(header -> request(req, visualizationId, body)
            .compose(r -> zone(req.orgId()).compose(zone -> answer(req, resultId, header, r, width, zone))));
  }

  private Future<Reply> answer(ApiRequest req, UUID resultId, ResultHeader header, Request r, int width,
      ZoneId zone) {
    Shaper shaper;
    try {
      shaper = Shapers.create(r.kind(), r.config(), width, header.columns(), zone);
    } catch (ShapeException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
    String key = resultId + "|" + hash(r, zone) + "|" + width;
    Buffer cached = cache.get(key);
    if (cached != null) {
      return Future.succeededFuture(Reply.ok(cached).withHeader("X-Sightline-Cache", "hit"));
    }
    long started = System.nanoTime();
    return ResultShaping.shape(vertx, results, req.orgId(), resultId.toString(), header, shaper)
        .recover(err -> Future.failedFuture(err instanceof ShapeException e ? ApiException.invalid(e.field(),
            e.getMessage()) : RunResource.translate(err, "That result")))
        .map(json -> {
          Buffer answer = json.toBuffer();
          cache.put(key, answer);
          return Reply.ok(answer).withHeader("X-Sightline-Cache", "miss")
              .withHeader("Server-Timing", "shape;dur=" + (System.nanoTime() - started) / 1_000_000);
        });
  }

  /** The kind and config: from the body, or (with ?visualizationId=) from the org's saved visualization. */
  private Future<Request> request(ApiRequest req, String visualizationId, JsonObject body) {
    if (visualizationId == null || visualizationId.isBlank()) {
      if (body.getString("kind") == null) {
        throw ApiException.invalid("/kind", "is required (or name a saved visualization with ?visualizationId=)");
      }
      if (body.getJsonObject("config") == null) {
        throw ApiException.invalid("/config", "is required (or name a saved visualization with ?visualizationId=)");
      }
      return Future.succeededFuture(new Request(body.getString("kind"), body.getJsonObject("config")));
    }
    for (String field : new String[] {"kind", "config"}) {
      if (body.containsKey(field)) {
        throw ApiException.invalid("/" + field, "must be left out with ?visualizationId= (the visualization's own is"
            + " used)");
      }
    }
    UUID id;
    try {
      id = UUID.fromString(visualizationId.trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("That visualization");
    }
    return pool.preparedQuery(SELECT_VISUALIZATION).execute(Tuple.of(id, UUID.fromString(req.orgId())))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            throw ApiException.notFound("That visualization");
          }
          Row row = rows.iterator().next();
          Object config = row.getValue("config");
          return new Request(row.getString("kind"), config instanceof JsonObject o ? o : new JsonObject());
        });
  }

  /** The org's time zone (timestamp and date columns are wall-clock times there); UTC when it is not a zone. */
  private Future<ZoneId> zone(String orgId) {
    return pool.preparedQuery(SELECT_ZONE).execute(Tuple.of(UUID.fromString(orgId))).map(rows -> {
      String name = rows.iterator().hasNext() ? rows.iterator().next().getString("timezone") : null;
      try {
        return name == null ? ZoneOffset.UTC : ZoneId.of(name);
      } catch (DateTimeException e) {
        return ZoneOffset.UTC;
      }
    });
  }

  /** Widths share answers per step of 100 px (rounded up, so a chart never gets fewer points than it can show). */
  static int roundUp(int width) {
    return Math.min(Shapers.MAX_WIDTH, (width + WIDTH_STEP - 1) / WIDTH_STEP * WIDTH_STEP);
  }

  /** SHA-256 of the kind, the zone and the config with its keys sorted (the same config hashes the same). */
  static String hash(Request r, ZoneId zone) {
    StringBuilder sb = new StringBuilder(r.kind()).append('\n').append(zone.getId()).append('\n');
    canonical(r.config(), sb);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void canonical(Object value, StringBuilder sb) {
    if (value instanceof JsonObject o) {
      sb.append('{');
      for (Map.Entry<String, Object> e : new TreeMap<>(o.getMap()).entrySet()) {
        sb.append(JsonObject.of("k", e.getKey()).encode()).append(':');
        canonical(e.getValue(), sb);
        sb.append(',');
      }
      sb.append('}');
    } else if (value instanceof Map<?, ?> m) {
      canonical(new JsonObject(castMap(m)), sb);
    } else if (value instanceof JsonArray a) {
      sb.append('[');
      a.forEach(v -> {
        canonical(v, sb);
        sb.append(',');
      });
      sb.append(']');
    } else if (value instanceof java.util.List<?> l) {
      canonical(new JsonArray(new java.util.ArrayList<>(l)), sb);
    } else {
      sb.append(new JsonArray().add(value).encode());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
