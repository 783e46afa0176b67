import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Benchmark prototype (issue 17), not Sightline code: what a small run costs on the datasource side, the way the
 * connector runs it today (vertx-pg-client: the transaction and its settings in one simple query, Parse + Describe,
 * a cursor's first batch, close, ROLLBACK) against a COPY read path (pgjdbc: the same transaction, a Describe for the
 * column types, COPY (query) TO STDOUT, ROLLBACK). One connection each, runs one after the other, distinct SQL text per
 * run ({@code select n from generate_series(1,10) n -- i}). Prints latency per run (p50, p99) and CPU per run of this
 * JVM and of the connection's Postgres backend. Run by {@code python3 bench/sightline_bench.py smallcopy}.
 */
public class SmallRunsProto {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    for (int round = 0; round < 2; round++) {   // the first round warms the JIT up
      cursorPath(port, runs, round);
      copyPath(port, runs, round);
    }
    System.exit(0);
  }

  static String begin() {
    return "BEGIN READ ONLY; SET LOCAL statement_timeout = 30000; SET LOCAL application_name = 'sightline-run-"
        + UUID.randomUUID() + "'";
  }

  static String sql(int i) {
    return "select n from generate_series(1,10) n -- " + i;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }

  static void cursorPath(int port, int runs, int round) throws Exception {
    Vertx vertx = Vertx.vertx();
    PgConnection conn = await(PgConnection.connect(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(port)
        .setDatabase("sightline").setUser("postgres")));
    int backend = conn.processId();
    long[] lat = new long[runs];
    long cpu0 = cpu();
    long b0 = backendCpu(backend);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      String sql = sql(i);
      Future<Integer> rows = conn.query(begin()).execute()
          .compose(v -> conn.prepare(sql))
          .compose(ps -> {
            Cursor cursor = ps.cursor();
            return cursor.read(10_000).compose((RowSet<Row> rs) -> {
              int n = 0;
              for (Row r : rs) {
                n += r.getInteger(0) >= 0 ? 1 : 0;
              }
              int count = n;
              return cursor.close().compose(v -> ps.close()).map(count);
            });
          })
          .compose(n -> conn.query("ROLLBACK").execute().map(n));
      if (await(rows) != 10) {
        throw new IllegalStateException("rows");
      }
      lat[i] = System.nanoTime() - t0;
    }
    report("cursor (vertx-pg-client)", round, lat, cpu() - cpu0, backendCpu(backend) - b0);
    await(conn.close());
    await(vertx.close());
  }

  static void copyPath(int port, int runs, int round) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/sightline", "postgres",
        "")) {
      int backend;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
        rs.next();
        backend = rs.getInt(1);
      }
      long[] lat = new long[runs];
      long cpu0 = cpu();
      long b0 = backendCpu(backend);
      byte[] out = new byte[1024];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        String sql = sql(i);
        try (Statement st = c.createStatement()) {
          st.execute(begin());
          String type = c.prepareStatement(sql).getMetaData().getColumnTypeName(1);
          if (!type.equals("int4")) {
            throw new IllegalStateException(type);
          }
          CopyOut copy = ((PGConnection) c).getCopyAPI().copyOut("COPY (" + sql + "\n) TO STDOUT");
          int n = 0;
          byte[] row;
          while ((row = copy.readFromCopy()) != null) {
            out[0] = '[';
            System.arraycopy(row, 0, out, 1, row.length - 1);
            out[row.length] = ']';
            n++;
          }
          st.execute("ROLLBACK");
          if (n != 10) {
            throw new IllegalStateException("rows");
          }
        }
        lat[i] = System.nanoTime() - t0;
      }
      report("COPY (pgjdbc)", round, lat, cpu() - cpu0, backendCpu(backend) - b0);
    }
  }

  static void report(String path, int round, long[] lat, long cpuNanos, long backendNanos) {
    long[] sorted = lat.clone();
    Arrays.sort(sorted);
    System.out.printf("%s%s: %d runs, p50 %.3f ms, p99 %.3f ms; CPU per run: this JVM %.3f ms, the backend %.3f ms%n",
        path, round == 0 ? " (warm-up)" : "", lat.length, sorted[lat.length / 2] / 1e6,
        sorted[(int) (lat.length * 0.99)] / 1e6, cpuNanos / 1e6 / lat.length, backendNanos / 1e6 / lat.length);
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** user + system time of a Postgres backend, from /proc (clock ticks of 10 ms). */
  static long backendCpu(int pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }
}
