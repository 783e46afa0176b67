package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A finished result as {@link ResultWriter#finish()} describes it, ready for {@link ResultRecords#insert}.
 *
 * @param storage "postgres" (chunks in {@code inlineChunks}, to go to result_chunks), or the object store's kind
 * @param location the object store location of the chunks: always the result id (the orphan sweep of
 *     {@link ResultJanitor} relies on it); null for postgres
 * @param byteCount uncompressed bytes of JSON lines
 * @param truncatedReason null, "max_rows" or "max_bytes"
 * @param inlineChunks postgres tier: the compressed chunks in chunk order; empty otherwise
 */
public record ResultSummary(String resultId, String storage, String location, List<ColumnMeta> columns,
    long rowCount, long byteCount, long compressedBytes, List<ChunkRef> chunks, boolean truncated,
    String truncatedReason, List<Buffer> inlineChunks) {

  public static final String POSTGRES = "postgres";

  public ResultSummary {
    columns = List.copyOf(columns);
    chunks = List.copyOf(chunks);
    inlineChunks = List.copyOf(inlineChunks);
    if (POSTGRES.equals(storage) ? location != null || inlineChunks.size() != chunks.size()
        : !resultId.equals(location) || !inlineChunks.isEmpty()) {
      throw new IllegalArgumentException("inconsistent result summary: storage " + storage + ", location " + location
          + ", " + chunks.size() + " chunks, " + inlineChunks.size() + " inline");
    }
    if (truncated != (truncatedReason != null)) {
      throw new IllegalArgumentException("truncated must go with a reason: " + truncated + ", " + truncatedReason);
    }
  }

  public int chunkCount() {
    return chunks.size();
  }
}
