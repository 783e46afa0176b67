package io.sightline.connector.postgres;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionHandle;
import io.sightline.shared.connector.ExecutionListener;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.sightline.shared.params.SqlTemplate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.jdbc.PgResultSetMetaData;

/**
 * A run read through {@code COPY (query) TO STDOUT} (docs/benchmarks.md, "A COPY read path"): Postgres sends each row
 * as text, which {@link CopyTextRows} writes straight into the stored JSON line — no Java object per value, no decoding
 * by the client. Blocking (pgjdbc), on a worker thread of its own; the sink is called on the run's context.
 *
 * <p>Which runs: a single query ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}) without bind parameters,
 * on a read-only datasource, whose every column has a type {@link CopyTextRows} maps. The rest keep the cursor path,
 * decided before anything of the run executes: {@link #copyStatement} on the text, then a Describe of the statement
 * (Parse + Describe: parse analysis, nothing executes) in the run's transaction for the column types. A run it does not
 * take answers {@link #NOT_TAKEN} with its connection rolled back, before {@link ExecutionListener#started}; so a run
 * has one session on record, that of the path that runs it.
 *
 * <p>As on the cursor path: {@code BEGIN READ ONLY}, {@code SET LOCAL statement_timeout} and {@code application_name =
 * sightline-run-<id>} (and the datasource's own time zone: pgjdbc's session has the JVM's), the session recorded before
 * the statement goes out, rows handed over in batches with back-pressure ({@link LineBatches}), limits stop the read
 * (the COPY is cancelled and its connection closed), always rolled back and reset with {@code DISCARD ALL} before the
 * connection is reused. A connection that was sent a cancel request is closed, never reused.
 */
final class CopyExecution {
  /** What wraps the user's statement before it: error positions are counted from after it. */
  static final String PREFIX = "COPY (\n";
  private static final Set<String> QUERIES = Set.of("SELECT", "WITH", "VALUES", "TABLE");
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require");
  /** An answer of {@link #run}: this path does not take the run; nothing of it ran, nothing is on record. */
  static final ExecutionOutcome NOT_TAKEN = new ExecutionOutcome(-1, false);
  private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(Map.entry(21, "int2"), Map.entry(23, "int4"),
      Map.entry(20, "int8"), Map.entry(1700, "numeric"), Map.entry(700, "float4"), Map.entry(701, "float8"),
      Map.entry(16, "bool"), Map.entry(25, "text"), Map.entry(1043, "varchar"), Map.entry(1042, "bpchar"),
      Map.entry(19, "name"), Map.entry(2950, "uuid"), Map.entry(1082, "date"), Map.entry(1114, "timestamp"),
      Map.entry(1184, "timestamptz"));
  private static final Field FIELDS = fieldsOfMetaData();

  private final Context context;
  private final DatasourceSpec ds;
  private final ExecutionRequest request;
  private final RowSink sink;
  private final ExecutionListener listener;
  private final String timeZone;
  private final String copyStatement;
  private volatile Connection conn;
  /** A cancel request was sent on this run's connection: it is closed at the end, not reused. */
  private volatile boolean cancelSent;
  private boolean statementSent;
  /** A run not taken was rolled back and reset: its connection can be reused. */
  private boolean ended;

  private CopyExecution(Context context, DatasourceSpec ds, ExecutionRequest request, RowSink sink,
      ExecutionListener listener, String timeZone, String copyStatement) {
    this.context = context;
    this.ds = ds;
    this.request = request;
    this.sink = sink;
    this.listener = listener;
    this.timeZone = timeZone;
    this.copyStatement = copyStatement;
  }

  /**
   * The COPY statement for a run of {@code sql} on {@code ds} into {@code sink}, or empty when this path cannot take it
   * whatever its columns: bind values, a writable datasource (a data-modifying query cut short by a limit must commit
   * what it did, as on the cursor path), a TLS mode that verifies certificates (the two clients find their trust
   * differently), several statements, a statement that is not a query, or a {@code ?} or <code>{</code> anywhere
   * (pgjdbc would take them for its own placeholders and escapes).
   */
  static Optional<String> copyStatement(DatasourceSpec ds, ExecutionRequest request, RowSink sink) {
    String sql = request.sql();
    if (!sink.takesLines() || !request.bindValues().isEmpty() || !ds.readOnly()
        || !SSL_MODES.contains(ds.sslMode() == null ? "prefer" : ds.sslMode())
        || sql.indexOf('?') >= 0 || sql.indexOf('{') >= 0 || sql.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    SqlTemplate template = SqlTemplate.parse(sql);
    if (template.statementStarts().size() != 1 || !QUERIES.contains(CommandCounts.leadingKeyword(sql))) {
      return Optional.empty();
    }
    // on lines of their own: a comment at the end of the query ends at the newline, not at the closing parenthesis
    return Optional.of(PREFIX + sql.substring(0, template.firstStatementEnd()) + "\n) TO STDOUT");
  }

  /**
   * Runs it on the calling thread (a worker's; blocking), calling the sink and listener on {@code context}. Answers the
   * outcome, or {@link #NOT_TAKEN}; fails with an {@link ExecutionException}.
   */
  static ExecutionOutcome run(Context context, CopyConnections connections, DatasourceSpec ds,
      ExecutionRequest request, RowSink sink, ExecutionListener listener, String timeZone, String copyStatement,
      Map<String, CopyExecution> running, Executor cleanup) {
    CopyExecution execution = new CopyExecution(context, ds, request, sink, listener, timeZone, copyStatement);
    Connection c;
    try {
      c = connections.borrow(ds);
    } catch (SQLException e) {
      return NOT_TAKEN; // the cursor path connects on its own, and says why it could not
    }
    execution.conn = c;
    running.put(request.runId(), execution);
    boolean reusable = false;
    try {
      ExecutionOutcome outcome = execution.run(c);
      if (outcome != NOT_TAKEN && !execution.cancelSent && rollback(c)) {
        // rolled back (the run's tag is gone from its session with its transaction): the run ends now, and its
        // connection is reset before it goes back to the pool, off the run's path (a round trip fewer to wait for)
        running.remove(request.runId());
        Connection rolledBack = c;
        cleanup.execute(() -> {
          if (reset(rolledBack)) {
            connections.giveBack(ds, rolledBack);
          } else {
            CopyConnections.closeQuietly(rolledBack);
          }
        });
        c = null;
        return outcome;
      }
      reusable = !execution.cancelSent && (outcome == NOT_TAKEN ? execution.ended : end(c));
      return outcome;
    } catch (ExecutionException e) {
      reusable = !execution.cancelSent && e.kind() != ExecutionException.Kind.CONNECTION && end(c);
      throw e;
    } catch (SQLException | RuntimeException e) {
      ExecutionException failure = ExecutionFailures.describeJdbc(e, execution.statementSent, request.runId(),
          PREFIX.length());
      reusable = !execution.cancelSent && failure.kind() != ExecutionException.Kind.CONNECTION && end(c);
      throw failure;
    } finally {
      running.remove(request.runId());
      if (c == null) {
        // handed to the clean-up
      } else if (reusable) {
        connections.giveBack(ds, c);
      } else {
        CopyConnections.closeQuietly(c);
      }
    }
  }

  /**
   * Sends a cancel request for the run's statement (the first time), or closes its connection (the next): what the
   * cursor path does. Blocking.
   */
  void cancel() throws SQLException {
    Connection c = conn;
    if (!cancelSent) {
      cancelSent = true;
      c.unwrap(PGConnection.class).cancelQuery();
    } else {
      c.abort(Runnable::run);
    }
  }

  private ExecutionOutcome run(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN READ ONLY; SET LOCAL statement_timeout = " + Math.max(1, request.timeoutMs())
          + "; SET LOCAL application_name = 'sightline-run-" + UUID.fromString(request.runId())
          + "'; SET LOCAL TimeZone = '" + timeZone.replace("'", "''") + "'");
    } catch (SQLException e) {
      // nothing of the run was sent: an idle connection the server has closed since (a restart), or a datasource that
      // refuses the settings. This connection is closed; the cursor path connects on its own.
      return NOT_TAKEN;
    }
    Optional<CopyTextRows> lines;
    List<ColumnMeta> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(request.sql())) {
      lines = describe(ps.getMetaData(), columns);
    } catch (SQLException e) {
      ExecutionException failure = ExecutionFailures.describeJdbc(e, false, request.runId(), 0);
      if (failure.kind() == ExecutionException.Kind.TIMEOUT || failure.kind() == ExecutionException.Kind.CANCELLED) {
        throw failure; // waited out on a lock, or cancelled meanwhile: the cursor path would only wait again
      }
      lines = Optional.empty(); // its own error, as the cursor path reports it
    }
    if (lines.isEmpty()) {
      ended = end(c);
      return NOT_TAKEN;
    }
    long pid = c.unwrap(PGConnection.class).getBackendPID();
    try {
      // the columns go to the sink in the same turn of the run's context as the session is recorded
      onContext(() -> listener.started(new ExecutionHandle(request.runId(), pid)).map(v -> {
        giveColumns(columns);
        return v;
      }));
    } catch (RuntimeException e) {
      throw ExecutionFailures.describeJdbc(e, false, request.runId(), 0);
    }
    statementSent = true;
    return copy(c, lines.get());
  }

  private ExecutionOutcome copy(Connection c, CopyTextRows encoder) throws SQLException {
    CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(copyStatement);
    LineBatches batches = new LineBatches(context, sink);
    boolean more = true;
    byte[] row;
    while (more && (row = copy.readFromCopy()) != null) {
      more = batches.add(encoder, row);
    }
    if (more) {
      more = batches.finish();
    }
    if (!more) {
      cancelSent = true; // a cancel request could reach whatever the connection runs next: it is not reused
      if (copy.isActive()) {
        try {
          copy.cancelCopy();
        } catch (SQLException e) {
          // the connection is closed anyway, which ends the COPY
        }
      }
      return new ExecutionOutcome(batches.rows(), true);
    }
    return new ExecutionOutcome(batches.rows(), false);
  }

  private void giveColumns(List<ColumnMeta> columns) {
    try {
      sink.columns(columns);
    } catch (RuntimeException e) {
      throw new ExecutionFailures.SinkFailure(e);
    }
  }

  /** The columns of a described statement, and their writer; empty when a type is not mapped (or for a command). */
  private static Optional<CopyTextRows> describe(ResultSetMetaData md, List<ColumnMeta> columns) throws SQLException {
    if (md == null || FIELDS == null || md.getColumnCount() == 0) {
      return Optional.empty();
    }
    org.postgresql.core.Field[] fields;
    try {
      fields = (org.postgresql.core.Field[]) FIELDS.get(md.unwrap(PgResultSetMetaData.class));
    } catch (IllegalAccessException e) {
      return Optional.empty();
    }
    List<String> types = new ArrayList<>(fields.length);
    for (int i = 0; i < fields.length; i++) {
      String type = TYPE_NAMES.get(fields[i].getOID());
      if (type == null) {
        return Optional.empty();
      }
      types.add(type);
      columns.add(PgValues.column(md.getColumnLabel(i + 1), type.toUpperCase(Locale.ROOT)));
    }
    return CopyTextRows.of(types);
  }

  /**
   * Ends the transaction (ROLLBACK: only read-only runs come this way) and resets the session ({@link SessionReset});
   * false when the connection is not fit to reuse.
   */
  private static boolean end(Connection c) {
    return rollback(c) && reset(c);
  }

  private static boolean rollback(Connection c) {
    return execute(c, "ROLLBACK");
  }

  private static boolean reset(Connection c) {
    return execute(c, SessionReset.RESET);
  }

  private static boolean execute(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Runs {@code action} on the run's context and waits for the future it answers. */
  private <T> T onContext(Supplier<Future<T>> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(ar.result());
          } else {
            done.completeExceptionally(ar.cause());
          }
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return LineBatches.await(done);
  }

  /** pgjdbc keeps a statement's row description (with the type OIDs) in this field of its result metadata. */
  private static Field fieldsOfMetaData() {
    try {
      Field f = PgResultSetMetaData.class.getDeclaredField("fields");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // then every run keeps the cursor path
    }
  }
}
