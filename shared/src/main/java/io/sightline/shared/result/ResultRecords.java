package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The results and result_chunks rows of a finished result. */
public final class ResultRecords {
  private ResultRecords() {}

  static final String INSERT_RESULT = "insert into results (id, org_id, run_id, storage, location, format_version,"
      + " columns, row_count, byte_count, compressed_bytes, chunk_count, chunk_index, truncated, truncated_reason,"
      + " expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

  static final String INSERT_CHUNK = "insert into result_chunks (result_id, chunk_no, org_id, first_row, row_count,"
      + " data) values ($1, $2, $3, $4, $5, $6)";

  /** Inserts the results row (and result_chunks rows for the postgres tier) inside the caller's transaction. */
  public static Future<Void> insert(SqlConnection conn, ResultSummary summary, String runId, String orgId,
      OffsetDateTime expiresAt) {
    UUID resultId = UUID.fromString(summary.resultId());
    UUID org = UUID.fromString(orgId);
    Tuple result = Tuple.tuple()
        .addValue(resultId)
        .addValue(org)
        .addValue(UUID.fromString(runId))
        .addValue(summary.storage())
        .addValue(summary.location())
        .addValue((short) ChunkCodec.FORMAT_VERSION)
        .addValue(columnsJson(summary.columns()))
        .addValue(summary.rowCount())
        .addValue(summary.byteCount())
        .addValue(summary.compressedBytes())
        .addValue(summary.chunkCount())
        .addValue(indexJson(summary.chunks()))
        .addValue(summary.truncated())
        .addValue(summary.truncatedReason())
        .addValue(expiresAt);
    Future<?> inserted = conn.preparedQuery(INSERT_RESULT).execute(result);
    if (!ResultSummary.POSTGRES.equals(summary.storage()) || summary.chunks().isEmpty()) {
      return inserted.mapEmpty();
    }
    List<Tuple> chunks = new ArrayList<>(summary.chunkCount());
    for (int i = 0; i < summary.chunkCount(); i++) {
      ChunkRef ref = summary.chunks().get(i);
      chunks.add(Tuple.of(resultId, ref.chunkNo(), org, ref.firstRow(), ref.rowCount(), summary.inlineChunks().get(i)));
    }
    return inserted.compose(v -> conn.preparedQuery(INSERT_CHUNK).executeBatch(chunks)).mapEmpty();
  }

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
