package io.sightline.standalone.demo;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo database {@value #DATABASE} in the embedded Postgres: the ohub (power outages across Canada) and trad
 * (order flow) tables of {@code demo/schema.sql}, filled by {@code demo/generate.sql} with rows that depend only on a
 * seed and an anchor instant (the install time), a {@code demo.tick()} function that appends the minutes since, and a
 * read-only login role {@value #READER} for the demo's datasource.
 *
 * <p>The objects belong to the NOLOGIN role {@value #OWNER} (so {@code demo.tick()}, SECURITY DEFINER, runs as it,
 * not as a superuser). Both methods block for seconds: call them on a worker thread.
 */
public final class DemoDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoDatabase.class);
  public static final String DATABASE = "sightline_demo";
  public static final String READER = "sightline_demo_reader";
  static final String OWNER = "sightline_demo_owner";
  /** The seed of the demo a first start installs. */
  public static final long SEED = 20_260_318L;
  /** The reader's statement timeout: long enough for any demo query over the full tables. */
  static final String READER_STATEMENT_TIMEOUT = "30s";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the demo's datasource logs in. */
  public record Login(String host, int port, String database, String user, String password) {}

  private DemoDatabase() {}

  /**
   * (Re)creates the demo database from {@code seed} and {@code anchor} (rows up to the anchor's minute; the tick fills
   * the minutes after it) with a fresh password for the reader, and answers its login. A demo left by an earlier or
   * half-finished attempt is dropped first.
   */
  public static Login create(EmbeddedDatabase postgres, long seed, Instant anchor) {
    return create(postgres, seed, anchor, 1.0);
  }

  /** {@link #create(EmbeddedDatabase, long, Instant)} at {@code scale} times the full row counts (tests). */
  static Login create(EmbeddedDatabase postgres, long seed, Instant anchor, double scale) {
    long started = System.nanoTime();
    drop(postgres);
    String password = newPassword();
    execute(postgres.url("postgres"),
        "create role " + OWNER + " nologin",
        "create role " + READER + " login connection limit 20 password '" + password + "'",
        "alter role " + READER + " set statement_timeout = '" + READER_STATEMENT_TIMEOUT + "'");
    DatabaseUrl demo = postgres.ensureDatabase(DATABASE);
    execute(demo,
        "alter database " + DATABASE + " owner to " + OWNER,
        "revoke all on database " + DATABASE + " from public",
        "grant connect on database " + DATABASE + " to " + READER,
        "set role " + OWNER,
        "set timezone = 'UTC'",
        "set synchronous_commit = off",
        "set maintenance_work_mem = '256MB'",
        resource("schema.sql"),
        resource("generate.sql")
            .replace("${seed}", Long.toString(seed))
            .replace("${anchor}", anchor.toString())
            .replace("${scale}", Double.toString(scale)),
        "revoke execute on all functions in schema demo from public",
        "grant usage on schema ohub, trad, demo to " + READER,
        "grant select on all tables in schema ohub, trad, demo to " + READER,
        "grant execute on function demo.tick() to " + READER);
    LOG.info("created the demo database {} (seed {}, anchor {}, scale {}) in {} ms", DATABASE, seed, anchor, scale,
        (System.nanoTime() - started) / 1_000_000);
    return new Login("127.0.0.1", postgres.port(), DATABASE, READER, password);
  }

  /** Drops the demo database (ending its sessions) and its roles; nothing to do when there is no demo. */
  public static void drop(EmbeddedDatabase postgres) {
    execute(postgres.url("postgres"),
        "drop database if exists " + DATABASE + " with (force)",
        "drop role if exists " + READER,
        "drop role if exists " + OWNER);
  }

  private static void execute(DatabaseUrl url, String... statements) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("demo database: " + e.getMessage(), e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = DemoDatabase.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource demo/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
