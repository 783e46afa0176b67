package io.sightline.shared.viz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Line, area and bar data (ShapedSeriesData of types.ts; docs/visualizations.md "Shaping"). Pass 1 (only when
 * needed: a series-by column, or a time axis with more rows than 2 × width) learns the x range, whether x is sorted,
 * whether there are more than 2 × width distinct x values, and each series' total |value| for top N. Pass 2 pivots,
 * aggregates duplicate x per series, sums the series beyond top N into Other and either keeps every point (at most
 * 2 × width x values) or the exact min and max of each of {@code width} buckets.
 *
 * <p>Memory: a result sorted by x (the usual ORDER BY) is shaped with one open x value at a time; otherwise open x
 * values are bounded (2 × width when not sampled, {@link #MAX_OPEN_GROUPS} when sampled — beyond that the request
 * is refused asking for ORDER BY). Series are tracked up to {@link #MAX_TRACKED_SERIES} distinct values (later ones
 * go to Other); category axes keep at most 2 × width categories ({@link #MAX_VALUE_SORTED_CATEGORIES} while sorting
 * by value).
 */
final class SeriesShaper extends LineShaper {
  static final int MAX_TRACKED_SERIES = 10_000;
  static final int MAX_OPEN_GROUPS = 100_000;
  static final int MAX_VALUE_SORTED_CATEGORIES = 50_000;
  static final String NULL_SERIES = "(null)";

  private final String kind;
  private final Cells cells;
  private final int width;
  private final int maxPoints;
  private final String xName;
  private final boolean xTime;
  private final boolean xNumeric;
  private final int ys;
  private final String[] yColumn;
  private final String[] yName;
  private final String[] yColor;
  private final String[] axis;
  private final String[] render;
  private final Acc.Kind[] aggregate;
  private final boolean[] exact;
  private final boolean[] countOnly;
  private final boolean[] log;
  private final boolean bySeries;
  private final int topN;
  private final String sort;
  private final JsonObject overrides;

  // pass 1
  private boolean stats;
  private final Map<String, Integer> seriesIndex = new HashMap<>();
  private final List<String> seriesKeys = new ArrayList<>();
  private double[] seriesTotals = new double[16];
  private boolean untracked;
  private long xMin = Long.MAX_VALUE;
  private long xMax = Long.MIN_VALUE;
  private long lastX = Long.MIN_VALUE;
  private boolean sorted = true;
  private final LongSet distinct;

  // plan
  private int tracked;
  private boolean[] keep;
  private int[] outOf;
  private int[] otherOf;
  private final List<Out> outs = new ArrayList<>();
  private boolean planned;
  private double[] totals;
  private boolean sampled;
  private boolean streaming;
  private long bucketMs;
  private int buckets;

  // pass 2
  private final Meta meta = new Meta();
  private Group current;
  private long currentT;
  private Map<Object, Group> open;
  private Comparator<Object> labelOrder;
  private double[] v;
  private BigDecimal[] ev;
  private boolean[] has;
  private Grid grid;
  private Buckets bucketSink;

  /** One output series. */
  private record Out(String key, String name, String column, String axis, String render, String color,
      boolean other, int y) {}

  SeriesShaper(String kind, JsonObject config, int width, ConfigReader columns, Cells cells) {
    this(kind, config, width, columns, cells, read(config, columns));
  }

  private record Parsed(int[] wanted) {}

  private static Parsed read(JsonObject config, ConfigReader columns) {
    JsonObject x = ConfigReader.object(config, "x", "/config", true);
    int xCol = columns.column(x, "column", "/config/x", true);
    JsonArray y = ConfigReader.array(config, "y", "/config");
    if (y.isEmpty() || y.size() > 10) {
      throw new ShapeException("/config/y", "needs 1 to 10 columns");
    }
    int[] wanted = new int[y.size() + 2];
    wanted[0] = xCol;
    for (int j = 0; j < y.size(); j++) {
      if (!(y.getValue(j) instanceof JsonObject yj)) {
        throw new ShapeException("/config/y/" + j, "must be an object");
      }
      String path = "/config/y/" + j;
      String agg = ConfigReader.choice(yj, "aggregate", path, "sum", "sum", "avg", "min", "max", "count", "first",
          "last");
      wanted[1 + j] = "count".equals(agg) ? columns.column(yj, "column", path, true)
          : columns.numericColumn(yj, "column", path, true);
    }
    int seriesBy = columns.column(config, "seriesBy", "/config", false);
    wanted[y.size() + 1] = seriesBy < 0 ? xCol : seriesBy;
    return new Parsed(wanted);
  }

  private SeriesShaper(String kind, JsonObject config, int width, ConfigReader columns, Cells cells, Parsed p) {
    super(columns.size(), p.wanted());
    this.kind = kind;
    this.cells = cells;
    this.width = width;
    this.maxPoints = 2 * width;
    JsonObject x = config.getJsonObject("x");
    int xCol = p.wanted()[0];
    xName = columns.name(xCol);
    boolean timeColumn = ConfigReader.TIME.contains(columns.type(xCol));
    String xType = ConfigReader.choice(x, "type", "/config/x", timeColumn ? "time" : "category", "time", "category");
    if ("time".equals(xType) && !timeColumn) {
      throw new ShapeException("/config/x/type", "a time axis needs a date or timestamp column; \"" + xName + "\" is "
          + columns.type(xCol));
    }
    xTime = "time".equals(xType);
    xNumeric = ConfigReader.NUMERIC.contains(columns.type(xCol));
    JsonArray y = config.getJsonArray("y");
    ys = y.size();
    yColumn = new String[ys];
    yName = new String[ys];
    yColor = new String[ys];
    axis = new String[ys];
    render = new String[ys];
    aggregate = new Acc.Kind[ys];
    exact = new boolean[ys];
    countOnly = new boolean[ys];
    log = new boolean[ys];
    JsonObject axes = ConfigReader.object(config, "axes", "/config", false);
    for (int j = 0; j < ys; j++) {
      JsonObject yj = y.getJsonObject(j);
      String path = "/config/y/" + j;
      int col = p.wanted()[1 + j];
      yColumn[j] = columns.name(col);
      yName[j] = ConfigReader.string(yj, "name", path, yColumn[j]);
      yColor[j] = ConfigReader.string(yj, "color", path, null);
      axis[j] = ConfigReader.choice(yj, "axis", path, "left", "left", "right");
      String r = ConfigReader.choice(yj, "render", path, null, "bar", "line");
      render[j] = "bar".equals(kind) ? (r == null ? "bar" : r) : "line";
      aggregate[j] = Acc.Kind.of(ConfigReader.string(yj, "aggregate", path, "sum"));
      countOnly[j] = aggregate[j] == Acc.Kind.COUNT;
      exact[j] = !countOnly[j] && columns.exact(col);
      JsonObject a = ConfigReader.object(axes, axis[j], "/config/axes", false);
      log[j] = "log".equals(ConfigReader.choice(a, "scale", "/config/axes/" + axis[j], "linear", "linear", "log"));
    }
    bySeries = config.getValue("seriesBy") != null;
    topN = ConfigReader.integer(config, "topN", "/config", 20, 1, 100);
    String s = ConfigReader.choice(config, "sort", "/config", "none", "none", "value-asc", "value-desc", "label-asc",
        "label-desc");
    sort = "bar".equals(kind) && !xTime ? s : "none";
    overrides = ConfigReader.object(config, "series", "/config", false);
    distinct = new LongSet(maxPoints + 1);
  }

  @Override
  public int passes(long rowCount) {
    stats = bySeries || (xTime && rowCount > maxPoints);
    return stats ? 2 : 1;
  }

  @Override
  public void begin(int pass) {
    if (pass == 0 && stats) {
      return;
    }
    plan();
  }

  @Override
  void row(RowScanner r) {
    if (!planned) {
      statsRow(r);
    } else {
      shapeRow(r);
    }
  }

  // ---- pass 1 ---------------------------------------------------------------------------------------------------

  private void statsRow(RowScanner r) {
    if (xTime) {
      long t = cells.time(r, 0);
      if (t != Cells.NO_TIME) {
        xMin = Math.min(xMin, t);
        xMax = Math.max(xMax, t);
        if (t < lastX) {
          sorted = false;
        }
        lastX = t;
        if (distinct.size() <= maxPoints) {
          distinct.add(t);
        }
      }
    }
    if (bySeries) {
      int s = track(seriesKey(r));
      double total = 0;
      for (int j = 0; j < ys; j++) {
        double d = countOnly[j] ? (r.isNull(1 + j) ? 0 : 1) : Cells.number(r, 1 + j);
        if (!Double.isNaN(d)) {
          total += Math.abs(d);
        }
      }
      if (s < tracked()) {
        seriesTotals[s] += total;
      }
    }
  }

  private String seriesKey(RowScanner r) {
    String key = r.text(ys + 1);
    return key == null ? NULL_SERIES : key;
  }

  private int tracked() {
    return seriesKeys.size();
  }

  /** The series' index, adding it while fewer than MAX_TRACKED_SERIES are known; else the untracked index. */
  private int track(String key) {
    Integer s = seriesIndex.get(key);
    if (s != null) {
      return s;
    }
    if (seriesKeys.size() >= MAX_TRACKED_SERIES) {
      untracked = true;
      return seriesKeys.size();
    }
    int i = seriesKeys.size();
    seriesIndex.put(key, i);
    seriesKeys.add(key);
    if (i >= seriesTotals.length) {
      seriesTotals = Arrays.copyOf(seriesTotals, seriesTotals.length * 2);
    }
    return i;
  }

  // ---- plan -----------------------------------------------------------------------------------------------------

  private void plan() {
    planned = true;
    if (!bySeries) {
      track("");
    }
    tracked = tracked();
    keep = new boolean[tracked];
    int candidates = tracked + (untracked ? 1 : 0);
    if (candidates > topN) {
      Integer[] order = new Integer[tracked];
      for (int i = 0; i < tracked; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(seriesTotals[b], seriesTotals[a]));
      for (int i = 0; i < Math.min(topN, tracked); i++) {
        keep[order[i]] = true;
      }
      meta.seriesTruncated = true;
      meta.otherSeries = tracked - Math.min(topN, tracked) + (untracked ? 1 : 0);
    } else {
      Arrays.fill(keep, true);
    }
    outOf = new int[tracked * ys];
    otherOf = new int[ys];
    Arrays.fill(outOf, -1);
    Arrays.fill(otherOf, -1);
    for (int j = 0; j < ys; j++) {
      for (int s = 0; s < tracked; s++) {
        if (keep[s]) {
          outOf[s * ys + j] = outs.size();
          outs.add(out(bySeries ? seriesKeys.get(s) : null, j));
        }
      }
      if (meta.seriesTruncated) {
        otherOf[j] = outs.size();
        String key = ys == 1 ? "Other" : "Other · " + yColumn[j];
        outs.add(overridden(new Out(key, key, yColumn[j], axis[j], render[j], null, true, j)));
      }
    }
    totals = new double[outs.size()];
    v = new double[outs.size()];
    ev = new BigDecimal[outs.size()];
    has = new boolean[outs.size()];
    sampled = xTime && distinct.size() > maxPoints;
    meta.sampled = sampled;
    if (sampled) {
      bucketMs = Math.max(1, ceilDiv(xMax - xMin + 1, width));
      buckets = (int) ceilDiv(xMax - xMin + 1, bucketMs);
      bucketSink = new Buckets(outs.size(), buckets);
      streaming = sorted;
    } else {
      grid = new Grid();
    }
    if (!streaming) {
      if (xTime) {
        open = new TreeMap<>();
      } else if (sort.startsWith("label")) {
        labelOrder = labelComparator(sort.endsWith("desc"));
        open = new TreeMap<>(labelOrder);
      } else {
        open = new LinkedHashMap<>();
      }
    }
  }

  private Out out(String seriesValue, int j) {
    String key;
    String name;
    if (seriesValue == null) {
      key = yColumn[j];
      name = yName[j];
    } else if (ys == 1) {
      key = seriesValue;
      name = seriesValue;
    } else {
      key = seriesValue + " · " + yColumn[j];
      name = seriesValue + " · " + yName[j];
    }
    return overridden(new Out(key, name, yColumn[j], axis[j], render[j], seriesValue == null ? yColor[j] : null,
        false, j));
  }

  /** The series with the config's per-series name and colour (config.series[key]) applied. */
  private Out overridden(Out out) {
    Object o = overrides == null ? null : overrides.getValue(out.key());
    if (!(o instanceof JsonObject override)) {
      return out;
    }
    String path = "/config/series/" + out.key().replace("~", "~0").replace("/", "~1");
    return new Out(out.key(), ConfigReader.string(override, "name", path, out.name()), out.column(), out.axis(),
        out.render(), ConfigReader.string(override, "color", path, out.color()), out.other(), out.y());
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private Comparator<Object> labelComparator(boolean descending) {
    Comparator<Object> c = xNumeric
        ? Comparator.comparing(o -> numericLabel((String) o), Comparator.nullsLast(Comparator.naturalOrder()))
        : Comparator.comparing(o -> (String) o);
    if (xNumeric) {
      c = c.thenComparing(o -> (String) o);
    }
    return descending ? c.reversed() : c;
  }

  private static BigDecimal numericLabel(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- pass 2 ---------------------------------------------------------------------------------------------------

  private void shapeRow(RowScanner r) {
    meta.sourceRows++;
    Group g;
    if (xTime) {
      long t = cells.time(r, 0);
      if (t == Cells.NO_TIME) {
        meta.nulls++;
        return;
      }
      g = streaming ? streamingGroup(t) : openGroup(t);
    } else {
      String label = r.text(0);
      if (label == null) {
        meta.nulls++;
        return;
      }
      g = openGroup(label);
    }
    if (g == null) {
      return;
    }
    int s = 0;
    if (bySeries) {
      Integer i = seriesIndex.get(seriesKey(r));
      s = i == null ? tracked : i;
    }
    for (int j = 0; j < ys; j++) {
      int slot = 1 + j;
      if (countOnly[j]) {
        if (r.isNull(slot)) {
          meta.nulls++;
          continue;
        }
        g.acc(s * ys + j, this).addCount();
      } else if (exact[j]) {
        BigDecimal d = cells.exact(r, slot);
        if (d == null || (log[j] && d.signum() <= 0)) {
          meta.nulls++;
          continue;
        }
        g.acc(s * ys + j, this).add(d);
      } else {
        double d = Cells.number(r, slot);
        if (Double.isNaN(d) || (log[j] && d <= 0)) {
          meta.nulls++;
          continue;
        }
        g.acc(s * ys + j, this).add(d);
      }
    }
  }

  private Group streamingGroup(long t) {
    if (current == null) {
      current = new Group();
      currentT = t;
    } else if (t != currentT) {
      flush(currentT, current);
      current.reset();
      currentT = t;
    }
    return current;
  }

  private Group openGroup(Object key) {
    Group g = open.get(key);
    if (g != null) {
      return g;
    }
    if (!xTime) {
      if (sort.startsWith("value")) {
        if (open.size() >= MAX_VALUE_SORTED_CATEGORIES) {
          meta.categoriesTruncated = true;
          return null;
        }
      } else if (open.size() >= maxPoints) {
        meta.categoriesTruncated = true;
        if (labelOrder == null) {
          return null;
        }
        TreeMap<Object, Group> byLabel = (TreeMap<Object, Group>) open;
        if (labelOrder.compare(key, byLabel.lastKey()) > 0) {
          return null;
        }
        byLabel.pollLastEntry();
      }
    } else if (sampled && open.size() >= MAX_OPEN_GROUPS) {
      throw new ShapeException("/config/x/column", "the result is not sorted by \"" + xName + "\" and has more than "
          + MAX_OPEN_GROUPS + " distinct values: add ORDER BY " + xName + " to the query to chart it");
    }
    g = new Group();
    open.put(key, g);
    return g;
  }

  /** Emits the aggregated values of one x to the grid or the buckets. */
  private void flush(Object x, Group g) {
    Arrays.fill(has, false);
    Arrays.fill(ev, null);
    for (Map.Entry<Integer, Acc> e : g.accs.entrySet()) {
      Acc a = e.getValue();
      if (a.empty()) {
        continue;
      }
      int slot = e.getKey();
      int s = slot / ys;
      int j = slot % ys;
      boolean kept = s < tracked && keep[s];
      int o = kept ? outOf[slot] : otherOf[j];
      if (kept || !has[o]) {
        v[o] = a.value();
        ev[o] = exact[j] ? a.exactValue() : null;
      } else {
        v[o] += a.value();
        if (exact[j]) {
          ev[o] = ev[o].add(a.exactValue());
          v[o] = ev[o].doubleValue();
        }
      }
      has[o] = true;
    }
    if (x instanceof Long t && sampled) {
      bucketSink.add(t, v, ev, has);
    } else {
      grid.add(x, v, ev, has);
    }
    for (int o = 0; o < outs.size(); o++) {
      if (has[o]) {
        totals[o] += v[o];
      }
    }
  }

  @Override
  public JsonObject finish(boolean resultTruncated, String truncatedReason) {
    if (!planned) {
      plan();
    }
    if (current != null) {
      flush(currentT, current);
    }
    if (open != null) {
      for (Map.Entry<Object, Group> e : open.entrySet()) {
        flush(e.getKey(), e.getValue());
      }
    }
    JsonObject xJson = new JsonObject().put("column", xName).put("type", xTime ? "time" : "category");
    List<JsonArray> values = new ArrayList<>();
    List<JsonObject> exacts = new ArrayList<>();
    for (int o = 0; o < outs.size(); o++) {
      values.add(new JsonArray());
      exacts.add(new JsonObject());
    }
    JsonArray xs = new JsonArray();
    if (sampled) {
      bucketSink.write(xs, values, exacts, meta);
      xJson.put("bucketMs", bucketMs);
    } else {
      grid.write(xs, values, exacts, meta);
    }
    xJson.put("values", xs);
    JsonArray series = new JsonArray();
    for (int o = 0; o < outs.size(); o++) {
      Out out = outs.get(o);
      JsonObject json = new JsonObject().put("key", out.key()).put("name", out.name()).put("column", out.column())
          .put("axis", out.axis()).put("render", out.render()).put("values", values.get(o))
          .put("total", totals[o]);
      if (!exacts.get(o).isEmpty()) {
        json.put("exact", exacts.get(o));
      }
      if (out.other()) {
        json.put("other", true);
      }
      if (out.color() != null) {
        json.put("color", out.color());
      }
      series.add(json);
    }
    return new JsonObject().put("kind", kind).put("x", xJson).put("series", series)
        .put("meta", meta.toJson(resultTruncated, truncatedReason));
  }

  // ---- parts ----------------------------------------------------------------------------------------------------

  /** The accumulators of one x value, by slot (series × y column). */
  private static final class Group {
    final HashMap<Integer, Acc> accs = new HashMap<>(8);

    Acc acc(int slot, SeriesShaper shaper) {
      Acc a = accs.get(slot);
      if (a == null) {
        int j = slot % shaper.ys;
        a = new Acc(shaper.aggregate[j], shaper.exact[j]);
        accs.put(slot, a);
      }
      return a;
    }

    void reset() {
      for (Acc a : accs.values()) {
        a.reset();
      }
    }
  }

  /** Every point (not sampled): one row per x value, ordered at the end for category sorts, cut at 2 × width. */
  private final class Grid {
    private final List<Object> xs = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();
    private final List<BigDecimal[]> exactRows = new ArrayList<>();

    void add(Object x, double[] v, BigDecimal[] ev, boolean[] has) {
      double[] row = new double[v.length];
      for (int o = 0; o < v.length; o++) {
        row[o] = has[o] ? v[o] : Double.NaN;
      }
      xs.add(x);
      rows.add(row);
      exactRows.add(ev.clone());
    }

    void write(JsonArray xOut, List<JsonArray> values, List<JsonObject> exacts, Meta meta) {
      Integer[] order = new Integer[xs.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      if (sort.startsWith("value")) {
        Comparator<Integer> byValue = Comparator.comparingDouble(i -> rowTotal(rows.get(i)));
        Arrays.sort(order, sort.endsWith("desc") ? byValue.reversed() : byValue);
      }
      int n = Math.min(order.length, maxPoints);
      if (order.length > maxPoints) {
        meta.categoriesTruncated = true;
      }
      for (int k = 0; k < n; k++) {
        int i = order[k];
        xOut.add(xs.get(i));
        double[] row = rows.get(i);
        for (int o = 0; o < row.length; o++) {
          if (Double.isNaN(row[o])) {
            values.get(o).addNull();
          } else {
            values.get(o).add(row[o]);
            meta.points++;
            String text = Exact.textIfInexact(exactRows.get(i)[o]);
            if (text != null) {
              exacts.get(o).put(Integer.toString(k), text);
            }
          }
        }
      }
    }

    private double rowTotal(double[] row) {
      double t = 0;
      for (double d : row) {
        if (!Double.isNaN(d)) {
          t += d;
        }
      }
      return t;
    }
  }

  /** Min/max per bucket: for each series and bucket, the exact smallest and largest point and where they were. */
  private final class Buckets {
    private final double[][] min;
    private final double[][] max;
    private final BigDecimal[][] minExact;
    private final BigDecimal[][] maxExact;
    private final long[][] minX;
    private final long[][] maxX;
    private final boolean[][] seen;

    Buckets(int series, int n) {
      min = new double[series][n];
      max = new double[series][n];
      minExact = new BigDecimal[series][];
      maxExact = new BigDecimal[series][];
      minX = new long[series][n];
      maxX = new long[series][n];
      seen = new boolean[series][n];
      for (int o = 0; o < series; o++) {
        if (exact[outs.get(o).y()]) {
          minExact[o] = new BigDecimal[n];
          maxExact[o] = new BigDecimal[n];
        }
      }
    }

    void add(long x, double[] v, BigDecimal[] ev, boolean[] has) {
      int b = (int) Math.min(buckets - 1, Math.max(0, (x - xMin) / bucketMs));
      for (int o = 0; o < v.length; o++) {
        if (!has[o]) {
          continue;
        }
        if (!seen[o][b]) {
          seen[o][b] = true;
          min[o][b] = v[o];
          max[o][b] = v[o];
          minX[o][b] = x;
          maxX[o][b] = x;
          if (minExact[o] != null) {
            minExact[o][b] = ev[o];
            maxExact[o][b] = ev[o];
          }
          continue;
        }
        boolean lower = minExact[o] != null ? ev[o].compareTo(minExact[o][b]) < 0 : v[o] < min[o][b];
        boolean higher = maxExact[o] != null ? ev[o].compareTo(maxExact[o][b]) > 0 : v[o] > max[o][b];
        if (lower) {
          min[o][b] = v[o];
          minX[o][b] = x;
          if (minExact[o] != null) {
            minExact[o][b] = ev[o];
          }
        }
        if (higher) {
          max[o][b] = v[o];
          maxX[o][b] = x;
          if (maxExact[o] != null) {
            maxExact[o][b] = ev[o];
          }
        }
      }
    }

    void write(JsonArray xOut, List<JsonArray> values, List<JsonObject> exacts, Meta meta) {
      int k = 0;
      for (int b = 0; b < buckets; b++) {
        boolean any = false;
        for (int o = 0; o < seen.length && !any; o++) {
          any = seen[o][b];
        }
        if (!any) {
          continue;
        }
        long start = xMin + b * bucketMs;
        xOut.add(start).add(start + bucketMs / 2);
        for (int o = 0; o < seen.length; o++) {
          if (!seen[o][b]) {
            values.get(o).addNull().addNull();
            continue;
          }
          boolean minFirst = minX[o][b] <= maxX[o][b];
          put(values.get(o), exacts.get(o), k, minFirst ? min[o][b] : max[o][b],
              minExact[o] == null ? null : minFirst ? minExact[o][b] : maxExact[o][b]);
          put(values.get(o), exacts.get(o), k + 1, minFirst ? max[o][b] : min[o][b],
              minExact[o] == null ? null : minFirst ? maxExact[o][b] : minExact[o][b]);
          meta.points += 2;
        }
        k += 2;
      }
    }

    private void put(JsonArray values, JsonObject exacts, int index, double value, BigDecimal exactValue) {
      values.add(value);
      String text = Exact.textIfInexact(exactValue);
      if (text != null) {
        exacts.put(Integer.toString(index), text);
      }
    }
  }

  /** A set of longs that stops growing at a cap (only "more than the cap" matters). */
  static final class LongSet {
    private final long[] table;
    private final boolean[] used;
    private final int cap;
    private int size;

    LongSet(int cap) {
      this.cap = cap;
      int n = Integer.highestOneBit(Math.max(16, cap * 2)) << 1;
      table = new long[n];
      used = new boolean[n];
    }

    void add(long value) {
      if (size >= cap) {
        return;
      }
      int mask = table.length - 1;
      int i = (int) (mix(value) & mask);
      while (used[i]) {
        if (table[i] == value) {
          return;
        }
        i = (i + 1) & mask;
      }
      used[i] = true;
      table[i] = value;
      size++;
    }

    int size() {
      return size;
    }

    private static long mix(long x) {
      x ^= x >>> 33;
      x *= 0xff51afd7ed558ccdL;
      x ^= x >>> 33;
      return x;
    }
  }
}
