package io.sightline.api.datasources;

import io.sightline.api.http.ApiException;
import io.sightline.api.http.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * A datasource's editable settings (everything but the password), merged from defaults or the stored row with a request
 * body, and checked across fields (each default within its maximum).
 */
record DatasourceForm(
    String name, String kind, String host, int port, String database, String user, String sslMode, String searchPath,
    int maxConcurrency, long defaultTimeoutMs, long maxTimeoutMs, long defaultMaxRows, long maxRowsLimit,
    long defaultMaxBytes, long maxBytesLimit, boolean readOnly) {

  static final long MIB = 1024L * 1024;

  static DatasourceForm defaults() {
    return new DatasourceForm(null, "postgres", null, 5432, null, null, "prefer", "", 3, 30_000, 300_000, 100_000,
        1_000_000, 64 * MIB, 512 * MIB, true);
  }

  static DatasourceForm of(Row row) {
    JsonObject o = row.getJsonObject("options");
    return new DatasourceForm(row.getString("name"), row.getString("kind"), o.getString("host"),
        o.getInteger("port", 5432), o.getString("database"), o.getString("user"), o.getString("sslMode", "prefer"),
        o.getString("searchPath", ""), row.getInteger("max_concurrency"), row.getInteger("default_timeout_ms"),
        row.getInteger("max_timeout_ms"), row.getLong("default_max_rows"), row.getLong("max_rows_limit"),
        row.getLong("default_max_bytes"), row.getLong("max_bytes_limit"), row.getBoolean("read_only"));
  }

  /** These settings with every field present in {@code body} replaced. */
  DatasourceForm with(JsonObject body) {
    return new DatasourceForm(
        body.getString("name", name) == null ? null : body.getString("name", name).trim(),
        body.getString("kind", kind),
        body.getString("host", host),
        body.getInteger("port", port),
        body.getString("database", database),
        body.getString("user", user),
        body.getString("sslMode", sslMode),
        body.getString("searchPath", searchPath).trim(),
        body.getInteger("maxConcurrency", maxConcurrency),
        body.getLong("defaultTimeoutMs", defaultTimeoutMs),
        body.getLong("maxTimeoutMs", maxTimeoutMs),
        body.getLong("defaultMaxRows", defaultMaxRows),
        body.getLong("maxRowsLimit", maxRowsLimit),
        body.getLong("defaultMaxBytes", defaultMaxBytes),
        body.getLong("maxBytesLimit", maxBytesLimit),
        body.getBoolean("readOnly", readOnly));
  }

  /** Fails with a 400 naming each field whose default exceeds its maximum. */
  DatasourceForm checked() {
    Problem problem = Problem.of(400, "validation", "Invalid request", "Some fields are invalid.");
    if (defaultTimeoutMs > maxTimeoutMs) {
      problem = problem.withError("/defaultTimeoutMs", "must not exceed maxTimeoutMs (" + maxTimeoutMs + ")");
    }
    if (defaultMaxRows > maxRowsLimit) {
      problem = problem.withError("/defaultMaxRows", "must not exceed maxRowsLimit (" + maxRowsLimit + ")");
    }
    if (defaultMaxBytes > maxBytesLimit) {
      problem = problem.withError("/defaultMaxBytes", "must not exceed maxBytesLimit (" + maxBytesLimit + ")");
    }
    if (!problem.errors().isEmpty()) {
      throw new ApiException(problem);
    }
    return this;
  }

  /** Connection settings as stored in {@code datasources.options} (never the password). */
  JsonObject options() {
    return new JsonObject().put("host", host).put("port", port).put("database", database).put("user", user)
        .put("sslMode", sslMode).put("searchPath", searchPath);
  }
}
