import com.github.luben.zstd.ZstdCompressCtx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ArrayBlockingQueue;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Benchmark prototype (issue 17), not Sightline code: the order book read with {@code COPY (select * from orders) TO
 * STDOUT} through pgjdbc, each text row turned into a JSON-lines row by a type-directed byte loop (numbers as they
 * come, strings escaped, timestamps to ISO-8601 UTC), the lines compressed with zstd level 1 in 1 MiB chunks on a second
 * thread (at most 4 chunks in flight: back-pressure), and nothing kept. Each round is followed by psql's {@code \copy}
 * of the same rows to /dev/null; prints both times and this JVM's CPU for the round. Mode {@code null} reads the rows
 * and does nothing with them. Run by {@code python3 bench/sightline_bench.py copypath}.
 *
 * <p>What it leaves out, compared to a run: the run's metadata writes, the result index, the column description (a
 * Describe round trip), limits and cancellation. It only reads the order book's columns (their kinds are fixed below).
 */
public class CopyPathProto {
  // column kinds of the order book: 0 number, 1 string, 2 timestamptz
  static final int[] KINDS = {0, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0};
  static final int CHUNK = 1 << 20;

  public static void main(String[] args) throws Exception {
    String port = args[0];
    String mode = args[1];
    int rounds = Integer.parseInt(args[2]);
    ExecutorService zstd = Executors.newFixedThreadPool(1);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/sightline", "postgres", "")) {
      c.createStatement().execute("set datestyle = 'ISO'; set timezone = 'UTC'");
      for (int r = 0; r < rounds; r++) {
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        long[] out = run(c, mode, zstd);
        long t1 = System.nanoTime();
        double cpu = (cpu() - cpu0) / 1e9;
        double ours = (t1 - t0) / 1e9;
        long p0 = System.nanoTime();
        Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "sightline", "-q",
            "-c", "\\copy (select * from orders) to /dev/null").inheritIO().start();
        p.waitFor();
        double psql = (System.nanoTime() - p0) / 1e9;
        System.out.printf("%s round %d: %.3f s (CPU %.2f s; rows %d, json %d B, zstd %d B), psql %.3f s, ratio %.2f%n",
            mode, r, ours, cpu, out[0], out[1], out[2], psql, ours / psql);
      }
    }
    zstd.shutdown();
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        System.out.println(mode + ": peak RSS " + line.substring(6).trim());
      }
    }
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static long[] run(Connection c, String mode, ExecutorService zstd) throws Exception {
    CopyOut copy = ((PGConnection) c).getCopyAPI().copyOut("COPY (select * from orders) TO STDOUT");
    long rows = 0;
    long json = 0;
    List<Future<Integer>> packed = new ArrayList<>();
    // five chunk arrays, reused: a chunk waits for a free one (back-pressure), none is allocated per chunk
    ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(5);
    for (int i = 0; i < 5; i++) {
      free.add(new byte[CHUNK + (CHUNK >> 2)]);
    }
    byte[] buf = free.take();
    int n = 0;
    byte[] row;
    while ((row = copy.readFromCopy()) != null) {
      rows++;
      if (mode.equals("null")) {
        continue;
      }
      if (n + row.length * 6 + 64 > buf.length || n >= CHUNK) {
        json += n;
        packed.add(submit(zstd, free, buf, n));
        buf = free.take();
        n = 0;
      }
      n = line(row, buf, n);
    }
    json += n;
    packed.add(submit(zstd, free, buf, n));
    long z = 0;
    for (Future<Integer> f : packed) {
      z += f.get();
    }
    return new long[] {rows, json, z};
  }

  static Future<Integer> submit(ExecutorService zstd, ArrayBlockingQueue<byte[]> free, byte[] buf, int len) {
    return zstd.submit(() -> {
      try {
        return compress(buf, len);
      } finally {
        free.add(buf);
      }
    });
  }

  static final ThreadLocal<ZstdCompressCtx> CTX = ThreadLocal.withInitial(() -> {
    ZstdCompressCtx ctx = new ZstdCompressCtx();
    ctx.setLevel(1);
    return ctx;
  });

  static final ThreadLocal<byte[]> OUT = ThreadLocal.withInitial(() -> new byte[CHUNK * 2]);

  static int compress(byte[] src, int len) {
    byte[] dst = OUT.get();
    return CTX.get().compressByteArray(dst, 0, dst.length, src, 0, len);
  }

  /** One COPY text row -> one JSON array line. */
  static int line(byte[] row, byte[] out, int n) {
    out[n++] = '[';
    int col = 0;
    int i = 0;
    int end = row.length;
    if (end > 0 && row[end - 1] == '\n') {
      end--;
    }
    while (true) {
      int start = i;
      while (i < end && row[i] != '\t') {
        i++;
      }
      if (col > 0) {
        out[n++] = ',';
      }
      if (i - start == 2 && row[start] == '\\' && row[start + 1] == 'N') {
        out[n++] = 'n'; out[n++] = 'u'; out[n++] = 'l'; out[n++] = 'l';
      } else {
        switch (KINDS[col]) {
          case 0 -> {
            System.arraycopy(row, start, out, n, i - start);
            n += i - start;
          }
          case 2 -> {
            // 2026-01-01 09:30:00.123456+00 -> "2026-01-01T09:30:00.123456Z"
            out[n++] = '"';
            int len = i - start;
            int zone = len - 3;
            System.arraycopy(row, start, out, n, zone);
            out[n + 10] = 'T';
            n += zone;
            out[n++] = 'Z';
            out[n++] = '"';
          }
          default -> {
            out[n++] = '"';
            for (int k = start; k < i; k++) {
              byte b = row[k];
              if (b == '\\') {
                byte e = row[++k];
                switch (e) {
                  case 't' -> { out[n++] = '\\'; out[n++] = 't'; }
                  case 'n' -> { out[n++] = '\\'; out[n++] = 'n'; }
                  case 'r' -> { out[n++] = '\\'; out[n++] = 'r'; }
                  case '\\' -> { out[n++] = '\\'; out[n++] = '\\'; }
                  default -> { out[n++] = '\\'; out[n++] = 'u'; out[n++] = '0'; out[n++] = '0'; out[n++] = '0';
                    out[n++] = e == 'b' ? (byte) '8' : e == 'f' ? (byte) 'c' : (byte) 'b'; }
                }
              } else if (b == '"') {
                out[n++] = '\\'; out[n++] = '"';
              } else if ((b & 0xff) < 0x20) {
                out[n++] = '\\'; out[n++] = 'u'; out[n++] = '0'; out[n++] = '0';
                out[n++] = (byte) ("0123456789abcdef".charAt((b >> 4) & 0xf));
                out[n++] = (byte) ("0123456789abcdef".charAt(b & 0xf));
              } else {
                out[n++] = b;
              }
            }
            out[n++] = '"';
          }
        }
      }
      col++;
      if (i >= end) {
        break;
      }
      i++;
    }
    out[n++] = ']';
    out[n++] = '\n';
    return n;
  }
}
