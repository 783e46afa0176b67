package io.sightline.shared.result;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cutting a page out of stored chunks (docs/result-format.md §3): which chunks and which of their zstd frames hold the
 * page's rows, and the page itself — the rows' JSON lines as stored, joined with commas into an array. Pure
 * functions over bytes; {@link ResultReader} fetches and schedules them.
 */
final class PageSlices {
  private PageSlices() {}

  /** The chunks holding any of rows {@code from .. end-1}, in order (binary search on first_row). */
  static List<ChunkRef> overlapping(List<ChunkRef> chunks, long from, long end) {
    List<ChunkRef> out = new ArrayList<>();
    if (from >= end) {
      return out;
    }
    int lo = 0;
    int hi = chunks.size() - 1;
    int first = chunks.size();
    while (lo <= hi) {  // the first chunk whose end is after `from`
      int mid = (lo + hi) >>> 1;
      if (chunks.get(mid).endRow() > from) {
        first = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    for (int i = first; i < chunks.size() && chunks.get(i).firstRow() < end; i++) {
      out.add(chunks.get(i));
    }
    return out;
  }

  /**
   * The part of one chunk a page decodes: frames {@code firstFrame .. lastFrame} (the whole chunk when it is one frame),
   * at compressed bytes {@code compressedFrom .. compressedTo - 1} of the chunk, {@code decodedBytes} of lines whose
   * first is row {@code linesFrom}.
   */
  record Span(ChunkRef ref, long linesFrom, long compressedFrom, long compressedTo, long decodedBytes) {
    /** All of {@code ref}. */
    static Span whole(ChunkRef ref) {
      return new Span(ref, ref.firstRow(), 0, ref.compressedBytes(), ref.bytes());
    }

    boolean whole() {
      return compressedFrom == 0 && compressedTo == ref.compressedBytes();
    }

    /** This span's bytes of the whole compressed chunk; fails when the chunk is shorter than its index says. */
    Buffer cut(Buffer chunk) {
      if (compressedTo > chunk.length()) {
        throw new IllegalStateException("corrupt result chunk " + ref.chunkNo() + ": " + chunk.length()
            + " compressed bytes, its index says " + ref.compressedBytes());
      }
      return whole() ? chunk : chunk.slice((int) compressedFrom, (int) compressedTo);
    }
  }

  /** For each of {@code chunks}, the frames holding any of rows {@code from .. end-1}. */
  static List<Span> spans(List<ChunkRef> chunks, long from, long end) {
    List<Span> out = new ArrayList<>(chunks.size());
    for (ChunkRef ref : chunks) {
      if (ref.frames().isEmpty()) {
        out.add(Span.whole(ref));
        continue;
      }
      long row = ref.firstRow();
      long at = 0;
      long linesFrom = -1;
      long compressedFrom = 0;
      long compressedTo = 0;
      long decoded = 0;
      for (ChunkRef.Frame f : ref.frames()) {
        long frameEnd = row + f.rows();
        if (frameEnd > from && row < end) {
          if (linesFrom < 0) {
            linesFrom = row;
            compressedFrom = at;
          }
          compressedTo = at + f.compressedBytes();
          decoded += f.bytes();
        }
        row = frameEnd;
        at += f.compressedBytes();
      }
      if (linesFrom >= 0) {
        out.add(new Span(ref, linesFrom, compressedFrom, compressedTo, decoded));
      }
    }
    return out;
  }

  /**
   * Decompresses each span and joins rows {@code from .. end-1} into a JSON array: the lines' bytes as stored, the
   * newlines between them turned into commas. Two passes over the decoded bytes, eight at a time: one counting line
   * ends to find the page's first and last line, one replacing the newlines in the copied page.
   */
  static Buffer slice(List<Span> spans, List<Buffer> parts, long from, long end) {
    byte[][] decoded = new byte[spans.size()][];
    int[] starts = new int[spans.size()];
    int[] lengths = new int[spans.size()];
    long size = 2;   // the brackets
    int pieces = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      ChunkRef ref = span.ref();
      long want = Math.min(end, ref.endRow()) - span.linesFrom();   // decoded lines up to the page's end
      long skip = Math.max(0, from - span.linesFrom());             // decoded lines before the page's start
      if (want <= skip) {
        continue;
      }
      byte[] lines = ChunkCodec.decompress(parts.get(i), span.decodedBytes());
      int start = afterLines(lines, 0, skip);
      int stop = start < 0 ? -1 : afterLines(lines, start, want - skip);
      if (stop < 0) {
        throw new IllegalStateException("corrupt result chunk " + ref.chunkNo() + ": fewer lines than the "
            + ref.rowCount() + " its index says");
      }
      decoded[i] = lines;
      starts[i] = start;
      lengths[i] = stop - start;   // the lines with their newlines: the last becomes the comma before the next piece
      size += lengths[i];
      pieces++;
    }
    if (pieces == 0) {
      return Buffer.buffer("[]");
    }
    if (size - 1 > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("page of " + size + " bytes");
    }
    byte[] out = new byte[(int) size - 1];   // the last piece's final newline is not copied
    out[0] = '[';
    int at = 1;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] != null) {
        System.arraycopy(decoded[i], starts[i], out, at, lengths[i]);
        at += lengths[i];
      }
    }
    newlinesToCommas(out, 1, at - 1);
    out[at - 1] = ']';
    return Buffer.buffer(out);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /**
   * A mask with bit 7 set in exactly the bytes of {@code word} that are {@code '\n'} (the exact zero-byte test of
   * "Bit Twiddling Hacks" on the word XOR newlines: no false positives, so its bits can be counted).
   */
  private static long newlineMask(long word) {
    long x = word ^ NEWLINES;
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }

  /**
   * The index just past the {@code count}-th {@code '\n'} at or after {@code from} ({@code from} itself when count is
   * 0), or -1 when there are fewer: counts newlines eight bytes at a time.
   */
  static int afterLines(byte[] a, int from, long count) {
    if (count == 0) {
      return from;
    }
    long left = count;
    int i = from;
    for (int n = a.length - 8; i <= n; i += 8) {
      long found = newlineMask((long) LONGS.get(a, i));
      int c = Long.bitCount(found);
      if (c >= left) {
        for (long k = 1; k < left; k++) {
          found &= found - 1;   // drop the lowest
        }
        return i + (Long.numberOfTrailingZeros(found) >>> 3) + 1;
      }
      left -= c;
    }
    for (; i < a.length; i++) {
      if (a[i] == '\n' && --left == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Turns every {@code '\n'} of {@code a[from .. to-1]} into {@code ','}, eight bytes at a time. */
  static void newlinesToCommas(byte[] a, int from, int to) {
    int i = from;
    for (int n = to - 8; i <= n; i += 8) {
      long word = (long) LONGS.get(a, i);
      long found = newlineMask(word);
      if (found != 0) {
        LONGS.set(a, i, word ^ ((found >>> 7) * ('\n' ^ ',')));   // per byte: 0x01 * 0x26, no carries
      }
    }
    for (; i < to; i++) {
      if (a[i] == '\n') {
        a[i] = ',';
      }
    }
  }
}
