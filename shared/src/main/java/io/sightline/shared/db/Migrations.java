package io.sightline.shared.db;

import io.sightline.shared.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the metadata schema (classpath:db/migration, the {@code sql} module) with Flyway. Blocking: call it from a
 * launcher thread or a worker, never from an event loop. Concurrent callers (several api/runner nodes starting at
 * once) are safe: Flyway serialises them with a Postgres advisory lock.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  public static final String LOCATION = "classpath:db/migration";
  public static final String HISTORY_TABLE = "flyway_schema_history";

  private Migrations() {}

  /** Migrates the database to the newest packaged version; returns that version (e.g. "1"). */
  public static String migrate(DatabaseUrl url) {
    Flyway flyway = flyway(url);
    long started = System.nanoTime();
    MigrateResult result = flyway.migrate();
    String latest = latestPackagedVersion(flyway);
    LOG.info("metadata schema at version {} ({} migration(s) applied in {} ms)", latest, result.migrationsExecuted,
        (System.nanoTime() - started) / 1_000_000);
    return latest;
  }

  /** The newest migration version packaged with this build, without touching the database's schema. */
  public static String latestPackagedVersion(DatabaseUrl url) {
    return latestPackagedVersion(flyway(url));
  }

  private static String latestPackagedVersion(Flyway flyway) {
    MigrationInfo latest = null;
    for (MigrationInfo info : flyway.info().all()) {
      // resolved = packaged with this build (not a newer build's migration already applied to the database)
      if (info.getVersion() != null && info.getState().isResolved() && (latest == null || info.getVersion().compareTo(latest.getVersion()) > 0)) {
        latest = info;
      }
    }
    if (latest == null) {
      throw new IllegalStateException("no migrations found at " + LOCATION + " (is the sightline-sql jar missing?)");
    }
    return latest.getVersion().getVersion();
  }

  private static Flyway flyway(DatabaseUrl url) {
    return Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password().value())
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .cleanDisabled(true)
        .validateMigrationNaming(true)
        .failOnMissingLocations(true)
        .load();
  }
}
