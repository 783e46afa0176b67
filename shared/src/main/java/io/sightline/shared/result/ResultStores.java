package io.sightline.shared.result;

import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** Builds the process's {@link ResultStore} from configuration. */
public final class ResultStores {
  private ResultStores() {}

  /**
   * S3 (S3AsyncClient, endpointOverride, forcePathStyle per config, static credentials when accessKey set) when
   * cfg.s3().configured(), else a LocalDirectoryStore under cfg.results().directory() or, when empty,
   * cfg.home()/results.
   */
  public static ResultStore create(Vertx vertx, SightlineConfig cfg) {
    SightlineConfig.S3 s3 = cfg.s3();
    if (s3.configured()) {
      return new S3ResultStore(vertx, s3Client(s3), s3.bucket(), s3.prefix());
    }
    return new LocalDirectoryStore(vertx, localDirectory(cfg));
  }

  /** Where the local store keeps results: results.directory, or $SIGHTLINE_HOME/results. */
  public static Path localDirectory(SightlineConfig cfg) {
    String dir = cfg.results().directory();
    return dir.isEmpty() ? cfg.home().resolve("results") : Path.of(dir);
  }

  /** The S3 client of a configured object store. */
  public static S3AsyncClient s3Client(SightlineConfig.S3 s3) {
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .region(Region.of(s3.region()))
        .forcePathStyle(s3.pathStyle())
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
        // checksums only where S3 requires them: several S3-compatible stores reject the SDK's default trailers
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (!s3.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(s3.endpoint()));
    }
    if (!s3.accessKey().isEmpty()) {
      builder.credentialsProvider(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s3.accessKey(), s3.secretKey().value())));
    }
    return builder.build();
  }
}
