package io.sightline.testkit;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An in-process S3-compatible server (S3Proxy over an in-memory blob store) on 127.0.0.1, speaking the real S3
 * protocol with AWS v2/v4 signatures. One bucket is created up front.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "sightline-test";
  public static final String SECRET_KEY = "sightline-test-secret";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final String bucket;

  private S3ProxyServer(S3Proxy proxy, URI endpoint, String bucket) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.bucket = bucket;
  }

  public static S3ProxyServer start(String bucket) {
    TransientNio2BlobStore store = new TransientNio2BlobStore();
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
    return new S3ProxyServer(proxy, endpoint, bucket);
  }

  public URI endpoint() {
    return endpoint;
  }

  public String bucket() {
    return bucket;
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
