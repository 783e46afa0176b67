package io.sightline.shared.result;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The chunk being filled: a growable byte array the encoder writes into, handed off whole when sealed. Full-size
 * arrays come back once their chunk is compressed and are reused, so a long result allocates a few chunk arrays, not
 * one per chunk (each is a humongous object for G1 at small heaps).
 */
final class ChunkBuffer extends OutputStream {
  private static final byte[] EMPTY = new byte[0];
  private final int initialCapacity;
  private final int maxSpare;
  private final ArrayDeque<byte[]> spare;
  private byte[] buf;
  private int len;

  /** {@code maxSpare}: full-size arrays kept for reuse (the chunks that can be in flight, and one). */
  ChunkBuffer(int chunkBytes, int maxSpare) {
    this.maxSpare = maxSpare;
    this.spare = new ArrayDeque<>(maxSpare);
    // room for the row that crosses chunkBytes without growing, in the common case
    this.initialCapacity = (int) Math.min(Integer.MAX_VALUE - 64, chunkBytes + Math.min(chunkBytes / 4L, 256 << 10));
    // most results are small: the first chunk starts small and grows
    this.buf = new byte[Math.min(initialCapacity, 64 << 10)];
  }

  int length() {
    return len;
  }

  void truncate(int length) {
    len = length;
  }

  void reset() {
    len = 0;
  }

  /** The filled bytes' array (length() valid bytes); the buffer goes on in a spare array or a fresh one. */
  byte[] detach() {
    byte[] out = buf;
    byte[] next = spare.poll();
    buf = next != null ? next : EMPTY;  // EMPTY: allocated (full size) by the next row
    len = 0;
    return out;
  }

  /** An array {@link #detach()} handed out and nobody reads any more: kept for a later chunk if full-size. */
  void recycle(byte[] array) {
    if (array.length == initialCapacity && spare.size() < maxSpare) {
      spare.push(array);
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  private void ensure(int n) {
    long needed = (long) len + n;
    if (needed > buf.length) {
      long capacity = buf.length == 0 ? initialCapacity : buf.length * 2L;
      if (capacity > initialCapacity && needed <= initialCapacity) {
        capacity = initialCapacity;
      }
      capacity = Math.max(capacity, needed);
      if (capacity > Integer.MAX_VALUE - 64) {
        throw new IllegalStateException("result chunk larger than 2 GB");
      }
      buf = Arrays.copyOf(buf, (int) capacity);
    }
  }
}
