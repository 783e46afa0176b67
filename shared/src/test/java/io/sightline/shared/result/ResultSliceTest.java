package io.sightline.shared.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pages cut from stored chunks: every window over chunk boundaries, against the rows as written. */
class ResultSliceTest {

  /** Newlines among bytes that trip a naive zero-byte test: 0x0B, 0x8A, 0x00, 0xFF, 0x09. */
  private static byte[] hostileBytes(SplittableRandom random) {
    byte[] pool = {'\n', 0x0B, (byte) 0x8A, 0, (byte) 0xFF, 0x09, 'a', '"', '\n'};
    byte[] a = new byte[random.nextInt(1, 90)];
    for (int i = 0; i < a.length; i++) {
      a[i] = pool[random.nextInt(pool.length)];
    }
    return a;
  }

  @Test
  void afterLinesCountsNewlinesExactlyAtEveryAlignment() {
    SplittableRandom random = new SplittableRandom(5);
    for (int round = 0; round < 5_000; round++) {
      byte[] a = hostileBytes(random);
      int from = random.nextInt(a.length + 1);
      long count = random.nextInt(0, 20);
      int expected = from;
      for (long seen = 0; seen < count; ) {
        if (expected >= a.length) {
          expected = -1;
          break;
        }
        if (a[expected++] == '\n') {
          seen++;
        }
      }
      assertThat(PageSlices.afterLines(a, from, count)).as("round %d: %d lines from %d", round, count, from)
          .isEqualTo(expected);
    }
  }

  @Test
  void newlinesToCommasChangesOnlyTheNewlinesInItsRange() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 5_000; round++) {
      byte[] a = hostileBytes(random);
      int from = random.nextInt(a.length + 1);
      int to = random.nextInt(from, a.length + 1);
      byte[] expected = a.clone();
      for (int i = from; i < to; i++) {
        if (expected[i] == '\n') {
          expected[i] = ',';
        }
      }
      PageSlices.newlinesToCommas(a, from, to);
      assertThat(a).as("round %d: %d..%d", round, from, to).isEqualTo(expected);
    }
  }

  @Test
  void everyWindowOfRowsAcrossChunksIsTheRowsAsWritten() {
    assertEveryWindow(1);
  }

  @Test
  void everyWindowOfRowsAcrossChunksOfSeveralFramesIsTheRowsAsWritten() {
    assertEveryWindow(2);
    assertEveryWindow(3);
  }

  /** Four chunks of 5, 1, 9 and 8 rows, each written as frames of {@code rowsPerFrame} rows. */
  private static void assertEveryWindow(int rowsPerFrame) {
    List<String> rows = new ArrayList<>();
    for (int r = 0; r < 23; r++) {
      rows.add(new JsonArray().add(r).add("row \"" + r + "\" é\\n").add(r % 3 == 0 ? null : "x".repeat(r)).encode());
    }
    int[] sizes = {5, 1, 9, 8};
    List<ChunkRef> chunks = new ArrayList<>();
    List<Buffer> data = new ArrayList<>();
    int first = 0;
    for (int c = 0; c < sizes.length; c++) {
      StringBuilder lines = new StringBuilder();
      int[] ends = new int[sizes[c]];
      int[] counts = new int[sizes[c]];
      int frames = 0;
      for (int r = first; r < first + sizes[c]; r++) {
        lines.append(rows.get(r)).append('\n');
        int inChunk = r - first + 1;
        if (inChunk % rowsPerFrame == 0 || inChunk == sizes[c]) {
          ends[frames] = lines.toString().getBytes(StandardCharsets.UTF_8).length;
          counts[frames] = inChunk - (frames == 0 ? 0 : java.util.Arrays.stream(counts, 0, frames).sum());
          frames++;
        }
      }
      byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
      ChunkCodec.Packed packed = ChunkCodec.compress(bytes, ends, counts, frames);
      assertThat(packed.frames()).hasSize(frames == 1 ? 0 : frames);
      chunks.add(new ChunkRef(c, first, sizes[c], bytes.length, packed.data().length(), packed.frames()));
      // the index entry survives its JSON form, and the whole chunk still decodes as one stream (downloads)
      assertThat(ChunkRef.fromJson(chunks.get(c).toJson())).isEqualTo(chunks.get(c));
      assertThat(ChunkCodec.decompress(packed.data(), bytes.length)).isEqualTo(bytes);
      data.add(packed.data());
      first += sizes[c];
    }
    for (int from = 0; from < rows.size(); from++) {
      for (int end = from + 1; end <= rows.size(); end++) {
        List<PageSlices.Span> spans = PageSlices.spans(PageSlices.overlapping(chunks, from, end), from, end);
        // each span is only its frames' bytes, as a ranged read of the object returns them
        List<Buffer> parts = spans.stream().map(span -> span.cut(data.get(span.ref().chunkNo()))).toList();
        if (end - from == 1) {   // one row of a chunk of several frames: one frame of it
          spans.stream().filter(span -> !span.ref().frames().isEmpty())
              .forEach(span -> assertThat(span.decodedBytes()).isLessThan(span.ref().bytes()));
        }
        Buffer page = PageSlices.slice(spans, parts, from, end);
        assertThat(page.toString(StandardCharsets.UTF_8)).as("rows %d..%d, %d rows per frame", from, end, rowsPerFrame)
            .isEqualTo("[" + String.join(",", rows.subList(from, end)) + "]");
      }
    }
  }

  @Test
  void compressingARangeOfAnArrayCompressesThatRangeOnly() {
    byte[] bytes = "[0]\n[1]\n[2]\n[3]\n".getBytes(StandardCharsets.UTF_8);
    // as a chunk array is cut: bytes 4..11 are lines [1] and [2]
    Buffer range = ChunkCodec.compress(bytes, 4, 8);
    assertThat(new String(ChunkCodec.decompress(range, 8), StandardCharsets.UTF_8)).isEqualTo("[1]\n[2]\n");
    assertThatThrownBy(() -> ChunkCodec.decompress(range, 12)).hasMessageContaining("corrupt result chunk");
  }

  @Test
  void aChunkWithFewerLinesThanItsIndexSaysIsCorrupt() {
    byte[] bytes = "[1]\n[2]\n".getBytes(StandardCharsets.UTF_8);
    ChunkRef ref = new ChunkRef(0, 0, 3, bytes.length, 0);
    List<Buffer> data = List.of(ChunkCodec.compress(bytes, 0, bytes.length));
    assertThatThrownBy(() -> PageSlices.slice(PageSlices.spans(List.of(ref), 1, 3), data, 1, 3))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt result chunk 0");
  }

  @Test
  void theLayoutCacheKeepsTheMostRecentlyUsedWithinItsCountAndWeight() {
    ResultLayouts cache = new ResultLayouts(3, 40);
    java.util.function.IntFunction<ResultLayouts.Layout> layout = frames -> new ResultLayouts.Layout(List.of(),
        List.of(new ChunkRef(0, 0, frames, frames, frames,
            java.util.stream.IntStream.range(0, frames).mapToObj(f -> new ChunkRef.Frame(1, 1, 1)).toList())));
    java.util.UUID a = java.util.UUID.randomUUID();
    java.util.UUID b = java.util.UUID.randomUUID();
    java.util.UUID c = java.util.UUID.randomUUID();
    java.util.UUID d = java.util.UUID.randomUUID();
    cache.put(a, layout.apply(9));    // 10 entries: the chunk and its 9 frames
    cache.put(b, layout.apply(9));
    cache.put(c, layout.apply(9));
    assertThat(cache.get(a)).isNotNull();   // a is now the most recently used
    cache.put(d, layout.apply(9));          // four layouts: b, the least recently used, goes
    assertThat(cache.get(b)).isNull();
    assertThat(cache.entries()).isEqualTo(30);
    cache.put(b, layout.apply(19));         // 50 entries, over 40: c, now the least recently used, goes
    assertThat(cache.get(c)).isNull();
    assertThat(cache.get(a)).isNotNull();
    assertThat(cache.get(d)).isNotNull();
    assertThat(cache.entries()).isEqualTo(40);
    cache.put(c, layout.apply(40));         // heavier than the whole cache: not kept, nothing evicted
    assertThat(cache.get(c)).isNull();
    assertThat(cache.get(b)).isNotNull();
    assertThat(cache.entries()).isEqualTo(40);
  }
}
