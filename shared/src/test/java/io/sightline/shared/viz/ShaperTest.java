package io.sightline.shared.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.JsonRowEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shaper over rows encoded by the real {@link JsonRowEncoder}, fed in several chunks: pivot, every aggregate, top N
 * + Other, min/max downsampling, nulls, exact big numbers, time zones, category sorting and truncation, stat and table.
 */
class ShaperTest {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final long HOUR = 3_600_000;
  static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

  static ColumnMeta col(String name, String type) {
    return new ColumnMeta(name, type, type);
  }

  /** Encodes rows as the result format does and feeds them in chunks of {@code rowsPerChunk} rows. */
  static JsonObject shape(String kind, JsonObject config, int width, List<ColumnMeta> columns, ZoneId zone,
      List<Object[]> rows) {
    Shaper shaper = Shapers.create(kind, config, width, columns, zone);
    List<byte[]> chunks = new ArrayList<>();
    int perChunk = Math.max(1, rows.size() / 7);
    for (int i = 0; i < rows.size(); i += perChunk) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonRowEncoder encoder = new JsonRowEncoder(out)) {
        for (Object[] row : rows.subList(i, Math.min(rows.size(), i + perChunk))) {
          encoder.write(row);
        }
      }
      chunks.add(out.toByteArray());
    }
    if (shaper.wantsEnds() && !rows.isEmpty()) {
      shaper.ends(line(chunks.get(0), true), line(chunks.get(chunks.size() - 1), false));
    }
    for (int p = 0; shaper.begin(p, rows.size()); p++) {
      for (byte[] chunk : chunks) {
        shaper.lines(chunk, chunk.length);
      }
    }
    return shaper.finish(false, null);
  }

  /** The first or last line of a chunk, without its newline. */
  static byte[] line(byte[] chunk, boolean first) {
    if (first) {
      int end = 0;
      while (chunk[end] != '\n') {
        end++;
      }
      return Arrays.copyOf(chunk, end);
    }
    int start = chunk.length - 2;
    while (start >= 0 && chunk[start] != '\n') {
      start--;
    }
    return Arrays.copyOfRange(chunk, start + 1, chunk.length - 1);
  }

  static JsonObject line(String x, String seriesBy, JsonObject... ys) {
    JsonArray y = new JsonArray();
    Arrays.stream(ys).forEach(y::add);
    return new JsonObject().put("x", new JsonObject().put("column", x)).put("y", y).put("seriesBy", seriesBy);
  }

  static JsonObject y(String column, String aggregate) {
    return new JsonObject().put("column", column).put("aggregate", aggregate);
  }

  static String ts(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  static JsonObject series(JsonObject shaped, String key) {
    for (Object s : shaped.getJsonArray("series")) {
      if (key.equals(((JsonObject) s).getString("key"))) {
        return (JsonObject) s;
      }
    }
    throw new AssertionError("no series " + key + " in " + shaped.getJsonArray("series"));
  }

  static List<Object> values(JsonObject shaped, String key) {
    return series(shaped, key).getJsonArray("values").getList();
  }

  static final List<ColumnMeta> LONG_FORMAT = List.of(col("at", "timestamptz"), col("province", "text"),
      col("outages", "integer"));

  @Test
  void pivotsLongRowsIntoOneSeriesPerValueAlignedOnX() {
    List<Object[]> rows = List.of(
        new Object[] {ts(T0), "North", 3}, new Object[] {ts(T0), "South", 5},
        new Object[] {ts(T0 + HOUR), "North", 4},
        new Object[] {ts(T0 + 2 * HOUR), "South", 7}, new Object[] {ts(T0 + 2 * HOUR), null, 1});
    JsonObject shaped = shape("line", line("at", "province", y("outages", "sum")), 1200, LONG_FORMAT, UTC, rows);

    assertThat(shaped.getJsonObject("x").getString("type")).isEqualTo("time");
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getList())
        .containsExactly(T0, T0 + HOUR, T0 + 2 * HOUR);
    assertThat(values(shaped, "North")).containsExactly(3.0, 4.0, null);
    assertThat(values(shaped, "South")).containsExactly(5.0, null, 7.0);
    assertThat(values(shaped, "(null)")).containsExactly(null, null, 1.0);
    assertThat(series(shaped, "North").getDouble("total")).isEqualTo(7.0);
    JsonObject meta = shaped.getJsonObject("meta");
    assertThat(meta.getLong("sourceRows")).isEqualTo(5);
    assertThat(meta.getLong("points")).isEqualTo(5);
    assertThat(meta.getBoolean("sampled")).isFalse();
    assertThat(meta.getBoolean("seriesTruncated")).isFalse();
  }

  @Test
  void severalYColumnsWithSeriesByAreKeyedValueDotColumn() {
    List<ColumnMeta> cols = List.of(col("day", "date"), col("desk", "text"), col("orders", "integer"),
        col("notional", "number"));
    List<Object[]> rows = List.of(new Object[] {"2026-11-01", "Rates", 2, 1.5},
        new Object[] {"2026-11-01", "FX", 1, 2.5});
    JsonObject shaped = shape("bar", line("day", "desk", y("orders", "sum"), y("notional", "max")), 1200, cols, UTC,
        rows);
    assertThat(shaped.getJsonArray("series").stream().map(s -> ((JsonObject) s).getString("key")))
        .containsExactly("Rates · orders", "FX · orders", "Rates · notional", "FX · notional");
    assertThat(series(shaped, "FX · notional").getString("render")).isEqualTo("bar");
  }

  @Test
  void eachAggregateCombinesDuplicateXInResultOrder() {
    List<ColumnMeta> cols = List.of(col("k", "text"), col("v", "number"));
    List<Object[]> rows = List.of(new Object[] {"a", 4.0}, new Object[] {"a", 1.0}, new Object[] {"a", 10.0},
        new Object[] {"a", null}, new Object[] {"a", 5.0}, new Object[] {"b", 2.0});
    double[][] expected = {{20, 2}, {5, 2}, {1, 2}, {10, 2}, {4, 1}, {4, 2}, {5, 2}};
    String[] aggregates = {"sum", "avg", "min", "max", "count", "first", "last"};
    for (int i = 0; i < aggregates.length; i++) {
      JsonObject shaped = shape("bar", line("k", null, y("v", aggregates[i])), 1200, cols, UTC, rows);
      assertThat(values(shaped, "v")).as(aggregates[i]).containsExactly(expected[i][0], expected[i][1]);
      assertThat(shaped.getJsonObject("meta").getLong("nulls")).as(aggregates[i])
          .isEqualTo(aggregates[i].equals("count") ? 1 : 1);
    }
  }

  @Test
  void nullsAreCountedAndLeftAsGaps() {
    List<Object[]> rows = List.of(new Object[] {ts(T0), "North", null}, new Object[] {ts(T0), "South", 2},
        new Object[] {null, "North", 5}, new Object[] {ts(T0 + HOUR), "North", 1});
    JsonObject shaped = shape("line", line("at", "province", y("outages", "sum")), 1200, LONG_FORMAT, UTC, rows);
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getList()).containsExactly(T0, T0 + HOUR);
    assertThat(values(shaped, "North")).containsExactly(null, 1.0);
    assertThat(values(shaped, "South")).containsExactly(2.0, null);
    assertThat(shaped.getJsonObject("meta").getLong("nulls")).isEqualTo(2);
  }

  @Test
  void bigNumbersStayExact() {
    List<ColumnMeta> cols = List.of(col("k", "text"), col("big", "bigint"), col("price", "decimal"));
    long beyond = (1L << 53) + 1;
    List<Object[]> rows = List.of(
        new Object[] {"a", beyond, new BigDecimal("123456789012345678901234567890.12")},
        new Object[] {"a", 2L, new BigDecimal("0.000000000000000001")},
        new Object[] {"b", 5L, new BigDecimal("0.1")});
    JsonObject shaped = shape("bar", line("k", null, y("big", "sum"), y("price", "sum")), 1200, cols, UTC, rows);
    assertThat(series(shaped, "big").getJsonObject("exact").getMap()).containsEntry("0", "9007199254740995")
        .doesNotContainKey("1");
    assertThat(series(shaped, "price").getJsonObject("exact").getMap())
        .containsEntry("0", "123456789012345678901234567890.120000000000000001").doesNotContainKey("1");
    assertThat(values(shaped, "price").get(1)).isEqualTo(0.1);
  }

  @Test
  void timestampAndDateAreWallClockInTheOrgsZoneTimestamptzByItsOffset() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    List<ColumnMeta> cols = List.of(col("local", "timestamp"), col("day", "date"), col("at", "timestamptz"),
        col("v", "integer"));
    List<Object[]> rows = List.of(new Object[] {"2026-07-01T12:30:00", "2026-03-29", "2026-07-01T12:30:00+02:00", 1},
        new Object[] {"2026-12-01T12:30", "2026-10-25", "2026-12-01T12:30:00.250Z", 2});
    JsonObject byLocal = shape("line", line("local", null, y("v", "sum")), 1200, cols, berlin, rows);
    assertThat(byLocal.getJsonObject("x").getJsonArray("values").getList()).containsExactly(
        LocalDateTime.parse("2026-07-01T12:30").atZone(berlin).toInstant().toEpochMilli(),
        LocalDateTime.parse("2026-12-01T12:30").atZone(berlin).toInstant().toEpochMilli());
    JsonObject byDay = shape("line", line("day", null, y("v", "sum")), 1200, cols, berlin, rows);
    assertThat(byDay.getJsonObject("x").getJsonArray("values").getList()).containsExactly(
        Instant.parse("2026-03-28T23:00:00Z").toEpochMilli(), Instant.parse("2026-10-24T22:00:00Z").toEpochMilli());
    JsonObject byInstant = shape("line", line("at", null, y("v", "sum")), 1200, cols, berlin, rows);
    assertThat(byInstant.getJsonObject("x").getJsonArray("values").getList()).containsExactly(
        Instant.parse("2026-07-01T10:30:00Z").toEpochMilli(), Instant.parse("2026-12-01T12:30:00.250Z").toEpochMilli());
  }

  @Test
  void seriesBeyondTopNAreSummedIntoOther() {
    List<Object[]> rows = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      rows.add(new Object[] {ts(T0), "P" + p, (p + 1) * 10});
      rows.add(new Object[] {ts(T0 + HOUR), "P" + p, p + 1});
    }
    JsonObject config = line("at", "province", y("outages", "sum")).put("topN", 3);
    JsonObject shaped = shape("area", config, 1200, LONG_FORMAT, UTC, rows);
    assertThat(shaped.getJsonArray("series").stream().map(s -> ((JsonObject) s).getString("key")))
        .containsExactly("P3", "P4", "P5", "Other");
    assertThat(values(shaped, "Other")).containsExactly(60.0, 6.0);
    assertThat(series(shaped, "Other").getBoolean("other")).isTrue();
    assertThat(shaped.getJsonObject("meta").getBoolean("seriesTruncated")).isTrue();
    assertThat(shaped.getJsonObject("meta").getInteger("otherSeries")).isEqualTo(3);
  }

  @Test
  void downsamplingKeepsTheExactMinAndMaxOfEveryBucket() {
    int width = 50;
    int n = 20_000;
    Random random = new Random(42);
    List<Object[]> rows = new ArrayList<>();
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Math.round(random.nextGaussian() * 1000) / 10.0;
      rows.add(new Object[] {ts(T0 + i * 1000L), "S", values[i]});
    }
    List<ColumnMeta> cols = List.of(col("at", "timestamptz"), col("s", "text"), col("v", "number"));
    JsonObject shaped = shape("line", line("at", null, y("v", "sum")), width, cols, UTC, rows);
    JsonObject x = shaped.getJsonObject("x");
    long bucketMs = x.getLong("bucketMs");
    assertThat(shaped.getJsonObject("meta").getBoolean("sampled")).isTrue();
    assertThat(bucketMs).isEqualTo(((n - 1) * 1000L + 1 + width - 1) / width);
    List<Object> xs = x.getJsonArray("values").getList();
    List<Object> vs = values(shaped, "v");
    assertThat(xs).hasSize(2 * width);
    for (int b = 0; b < width; b++) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      int minAt = -1;
      int maxAt = -1;
      for (int i = 0; i < n; i++) {
        if ((i * 1000L) / bucketMs == b) {
          if (values[i] < min) {
            min = values[i];
            minAt = i;
          }
          if (values[i] > max) {
            max = values[i];
            maxAt = i;
          }
        }
      }
      assertThat(xs.get(2 * b)).isEqualTo(T0 + b * bucketMs);
      assertThat(xs.get(2 * b + 1)).isEqualTo(T0 + b * bucketMs + bucketMs / 2);
      // in the order they occurred
      assertThat(List.of(vs.get(2 * b), vs.get(2 * b + 1))).containsExactly(minAt < maxAt ? min : max,
          minAt < maxAt ? max : min);
    }
    assertThat(shaped.getJsonObject("meta").getLong("points")).isEqualTo(2L * width);
  }

  @Test
  void downsamplingAnUnsortedResultGivesTheSameAnswer() {
    int n = 5000;
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {ts(T0 + i * 60_000L), i % 3 == 0 ? "North" : "South", (i * 37) % 101});
    }
    JsonObject config = line("at", "province", y("outages", "max"));
    JsonObject sorted = shape("line", config, 100, LONG_FORMAT, UTC, rows);
    List<Object[]> shuffled = new ArrayList<>(rows);
    java.util.Collections.shuffle(shuffled, new Random(7));
    JsonObject unsorted = shape("line", config, 100, LONG_FORMAT, UTC, shuffled);
    assertThat(sorted.getJsonObject("meta").getBoolean("sampled")).isTrue();
    assertThat(unsorted.getJsonObject("x")).isEqualTo(sorted.getJsonObject("x"));
    assertThat(values(unsorted, "North")).isEqualTo(values(sorted, "North"));
  }

  @Test
  void categoryAxesAreNeverSampledButTruncatedBeyondTwiceTheWidthAndSorted() {
    List<ColumnMeta> cols = List.of(col("feeder", "text"), col("customers", "integer"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      rows.add(new Object[] {"F" + (1000 + i), i});
    }
    JsonObject shaped = shape("bar", line("feeder", null, y("customers", "sum")).put("sort", "value-desc"), 50, cols,
        UTC, rows);
    assertThat(shaped.getJsonObject("meta").getBoolean("sampled")).isFalse();
    assertThat(shaped.getJsonObject("meta").getBoolean("categoriesTruncated")).isTrue();
    assertThat(shaped.getJsonObject("x").getJsonArray("values")).hasSize(100);
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getString(0)).isEqualTo("F1149");
    JsonObject byLabel = shape("bar", line("feeder", null, y("customers", "sum")).put("sort", "label-asc"), 50, cols,
        UTC, rows);
    assertThat(byLabel.getJsonObject("x").getJsonArray("values").getString(99)).isEqualTo("F1099");
  }

  @Test
  void unknownAndNonNumericColumnsNameTheField() {
    assertThatThrownBy(() -> Shapers.create("line", line("day", null, y("outages", "sum")), 1200, LONG_FORMAT, UTC))
        .isInstanceOfSatisfying(ShapeException.class, e -> {
          assertThat(e.field()).isEqualTo("/config/x/column");
          assertThat(e.getMessage()).contains("no column \"day\"").contains("at, province, outages");
        });
    assertThatThrownBy(() -> Shapers.create("line", line("at", null, y("province", "sum")), 1200, LONG_FORMAT, UTC))
        .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.field()).isEqualTo("/config/y/0/column"));
    assertThatThrownBy(() -> Shapers.create("line", new JsonObject().put("x", new JsonObject().put("column", "at")),
        1200, LONG_FORMAT, UTC))
        .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.field()).isEqualTo("/config/y"));
    assertThatThrownBy(() -> Shapers.create("stat", new JsonObject(), 1200, LONG_FORMAT, UTC))
        .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.field()).isEqualTo("/config/value"));
  }

  @Test
  void statReducesOverThePeriodAndComparesWithThePreviousOne() {
    List<ColumnMeta> cols = List.of(col("at", "timestamptz"), col("v", "decimal"), col("target", "integer"));
    List<Object[]> rows = new ArrayList<>();
    for (int h = 0; h < 48; h++) {
      rows.add(new Object[] {ts(T0 + h * HOUR), new BigDecimal(h < 24 ? "1.5" : "2.5"), 50});
    }
    JsonObject config = new JsonObject().put("value", new JsonObject().put("column", "v").put("reducer", "sum"))
        .put("time", new JsonObject().put("column", "at")).put("periodSeconds", 24 * 3600)
        .put("comparisons", new JsonArray()
            .add(new JsonObject().put("against", "previous-period"))
            .add(new JsonObject().put("against", "previous-row").put("display", "absolute"))
            .add(new JsonObject().put("against", "column").put("column", "target").put("better", "lower")))
        .put("thresholds", new JsonArray().add(new JsonObject().put("from", 50).put("color", "#d33"))
            .add(new JsonObject().put("from", 0).put("color", "#3a3")));
    JsonObject stat = shape("stat", config, 200, cols, UTC, rows);
    assertThat(stat.getDouble("value")).isEqualTo(60.0);
    assertThat(stat.getString("color")).isEqualTo("#d33");
    JsonArray c = stat.getJsonArray("comparisons");
    assertThat(c.getJsonObject(0).getDouble("base")).isEqualTo(36.0);
    assertThat(c.getJsonObject(0).getDouble("delta")).isCloseTo(24.0 / 36, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.getJsonObject(0).getString("tone")).isEqualTo("good");
    assertThat(c.getJsonObject(1).getDouble("base")).isEqualTo(2.5);
    assertThat(c.getJsonObject(1).getDouble("delta")).isEqualTo(57.5);
    assertThat(c.getJsonObject(2).getDouble("base")).isEqualTo(24 * 50.0);
    assertThat(c.getJsonObject(2).getString("tone")).isEqualTo("good");
    assertThat(stat.getLong("latestAt")).isEqualTo(T0 + 47 * HOUR);
    assertThat(stat.getJsonObject("sparkline").getJsonArray("x")).hasSize(48);
    assertThat(stat.getJsonObject("sparkline").getJsonArray("values").getDouble(47)).isEqualTo(2.5);
  }

  @Test
  void statKeepsBigValuesExact() {
    List<ColumnMeta> cols = List.of(col("v", "bigint"));
    List<Object[]> rows = List.of(new Object[] {Long.MAX_VALUE - 1}, new Object[] {1L});
    JsonObject stat = shape("stat", new JsonObject().put("value", new JsonObject().put("column", "v")
        .put("reducer", "sum")), 200, cols, UTC, rows);
    assertThat(stat.getString("exact")).as(stat.encode()).isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(stat.containsKey("sparkline")).isFalse();
  }

  @Test
  void tableTotalsAreExactDecimalSums() {
    List<ColumnMeta> cols = List.of(col("desk", "text"), col("qty", "bigint"), col("price", "decimal"),
        col("ratio", "number"));
    List<Object[]> rows = List.of(new Object[] {"a", 9007199254740993L, new BigDecimal("0.10"), 0.1},
        new Object[] {"b", 1L, new BigDecimal("123456789012345678901234567890.2"), 0.2},
        new Object[] {"c", null, null, Double.NaN});
    JsonObject table = shape("table", new JsonObject().put("totals", true), 1200, cols, UTC, rows);
    assertThat(table.getJsonObject("totals").getMap()).containsEntry("qty", "9007199254740994")
        .containsEntry("price", "123456789012345678901234567890.30").containsEntry("ratio", "0.3")
        .doesNotContainKey("desk");
    assertThat(table.getJsonObject("meta").getLong("sourceRows")).isEqualTo(3);
  }

  @Test
  void offsetTimesAndFractionsParseLikeJavaTime() {
    Cells cells = new Cells(ZoneId.of("America/New_York"));
    for (String text : List.of("2026-03-08T02:30:00", "2026-11-01T01:30:00", "2026-01-01T00:00", "1969-12-31T23:59:59.999",
        "2026-06-01T12:00:00.123456")) {
      long expected = LocalDateTime.parse(text).atZone(ZoneId.of("America/New_York")).toInstant().toEpochMilli();
      assertThat(parse(cells, text)).as(text).isEqualTo(expected);
    }
    for (String text : List.of("2026-06-01T12:00:00+05:30", "2026-06-01T12:00:00-08:00", "2026-06-01T12:00Z",
        "0900-01-01T00:00:00Z")) {
      assertThat(parse(cells, text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    }
    assertThat(parse(cells, "infinity")).isEqualTo(Cells.NO_TIME);
    assertThat(OffsetDateTime.ofInstant(Instant.ofEpochMilli(parse(cells, "2026-06-01")), ZoneOffset.UTC).getHour())
        .isEqualTo(4);
  }

  @Test
  void anEmptyResultShapesToEmptyAnswersOfEveryKind() {
    List<Object[]> none = List.of();
    JsonObject line = shape("line", line("at", "province", y("outages", "sum")), 1200, LONG_FORMAT, UTC, none);
    assertThat(line.getJsonArray("series")).isEmpty();
    assertThat(line.getJsonObject("x").getJsonArray("values")).isEmpty();
    JsonObject stat = shape("stat", new JsonObject().put("value", new JsonObject().put("column", "outages"))
        .put("time", new JsonObject().put("column", "at")).put("comparisons", new JsonArray()
            .add(new JsonObject().put("against", "previous-row"))), 300, LONG_FORMAT, UTC, none);
    assertThat(stat.getValue("value")).isNull();
    assertThat(stat.getValue("latestAt")).isNull();
    assertThat(stat.getJsonArray("comparisons").getJsonObject(0).getString("tone")).isEqualTo("neutral");
    JsonObject table = shape("table", new JsonObject().put("totals", true), 300, LONG_FORMAT, UTC, none);
    assertThat(table.getJsonObject("totals").getString("outages")).isEqualTo("0");
  }

  @Test
  void previousRowWithoutATimeColumnIsTheValueBeforeTheLast() {
    List<ColumnMeta> cols = List.of(col("v", "integer"));
    List<Object[]> rows = List.of(new Object[] {5}, new Object[] {8}, new Object[] {null}, new Object[] {6});
    JsonObject stat = shape("stat", new JsonObject().put("value", new JsonObject().put("column", "v"))
        .put("comparisons", new JsonArray().add(new JsonObject().put("against", "previous-row")
            .put("display", "absolute")).add(new JsonObject().put("against", "fixed").put("value", 6))), 300, cols,
        UTC, rows);
    assertThat(stat.getDouble("value")).isEqualTo(6.0);
    JsonArray c = stat.getJsonArray("comparisons");
    assertThat(c.getJsonObject(0).getDouble("base")).isEqualTo(8.0);
    assertThat(c.getJsonObject(0).getDouble("delta")).isEqualTo(-2.0);
    assertThat(c.getJsonObject(0).getString("tone")).isEqualTo("bad");
    assertThat(c.getJsonObject(1).getString("tone")).isEqualTo("neutral");
    assertThat(stat.getJsonObject("meta").getLong("nulls")).isEqualTo(1);
  }

  @Test
  void seriesOverridesAndTheStatsPassWithoutEndsAgree() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(new Object[] {ts(T0 + (2999 - i) * 1000L), i % 2 == 0 ? "North" : "South", i});
    }
    JsonObject config = line("at", "province", y("outages", "min"))
        .put("series", new JsonObject().put("North", new JsonObject().put("name", "Nord").put("color", "#112233")));
    JsonObject shaped = shape("line", config, 100, LONG_FORMAT, UTC, rows);  // descending x: no optimistic pass
    assertThat(series(shaped, "North").getString("name")).isEqualTo("Nord");
    assertThat(series(shaped, "North").getString("color")).isEqualTo("#112233");
    assertThat(shaped.getJsonObject("meta").getBoolean("sampled")).isTrue();
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getLong(0)).isEqualTo(T0);
    assertThat(values(shaped, "South").get(0)).isEqualTo(2999.0);
  }

  private static long parse(Cells cells, String text) {
    byte[] line = ("[\"" + text + "\"]").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RowScanner scanner = new RowScanner(1, new int[] {0});
    scanner.scan(line, 0, line.length);
    return cells.time(scanner, 0);
  }
}
