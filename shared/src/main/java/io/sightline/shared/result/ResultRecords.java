package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a result's columns and chunk index, as the results row holds them (written by the run's success,
 * {@code RunQueue.succeed}; read by {@link ResultReader}).
 */
public final class ResultRecords {
  private ResultRecords() {}

  public static JsonArray columnsJson(List<ColumnMeta> columns) {
    JsonArray json = new JsonArray();
    columns.forEach(c -> json.add(c.toJson()));
    return json;
  }

  public static JsonArray indexJson(List<ChunkRef> chunks) {
    JsonArray json = new JsonArray();
    chunks.forEach(c -> json.add(c.toJson()));
    return json;
  }

  static List<ColumnMeta> columnsFrom(JsonArray json) {
    List<ColumnMeta> columns = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      columns.add(ColumnMeta.fromJson(json.getJsonObject(i)));
    }
    return columns;
  }

  static List<ChunkRef> indexFrom(JsonArray json) {
    List<ChunkRef> chunks = new ArrayList<>(json == null ? 0 : json.size());
    if (json != null) {
      for (int i = 0; i < json.size(); i++) {
        chunks.add(ChunkRef.fromJson(json.getJsonObject(i)));
      }
    }
    return chunks;
  }
}
