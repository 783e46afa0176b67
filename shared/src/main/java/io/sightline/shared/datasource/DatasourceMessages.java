package io.sightline.shared.datasource;

/**
 * The event-bus requests the api sends to any runner for datasource work (the api itself never connects to a
 * datasource). Bodies are JSON: {@code {"orgId", "datasourceId"}} for a saved datasource, or {@code {"orgId",
 * "settings": {...}, "sealedPassword"?, "passwordOf"?}} for settings being tested before they are saved — the
 * password travels sealed with SIGHTLINE_SECRET_KEY, never in clear. Replies are {@code {"ok": true, ...}} or
 * {@code {"ok": false, "code", "message"}}; a missing datasource fails the request with code 404.
 */
public final class DatasourceMessages {
  private DatasourceMessages() {}

  public static final String TEST = "sightline.runners.datasource.test";
  public static final String INTROSPECT = "sightline.runners.datasource.introspect";

  /** Associated data of a stored datasource password (binds the ciphertext to its row). */
  public static String storedPasswordContext(String datasourceId) {
    return "datasource:" + datasourceId;
  }

  /** Associated data of a password sealed for one test request. */
  public static final String TRANSIT_PASSWORD_CONTEXT = "datasource:transit";

  public static final int NOT_FOUND = 404;
}
