package io.sightline.connector.postgres;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * CPU of {@link CopyTextRows} over the COPY text rows of an order book like {@code bench/sightline_bench.py orders}'s
 * (11 columns), without I/O: the rows are read once, then converted 15 times; prints thread CPU per 1,000,000 rows (the
 * cursor path's comparable figure is RowEncodingCpuBench's JsonRowEncoder, plus the driver's decoding and PgValues).
 * Run on demand: {@code -Dtest=CopyTextRowsCpuBench -Dsightline.bench=true}.
 */
@EnabledIfSystemProperty(named = "sightline.bench", matches = "true")
@ExtendWith(PostgresExtension.class)
class CopyTextRowsCpuBench {
  private static final int ROWS = 200_000;

  @Test
  void timings(TestDatabase db) throws Exception {
    List<byte[]> rows = new ArrayList<>(ROWS);
    List<String> types = List.of("int8", "timestamptz", "text", "text", "text", "bpchar", "int4", "numeric", "text",
        "int4", "numeric");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db.url().host() + ":" + db.url().port()
        + "/" + db.url().database(), db.url().user(), db.url().password().value())) {
      CopyOut copy = ((PGConnection) c).getCopyAPI().copyOut("""
          COPY (select g::int8 as id, timestamptz '2026-12-04 13:30:00+00' + g * interval '37 milliseconds' as ts,
            (array['rates','credit','fx','equities','commodities','macro'])[1 + g % 6] as desk,
            (array['XNYS','XNAS','XLON','XPAR','XTKS','XHKG','ARCX','BATS','IEXG'])[1 + g % 9] as venue,
            'SYM' || (g * 7919 % 1600) as symbol, (case when g % 2 = 0 then 'B' else 'S' end)::char(1) as side,
            (1 + g * 31 % 5000)::int4 as qty, round((0.5 + (g * 104729 % 2500000) / 1000.0)::numeric, 6)::numeric(18,6) as px,
            (array['filled','partial','cancelled','new'])[1 + g % 4] as status,
            case when g % 50 = 0 then null else (g * 13 % 90000)::int4 end as latency_us,
            round(((0.5 + (g * 104729 % 2500000) / 1000.0) * (1 + g * 31 % 5000))::numeric, 6)::numeric(24,6)
              as notional
          from generate_series(1::int8, ROWS) g) TO STDOUT""".replace("ROWS", Integer.toString(ROWS)));
      byte[] row;
      while ((row = copy.readFromCopy()) != null) {
        rows.add(row);
      }
    }
    CopyTextRows lines = CopyTextRows.of(types).orElseThrow();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    byte[] out = new byte[1 << 21];
    long[] perMillion = new long[15];
    long bytes = 0;
    for (int round = 0; round < perMillion.length; round++) {
      long c0 = cpu.getCurrentThreadCpuTime();
      int p = 0;
      bytes = 0;
      for (byte[] r : rows) {
        if (p + lines.maxLine(r.length) > out.length) {
          bytes += p;
          p = 0;
        }
        p = lines.line(r, r.length, out, p);
      }
      bytes += p;
      perMillion[round] = (cpu.getCurrentThreadCpuTime() - c0) * (1_000_000 / ROWS) / 1_000_000;
    }
    long[] warm = Arrays.copyOfRange(perMillion, 5, perMillion.length);
    Arrays.sort(warm);
    System.out.printf("CopyTextRows: %d rows -> %d bytes of JSON lines; CPU per 1M rows, warm rounds: min %d ms,"
        + " median %d ms (all rounds: %s)%n", ROWS, bytes, warm[0], warm[warm.length / 2], Arrays.toString(perMillion));
  }
}
