package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

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

  /** Deletes chunks {@code 0..chunkCount-1} of a result; idempotent, missing objects are fine. */
  Future<Void> delete(String location, int chunkCount);

  /** Releases the store's resources (its S3 client); the store is unusable afterwards. */
  default void close() {}
}
