package io.sightline.shared.viz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A table (ShapedTable of types.ts): the configured columns are checked against the result, and with
 * {@code totals} every numeric column is summed exactly (BigDecimal) over every row. Without totals nothing is read.
 */
final class TableShaper extends LineShaper {
  private final Cells cells;
  private final boolean totals;
  private final List<String> names;
  private final BigDecimal[] sums;
  private final Meta meta = new Meta();
  private long rows;

  TableShaper(JsonObject config, ConfigReader columns, Cells cells) {
    super(columns.size(), numericColumns(columns));
    this.cells = cells;
    JsonArray listed = ConfigReader.array(config, "columns", "/config");
    for (int i = 0; i < listed.size(); i++) {
      if (!(listed.getValue(i) instanceof JsonObject c)) {
        throw new ShapeException("/config/columns/" + i, "must be an object");
      }
      columns.column(c, "column", "/config/columns/" + i, true);
    }
    totals = ConfigReader.bool(config, "totals", "/config", false);
    names = new ArrayList<>();
    for (int i : numericColumns(columns)) {
      names.add(columns.name(i));
    }
    sums = new BigDecimal[names.size()];
  }

  private static int[] numericColumns(ConfigReader columns) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (ConfigReader.NUMERIC.contains(columns.type(i))) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public boolean begin(int pass, long rowCount) {
    rows = pass == 0 ? rowCount : rows;
    boolean read = pass == 0 && totals && sums.length > 0;
    if (read) {
      rows = 0;
    }
    return read;
  }

  @Override
  void row(RowScanner r) {
    rows++;
    for (int s = 0; s < sums.length; s++) {
      BigDecimal d = cells.exact(r, s);
      if (d == null) {
        meta.nulls++;
      } else {
        sums[s] = sums[s] == null ? d : sums[s].add(d);
      }
    }
  }

  @Override
  public JsonObject finish(boolean resultTruncated, String truncatedReason) {
    meta.sourceRows = rows;
    JsonObject out = new JsonObject().put("kind", "table");
    if (totals) {
      JsonObject t = new JsonObject();
      for (int s = 0; s < sums.length; s++) {
        t.put(names.get(s), (sums[s] == null ? BigDecimal.ZERO : sums[s]).toPlainString());
      }
      out.put("totals", t);
    }
    return out.put("meta", meta.toJson(resultTruncated, truncatedReason));
  }
}
