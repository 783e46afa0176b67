package io.sightline.connector.postgres;

import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.sightline.shared.connector.SchemaCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs user SQL against Postgres datasources for the runners (found through ServiceLoader). */
public final class PostgresConnector implements Connector {
  public static final String KIND = "postgres";
  static final long TEST_TIMEOUT_MS = 10_000;
  static final long INTROSPECT_TIMEOUT_MS = 60_000;
  /** Columns beyond this are left out of a catalog (marked truncated): completion does not need a million. */
  static final int MAX_CATALOG_COLUMNS = 50_000;

  private static final String CATALOG_SQL = """
      select n.nspname as schema_name, c.relname as relation_name,
             case c.relkind when 'r' then 'table' when 'p' then 'partitioned_table' when 'v' then 'view'
                            when 'm' then 'materialized_view' when 'f' then 'foreign_table' end as kind,
             a.attname as column_name, format_type(a.atttypid, a.atttypmod) as column_type,
             not a.attnotnull as nullable
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
        and has_schema_privilege(n.oid, 'USAGE')
      order by n.nspname, c.relname, a.attnum
      limit $1""";
  private static final String SCHEMAS_SQL = """
      select nspname from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'
        and has_schema_privilege(oid, 'USAGE')
      order by nspname""";

  private final DatasourcePools pools = new DatasourcePools();
  /** Live executions of this connector instance, for protocol-level cancel requests. */
  private final java.util.Map<String, SqlConnection> running = new java.util.concurrent.ConcurrentHashMap<>();

  /** What ServiceLoader makes: the COPY read path as {@link #copyEnabled()} says. */
  public PostgresConnector() {
    this(copyEnabled(), copyReaders());
  }

  PostgresConnector(boolean copyPath) {
    this(copyPath, copyReaders());
  }

  PostgresConnector(boolean copyPath, int copyReaders) {
    this.copyPath = copyPath;
    this.copyReaders = copyReaders;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * Whether runs may take the COPY read path ({@link CopyExecution}): {@code SIGHTLINE_POSTGRES_COPY=false} (or the
   * system property {@code sightline.postgres.copy=false}) keeps every run on the cursor path.
   */
  static boolean copyEnabled() {
    String value = System.getProperty("sightline.postgres.copy", System.getenv("SIGHTLINE_POSTGRES_COPY"));
    return value == null || !value.trim().equalsIgnoreCase("false");
  }

  /**
   * How many runs of this process may read through COPY at once ({@code SIGHTLINE_POSTGRES_COPY_READERS}, or the
   * system property {@code sightline.postgres.copyReaders}; twice the cores by default, at least 2, at most
   * {@link #READER_THREADS}). Each holds a thread of its own for its whole run, where the cursor path shares the event
   * loops: a run that finds them all taken reads through a cursor instead of waiting, so many small runs at once do not
   * crowd the event loops out with reader threads, and a slow query never makes another run wait for a reader.
   */
  static int copyReaders() {
    String value = System.getProperty("sightline.postgres.copyReaders",
        System.getenv("SIGHTLINE_POSTGRES_COPY_READERS"));
    int readers = 2 * Runtime.getRuntime().availableProcessors();
    if (value != null && !value.isBlank()) {
      try {
        readers = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        org.slf4j.LoggerFactory.getLogger(PostgresConnector.class).warn(
            "SIGHTLINE_POSTGRES_COPY_READERS is not a whole number ('{}'): using {}", value, readers);
      }
    }
    return Math.max(1, Math.min(READER_THREADS, readers));
  }

  /** Threads of the COPY readers' pool (per Vert.x). */
  static final int READER_THREADS = 64;

  private final boolean copyPath;
  private final int copyReaders;
  private final java.util.concurrent.atomic.AtomicInteger copyReading = new java.util.concurrent.atomic.AtomicInteger();
  private final CopyConnections copyConnections = new CopyConnections();
  private final Map<String, CopyExecution> copyRunning = new java.util.concurrent.ConcurrentHashMap<>();
  /** Each datasource's own time zone, as a session of the cursor pool has it (pgjdbc's sessions start in the JVM's). */
  private final Map<String, Future<String>> timeZones = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Vertx, io.vertx.core.WorkerExecutor> copyWorkers = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public Future<ExecutionOutcome> execute(Vertx vertx, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener) {
    java.util.Optional<String> copy = copyPath ? CopyExecution.copyStatement(ds, request, sink)
        : java.util.Optional.empty();
    if (copy.isEmpty() || !takeReader()) {
      return cursor(vertx, ds, request, sink, listener);
    }
    io.vertx.core.Context context = vertx.getOrCreateContext();
    return timeZone(vertx, ds)
        .compose(zone -> zone == null ? Future.succeededFuture(CopyExecution.NOT_TAKEN)
            : copyWorker(vertx).executeBlocking(() -> CopyExecution.run(context, copyConnections, ds, request, sink,
                listener, zone, copy.get(), copyRunning, task -> copyWorker(vertx).executeBlocking(() -> {
                  task.run();
                  return null;
                }, false)), false))
        .andThen(ar -> copyReading.decrementAndGet())
        .compose(outcome -> outcome == CopyExecution.NOT_TAKEN ? cursor(vertx, ds, request, sink, listener)
            : Future.succeededFuture(outcome));
  }

  /** A reader for a run, if one of {@link #copyReaders} is free; the caller gives it back when the run's read ends. */
  private boolean takeReader() {
    if (copyReading.incrementAndGet() <= copyReaders) {
      return true;
    }
    copyReading.decrementAndGet();
    return false;
  }

  /**
   * One worker pool per Vert.x for the COPY reads: they block for a run's length, and must not starve compression. A
   * read lasts as long as its run (its timeout), so Vert.x's blocked-thread warning is set past any run's timeout.
   */
  private io.vertx.core.WorkerExecutor copyWorker(Vertx vertx) {
    return copyWorkers.computeIfAbsent(vertx, v -> v.createSharedWorkerExecutor("sightline-copy-reader",
        READER_THREADS, 7, java.util.concurrent.TimeUnit.DAYS));
  }

  /**
   * The datasource's TimeZone setting, asked once per datasource settings on a connection of the cursor pool (which
   * sends no zone of its own). Fails as the cursor path would when the datasource cannot be reached; null when the
   * question failed otherwise (the run then takes the cursor path). Asked again after either.
   */
  private Future<String> timeZone(Vertx vertx, DatasourceSpec ds) {
    String key = ds.id() + "/" + DatasourcePools.settingsHash(ds);
    Future<String> zone = timeZones.computeIfAbsent(key, k -> connection(vertx, ds)
        .compose(conn -> conn.query("select current_setting('TimeZone')").execute()
            .map(rows -> rows.iterator().next().getString(0))
            .recover(err -> Future.succeededFuture(null))
            .eventually(conn::close)));
    return zone.andThen(ar -> {
      if (ar.failed() || ar.result() == null) {
        timeZones.remove(key, zone);
      }
    });
  }

  /** A connection of the datasource's cursor pool; fails as a connect failure the runner understands. */
  private Future<SqlConnection> connection(Vertx vertx, DatasourceSpec ds) {
    return pools.poolFor(vertx, ds).getConnection()
        .recover(err -> Future.failedFuture(connectFailure(
            ConnectionErrors.connecting(err, ds, DatasourcePools.CONNECT_TIMEOUT_MS))));
  }

  private Future<ExecutionOutcome> cursor(Vertx vertx, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener) {
    return connection(vertx, ds)
        .compose(conn -> {
          Future<Void> dropped = SessionReset.watchDrop(conn);
          running.put(request.runId(), conn);
          return PostgresExecution.run(conn, ds, request, sink, listener)
              .eventually(() -> {
                running.remove(request.runId());
                if (cancelled.remove(request.runId())) {
                  // a cancel request travels on a connection of its own and Postgres applies it whenever it arrives:
                  // reused, this session could have the next run's statement cancelled by it. Closed instead.
                  return SessionReset.closeSocket(conn).otherwiseEmpty()
                      .compose(v -> SessionReset.release(conn, dropped));
                }
                return SessionReset.release(conn, dropped);
              });
        });
  }

  /**
   * Cancels through the protocol's cancel request on the run's own connection (what pg_cancel_backend does, without
   * needing a free connection); asked a second time, closes that connection's socket, which ends the backend's session
   * (the pool drops the connection rather than reuse it mid-statement). A connection that was sent a cancel is closed
   * when its run ends, never reused: the request may reach the server after the run ended.
   */
  @Override
  public Future<Void> cancel(Vertx vertx, DatasourceSpec ds, ExecutionHandle handle) {
    CopyExecution copy = copyRunning.get(handle.runId());
    if (copy != null) {
      return copyWorker(vertx).executeBlocking(() -> {
        copy.cancel();
        return null;
      }, false);
    }
    SqlConnection conn = running.get(handle.runId());
    if (conn == null) {
      return Future.succeededFuture();
    }
    if (cancelled.add(handle.runId())) {
      return io.vertx.pgclient.PgConnection.cast(conn).cancelRequest();
    }
    return SessionReset.closeSocket(conn);
  }

  private final java.util.Set<String> cancelled = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Ends a run's sessions by its application_name tag, on a connection of its own ({@link RunSessions}). */
  @Override
  public Future<Integer> endSessions(Vertx vertx, DatasourceSpec ds, String runId, long backendId, long graceMs) {
    return RunSessions.end(vertx, ds, runId, graceMs);
  }

  /**
   * Unreachable servers are worth another attempt; wrong credentials or a missing database are not. Either way no
   * statement was sent.
   */
  private static ExecutionException connectFailure(io.sightline.shared.connector.ConnectorException ce) {
    boolean transientFailure = switch (ce.code()) {
      case "connection_refused", "host_unreachable", "host_not_found", "timeout", "connect_timeout" -> true;
      default -> false;
    };
    return new ExecutionException(transientFailure ? ExecutionException.Kind.CONNECTION
        : ExecutionException.Kind.ERROR, ce.code(), ce.getMessage(), 0, false);
  }

  @Override
  public Future<Void> close(Vertx vertx) {
    io.vertx.core.WorkerExecutor worker = copyWorkers.remove(vertx);
    Future<Void> copies = vertx.executeBlocking(() -> {
      copyConnections.closeAll();
      return null;
    }, false);
    return Future.join(copies, pools.closeAll()).<Void>mapEmpty()
        .eventually(() -> worker == null ? Future.succeededFuture() : worker.close());
  }

  @Override
  public Future<ConnectionCheck> testConnection(Vertx vertx, DatasourceSpec ds) {
    long started = System.nanoTime();
    return withConnection(vertx, ds, "sightline-test", TEST_TIMEOUT_MS, conn -> conn.query("select version()")
        .execute()
        .map(rows -> new ConnectionCheck(rows.iterator().next().getString(0),
            (System.nanoTime() - started) / 1_000_000)));
  }

  @Override
  public Future<SchemaCatalog> introspect(Vertx vertx, DatasourceSpec ds) {
    return withConnection(vertx, ds, "sightline-schema", INTROSPECT_TIMEOUT_MS, conn -> conn.query(SCHEMAS_SQL).execute()
        .compose(schemaRows -> conn.preparedQuery(CATALOG_SQL).execute(io.vertx.sqlclient.Tuple.of(MAX_CATALOG_COLUMNS + 1))
            .map(rows -> catalog(schemaRows, rows))));
  }

  private static SchemaCatalog catalog(Iterable<Row> schemaRows, io.vertx.sqlclient.RowSet<Row> rows) {
    Map<String, Map<String, RelationBuilder>> bySchema = new LinkedHashMap<>();
    for (Row s : schemaRows) {
      bySchema.put(s.getString(0), new LinkedHashMap<>());
    }
    int count = 0;
    boolean truncated = false;
    for (Row r : rows) {
      if (++count > MAX_CATALOG_COLUMNS) {
        truncated = true;
        break;
      }
      RelationBuilder relation = bySchema.computeIfAbsent(r.getString("schema_name"), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getString("relation_name"), k -> new RelationBuilder(k, r.getString("kind")));
      if (r.getString("column_name") != null) {
        relation.columns.add(new SchemaCatalog.Column(r.getString("column_name"), r.getString("column_type"),
            r.getBoolean("nullable")));
      }
    }
    List<SchemaCatalog.Schema> schemas = new ArrayList<>();
    bySchema.forEach((name, relations) -> schemas.add(new SchemaCatalog.Schema(name,
        relations.values().stream().map(b -> new SchemaCatalog.Relation(b.name, b.kind, List.copyOf(b.columns)))
            .toList())));
    return new SchemaCatalog(schemas, truncated);
  }

  private static final class RelationBuilder {
    final String name;
    final String kind;
    final List<SchemaCatalog.Column> columns = new ArrayList<>();

    RelationBuilder(String name, String kind) {
      this.name = name;
      this.kind = kind;
    }
  }

  /**
   * Opens one connection, runs {@code work}, closes it; bounded by {@code timeoutMs} as a whole, and the socket also
   * gives up after {@code timeoutMs} without a byte from the server, so a server that accepts the connection but never
   * answers does not keep it open.
   */
  private static <T> Future<T> withConnection(Vertx vertx, DatasourceSpec ds, String applicationName, long timeoutMs,
      java.util.function.Function<SqlConnection, Future<T>> work) {
    Pool pool = PgBuilder.pool()
        // the pool's own wait must not race the socket's idle timeout, which is what frees a hung connection
        .with(new PoolOptions().setMaxSize(1).setConnectionTimeout((int) (2 * timeoutMs))
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout((int) timeoutMs).setIdleTimeout((int) timeoutMs)
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .connectingTo(ConnectOptions.of(ds, applicationName, timeoutMs))
        .using(vertx)
        .build();
    return pool.withConnection(work::apply)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(ConnectionErrors.describe(err, ds, timeoutMs)))
        // not awaited: after an attempt on a server that accepts but never answers, vertx-sql-client 5.0.7 never
        // completes the pool's close (docs/architecture.md, known issues); the answer must not wait for it
        .onComplete(ar -> pool.close());
  }
}
