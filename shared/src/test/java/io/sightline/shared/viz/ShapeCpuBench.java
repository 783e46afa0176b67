package io.sightline.shared.viz;

import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.ChunkCodec;
import io.sightline.shared.result.JsonRowEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Where shaping time goes, without I/O: the 1M-row, 3-series result of {@link ShapeMemoryTest} as compressed chunks
 * in memory, timed as decompression alone, decompression + line scanning, and the whole shaper. Run on demand:
 * {@code -Dtest=ShapeCpuBench -Dsightline.bench=true}.
 */
@EnabledIfSystemProperty(named = "sightline.bench", matches = "true")
class ShapeCpuBench {
  @Test
  void timings() {
    List<ColumnMeta> columns = List.of(new ColumnMeta("at", "timestamptz", "timestamptz"),
        new ColumnMeta("venue", "text", "text"), new ColumnMeta("price", "decimal", "numeric"),
        new ColumnMeta("qty", "bigint", "int8"));
    List<Buffer> chunks = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Iterator<Object[]> rows = ShapeMemoryTest.rows();
    while (rows.hasNext()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
      try (JsonRowEncoder encoder = new JsonRowEncoder(out)) {
        while (rows.hasNext() && encoder.bytesWritten() < (1 << 20)) {
          encoder.write(rows.next());
        }
      }
      byte[] raw = out.toByteArray();
      chunks.add(ChunkCodec.compress(raw, 0, raw.length));
      sizes.add(raw.length);
    }
    JsonObject config = new JsonObject().put("x", new JsonObject().put("column", "at"))
        .put("y", new JsonArray().add(new JsonObject().put("column", "price").put("aggregate", "max")))
        .put("seriesBy", "venue");
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 20; round++) {
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < chunks.size(); i++) {
          ChunkCodec.decompress(chunks.get(i), sizes.get(i));
        }
      }
      long t1 = System.nanoTime();
      long c1 = cpu.getCurrentThreadCpuTime();
      Shaper shaper = Shapers.create("line", config, 1200, columns, ZoneOffset.UTC);
      byte[] first = ChunkCodec.decompress(chunks.get(0), sizes.get(0));
      byte[] last = ChunkCodec.decompress(chunks.get(chunks.size() - 1), sizes.get(chunks.size() - 1));
      shaper.ends(ShaperTest.line(first, true), ShaperTest.line(last, false));
      for (int pass = 0; shaper.begin(pass, 1_000_000); pass++) {
        for (int i = 0; i < chunks.size(); i++) {
          byte[] lines = Buffer.buffer(ChunkCodec.decompress(chunks.get(i), sizes.get(i))).getBytes();
          shaper.lines(lines, lines.length);
        }
      }
      JsonObject shaped = shaper.finish(false, null);
      long t2 = System.nanoTime();
      long c2 = cpu.getCurrentThreadCpuTime();
      long p0 = System.nanoTime();
      Shaper par = Shapers.create("line", config, 1200, columns, ZoneOffset.UTC);
      par.ends(ShaperTest.line(first, true), ShaperTest.line(last, false));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int pass = 0; par.begin(pass, 1_000_000); pass++) {
          List<java.util.concurrent.Future<Object>> batches = new ArrayList<>();
          for (int i = 0; i < chunks.size(); i++) {
            int c = i;
            batches.add(pool.submit(() -> {
              byte[] lines = ChunkCodec.decompress(chunks.get(c), sizes.get(c));
              return par.prepare(lines, lines.length);
            }));
          }
          for (java.util.concurrent.Future<Object> b : batches) {
            par.apply(b.get());
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        pool.shutdown();
      }
      JsonObject parallelShaped = par.finish(false, null);
      if (!parallelShaped.equals(shaped)) {
        throw new AssertionError("parallel and sequential shapes differ");
      }
      System.out.printf("  two threads (all batches in memory, timing only): %d ms%n",
          (System.nanoTime() - p0) / 1_000_000);
      System.out.printf("round %d: %d chunks; decompress x2 %d ms (cpu %d); whole shape %d ms (cpu %d); points %d%n",
          round, chunks.size(), (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000, (t2 - t1) / 1_000_000,
          (c2 - c1) / 1_000_000,
          shaped.getJsonObject("meta").getLong("points"));
    }
  }
}
