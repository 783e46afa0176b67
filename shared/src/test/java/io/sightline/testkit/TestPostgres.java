package io.sightline.testkit;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import io.sightline.shared.db.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The Postgres server of one test JVM: the one named by {@code SIGHTLINE_TEST_DATABASE_URL} (a superuser URL), or an
 * embedded Postgres 17 started on first use. The metadata schema is migrated once into a template database; each test
 * class gets its own database cloned from it ({@link #createDatabase}), which takes milliseconds.
 */
public final class TestPostgres {
  public static final String EXTERNAL_URL_ENV = "SIGHTLINE_TEST_DATABASE_URL";
  private static TestPostgres instance;

  private final DatabaseUrl admin;
  private final String template;
  private final String prefix;

  private TestPostgres(DatabaseUrl admin) {
    this.admin = admin;
    this.prefix = "sl_" + UUID.randomUUID().toString().substring(0, 8) + "_";
    this.template = prefix + "template";
    execute("create database " + template);
    Migrations.migrate(admin.withDatabase(template));
  }

  public static synchronized TestPostgres get() {
    if (instance == null) {
      String external = System.getenv(EXTERNAL_URL_ENV);
      if (external != null && !external.isBlank()) {
        TestPostgres pg = new TestPostgres(DatabaseUrl.parse(external));
        Runtime.getRuntime().addShutdownHook(new Thread(pg::dropOwnDatabases, "test-postgres-cleanup"));
        instance = pg;
      } else {
        EmbeddedDatabase embedded = EmbeddedDatabase.startEphemeral();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-postgres-stop"));
        instance = new TestPostgres(embedded.url("postgres"));
      }
    }
    return instance;
  }

  /** The superuser URL of the server's maintenance database. */
  public DatabaseUrl adminUrl() {
    return admin;
  }

  /** A new, migrated database of its own; {@code hint} makes its name readable in pg_stat_activity. */
  public TestDatabase createDatabase(String hint) {
    String safe = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String name = prefix + safe.substring(0, Math.min(safe.length(), 30)) + "_"
        + UUID.randomUUID().toString().substring(0, 6);
    execute("create database " + name + " template " + template);
    return new TestDatabase(name, admin.withDatabase(name), this);
  }

  /** A new database with no schema at all (for migration tests). */
  public TestDatabase createEmptyDatabase(String hint) {
    String name = prefix + "empty_" + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
        + UUID.randomUUID().toString().substring(0, 6);
    execute("create database " + name + " template template0");
    return new TestDatabase(name, admin.withDatabase(name), this);
  }

  void drop(String database) {
    execute("drop database if exists " + database + " with (force)");
  }

  private void dropOwnDatabases() {
    try (Connection c = connect(admin); Statement st = c.createStatement();
        var rs = st.executeQuery("select datname from pg_database where datname like '" + prefix + "%'")) {
      java.util.List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      for (String n : names) {
        st.execute("drop database if exists " + n + " with (force)");
      }
    } catch (SQLException e) {
      // best effort at JVM exit
    }
  }

  private void execute(String sql) {
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test Postgres: " + sql + ": " + e.getMessage(), e);
    }
  }

  static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
  }
}
