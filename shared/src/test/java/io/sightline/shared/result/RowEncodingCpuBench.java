package io.sightline.shared.result;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CPU of encoding the order-book rows of {@code bench/sightline_bench.py orders} (11 columns: bigint, timestamptz,
 * 3 texts, char, int, numeric(18,6), text, int with nulls, numeric(24,6)) as JSON lines, without I/O: thread CPU per
 * 1,000,000 rows for {@link JsonRowEncoder} and for the Jackson generator it replaced, and zstd over the lines. Run on
 * demand: {@code -Dtest=RowEncodingCpuBench -Dsightline.bench=true}.
 */
@EnabledIfSystemProperty(named = "sightline.bench", matches = "true")
class RowEncodingCpuBench {
  private static final int ROWS = 200_000;

  @Test
  void timings() {
    Object[][] rows = orders(ROWS);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Sink sink = new Sink();
    long[] ours = new long[15];
    long[] jackson = new long[15];
    long[] zstd = new long[15];
    for (int round = 0; round < ours.length; round++) {
      sink.len = 0;
      long c0 = cpu.getCurrentThreadCpuTime();
      JsonRowEncoder encoder = new JsonRowEncoder(sink);
      for (Object[] row : rows) {
        encoder.write(row);
      }
      long c1 = cpu.getCurrentThreadCpuTime();
      int bytes = sink.len;
      sink.len = 0;
      try (JsonGenerator json = new JsonFactory().createGenerator(sink, JsonEncoding.UTF8)) {
        json.setRootValueSeparator(null);
        for (Object[] row : rows) {
          json.writeStartArray();
          for (Object v : row) {
            if (v == null) {
              json.writeNull();
            } else if (v instanceof String s) {
              json.writeString(s);
            } else if (v instanceof Long l) {
              json.writeNumber(l);
            } else if (v instanceof BigDecimal d) {
              json.writeString(d.toPlainString());
            }
          }
          json.writeEndArray();
          json.writeRaw('\n');
          json.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long c2 = cpu.getCurrentThreadCpuTime();
      for (int off = 0; off < bytes; off += 1 << 20) {
        ChunkCodec.compress(sink.buf, off, Math.min(1 << 20, bytes - off));
      }
      long c3 = cpu.getCurrentThreadCpuTime();
      int scale = 1_000_000 / ROWS;
      ours[round] = (c1 - c0) * scale / 1_000_000;
      jackson[round] = (c2 - c1) * scale / 1_000_000;
      zstd[round] = (c3 - c2) * scale / 1_000_000;
      System.out.printf("round %d: %d bytes/row; per 1M rows: JsonRowEncoder %d ms, Jackson %d ms, zstd level %d %d ms%n",
          round, bytes / ROWS, ours[round], jackson[round], ChunkCodec.LEVEL, zstd[round]);
    }
    System.out.printf("median of the last 10 rounds, ms CPU per 1M rows: JsonRowEncoder %d, Jackson %d, zstd %d%n",
        median(ours), median(jackson), median(zstd));
  }

  private static long median(long[] values) {
    long[] last = Arrays.copyOfRange(values, 5, values.length);
    Arrays.sort(last);
    return last[last.length / 2];
  }

  /** Values as the connector hands them over (PgValues): Long, String, BigDecimal, null. */
  static Object[][] orders(int n) {
    Random random = new Random(17);
    String[] desks = {"rates", "fx", "credit", "equities", "commodities", "em"};
    String[] venues = {"XNYS", "XNAS", "XLON", "XPAR", "XETR", "XTKS", "BATS", "ARCX", "IEXG"};
    String[] statuses = {"filled", "filled", "filled", "partial", "cancelled", "rejected", "new"};
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      long qty = 1 + random.nextInt(9999);
      BigDecimal px = BigDecimal.valueOf(500_000 + (long) (random.nextDouble() * 2_500_000_000L), 6);
      long micros = 1_796_025_600_000_000L + i * 30_000L + random.nextInt(30_000);
      rows[i] = new Object[] {(long) i + 1, java.time.Instant.ofEpochSecond(micros / 1_000_000,
          micros % 1_000_000 * 1000).toString(), desks[random.nextInt(desks.length)],
          venues[random.nextInt(venues.length)], String.format("SYM%03d", 1 + random.nextInt(399)),
          random.nextBoolean() ? "B" : "S", qty, px, statuses[random.nextInt(statuses.length)],
          random.nextInt(50) == 0 ? null : (long) (20 + random.nextInt(5000)), px.multiply(BigDecimal.valueOf(qty))};
    }
    return rows;
  }

  /** A growable byte array (as the writer's chunk buffer). */
  private static final class Sink extends OutputStream {
    byte[] buf = new byte[256 << 20];
    int len;

    @Override
    public void write(int b) {
      buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }
  }
}
