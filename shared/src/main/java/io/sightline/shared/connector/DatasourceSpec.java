package io.sightline.shared.connector;

import io.sightline.shared.config.Secret;
import io.vertx.core.json.JsonObject;

/**
 * How to reach one datasource, as a connector needs it: connection settings and the password in clear (in memory
 * only — it never travels or is logged in clear; {@link #toJson()} and {@link #toString()} leave it out).
 *
 * @param id the datasource id, or null for settings being tested before they are saved
 */
public record DatasourceSpec(
    String id, String kind, String host, int port, String database, String user, Secret password, String sslMode,
    String searchPath, boolean readOnly, int maxConcurrency) {

  /** The connection settings (no password), as stored in {@code datasources.options}. */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("database", database).put("user", user)
        .put("sslMode", sslMode).put("searchPath", searchPath == null ? "" : searchPath);
  }

  /** host:port/database as user — safe to show and log. */
  public String describe() {
    return user + "@" + host + ":" + port + "/" + database;
  }
}
