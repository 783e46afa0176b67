package io.sightline.shared.viz;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.result.LocalDirectoryStore;
import io.sightline.shared.result.ResultHeader;
import io.sightline.shared.result.ResultReader;
import io.sightline.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Shapes one stored result {@code SHAPE_TIMES} times in its own JVM (run with a small -Xmx by {@link ShapeMemoryTest})
 * and prints one line per shape ({@code SHAPED ms=… json=…}, the answer without its arrays) and, at the end, the
 * heap used after a full GC ({@code HEAP used=… max=…}). Env: SHAPE_DB_URL, SHAPE_ORG, SHAPE_RESULT, SHAPE_DIR
 * (the local result store), SHAPE_WIDTH, SHAPE_TIMES, SHAPE_KIND and SHAPE_CONFIG (JSON).
 */
public final class ShapeProbe {
  private ShapeProbe() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(DatabaseUrl.parse(System.getenv("SHAPE_DB_URL")).connectOptions()).using(vertx).build();
    ResultReader reader = new ResultReader(vertx, pool, new LocalDirectoryStore(vertx,
        Path.of(System.getenv("SHAPE_DIR"))));
    String org = System.getenv("SHAPE_ORG");
    String result = System.getenv("SHAPE_RESULT");
    int width = Integer.parseInt(System.getenv("SHAPE_WIDTH"));
    int times = Integer.parseInt(System.getenv("SHAPE_TIMES"));
    JsonObject config = new JsonObject(System.getenv("SHAPE_CONFIG"));
    ResultHeader header = Await.result(reader.header(org, result));
    long[] ms = new long[times];
    for (int i = 0; i < times; i++) {
      long started = System.nanoTime();
      Shaper shaper = Shapers.create(System.getenv("SHAPE_KIND"), config, width, header.columns(), ZoneOffset.UTC);
      JsonObject shaped = Await.result(ResultShaping.shape(vertx, reader, org, result, header, shaper));
      ms[i] = (System.nanoTime() - started) / 1_000_000;
      System.out.println("SHAPED ms=" + ms[i] + " json=" + summary(shaped).encode());
    }
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.println("TIMES p50=" + sorted[(times - 1) / 2] + " p95=" + sorted[(int) Math.ceil(times * 0.95) - 1]
        + " all=" + Arrays.toString(ms));
    System.gc();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.println("HEAP used=" + heap.getUsed() + " max=" + heap.getMax());
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  /** The answer with each series' values replaced by their count, min and max (enough to check, short to print). */
  static JsonObject summary(JsonObject shaped) {
    JsonObject out = shaped.copy();
    if (out.containsKey("x")) {
      JsonArray xs = out.getJsonObject("x").getJsonArray("values");
      out.getJsonObject("x").put("values", xs.size()).put("first", xs.isEmpty() ? null : xs.getValue(0))
          .put("last", xs.isEmpty() ? null : xs.getValue(xs.size() - 1));
    }
    if (out.containsKey("series")) {
      for (Object s : out.getJsonArray("series")) {
        JsonObject series = (JsonObject) s;
        JsonArray values = series.getJsonArray("values");
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int nulls = 0;
        for (Object v : values) {
          if (v == null) {
            nulls++;
          } else {
            min = Math.min(min, ((Number) v).doubleValue());
            max = Math.max(max, ((Number) v).doubleValue());
          }
        }
        series.put("values", values.size()).put("min", min).put("max", max).put("nulls", nulls)
            .put("exact", series.getJsonObject("exact", new JsonObject()).size());
      }
    }
    return out;
  }
}
