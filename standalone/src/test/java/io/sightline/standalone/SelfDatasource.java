package io.sightline.standalone;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;

/** A Postgres datasource named "Self" on the test database itself, created through the API as an admin would. */
final class SelfDatasource {
  private SelfDatasource() {}

  /** Creates it with {@code settings} (limits, caps) beside the connection; answers its id. */
  static String create(ApiClient admin, TestDatabase db, JsonObject settings) {
    JsonObject body = new JsonObject().put("name", "Self").put("host", "127.0.0.1").put("port", db.url().port())
        .put("database", db.name()).put("user", db.url().user()).put("sslMode", "disable").mergeIn(settings);
    return admin.post("/api/v1/datasources", body).json().getString("id");
  }
}
