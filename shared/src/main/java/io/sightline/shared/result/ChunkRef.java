package io.sightline.shared.result;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a result's chunk index (results.chunk_index): chunk {@code chunkNo} holds rows
 * {@code firstRow .. firstRow + rowCount - 1}; {@code bytes} of JSON lines compressed to {@code compressedBytes}.
 * A chunk written as several zstd frames lists them in {@code frames}, in order (empty: one frame), so a page decodes
 * only the frames its rows are in (docs/result-format.md).
 */
public record ChunkRef(int chunkNo, long firstRow, int rowCount, long bytes, long compressedBytes, List<Frame> frames) {

  /** One zstd frame of a chunk: {@code rows} whole lines, {@code bytes} of them, compressed to {@code compressedBytes}. */
  public record Frame(int rows, int bytes, int compressedBytes) {}

  public ChunkRef {
    frames = frames == null ? List.of() : List.copyOf(frames);
  }

  /** A chunk of one frame. */
  public ChunkRef(int chunkNo, long firstRow, int rowCount, long bytes, long compressedBytes) {
    this(chunkNo, firstRow, rowCount, bytes, compressedBytes, List.of());
  }

  /** The row after this chunk's last row. */
  public long endRow() {
    return firstRow + rowCount;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chunk_no", chunkNo).put("first_row", firstRow).put("row_count", rowCount)
        .put("bytes", bytes).put("compressed_bytes", compressedBytes);
    if (!frames.isEmpty()) {
      JsonArray list = new JsonArray();
      frames.forEach(f -> list.add(new JsonArray().add(f.rows()).add(f.bytes()).add(f.compressedBytes())));
      json.put("frames", list);
    }
    return json;
  }

  public static ChunkRef fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("frames");
    List<Frame> frames = new ArrayList<>(list == null ? 0 : list.size());
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        JsonArray f = list.getJsonArray(i);
        frames.add(new Frame(f.getInteger(0), f.getInteger(1), f.getInteger(2)));
      }
    }
    return new ChunkRef(json.getInteger("chunk_no"), json.getLong("first_row"), json.getInteger("row_count"),
        json.getLong("bytes"), json.getLong("compressed_bytes"), frames);
  }
}
