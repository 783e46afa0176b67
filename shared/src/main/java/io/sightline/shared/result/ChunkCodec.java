package io.sightline.shared.result;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk payload (format versions 1 and 2): JSON lines compressed as zstd frames (level {@value #LEVEL}, content size
 * and a content checksum in each frame header), so every chunk decodes on its own. A large chunk is several frames of
 * whole lines, about {@value #FRAME_BYTES} bytes each, one after the other — still one valid zstd stream, which
 * decodes whole as before — and its index entry lists them, so a page decodes only the frames it needs. See
 * docs/result-format.md.
 */
public final class ChunkCodec {
  /**
   * The results format this code writes (results.format_version). Version 2 carries every decimal as an exact string
   * and every json document as its JSON text in a string; version 1 (decimals of ≤ 15 digits as numbers, json
   * documents embedded) has the same framing and is still read.
   */
  public static final int FORMAT_VERSION = 2;
  /** The oldest format version this code reads. */
  public static final int OLDEST_READ_VERSION = 1;
  /** zstd level: measured faster than 3 and at least as small on JSON lines (docs/result-format.md). */
  public static final int LEVEL = 1;
  /**
   * Uncompressed bytes per zstd frame of a chunk. A page of 1,000 rows reads and decodes one or two frames instead of
   * a whole chunk: measured, random pages of a 10,000,000-row result (bench/results_bench.py pages) cost the server
   * about a third of the CPU with 128 KB frames as with one 1 MB frame per chunk; 64 KB frames decode a third less per
   * page again for 0.25 % more stored bytes (32 KB: 1 %, and an index twice as long).
   */
  public static final int FRAME_BYTES = 64 * 1024;
  /** Chunks larger than this are (de)compressed on a worker thread, not on the event loop. */
  public static final int OFFLOAD_BYTES = 64 * 1024;

  /** Chunks at least this large compress into a pooled output array (smaller ones allocate theirs). */
  static final int POOLED_BYTES = 256 * 1024;
  /**
   * Reused across chunks (and results): the zstd contexts and the output arrays of compression. A chunk's output is
   * copied out at its compressed size (a third of the input for JSON lines), so no chunk-sized array is allocated per
   * chunk. Four of each: the worker threads compressing at once on two cores, and a few more.
   */
  private static final SmallPool<ZstdCompressCtx> COMPRESSORS = new SmallPool<>(4);
  private static final SmallPool<byte[]> OUTPUTS = new SmallPool<>(4);

  private ChunkCodec() {}

  /** Compresses {@code len} bytes of JSON lines at {@code off} as one frame. */
  public static Buffer compress(byte[] src, int off, int len) {
    return compress(src, off, new int[] {off + len}, new int[] {0}, 1).data();
  }

  /** A compressed chunk and its frames (none listed when it is one frame). */
  public record Packed(Buffer data, List<ChunkRef.Frame> frames) {}

  /**
   * Compresses {@code src[0, ends[n-1])} as {@code n} frames: frame {@code i} ends at byte {@code ends[i]} (a line's
   * end) and holds {@code rows[i]} lines.
   */
  public static Packed compress(byte[] src, int[] ends, int[] rows, int n) {
    return compress(src, 0, ends, rows, n);
  }

  /** As {@link #compress(byte[], int[], int[], int)} for the bytes from {@code from} to {@code ends[n-1]}. */
  private static Packed compress(byte[] src, int from, int[] ends, int[] rows, int n) {
    int len = ends[n - 1] - from;
    int bound = (int) Zstd.compressBound(len) + 32 * n;
    boolean pool = len >= POOLED_BYTES;
    byte[] taken = pool ? OUTPUTS.take(a -> a.length >= bound) : null;
    byte[] dst = taken != null ? taken : new byte[bound];
    List<ChunkRef.Frame> frames = new ArrayList<>(n);
    int at = 0;
    ZstdCompressCtx ctx = compressor();
    boolean done = false;
    try {
      int start = from;
      for (int i = 0; i < n; i++) {
        int size = ctx.compressByteArray(dst, at, dst.length - at, src, start, ends[i] - start);
        frames.add(new ChunkRef.Frame(rows[i], ends[i] - start, size));
        at += size;
        start = ends[i];
      }
      done = true;
    } finally {
      if (!done || !COMPRESSORS.give(ctx)) {
        ctx.close();  // a context that failed mid-frame is not reused
      }
    }
    // one copy of the compressed size (Buffer.buffer(byte[]) would copy the whole array); a pooled output goes back
    Buffer data = Buffer.buffer(at).appendBytes(dst, 0, at);
    if (pool) {
      OUTPUTS.give(dst);
    }
    return new Packed(data, n == 1 ? List.of() : frames);
  }

  /** A zstd context set for chunks (level, checksum, content size), from the pool or new. */
  private static ZstdCompressCtx compressor() {
    ZstdCompressCtx ctx = COMPRESSORS.take(c -> true);
    if (ctx == null) {
      ctx = new ZstdCompressCtx();
      ctx.setLevel(LEVEL);
      ctx.setChecksum(true);
      ctx.setContentSize(true);
    }
    return ctx;
  }

  /**
   * Decompresses one chunk whose index entry says it holds {@code expectedBytes} bytes; fails when the data is not a
   * valid frame of exactly that size (corrupt or truncated object).
   */
  public static byte[] decompress(Buffer compressed, long expectedBytes) {
    return decompress(compressed.getBytes(), expectedBytes);
  }

  private static byte[] decompress(byte[] src, long expectedBytes) {
    if (expectedBytes < 0 || expectedBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("result chunk of " + expectedBytes + " bytes cannot be decoded");
    }
    byte[] out = new byte[(int) expectedBytes];
    int n;
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      n = ctx.decompressByteArray(out, 0, out.length, src, 0, src.length);
    } catch (ZstdException e) {
      throw new IllegalStateException("corrupt result chunk (" + src.length + " compressed bytes, " + expectedBytes
          + " expected): " + e.getMessage(), e);
    }
    if (n != expectedBytes) {
      throw new IllegalStateException("corrupt result chunk: " + n + " bytes decoded, " + expectedBytes + " expected");
    }
    return out;
  }
}
