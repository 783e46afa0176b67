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
 * Line, area and bar data (ShapedSeriesData of types.ts; docs/visualizations.md "Shaping"): pivots by the series-by
 * column, aggregates duplicate x per series, sums the series beyond top N into Other, and keeps either every point
 * (at most 2 × width x values) or the exact min and max of each of {@code width} buckets of a time axis.
 *
 * <p>Passes. With nothing to learn first (no series-by column, and a category axis or at most 2 × width rows) one
 * pass shapes. Otherwise the usual case — a result sorted by a time x (ORDER BY) with at most top-N series — is shaped
 * in one <em>optimistic</em> pass: the x range is taken from the first and last rows ({@link #ends}), series are
 * added as they appear, every point feeds both the full grid (dropped once there are more than 2 × width x values)
 * and the buckets. If the rows turn out not to be sorted, or there are more series than top N, that pass is
 * abandoned and two passes follow: pass 1 learns the x range, whether x is sorted, whether there are more than
 * 2 × width distinct x values, and each series' total |value| (for top N); pass 2 shapes.
 *
 * <p>Memory: a result sorted by x is shaped with one open x value at a time; otherwise open x values are bounded
 * (2 × width when not sampled, {@link #MAX_OPEN_GROUPS} when sampled — beyond that the request is refused asking for
 * ORDER BY). Series are tracked up to {@link #MAX_TRACKED_SERIES} distinct values (later ones go to Other); category
 * axes keep at most 2 × width categories ({@link #MAX_VALUE_SORTED_CATEGORIES} while sorting by value).
 */
final class SeriesShaper extends LineShaper {
  static final int MAX_TRACKED_SERIES = 10_000;
  static final int MAX_OPEN_GROUPS = 100_000;
  static final int MAX_VALUE_SORTED_CATEGORIES = 50_000;
  static final String NULL_SERIES = "(null)";
  private static final int DENSE_SLOTS = 1024;

  private enum Phase { OPTIMISTIC, STATS, SHAPE, DONE }

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

  private Phase phase;
  private boolean endsKnown;
  private long firstX;
  private long lastX;

  // what pass 1 (or the optimistic pass, as it goes) learns
  private KeyIndex seriesIndex;
  private double[] seriesTotals;
  private boolean untracked;
  private long xMin;
  private long xMax;
  private long previousX;
  private boolean sorted;
  private LongSet distinct;

  // the plan: output o = s × ys + j for a kept series s, otherBase + j for Other
  private int tracked;
  private boolean[] keep;
  private boolean otherUsed;
  private int otherBase;
  private boolean streaming;
  private long bucketMs;
  private int buckets;
  private boolean aborted;

  // shaping
  private Meta meta;
  private Group current;
  private long currentT;
  private Map<Object, Group> open;
  private Comparator<Object> labelOrder;
  private double[] v;
  private BigDecimal[] ev;
  private boolean[] has;
  private double[] totals;
  private Grid grid;
  private Buckets bucketSink;
  private long flushed;

  /** One output series. */
  private record Out(String key, String name, String column, String axis, String render, String color,
      boolean other) {}

  SeriesShaper(String kind, JsonObject config, int width, ConfigReader columns, Cells cells) {
    super(columns.size(), wanted(config, columns));
    this.kind = kind;
    this.cells = cells;
    this.width = width;
    this.maxPoints = 2 * width;
    JsonObject x = config.getJsonObject("x");
    int xCol = columns.column(x, "column", "/config/x", true);
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
      yColumn[j] = yj.getString("column");
      int col = columns.column(yj, "column", path, true);
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
    reset();
  }

  /** Slots: 0 the x column, 1 … ys the y columns, ys + 1 the series-by column (or x again). */
  private static int[] wanted(JsonObject config, ConfigReader columns) {
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
    return wanted;
  }

  /** Back to nothing known: the start, and after an abandoned optimistic pass. */
  private void reset() {
    seriesIndex = new KeyIndex();
    seriesTotals = new double[16];
    untracked = false;
    xMin = Long.MAX_VALUE;
    xMax = Long.MIN_VALUE;
    previousX = Long.MIN_VALUE;
    sorted = true;
    distinct = new LongSet(maxPoints + 1);
    tracked = 0;
    keep = null;
    otherUsed = false;
    otherBase = 0;
    streaming = false;
    aborted = false;
    meta = new Meta();
    current = null;
    open = null;
    labelOrder = null;
    v = new double[0];
    ev = new BigDecimal[0];
    has = new boolean[0];
    totals = new double[0];
    grid = null;
    bucketSink = null;
    flushed = 0;
  }

  @Override
  public boolean wantsEnds() {
    return xTime;
  }

  @Override
  public void ends(byte[] first, byte[] last) {
    RowScanner r = scanner();
    r.scan(first, 0, first.length);
    firstX = cells.time(r, 0);
    r.scan(last, 0, last.length);
    lastX = cells.time(r, 0);
    endsKnown = firstX != Cells.NO_TIME && lastX != Cells.NO_TIME && firstX <= lastX;
  }

  @Override
  public boolean begin(int pass, long rowCount) {
    if (pass == 0) {
      boolean statsNeeded = bySeries || (xTime && rowCount > maxPoints);
      if (statsNeeded && endsKnown) {
        phase = Phase.OPTIMISTIC;
        optimistic();
      } else if (statsNeeded) {
        phase = Phase.STATS;
      } else {
        phase = Phase.SHAPE;
        plan();
      }
      return true;
    }
    switch (phase) {
      case OPTIMISTIC -> {
        if (!aborted) {
          phase = Phase.DONE;
          return false;
        }
        reset();
        phase = Phase.STATS;
        return true;
      }
      case STATS -> {
        phase = Phase.SHAPE;
        plan();
        return true;
      }
      default -> {
        phase = Phase.DONE;
        return false;
      }
    }
  }

  @Override
  void row(RowScanner r) {
    statsRow(r);
  }

  // ---- pass 1 ---------------------------------------------------------------------------------------------------

  private void statsRow(RowScanner r) {
    if (xTime) {
      long t = cells.time(r, 0);
      if (t != Cells.NO_TIME) {
        xMin = Math.min(xMin, t);
        xMax = Math.max(xMax, t);
        if (t < previousX) {
          sorted = false;
        }
        previousX = t;
        distinct.add(t);
      }
    }
    if (bySeries) {
      int s = seriesIndex.index(r, ys + 1, NULL_SERIES, true, MAX_TRACKED_SERIES);
      if (s < 0) {
        untracked = true;
        return;
      }
      if (s >= seriesTotals.length) {
        seriesTotals = Arrays.copyOf(seriesTotals, seriesTotals.length * 2);
      }
      double total = 0;
      for (int j = 0; j < ys; j++) {
        double d = countOnly[j] ? (r.isNull(1 + j) ? 0 : 1) : Cells.number(r, 1 + j);
        if (!Double.isNaN(d)) {
          total += Math.abs(d);
        }
      }
      seriesTotals[s] += total;
    }
  }

  // ---- plans ----------------------------------------------------------------------------------------------------

  /** One pass, assuming x sorted within the peeked first and last rows' x and at most top-N series. */
  private void optimistic() {
    xMin = firstX;
    xMax = lastX;
    tracked = bySeries ? 0 : 1;
    streaming = true;
    buckets();
    bucketSink = new Buckets();
    grid = new Grid();
    capacity();
  }

  /** After pass 1: top N, Other, and grid or buckets. */
  private void plan() {
    tracked = bySeries ? seriesIndex.size() : 1;
    if (tracked + (untracked ? 1 : 0) > topN) {
      Integer[] order = new Integer[tracked];
      for (int i = 0; i < tracked; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(seriesTotals[b], seriesTotals[a]));
      keep = new boolean[tracked];
      for (int i = 0; i < Math.min(topN, tracked); i++) {
        keep[order[i]] = true;
      }
      otherUsed = true;
      meta.seriesTruncated = true;
      meta.otherSeries = tracked - Math.min(topN, tracked) + (untracked ? 1 : 0);
    }
    otherBase = tracked * ys;
    capacity();
    if (xTime && distinct.size() > maxPoints) {
      buckets();
      bucketSink = new Buckets();
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

  private void buckets() {
    bucketMs = Math.max(1, ceilDiv(xMax - xMin + 1, width));
    buckets = (int) ceilDiv(xMax - xMin + 1, bucketMs);
  }

  /** Grows the per-output arrays to cover every series known so far (and Other). */
  private void capacity() {
    int n = Math.max(tracked * ys + (otherUsed ? ys : 0), 1);
    if (v.length < n) {
      int size = Math.max(n, v.length * 2);
      v = Arrays.copyOf(v, size);
      ev = Arrays.copyOf(ev, size);
      has = Arrays.copyOf(has, size);
      totals = Arrays.copyOf(totals, size);
    }
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

  // ---- shaping --------------------------------------------------------------------------------------------------

  /**
   * One chunk's rows parsed for shaping — x, series (numbered within the chunk), y values — made on any thread and
   * applied in chunk order, so chunks parse in parallel while the aggregation stays sequential.
   */
  private static final class Batch {
    int n;
    long[] t = new long[1024];
    String[] labels;
    int[] series = new int[1024];
    final KeyIndex keys = new KeyIndex();
    final double[][] d;
    final BigDecimal[][] e;

    Batch(SeriesShaper shaper) {
      d = new double[shaper.ys][];
      e = new BigDecimal[shaper.ys][];
      for (int j = 0; j < shaper.ys; j++) {
        if (shaper.exact[j]) {
          e[j] = new BigDecimal[1024];
        } else {
          d[j] = new double[1024];
        }
      }
      labels = shaper.xTime ? null : new String[1024];
    }

    int next() {
      if (n == series.length) {
        int size = n * 2;
        t = Arrays.copyOf(t, size);
        series = Arrays.copyOf(series, size);
        labels = labels == null ? null : Arrays.copyOf(labels, size);
        for (int j = 0; j < d.length; j++) {
          d[j] = d[j] == null ? null : Arrays.copyOf(d[j], size);
          e[j] = e[j] == null ? null : Arrays.copyOf(e[j], size);
        }
      }
      return n++;
    }
  }

  @Override
  public boolean parallel() {
    return phase == Phase.OPTIMISTIC || phase == Phase.SHAPE;
  }

  @Override
  public void lines(byte[] data, int length) {
    if (parallel()) {
      apply(prepare(data, length));
    } else {
      super.lines(data, length);
    }
  }

  @Override
  public Object prepare(byte[] data, int length) {
    Batch b = new Batch(this);
    Cells c = cells.fresh();
    eachRow(data, length, newScanner(), r -> {
      int i = b.next();
      if (xTime) {
        b.t[i] = c.time(r, 0);
      } else {
        b.labels[i] = r.text(0);
      }
      b.series[i] = bySeries ? b.keys.index(r, ys + 1, NULL_SERIES, true, Integer.MAX_VALUE) : 0;
      for (int j = 0; j < ys; j++) {
        int slot = 1 + j;
        if (countOnly[j]) {
          b.d[j][i] = r.isNull(slot) ? Double.NaN : 1;
        } else if (exact[j]) {
          BigDecimal v = c.exact(r, slot);
          b.e[j][i] = v == null || (log[j] && v.signum() <= 0) ? null : v;
        } else {
          double v = Cells.number(r, slot);
          b.d[j][i] = log[j] && v <= 0 ? Double.NaN : v;
        }
      }
    });
    return b;
  }

  @Override
  public void apply(Object prepared) {
    Batch b = (Batch) prepared;
    if (aborted) {
      return;
    }
    boolean optimistic = phase == Phase.OPTIMISTIC;
    int[] global = new int[b.keys.size()];
    for (int k = 0; k < global.length; k++) {
      global[k] = seriesIndex.adopt(b.keys, k, NULL_SERIES, optimistic, optimistic ? topN : 0);
    }
    for (int i = 0; i < b.n; i++) {
      meta.sourceRows++;
      Group g;
      if (xTime) {
        long t = b.t[i];
        if (t == Cells.NO_TIME) {
          meta.nulls++;
          continue;
        }
        if (optimistic && (t < xMin || t > xMax || (current != null && t < currentT))) {
          aborted = true;  // not sorted: two passes instead
          return;
        }
        g = streaming ? streamingGroup(t) : openGroup(t);
      } else {
        if (b.labels[i] == null) {
          meta.nulls++;
          continue;
        }
        g = openGroup(b.labels[i]);
      }
      if (g == null) {
        continue;
      }
      int s = 0;
      if (bySeries) {
        s = global[b.series[i]];
        if (s < 0 && optimistic) {
          aborted = true;  // more than top N series: two passes instead
          return;
        }
        s = s < 0 ? tracked : s;
        if (optimistic && s >= tracked) {
          tracked = s + 1;
          capacity();
        }
      }
      for (int j = 0; j < ys; j++) {
        if (exact[j]) {
          BigDecimal v = b.e[j][i];
          if (v == null) {
            meta.nulls++;
          } else {
            g.acc(s * ys + j).add(v);
          }
        } else {
          double v = b.d[j][i];
          if (Double.isNaN(v)) {
            meta.nulls++;
          } else if (countOnly[j]) {
            g.acc(s * ys + j).addCount();
          } else {
            g.acc(s * ys + j).add(v);
          }
        }
      }
    }
  }

  private Group streamingGroup(long t) {
    if (current == null) {
      current = new Group();
      currentT = t;
    } else if (t != currentT) {
      flush(null, currentT, current);
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
    } else if (bucketSink != null && open.size() >= MAX_OPEN_GROUPS) {
      throw new ShapeException("/config/x/column", "the result is not sorted by \"" + xName + "\" and has more than "
          + MAX_OPEN_GROUPS + " distinct values: add ORDER BY " + xName + " to the query to chart it");
    }
    g = new Group();
    open.put(key, g);
    return g;
  }

  /** Emits the aggregated values of one x (a category {@code x}, or time {@code t}) to the grid and/or buckets. */
  private void flush(Object x, long t, Group g) {
    int n = tracked * ys + (otherUsed ? ys : 0);
    for (int o = 0; o < n; o++) {
      has[o] = false;
      ev[o] = null;
    }
    for (int k = 0; k < g.n; k++) {
      int slot = g.touched[k];
      Acc a = g.get(slot);
      if (a.empty()) {
        continue;
      }
      int s = slot / ys;
      int j = slot - s * ys;
      boolean kept = s < tracked && (keep == null || keep[s]);
      int o = kept ? slot : otherBase + j;
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
    for (int o = 0; o < n; o++) {
      if (has[o]) {
        totals[o] += v[o];
      }
    }
    flushed++;
    if (grid != null && bucketSink != null && flushed > maxPoints) {
      grid = null;  // optimistic pass: more x values than 2 × width, the buckets answer
    }
    if (grid != null) {
      grid.add(x == null ? (Object) t : x, n);
    }
    if (bucketSink != null) {
      bucketSink.add(t, n);
    }
  }

  @Override
  public JsonObject finish(boolean resultTruncated, String truncatedReason) {
    if (phase == null || phase == Phase.STATS) {
      plan();
    }
    if (current != null) {
      flush(null, currentT, current);
    }
    if (open != null) {
      for (Map.Entry<Object, Group> e : open.entrySet()) {
        flush(e.getKey() instanceof Long t ? null : e.getKey(), e.getKey() instanceof Long t ? t : 0, e.getValue());
      }
    }
    boolean sampled = grid == null;
    meta.sampled = sampled;
    List<Integer> order = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    for (int j = 0; j < ys; j++) {
      for (int s = 0; s < tracked; s++) {
        if (keep == null || keep[s]) {
          order.add(s * ys + j);
          outs.add(out(bySeries ? seriesIndex.key(s) : null, j));
        }
      }
      if (otherUsed) {
        String key = ys == 1 ? "Other" : "Other · " + yColumn[j];
        order.add(otherBase + j);
        outs.add(overridden(new Out(key, key, yColumn[j], axis[j], render[j], null, true)));
      }
    }
    JsonObject xJson = new JsonObject().put("column", xName).put("type", xTime ? "time" : "category");
    List<JsonArray> values = new ArrayList<>();
    List<JsonObject> exacts = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      values.add(new JsonArray());
      exacts.add(new JsonObject());
    }
    JsonArray xs = new JsonArray();
    if (sampled) {
      bucketSink.write(order, xs, values, exacts);
      xJson.put("bucketMs", bucketMs);
    } else {
      grid.write(order, xs, values, exacts);
    }
    xJson.put("values", xs);
    JsonArray series = new JsonArray();
    for (int i = 0; i < order.size(); i++) {
      Out out = outs.get(i);
      JsonObject json = new JsonObject().put("key", out.key()).put("name", out.name()).put("column", out.column())
          .put("axis", out.axis()).put("render", out.render()).put("values", values.get(i))
          .put("total", totals[order.get(i)]);
      if (!exacts.get(i).isEmpty()) {
        json.put("exact", exacts.get(i));
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
        false));
  }

  /** The series with the config's per-series name and colour (config.series[key]) applied. */
  private Out overridden(Out out) {
    Object o = overrides == null ? null : overrides.getValue(out.key());
    if (!(o instanceof JsonObject override)) {
      return out;
    }
    String path = "/config/series/" + out.key().replace("~", "~0").replace("/", "~1");
    return new Out(out.key(), ConfigReader.string(override, "name", path, out.name()), out.column(), out.axis(),
        out.render(), ConfigReader.string(override, "color", path, out.color()), out.other());
  }

  // ---- parts ----------------------------------------------------------------------------------------------------

  /**
   * The accumulators of one x value, by slot (series × y column): an array when there are few slots, else a map;
   * {@code touched} lists the slots in use. Reset and reused while streaming a sorted result.
   */
  private final class Group {
    private final Acc[] dense;
    private final HashMap<Integer, Acc> sparse;
    int[] touched = new int[4];
    int n;

    Group() {
      int slots = (phase == Phase.OPTIMISTIC ? topN + 1 : tracked + 1) * ys;
      dense = slots <= DENSE_SLOTS ? new Acc[slots] : null;
      sparse = dense == null ? new HashMap<>() : null;
    }

    Acc get(int slot) {
      return dense != null ? dense[slot] : sparse.get(slot);
    }

    Acc acc(int slot) {
      Acc a = get(slot);
      if (a == null) {
        int j = slot % ys;
        a = new Acc(aggregate[j], exact[j]);
        if (dense != null) {
          dense[slot] = a;
        } else {
          sparse.put(slot, a);
        }
        if (n == touched.length) {
          touched = Arrays.copyOf(touched, n * 2);
        }
        touched[n++] = slot;
      }
      return a;
    }

    void reset() {
      for (int k = 0; k < n; k++) {
        get(touched[k]).reset();
      }
    }
  }

  /** Every point (not sampled): one row per x value, ordered at the end for category sorts, cut at 2 × width. */
  private final class Grid {
    private final List<Object> xs = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();
    private final List<BigDecimal[]> exactRows = new ArrayList<>();

    void add(Object x, int n) {
      double[] row = new double[n];
      BigDecimal[] exactRow = null;
      for (int o = 0; o < n; o++) {
        row[o] = has[o] ? v[o] : Double.NaN;
        if (has[o] && ev[o] != null) {
          if (exactRow == null) {
            exactRow = new BigDecimal[n];
          }
          exactRow[o] = ev[o];
        }
      }
      xs.add(x);
      rows.add(row);
      exactRows.add(exactRow);
    }

    void write(List<Integer> outputs, JsonArray xOut, List<JsonArray> values, List<JsonObject> exacts) {
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
        BigDecimal[] exactRow = exactRows.get(i);
        for (int out = 0; out < outputs.size(); out++) {
          int o = outputs.get(out);
          if (o >= row.length || Double.isNaN(row[o])) {
            values.get(out).addNull();
          } else {
            values.get(out).add(row[o]);
            meta.points++;
            String text = exactRow == null ? null : Exact.textIfInexact(exactRow[o]);
            if (text != null) {
              exacts.get(out).put(Integer.toString(k), text);
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

  /** Min/max per bucket: for each output and bucket, the exact smallest and largest point and where they were. */
  private final class Buckets {
    private double[][] min = new double[0][];
    private double[][] max = new double[0][];
    private BigDecimal[][] minExact = new BigDecimal[0][];
    private BigDecimal[][] maxExact = new BigDecimal[0][];
    private long[][] minX = new long[0][];
    private long[][] maxX = new long[0][];
    private boolean[][] seen = new boolean[0][];

    private void ensure(int o) {
      if (o >= seen.length) {
        int size = Math.max(o + 1, seen.length * 2);
        min = Arrays.copyOf(min, size);
        max = Arrays.copyOf(max, size);
        minExact = Arrays.copyOf(minExact, size);
        maxExact = Arrays.copyOf(maxExact, size);
        minX = Arrays.copyOf(minX, size);
        maxX = Arrays.copyOf(maxX, size);
        seen = Arrays.copyOf(seen, size);
      }
      if (seen[o] == null) {
        min[o] = new double[buckets];
        max[o] = new double[buckets];
        minX[o] = new long[buckets];
        maxX[o] = new long[buckets];
        seen[o] = new boolean[buckets];
        if (ev[o] != null) {
          minExact[o] = new BigDecimal[buckets];
          maxExact[o] = new BigDecimal[buckets];
        }
      }
    }

    void add(long x, int n) {
      int b = (int) Math.min(buckets - 1, Math.max(0, (x - xMin) / bucketMs));
      for (int o = 0; o < n; o++) {
        if (!has[o]) {
          continue;
        }
        ensure(o);
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
        boolean exactSeries = minExact[o] != null && ev[o] != null;
        boolean lower = exactSeries ? ev[o].compareTo(minExact[o][b]) < 0 : v[o] < min[o][b];
        boolean higher = exactSeries ? ev[o].compareTo(maxExact[o][b]) > 0 : v[o] > max[o][b];
        if (lower) {
          min[o][b] = v[o];
          minX[o][b] = x;
          if (exactSeries) {
            minExact[o][b] = ev[o];
          }
        }
        if (higher) {
          max[o][b] = v[o];
          maxX[o][b] = x;
          if (exactSeries) {
            maxExact[o][b] = ev[o];
          }
        }
      }
    }

    void write(List<Integer> outputs, JsonArray xOut, List<JsonArray> values, List<JsonObject> exacts) {
      int k = 0;
      for (int b = 0; b < buckets; b++) {
        boolean any = false;
        for (int o : outputs) {
          any |= o < seen.length && seen[o] != null && seen[o][b];
        }
        if (!any) {
          continue;
        }
        long start = xMin + b * bucketMs;
        xOut.add(start).add(start + bucketMs / 2);
        for (int out = 0; out < outputs.size(); out++) {
          int o = outputs.get(out);
          if (o >= seen.length || seen[o] == null || !seen[o][b]) {
            values.get(out).addNull().addNull();
            continue;
          }
          boolean minFirst = minX[o][b] <= maxX[o][b];
          put(values.get(out), exacts.get(out), k, minFirst ? min[o][b] : max[o][b],
              minExact[o] == null ? null : minFirst ? minExact[o][b] : maxExact[o][b]);
          put(values.get(out), exacts.get(out), k + 1, minFirst ? max[o][b] : min[o][b],
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
