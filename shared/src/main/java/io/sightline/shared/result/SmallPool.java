package io.sightline.shared.result;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * A few reusable objects shared by threads, lock-free: {@link #take} hands one out to a single user at a time (or
 * nothing), {@link #give} puts it back unless the pool is full. Used for what a result chunk needs per (de)compression
 * — a zstd context, an output array of about a megabyte — which, allocated per chunk, made every chunk a humongous
 * allocation for G1 and, at {@code -Xmx256m}, a concurrent collection cycle every few chunks.
 */
final class SmallPool<T> {
  private final AtomicReferenceArray<T> slots;

  SmallPool(int size) {
    this.slots = new AtomicReferenceArray<>(size);
  }

  /** One pooled object that {@code fits}, now owned by the caller, or null. */
  T take(Predicate<T> fits) {
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.get(i);
      if (t != null && fits.test(t) && slots.compareAndSet(i, t, null)) {
        return t;
      }
    }
    return null;
  }

  /** Returns {@code t} to the pool; false (the caller keeps it, e.g. to close it) when every slot is taken. */
  boolean give(T t) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, t)) {
        return true;
      }
    }
    return false;
  }
}
