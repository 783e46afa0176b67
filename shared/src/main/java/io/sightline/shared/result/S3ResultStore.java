package io.sightline.shared.result;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ResultStore} on S3-compatible object storage (AWS S3, MinIO, R2, S3Proxy) through the SDK's
 * {@link S3AsyncClient}: chunk {@code n} of a result is the object {@code <prefix><location>/<n>.jsonl.zst}. The SDK's
 * futures are bridged to Vert.x futures that complete on the caller's context. Failures are
 * {@link ResultStoreException}s naming the operation, the object and S3's status, error code and message.
 */
public final class S3ResultStore implements ResultStore {
  public static final String KIND = "s3";
  /** DeleteObjects takes at most this many keys per request; ListObjectsV2 returns at most this many per page. */
  static final int DELETE_BATCH = 1000;
  private static final int SINGLE_DELETE_PARALLELISM = 16;

  private final Vertx vertx;
  private final S3AsyncClient client;
  private final String bucket;
  private final String prefix;

  public S3ResultStore(Vertx vertx, S3AsyncClient client, String bucket, String prefix) {
    this.vertx = vertx;
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix == null ? "" : prefix;
  }

  @Override
  public String kind() {
    return KIND;
  }

  public String bucket() {
    return bucket;
  }

  /** The object key of one chunk. */
  public String key(String location, int chunkNo) {
    return keyPrefix(location) + ObjectNames.chunkFile(chunkNo);
  }

  /** The common prefix of a result's objects: {@code <prefix><location>/}. */
  private String keyPrefix(String location) {
    if (location == null || location.isEmpty() || location.contains("..") || location.startsWith("/")) {
      throw new IllegalArgumentException("not a result location: '" + location + "'");
    }
    return prefix + location + "/";
  }

  @Override
  public Future<Void> put(String location, int chunkNo, Buffer compressed) {
    return call("put", location, chunkNo, key -> client.putObject(
        b -> b.bucket(bucket).key(key).contentType("application/zstd").contentLength((long) compressed.length()),
        AsyncRequestBody.fromBytesUnsafe(compressed.getBytes()))).mapEmpty();
  }

  @Override
  public Future<Buffer> get(String location, int chunkNo) {
    return call("get", location, chunkNo, key -> client.getObject(b -> b.bucket(bucket).key(key),
        AsyncResponseTransformer.toBytes())).map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
  }

  /** A ranged GET ({@code Range: bytes=a-b}). */
  @Override
  public Future<Buffer> get(String location, int chunkNo, long offset, int length) {
    if (offset < 0 || length < 1) {
      return Future.failedFuture(new IllegalArgumentException("bad range " + offset + "+" + length));
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return call("get", location, chunkNo, key -> client.getObject(b -> b.bucket(bucket).key(key).range(range),
        AsyncResponseTransformer.toBytes())).map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
  }

  @Override
  public Future<Void> delete(String location, int chunkCount) {
    List<String> keys = new ArrayList<>(chunkCount);
    try {
      for (int i = 0; i < chunkCount; i++) {
        keys.add(key(location, i));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH));
      done = done.compose(v -> deleteBatch(context, location, batch));
    }
    return done;
  }

  /** The "directories" under the prefix: ListObjectsV2 with delimiter '/', one request per page. */
  @Override
  public Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage) {
    if (pageSize < 1) {
      return Future.failedFuture(new IllegalArgumentException("pageSize must be positive, not " + pageSize));
    }
    return locationPages(vertx.getOrCreateContext(), Math.min(pageSize, DELETE_BATCH), null, eachPage);
  }

  private Future<Void> locationPages(Context context, int pageSize, String token,
      Function<List<String>, Future<Void>> eachPage) {
    return bridge(context, "list", "s3://" + bucket + "/" + prefix, () -> client.listObjectsV2(b -> b.bucket(bucket)
            .prefix(prefix).delimiter("/").maxKeys(pageSize).continuationToken(token)))
        .compose(response -> {
          List<String> locations = response.commonPrefixes().stream().map(CommonPrefix::prefix)
              .map(p -> p.substring(prefix.length(), p.length() - 1)).filter(l -> !l.isEmpty()).toList();
          Future<Void> handled = locations.isEmpty() ? Future.succeededFuture()
              : Future.<Void>succeededFuture().compose(v -> eachPage.apply(locations));
          return handled.compose(v -> hasMore(response)
              ? locationPages(context, pageSize, response.nextContinuationToken(), eachPage)
              : Future.<Void>succeededFuture());
        });
  }

  /**
   * Two passes over the result's objects, a page (at most 1000 keys) at a time: the first checks that none was
   * modified at or after the cutoff, the second deletes each page with one DeleteObjects request (only objects older
   * than the cutoff, should one have appeared in between).
   */
  @Override
  public Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff) {
    String under;
    try {
      under = keyPrefix(location);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    boolean[] found = {false};
    return objectPages(context, under, null, objects -> {
      found[0] |= !objects.isEmpty();
      return Future.succeededFuture(objects.stream().allMatch(o -> modifiedBefore(o, cutoff)));
    }).compose(idle -> !idle || !found[0] ? Future.succeededFuture(false)
        : objectPages(context, under, null, objects -> {
          List<String> keys = objects.stream().filter(o -> modifiedBefore(o, cutoff)).map(S3Object::key).toList();
          return (keys.isEmpty() ? Future.<Void>succeededFuture() : deleteBatch(context, location, keys)).map(true);
        }));
  }

  /**
   * Hands the objects under {@code keyPrefix} to {@code eachPage} page by page while it answers true; completes with
   * false if it answered false (and stopped there), true once every page was handled.
   */
  private Future<Boolean> objectPages(Context context, String keyPrefix, String token,
      Function<List<S3Object>, Future<Boolean>> eachPage) {
    return bridge(context, "list", "s3://" + bucket + "/" + keyPrefix, () -> client.listObjectsV2(b -> b.bucket(bucket)
            .prefix(keyPrefix).continuationToken(token)))
        .compose(response -> eachPage.apply(response.contents()).compose(go -> !go ? Future.succeededFuture(false)
            : hasMore(response) ? objectPages(context, keyPrefix, response.nextContinuationToken(), eachPage)
            : Future.succeededFuture(true)));
  }

  /** An object without a LastModified counts as new: never deleted by age. */
  private static boolean modifiedBefore(S3Object object, Instant cutoff) {
    return object.lastModified() != null && object.lastModified().isBefore(cutoff);
  }

  private static boolean hasMore(ListObjectsV2Response response) {
    return Boolean.TRUE.equals(response.isTruncated()) && response.nextContinuationToken() != null;
  }

  private Future<Void> deleteBatch(Context context, String location, List<String> keys) {
    List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    String what = "s3://" + bucket + "/" + prefix + location + "/ (" + keys.size() + " objects)";
    return bridge(context, "delete", what, () -> client.deleteObjects(b -> b.bucket(bucket)
            .delete(d -> d.objects(ids).quiet(true))))
        .compose(response -> failedKeys(response, what))
        .recover(err -> notImplemented(err)
            // some S3-compatible stores lack multi-object delete: fall back to one request per object
            ? deleteOneByOne(context, keys)
            : Future.failedFuture(err));
  }

  private static Future<Void> failedKeys(DeleteObjectsResponse response, String what) {
    List<S3Error> errors = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
    if (errors.isEmpty()) {
      return Future.succeededFuture();
    }
    S3Error first = errors.get(0);
    return Future.failedFuture(new ResultStoreException("S3 delete " + what + " failed for " + errors.size()
        + " objects, first " + first.key() + ": " + first.code() + ": " + first.message(), null));
  }

  private Future<Void> deleteOneByOne(Context context, List<String> keys) {
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < keys.size(); from += SINGLE_DELETE_PARALLELISM) {
      List<String> group = keys.subList(from, Math.min(keys.size(), from + SINGLE_DELETE_PARALLELISM));
      done = done.compose(v -> Future.all(group.stream().map(key -> bridge(context, "delete", "s3://" + bucket + "/"
          + key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)))).toList()).mapEmpty());
    }
    return done;
  }

  private <T> Future<T> call(String op, String location, int chunkNo,
      java.util.function.Function<String, CompletableFuture<T>> request) {
    String key;
    try {
      key = key(location, chunkNo);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return bridge(vertx.getOrCreateContext(), op, "s3://" + bucket + "/" + key, () -> request.apply(key));
  }

  /** Runs an SDK call and completes the returned future on {@code context}, with a readable failure. */
  private static <T> Future<T> bridge(Context context, String op, String what,
      Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> cf;
    try {
      cf = request.get();
    } catch (RuntimeException e) {
      cf = CompletableFuture.failedFuture(e);
    }
    return Future.fromCompletionStage(cf, context).recover(err -> Future.failedFuture(describe(op, what, err)));
  }

  static ResultStoreException describe(String op, String what, Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ResultStoreException e) {
      return e;
    }
    String prefix = "S3 " + op + " " + what + " failed: ";
    if (t instanceof NoSuchKeyException) {
      return new ResultStoreException("S3 " + op + " " + what + ": object not found", t, true);
    }
    if (t instanceof S3Exception s3) {
      AwsErrorDetails details = s3.awsErrorDetails();
      String code = details == null || details.errorCode() == null ? "" : details.errorCode();
      String message = details == null || details.errorMessage() == null ? s3.getMessage() : details.errorMessage();
      return new ResultStoreException(prefix + "HTTP " + s3.statusCode() + (code.isEmpty() ? "" : " " + code) + ": "
          + message, t, s3.statusCode() == 404 && !"NoSuchBucket".equals(code));
    }
    if (t instanceof SdkException) {
      return new ResultStoreException(prefix + t.getMessage(), t);
    }
    return new ResultStoreException(prefix + t, t);
  }

  private static boolean notImplemented(Throwable err) {
    return err instanceof ResultStoreException e && e.getCause() instanceof S3Exception s3
        && (s3.statusCode() == 501 || s3.statusCode() == 405);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "S3ResultStore[s3://" + bucket + "/" + prefix + "]";
  }
}
