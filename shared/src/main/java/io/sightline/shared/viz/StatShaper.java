package io.sightline.shared.viz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A single stat (ShapedStat of types.ts): the reducer over the value column (over the last {@code periodSeconds}
 * when set, ending at the latest time), up to three comparisons, the threshold colour, and a sparkline shaped like a
 * line by a {@link SeriesShaper} fed the same chunks. Pass 1 (with a time column and a period) finds the latest time;
 * previous-row tracks only the last two values or time points, so memory is constant in any row order.
 */
final class StatShaper extends LineShaper {
  private static final int TIME = 0;
  private static final int VALUE = 1;

  private record Comparison(String against, int slot, Double fixed, String display, String better, String label) {}

  private record Band(double from, String color) {}

  private final Cells cells;
  private final boolean hasTime;
  private final boolean valueExact;
  private final Acc.Kind reducer;
  private final Long periodMs;
  private final List<Comparison> comparisons = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();
  private final SeriesShaper sparkline;
  private final Meta meta = new Meta();

  private boolean ownActive;
  private boolean sparkActive;
  private boolean sparkDone;
  private boolean stats;
  private long latest = Long.MIN_VALUE;

  private Acc value;
  private Acc previousPeriod;
  private final List<Acc> columnValues = new ArrayList<>();
  // previous-row: the last two values (no time column) or the last two time points (with one)
  private long t1 = Long.MIN_VALUE;
  private long t2 = Long.MIN_VALUE;
  private Acc point1;
  private Acc point2;

  StatShaper(JsonObject config, int width, ConfigReader columns, Cells cells) {
    super(columns.size(), wanted(config, columns));
    this.cells = cells;
    JsonObject valueCfg = ConfigReader.object(config, "value", "/config", true);
    String reducerName = ConfigReader.choice(valueCfg, "reducer", "/config/value", "last", "last", "first", "min",
        "max", "sum", "avg", "count");
    reducer = Acc.Kind.of(reducerName);
    int valueCol = "count".equals(reducerName) ? columns.column(valueCfg, "column", "/config/value", true)
        : columns.numericColumn(valueCfg, "column", "/config/value", true);
    valueExact = reducer != Acc.Kind.COUNT && columns.exact(valueCol);
    JsonObject time = ConfigReader.object(config, "time", "/config", false);
    int timeCol = time == null ? -1 : columns.timeColumn(time, "column", "/config/time", true);
    hasTime = timeCol >= 0;
    Double period = ConfigReader.number(config, "periodSeconds", "/config");
    if (period != null && (period <= 0 || !hasTime)) {
      throw new ShapeException("/config/periodSeconds", period <= 0 ? "must be more than 0"
          : "needs a time column (/config/time/column)");
    }
    periodMs = period == null ? null : (long) (period * 1000);
    JsonArray list = ConfigReader.array(config, "comparisons", "/config");
    if (list.size() > 3) {
      throw new ShapeException("/config/comparisons", "at most 3");
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "/config/comparisons/" + i;
      if (!(list.getValue(i) instanceof JsonObject c)) {
        throw new ShapeException(path, "must be an object");
      }
      String against = ConfigReader.choice(c, "against", path, null, "previous-row", "previous-period", "column",
          "fixed");
      if (against == null) {
        throw new ShapeException(path + "/against", "is required");
      }
      if ("previous-period".equals(against) && periodMs == null) {
        throw new ShapeException(path + "/against", "previous-period needs /config/time/column and"
            + " /config/periodSeconds");
      }
      Double fixed = ConfigReader.number(c, "value", path);
      if ("fixed".equals(against) && fixed == null) {
        throw new ShapeException(path + "/value", "is required");
      }
      int column = "column".equals(against) ? columns.numericColumn(c, "column", path, true) : -1;
      String label = ConfigReader.string(c, "label", path, switch (against) {
        case "previous-row" -> "vs previous";
        case "previous-period" -> "vs previous period";
        case "column" -> "vs " + columns.name(column);
        default -> "vs " + BigDecimal.valueOf(fixed).stripTrailingZeros().toPlainString();
      });
      comparisons.add(new Comparison(against, column < 0 ? -1 : 2 + i, fixed,
          ConfigReader.choice(c, "display", path, "percent", "absolute", "percent"),
          ConfigReader.choice(c, "better", path, "higher", "higher", "lower"), label));
    }
    JsonArray thresholds = ConfigReader.array(config, "thresholds", "/config");
    for (int i = 0; i < thresholds.size(); i++) {
      String path = "/config/thresholds/" + i;
      if (!(thresholds.getValue(i) instanceof JsonObject t)) {
        throw new ShapeException(path, "must be an object");
      }
      Double from = ConfigReader.number(t, "from", path);
      String color = ConfigReader.string(t, "color", path, null);
      if (from == null || color == null) {
        throw new ShapeException(path + (from == null ? "/from" : "/color"), "is required");
      }
      bands.add(new Band(from, color));
    }
    bands.sort(Comparator.comparingDouble(Band::from));
    boolean spark = ConfigReader.bool(config, "sparkline", "/config", hasTime);
    sparkline = spark && hasTime ? new SeriesShaper("line", new JsonObject()
        .put("x", new JsonObject().put("column", columns.name(timeCol)).put("type", "time"))
        .put("y", new JsonArray().add(new JsonObject().put("column", columns.name(valueCol))
            .put("aggregate", reducerName))), width, columns, cells) : null;
  }

  /** Slots: 0 the time column (or the value column again), 1 the value column, 2 + i comparison i's column. */
  private static int[] wanted(JsonObject config, ConfigReader columns) {
    JsonObject valueCfg = ConfigReader.object(config, "value", "/config", true);
    int valueCol = columns.column(valueCfg, "column", "/config/value", true);
    JsonObject time = ConfigReader.object(config, "time", "/config", false);
    int timeCol = time == null ? -1 : columns.column(time, "column", "/config/time", true);
    JsonArray list = config.getValue("comparisons") instanceof JsonArray a ? a : new JsonArray();
    int[] wanted = new int[2 + Math.min(3, list.size())];
    wanted[TIME] = timeCol < 0 ? valueCol : timeCol;
    wanted[VALUE] = valueCol;
    for (int i = 2; i < wanted.length; i++) {
      Object c = list.getValue(i - 2);
      int col = c instanceof JsonObject o && "column".equals(o.getValue("against"))
          ? columns.column(o, "column", "/config/comparisons/" + (i - 2), true) : -1;
      wanted[i] = col < 0 ? valueCol : col;
    }
    return wanted;
  }

  @Override
  public boolean wantsEnds() {
    return sparkline != null && sparkline.wantsEnds();
  }

  @Override
  public void ends(byte[] first, byte[] last) {
    sparkline.ends(first, last);
  }

  @Override
  public boolean begin(int pass, long rowCount) {
    int ownPasses = periodMs != null ? 2 : 1;
    ownActive = pass < ownPasses;
    sparkActive = sparkline != null && !sparkDone && sparkline.begin(pass, rowCount);
    sparkDone = sparkline == null || !sparkActive;
    stats = ownActive && pass < ownPasses - 1;
    if (pass == ownPasses - 1) {
      value = acc();
      previousPeriod = acc();
      for (int i = 0; i < comparisons.size(); i++) {
        columnValues.add(comparisons.get(i).slot() < 0 ? null : acc());
      }
      point1 = acc();
      point2 = acc();
    }
    return ownActive || sparkActive;
  }

  private Acc acc() {
    return new Acc(reducer, valueExact);
  }

  @Override
  public void lines(byte[] data, int length) {
    if (ownActive) {
      super.lines(data, length);
    }
    if (sparkActive) {
      sparkline.lines(data, length);
    }
  }

  @Override
  void row(RowScanner r) {
    if (!ownActive) {
      return;
    }
    long t = hasTime ? cells.time(r, TIME) : Cells.NO_TIME;
    if (stats) {
      latest = Math.max(latest, t);
      return;
    }
    meta.sourceRows++;
    if (hasTime && t == Cells.NO_TIME) {
      meta.nulls++;
      return;
    }
    if (periodMs == null || t > latest - periodMs) {
      if (!add(value, r, VALUE)) {
        meta.nulls++;
      }
      for (int i = 0; i < comparisons.size(); i++) {
        if (columnValues.get(i) != null) {
          add(columnValues.get(i), r, comparisons.get(i).slot());
        }
      }
    } else if (t > latest - 2 * periodMs) {
      add(previousPeriod, r, VALUE);
    }
    previousRow(r, t);
  }

  /** Adds the slot's value to {@code acc}; false when it is null or not a number. */
  private boolean add(Acc acc, RowScanner r, int slot) {
    if (reducer == Acc.Kind.COUNT) {
      if (r.isNull(slot)) {
        return false;
      }
      acc.addCount();
    } else if (valueExact || acc.exact) {
      BigDecimal d = cells.exact(r, slot);
      if (d == null) {
        return false;
      }
      acc.add(d);
    } else {
      double d = Cells.number(r, slot);
      if (Double.isNaN(d)) {
        return false;
      }
      acc.add(d);
    }
    return true;
  }

  private void previousRow(RowScanner r, long t) {
    if (!hasTime) {  // the last two rows with a value, in result order
      Acc probe = acc();
      if (add(probe, r, VALUE)) {
        point2 = point1;
        point1 = probe;
      }
      return;
    }
    if (t > t1) {
      Acc recycled = point2;
      recycled.reset();
      point2 = point1;
      t2 = t1;
      point1 = recycled;
      t1 = t;
      add(point1, r, VALUE);
    } else if (t == t1) {
      add(point1, r, VALUE);
    } else if (t > t2) {
      point2.reset();
      t2 = t;
      add(point2, r, VALUE);
    } else if (t == t2) {
      add(point2, r, VALUE);
    }
  }

  @Override
  public JsonObject finish(boolean resultTruncated, String truncatedReason) {
    Double current = valueOf(value);
    JsonObject out = new JsonObject().put("kind", "stat").put("value", current);
    String exactText = value == null ? null : value.exactText();
    if (exactText != null) {
      out.put("exact", exactText);
    }
    String color = null;
    for (Band band : bands) {
      if (current != null && band.from() <= current) {
        color = band.color();
      }
    }
    out.put("color", color);
    JsonArray shaped = new JsonArray();
    for (int i = 0; i < comparisons.size(); i++) {
      Comparison c = comparisons.get(i);
      Double base = switch (c.against()) {
        case "previous-row" -> valueOf(point2);
        case "previous-period" -> valueOf(previousPeriod);
        case "column" -> valueOf(columnValues.get(i));
        default -> c.fixed();
      };
      Double delta = current == null || base == null ? null : "absolute".equals(c.display()) ? current - base
          : base == 0 ? null : (current - base) / Math.abs(base);
      String tone = delta == null || delta == 0 ? "neutral"
          : (delta > 0) == "higher".equals(c.better()) ? "good" : "bad";
      shaped.add(new JsonObject().put("against", c.against()).put("label", c.label()).put("base", base)
          .put("delta", delta).put("display", c.display()).put("tone", tone));
    }
    out.put("comparisons", shaped);
    if (sparkline != null) {
      JsonObject line = sparkline.finish(resultTruncated, truncatedReason);
      JsonArray values = line.getJsonArray("series").isEmpty() ? new JsonArray()
          : line.getJsonArray("series").getJsonObject(0).getJsonArray("values");
      out.put("sparkline", new JsonObject().put("x", line.getJsonObject("x").getJsonArray("values"))
          .put("values", values));
      meta.sampled = line.getJsonObject("meta").getBoolean("sampled");
      meta.points = line.getJsonObject("meta").getLong("points");
    }
    if (hasTime) {
      out.put("latestAt", latest == Long.MIN_VALUE && t1 == Long.MIN_VALUE ? null : Math.max(latest, t1));
    }
    return out.put("meta", meta.toJson(resultTruncated, truncatedReason));
  }

  private static Double valueOf(Acc acc) {
    if (acc == null || acc.empty()) {
      return null;
    }
    return acc.value();
  }
}
