package io.sightline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An in-process S3-compatible server (S3Proxy over an in-memory blob store, or over a directory) on 127.0.0.1,
 * speaking the real S3 protocol with AWS v2/v4 signatures. One bucket is created up front.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "sightline-test";
  public static final String SECRET_KEY = "sightline-test-secret";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final String bucket;
  private final Path directory;

  private S3ProxyServer(S3Proxy proxy, URI endpoint, String bucket, Path directory) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.directory = directory;
  }

  public static S3ProxyServer start(String bucket) {
    return start(new TransientNio2BlobStore(), bucket, null);
  }

  /**
   * Objects kept as files under {@code directory} (which must exist), whose modification times are the objects'
   * LastModified: see {@link #setLastModified}.
   */
  public static S3ProxyServer start(String bucket, Path directory) {
    return start(new FilesystemNio2BlobStore(directory.toString()), bucket, directory);
  }

  private static S3ProxyServer start(BlobStore store, String bucket, Path directory) {
    store.createContainer(bucket);
    URI endpoint = URI.create("http://127.0.0.1:" + FreePorts.next());
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // the SDK's multipart uploads send x-amz-mp-object-size, which S3Proxy rejects with 501 otherwise
        .ignoreUnknownHeaders(true)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start", e);
    }
    return new S3ProxyServer(proxy, endpoint, bucket, directory);
  }

  public URI endpoint() {
    return endpoint;
  }

  public String bucket() {
    return bucket;
  }

  /**
   * Sets the LastModified of every object whose key starts with {@code keyPrefix} (a directory-backed server only):
   * how tests make objects old.
   */
  public void setLastModified(String keyPrefix, Instant at) {
    if (directory == null) {
      throw new IllegalStateException("only a server over a directory can age its objects");
    }
    Path bucketDir = directory.resolve(bucket);
    try (Stream<Path> files = Files.walk(bucketDir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (bucketDir.relativize(file).toString().startsWith(keyPrefix)) {
          Files.setLastModifiedTime(file, FileTime.from(at));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client configured as Sightline's object store will be: path-style, endpoint override, static credentials. */
  public S3AsyncClient client() {
    return S3AsyncClient.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    }
  }
}
