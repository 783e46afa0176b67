package io.sightline.shared.health;

import io.sightline.shared.bus.EventBusChecker;
import io.sightline.shared.db.Migrations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.flywaydb.core.api.MigrationVersion;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /readyz} reports: the metadata database answers, its schema is at (or, mid-upgrade, ahead of) the version
 * this build expects, and
 * (clustered) this node is in the cluster. Ready only when every check is up.
 */
public final class Readiness {
  private static final long DB_TIMEOUT_MS = 2000;
  private static final String SCHEMA_VERSION_SQL = "select version from " + Migrations.HISTORY_TABLE
      + " where success and version is not null order by installed_rank desc limit 1";

  private final Pool pool;
  private final String expectedSchema;
  private final EventBusChecker bus;
  private volatile boolean stopping;

  public Readiness(Pool pool, String expectedSchema, EventBusChecker bus) {
    this.pool = pool;
    this.expectedSchema = expectedSchema;
    this.bus = bus;
  }

  /**
   * From now on the process reports {@code "stopping"} (not ready), whatever its checks say: it drains before it closes
   * its listeners, and a balancer polling {@code /readyz} takes it out of rotation meanwhile.
   */
  public void markStopping() {
    stopping = true;
  }

  /** True once the process has begun to stop ({@link #markStopping}). */
  public boolean stopping() {
    return stopping;
  }

  /**
   * A report {@code {"status":"ready"|"not_ready"|"stopping","checks":{name:{"status":"up"|"down",...}}}}; only
   * {@code "ready"} is ready.
   */
  public Future<JsonObject> check() {
    if (stopping) {
      return Future.succeededFuture(new JsonObject().put("status", "stopping").put("checks", new JsonObject()));
    }
    Future<Row> schemaRow = pool.query(SCHEMA_VERSION_SQL).execute()
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null)
        .timeout(DB_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return schemaRow.transform(ar -> {
      JsonObject checks = new JsonObject();
      if (ar.failed()) {
        checks.put("database", down("unreachable: " + ar.cause().getMessage()));
        checks.put("migrations", down("unknown while the database is unreachable"));
      } else {
        checks.put("database", up());
        String actual = ar.result() == null ? null : ar.result().getString(0);
        checks.put("migrations", migrations(actual));
      }
      checks.put("cluster", cluster());
      boolean ready = checks.stream().allMatch(e -> "up".equals(((JsonObject) e.getValue()).getString("status")));
      return Future.succeededFuture(new JsonObject().put("status", ready ? "ready" : "not_ready").put("checks", checks));
    });
  }

  /**
   * Up at this build's version, and also ahead of it: during a rolling upgrade the first new process migrates, and the
   * processes still on the previous release keep serving (migrations are additive across one release, see
   * docs/deploy.md). Behind this build's version, or none, is down.
   */
  private JsonObject migrations(String actual) {
    if (actual == null) {
      return down("no schema version recorded, this build expects " + expectedSchema);
    }
    int order = MigrationVersion.fromVersion(actual).compareTo(MigrationVersion.fromVersion(expectedSchema));
    if (order == 0) {
      return up().put("version", actual);
    }
    return order > 0
        ? up().put("version", actual).put("ahead", true).put("detail", "schema at version " + actual
            + ", newer than this build's " + expectedSchema + " (an upgrade is under way)")
        : down("schema at version " + actual + ", this build expects " + expectedSchema);
  }

  private JsonObject cluster() {
    if (!bus.clustered()) {
      return up().put("mode", "standalone");
    }
    int members = bus.clusterSize();
    JsonObject out = members >= 1 ? up() : down("not a cluster member");
    return out.put("mode", "clustered").put("members", members).put("peers", bus.peersJson());
  }

  private static JsonObject up() {
    return new JsonObject().put("status", "up");
  }

  private static JsonObject down(String detail) {
    return new JsonObject().put("status", "down").put("detail", detail);
  }
}
