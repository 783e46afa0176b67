package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Where chunks of results too big for Postgres live. A result's chunks are objects named by the result's
 * {@code location} (the result id) and chunk number; each holds one compressed chunk exactly as
 * {@link ResultWriter} produced it. Implementations never block the calling event loop, and complete their futures on
 * the caller's Vert.x context.
 */
public interface ResultStore {
  /** "s3" or "local" (stored in results.storage). */
  String kind();

  /** Stores (or replaces) one chunk. */
  Future<Void> put(String location, int chunkNo, Buffer compressed);

  /** Reads one chunk; fails with a {@link ResultStoreException} when it is missing or unreadable. */
  Future<Buffer> get(String location, int chunkNo);

  /**
   * Bytes {@code offset .. offset + length - 1} of a chunk's object, fewer when the object is shorter (a page reads only
   * the zstd frames it needs). This default reads the whole object; stores that can read a range override it.
   */
  default Future<Buffer> get(String location, int chunkNo, long offset, int length) {
    return get(location, chunkNo).map(whole -> whole.slice((int) Math.min(offset, whole.length()),
        (int) Math.min(offset + length, whole.length())));
  }

  /** Deletes chunks {@code 0..chunkCount-1} of a result; idempotent, missing objects are fine. */
  Future<Void> delete(String location, int chunkCount);

  /**
   * Pages through the locations this store holds objects under, for the orphan sweep of {@link ResultJanitor}: at
   * most {@code pageSize} locations at a time, in no particular order, each handed to {@code eachPage}; the next page
   * is read only once that page's future has completed, so memory stays bounded by one page however large the store.
   * Fails with the first failure of the listing or of {@code eachPage}. Locations deleted while the listing is under
   * way may or may not still be listed.
   */
  Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage);

  /**
   * Deletes every object under {@code location}, however many there are (also leftovers of writes that never
   * completed), provided none of them was modified at or after {@code cutoff}: a location still being written to is
   * left alone. Completes with true when it deleted, false when the location was empty or missing (already deleted:
   * this is idempotent) or not idle since the cutoff.
   */
  Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff);

  /** Releases the store's resources (its S3 client); the store is unusable afterwards. */
  default void close() {}
}
