package io.sightline.shared.datasource;

import io.sightline.shared.config.Secret;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.crypto.SecretBox;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Reading stored datasources (api and runner alike): the row's columns, and the spec with its password opened. */
public final class DatasourceRecords {
  private DatasourceRecords() {}

  /** The columns {@link #spec} reads. Filter by id and org, and skip archived rows, in the caller's query. */
  public static final String COLUMNS = "id, org_id, name, kind, options, secret_ciphertext, secret_key_id,"
      + " max_concurrency, default_timeout_ms, max_timeout_ms, default_max_rows, max_rows_limit, default_max_bytes,"
      + " max_bytes_limit, read_only, created_at, updated_at";

  public static final String BY_ID = "select " + COLUMNS
      + " from datasources where id = $1 and org_id = $2 and archived_at is null";

  public static DatasourceSpec spec(Row row, SecretBox secrets) {
    String id = row.getUUID("id").toString();
    io.vertx.core.buffer.Buffer sealed = row.getBuffer("secret_ciphertext");
    Secret password = sealed == null ? Secret.of("")
        : Secret.of(secrets.open(sealed.getBytes(), DatasourceMessages.storedPasswordContext(id)));
    return spec(id, row.getString("kind"), row.getJsonObject("options"), password, row.getBoolean("read_only"),
        row.getInteger("max_concurrency"));
  }

  public static DatasourceSpec spec(String id, String kind, JsonObject options, Secret password, boolean readOnly,
      int maxConcurrency) {
    return new DatasourceSpec(id, kind, options.getString("host"), options.getInteger("port", 5432),
        options.getString("database"), options.getString("user"), password, options.getString("sslMode", "prefer"),
        options.getString("searchPath", ""), readOnly, maxConcurrency);
  }
}
