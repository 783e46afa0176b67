package io.sightline.shared.viz;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.LocalDirectoryStore;
import io.sightline.testkit.Await;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.StoredResults;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1,000,000-row, 3-series result (written by the real ResultWriter, spilled to a local store) is shaped to a
 * 1,200 px line in a separate JVM limited to a 48 MiB heap: it completes, samples to the exact per-bucket extremes
 * (min 0 and max 999 of each series, every bucket present) and leaves a small heap — memory does not grow with rows.
 */
@ExtendWith(PostgresExtension.class)
class ShapeMemoryTest {
  static final int ROWS = 1_000_000;
  static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final List<String> SERIES = List.of("XLON", "XNYS", "XTKS");

  @TempDir
  static Path tmp;
  private static Vertx vertx;
  private static Pool pool;
  private static TestDatabase db;
  private static String org;
  private static String resultId;

  @BeforeAll
  static void write(TestDatabase database) {
    db = database;
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(db.url().connectOptions())
        .using(vertx).build();
    org = db.scalar("insert into orgs (name, slug) values ('Trading ops', 'trading-ops') returning id").toString();
    resultId = StoredResults.write(vertx, pool, db, org, new LocalDirectoryStore(vertx, tmp),
        List.of(new ColumnMeta("at", "timestamptz", "timestamptz"), new ColumnMeta("venue", "text", "text"),
            new ColumnMeta("price", "decimal", "numeric"), new ColumnMeta("qty", "bigint", "int8")),
        rows());
  }

  /** One row per second, the three venues in turn, prices cycling 0.00 … 999.00 per venue (sorted by time). */
  static Iterator<Object[]> rows() {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < ROWS;
      }

      @Override
      public Object[] next() {
        int n = i++;
        return new Object[] {Instant.ofEpochMilli(T0 + (n / 3) * 1000L).toString(), SERIES.get(n % 3),
            BigDecimal.valueOf((n / 3) % 1000).setScale(2), (long) n};
      }
    };
  }

  @AfterAll
  static void close() {
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  @Test
  void aMillionRowsAreShapedInASmallHeap() {
    JsonObject config = new JsonObject().put("x", new JsonObject().put("column", "at"))
        .put("y", new JsonArray().add(new JsonObject().put("column", "price").put("aggregate", "max")))
        .put("seriesBy", "venue");
    try (JvmProcess probe = JvmProcess.start("shape-probe", ShapeProbe.class.getName(), Map.of(
        "SHAPE_DB_URL", db.url().unredacted(), "SHAPE_ORG", org, "SHAPE_RESULT", resultId,
        "SHAPE_DIR", tmp.toString(), "SHAPE_WIDTH", "1200", "SHAPE_TIMES", "3", "SHAPE_KIND", "line",
        "SHAPE_CONFIG", config.encode()), "-Xmx48m", "-XX:+UseSerialGC")) {
      assertThat(probe.waitFor(Duration.ofSeconds(90))).as(probe.tail()).isZero();
      String out = probe.output();
      Matcher shaped = Pattern.compile("SHAPED ms=\\d+ json=(\\{.*})").matcher(out);
      assertThat(shaped.find()).as(out).isTrue();
      JsonObject answer = new JsonObject(shaped.group(1));
      JsonObject meta = answer.getJsonObject("meta");
      assertThat(meta.getLong("sourceRows")).isEqualTo(ROWS);
      assertThat(meta.getBoolean("sampled")).isTrue();
      assertThat(answer.getJsonObject("x").getInteger("values")).isEqualTo(2 * 1200);
      assertThat(meta.getLong("points")).isEqualTo(3 * 2 * 1200);
      for (Object s : answer.getJsonArray("series")) {
        JsonObject series = (JsonObject) s;
        assertThat(series.getDouble("min")).isEqualTo(0.0);
        assertThat(series.getDouble("max")).isEqualTo(999.0);
        assertThat(series.getInteger("nulls")).isZero();
      }
      Matcher heap = Pattern.compile("HEAP used=(\\d+)").matcher(out);
      assertThat(heap.find()).as(out).isTrue();
      assertThat(Long.parseLong(heap.group(1))).as(out).isLessThan(32L << 20);
      System.out.println(out.lines().filter(l -> l.startsWith("TIMES") || l.startsWith("HEAP")).toList());
    }
  }
}
