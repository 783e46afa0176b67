package io.sightline.shared.result;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link ResultStore} on S3-compatible object storage (AWS S3, MinIO, R2, S3Proxy) through the SDK's
 * {@link S3AsyncClient}: chunk {@code n} of a result is the object {@code <prefix><location>/<n>.jsonl.zst}. The SDK's
 * futures are bridged to Vert.x futures that complete on the caller's context. Failures are
 * {@link ResultStoreException}s naming the operation, the object and S3's status, error code and message.
 */
public final class S3ResultStore implements ResultStore {
  public static final String KIND = "s3";
  /** DeleteObjects takes at most this many keys per request. */
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
    if (location == null || location.isEmpty() || location.contains("..") || location.startsWith("/")) {
      throw new IllegalArgumentException("not a result location: '" + location + "'");
    }
    return prefix + location + "/" + ObjectNames.chunkFile(chunkNo);
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
