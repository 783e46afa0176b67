package io.sightline.shared.result;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The chunk payload (format versions 1 and 2): JSON lines compressed as one zstd frame (level {@value #LEVEL}, content size
 * and a content checksum in the frame header), so every chunk decodes on its own. See docs/result-format.md.
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
  /** Chunks larger than this are (de)compressed on a worker thread, not on the event loop. */
  public static final int OFFLOAD_BYTES = 64 * 1024;

  private ChunkCodec() {}

  /** Compresses {@code len} bytes of JSON lines at {@code off}. */
  public static Buffer compress(byte[] src, int off, int len) {
    byte[] dst = new byte[(int) Zstd.compressBound(len)];
    int n;
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(LEVEL);
      ctx.setChecksum(true);
      ctx.setContentSize(true);
      n = ctx.compressByteArray(dst, 0, dst.length, src, off, len);
    }
    return Buffer.buffer(n == dst.length ? dst : Arrays.copyOf(dst, n));
  }

  /**
   * Decompresses one chunk whose index entry says it holds {@code expectedBytes} bytes; fails when the data is not a
   * valid frame of exactly that size (corrupt or truncated object).
   */
  public static byte[] decompress(Buffer compressed, long expectedBytes) {
    if (expectedBytes < 0 || expectedBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("result chunk of " + expectedBytes + " bytes cannot be decoded");
    }
    byte[] src = compressed.getBytes();
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
