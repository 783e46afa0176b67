package io.sightline.shared.viz;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;

/** Builds the {@link Shaper} for a visualization kind and config over a result's columns. */
public final class Shapers {
  public static final int MIN_WIDTH = 40;
  public static final int MAX_WIDTH = 8000;
  public static final int DEFAULT_WIDTH = 1200;

  private Shapers() {}

  /**
   * The shaper for {@code kind} (line, area, bar, stat, table). Throws a {@link ShapeException} naming the field when
   * the config is wrong for this result (a missing required field, an unknown column, a y column that is not
   * numeric). {@code zone}: the org's time zone, for timestamp and date columns (wall-clock times).
   */
  public static Shaper create(String kind, JsonObject config, int width, List<ColumnMeta> columns, ZoneId zone) {
    if (config == null) {
      throw new ShapeException("/config", "is required");
    }
    if (width < MIN_WIDTH || width > MAX_WIDTH) {
      throw new ShapeException("/width", "must be from " + MIN_WIDTH + " to " + MAX_WIDTH);
    }
    ConfigReader reader = new ConfigReader(columns);
    Cells cells = new Cells(zone);
    return switch (kind == null ? "" : kind) {
      case "line", "area", "bar" -> new SeriesShaper(kind, config, width, reader, cells);
      case "stat" -> new StatShaper(config, width, reader, cells);
      case "table" -> new TableShaper(config, reader, cells);
      default -> throw new ShapeException("/kind", kind == null ? "is required"
          : "must be one of line, area, bar, stat, table");
    };
  }
}
