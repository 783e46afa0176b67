package io.sightline.shared.result;

import io.vertx.core.json.JsonObject;

/**
 * One entry of a result's chunk index (results.chunk_index): chunk {@code chunkNo} holds rows
 * {@code firstRow .. firstRow + rowCount - 1}; {@code bytes} of JSON lines compressed to {@code compressedBytes}.
 */
public record ChunkRef(int chunkNo, long firstRow, int rowCount, long bytes, long compressedBytes) {

  /** The row after this chunk's last row. */
  public long endRow() {
    return firstRow + rowCount;
  }

  public JsonObject toJson() {
    return new JsonObject().put("chunk_no", chunkNo).put("first_row", firstRow).put("row_count", rowCount)
        .put("bytes", bytes).put("compressed_bytes", compressedBytes);
  }

  public static ChunkRef fromJson(JsonObject json) {
    return new ChunkRef(json.getInteger("chunk_no"), json.getLong("first_row"), json.getInteger("row_count"),
        json.getLong("bytes"), json.getLong("compressed_bytes"));
  }
}
