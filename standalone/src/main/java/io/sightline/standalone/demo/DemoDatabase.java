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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
  /**
   * The statistics target of the bulk-loaded tables' ANALYZE: a fifth of the default samples a fifth of the rows, and
   * their columns either hold a few distinct values (provinces, causes, desks, venues, statuses) or are times that 20
   * histogram buckets describe well enough; autovacuum analyzes again at the default once the ticks changed enough.
   */
  private static final int STATISTICS_TARGET = 20;
  /** How each of the generator's sessions starts: as the owner, in UTC, with bulk-load settings. */
  private static final List<String> SESSION = List.of("set role " + OWNER, "set timezone = 'UTC'",
      "set synchronous_commit = off", "set maintenance_work_mem = '128MB'",
      "set max_parallel_maintenance_workers = 0");
  /**
   * The bulk-loaded tables, each loaded by a pipeline of its own, both at once: plan its cells, expand them into rows
   * (the orders in two halves at once), build its indexes (each in a session of its own), then its keys and
   * statistics. On two cores the two pipelines keep both busy from start to end. Autovacuum stays off the table until
   * its pipeline is done (it would otherwise vacuum the freshly loaded rows and hold up the index builds).
   */
  private static final List<Load> LOADS = List.of(
      new Load("ohub.outages", "demo.outage_cells", "call demo.plan_outage_history()",
          List.of("insert into ohub.outages select * from demo.outage_rows(0, 1)")),
      new Load("trad.orders", "demo.order_cells", "call demo.plan_order_history()",
          List.of("insert into trad.orders select * from demo.order_rows(0, 2)",
              "insert into trad.orders select * from demo.order_rows(1, 2)")));

  /**
   * A bulk-loaded table: its cells' table, the statement that plans its cells and those that expand them, each on a
   * session.
   */
  private record Load(String table, String cells, String plan, List<String> rows) {}

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
    execute(postgres.url("postgres"), List.of(
        "create role " + OWNER + " nologin",
        "create role " + READER + " login connection limit 20 password '" + password + "'",
        "alter role " + READER + " set statement_timeout = '" + READER_STATEMENT_TIMEOUT + "'"));
    DatabaseUrl demo = postgres.ensureDatabase(DATABASE);
    execute(demo, List.of(
        "alter database " + DATABASE + " owner to " + OWNER,
        "revoke all on database " + DATABASE + " from public",
        "grant connect on database " + DATABASE + " to " + READER));
    List<String> model = List.of(resource("schema.sql"), resource("generate.sql")
        .replace("${seed}", Long.toString(seed))
        .replace("${anchor}", anchor.toString())
        .replace("${scale}", Double.toString(scale)));
    List<Key> keys = asOwner(demo, model, DemoDatabase::loadedTableKeys);
    asOwner(demo, Stream.concat(keys.stream().map(Key::drop).filter(Objects::nonNull), LOADS.stream()
        .map(load -> "alter table " + load.table() + " set (autovacuum_enabled = false)")).toList(), null);
    long modelled = System.nanoTime();
    Map<String, String> took = new ConcurrentHashMap<>();
    inParallel(LOADS.stream().<Runnable>map(load -> () -> {
      asOwner(demo, List.of(load.plan()), null);
      long planned = System.nanoTime();
      inParallel(sessions(demo, load.rows().stream().map(List::of).toList()));
      long loaded = System.nanoTime();
      List<Key> own = keys.stream().filter(k -> k.table().equals(load.table())).toList();
      inParallel(sessions(demo, own.stream().filter(k -> k.phase() == 0).map(k -> List.of(k.create())).toList()));
      asOwner(demo, Stream.concat(own.stream().filter(k -> k.phase() == 1).map(Key::create), Stream.of(
          "set default_statistics_target = " + STATISTICS_TARGET, "analyze " + load.table(),
          "truncate " + load.cells(), "alter table " + load.table() + " reset (autovacuum_enabled)")).toList(),
          null);
      took.put(load.table(), String.format("cells %d ms, rows %d ms, keys, indexes and statistics %d ms",
          millis(modelled, planned), millis(planned, loaded), millis(loaded, System.nanoTime())));
    }).toList());
    asOwner(demo, List.of(
        "revoke execute on all routines in schema demo from public",
        "grant usage on schema ohub, trad, demo to " + READER,
        "grant select on all tables in schema ohub, trad, demo to " + READER,
        "grant execute on function demo.tick() to " + READER), null);
    LOG.info("created the demo database {} (seed {}, anchor {}, scale {}) in {} ms: model {} ms; then at once {}",
        DATABASE, seed, anchor, scale, millis(started, System.nanoTime()), millis(started, modelled),
        LOADS.stream().map(load -> load.table() + " (" + took.get(load.table()) + ")")
            .collect(Collectors.joining(", ")));
    return new Login("127.0.0.1", postgres.port(), DATABASE, READER, password);
  }

  /** Whether the demo database exists. */
  static boolean exists(EmbeddedDatabase postgres) {
    return found(postgres, "select 1 from pg_database where datname = '" + DATABASE + "'");
  }

  /**
   * Whether anything of a demo database is there: the database or one of its roles (the first thing {@link #create}
   * makes), complete or half-made.
   */
  static boolean anyLeft(EmbeddedDatabase postgres) {
    return exists(postgres) || found(postgres, "select 1 from pg_roles where rolname in ('" + OWNER + "', '" + READER
        + "')");
  }

  private static boolean found(EmbeddedDatabase postgres, String select) {
    return run(postgres.url("postgres"), List.of(), st -> {
      try (ResultSet rs = st.executeQuery(select)) {
        return rs.next();
      }
    });
  }

  /** Drops the demo database (ending its sessions) and its roles; nothing to do when there is no demo. */
  public static void drop(EmbeddedDatabase postgres) {
    execute(postgres.url("postgres"), List.of(
        "drop database if exists " + DATABASE + " with (force)",
        "drop role if exists " + READER,
        "drop role if exists " + OWNER));
  }

  /**
   * A primary key, foreign key or index of a bulk-loaded table: dropped before the load, created after. Phase 0 builds
   * the indexes (a primary key's as a unique index), each in a session of its own at once; phase 1 then turns those
   * into primary keys and adds the foreign keys, a table per session.
   */
  private record Key(String table, int phase, String create, String drop) {}

  private static List<Key> loadedTableKeys(Statement st) throws SQLException {
    String tables = LOADS.stream().map(load -> "'" + load.table() + "'::regclass").collect(Collectors.joining(", "));
    List<Key> keys = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("select c.conrelid::regclass::text, 0, pg_get_indexdef(c.conindid), null"
        + " from pg_constraint c where c.conrelid in (" + tables + ") and c.contype = 'p'"
        + " union all select c.conrelid::regclass::text, 1, case c.contype"
        + " when 'p' then format('alter table %s add constraint %I primary key using index %I', c.conrelid::regclass,"
        + " c.conname, (select relname from pg_class where oid = c.conindid))"
        + " else format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname,"
        + " pg_get_constraintdef(c.oid)) end,"
        + " format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname)"
        + " from pg_constraint c where c.conrelid in (" + tables + ") and c.contype in ('p', 'f')"
        + " union all select i.indrelid::regclass::text, 0, pg_get_indexdef(i.indexrelid),"
        + " format('drop index %s', i.indexrelid::regclass)"
        + " from pg_index i where i.indrelid in (" + tables + ") and not i.indisprimary")) {
      while (rs.next()) {
        keys.add(new Key(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)));
      }
    }
    return keys;
  }

  /** Runs {@code statements} as the owner in one session, then {@code then} (if any) in it; answers its result. */
  private static <T> T asOwner(DatabaseUrl url, List<String> statements, SqlFunction<T> then) {
    return run(url, Stream.concat(SESSION.stream(), statements.stream()).toList(), then);
  }

  /** One task per list of statements, each running them in a session of its own as the owner. */
  private static List<Runnable> sessions(DatabaseUrl url, List<List<String>> sessions) {
    return sessions.stream().<Runnable>map(statements -> () -> asOwner(url, statements, null)).toList();
  }

  /** Runs the tasks all at once, each on a thread of its own (a single one on this thread); waits for all. */
  private static void inParallel(List<Runnable> tasks) {
    if (tasks.size() <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> new Thread(r, "demo-database-load"));
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable task : tasks) {
        running.add(pool.submit(task));
      }
      for (Future<?> task : running) {
        task.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the demo database", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void execute(DatabaseUrl url, List<String> statements) {
    run(url, statements, null);
  }

  private static <T> T run(DatabaseUrl url, List<String> statements, SqlFunction<T> then) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
      return then == null ? null : then.apply(st);
    } catch (SQLException e) {
      throw new IllegalStateException("demo database: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface SqlFunction<T> {
    T apply(Statement st) throws SQLException;
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

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
