package io.sightline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.result.ResultReader;
import io.sightline.shared.result.ResultStores;
import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.S3ProxyServer;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** A result too large for Postgres spills to S3 (S3Proxy, the real protocol) and reads back page by page unchanged. */
@ExtendWith(PostgresExtension.class)
class LargeResultS3Test {
  private static final String BUCKET = "sightline-results";
  private static S3ProxyServer s3;
  private static RunFixture fx;

  @BeforeAll
  static void start(TestDatabase db) {
    s3 = S3ProxyServer.start(BUCKET);
    fx = RunFixture.start(db, 1, Map.of(
        "SIGHTLINE_S3_ENDPOINT", s3.endpoint().toString(), "SIGHTLINE_S3_BUCKET", BUCKET,
        "SIGHTLINE_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY, "SIGHTLINE_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY,
        "SIGHTLINE_RESULTS_INLINE_MAX_BYTES", "65536", "SIGHTLINE_RESULTS_CHUNK_BYTES", "262144"));
  }

  @AfterAll
  static void stop() {
    fx.close();
    s3.close();
  }

  @Test
  void aLargeResultIsStoredInS3AndReadsBackPageByPageIdenticalToTheSource() throws Exception {
    String ds = fx.postgresDatasource("Big", 2);
    int n = 100_000;
    String sql = "select g, md5(g::text) as h, g::numeric / 7 as ratio from generate_series(1, " + n + ") g";
    JsonObject run = fx.awaitEnd(fx.enqueue(ds, sql).runId(), Duration.ofSeconds(60));
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("succeeded");
    assertThat(run.getLong("rowCount")).isEqualTo(n);
    String resultId = run.getString("resultId");
    assertThat(fx.db.scalar("select storage from results where id = '" + resultId + "'")).isEqualTo("s3");
    long chunks = (Long) fx.db.scalar("select chunk_count::bigint from results where id = '" + resultId + "'");
    assertThat(chunks).isGreaterThan(5);
    assertThat(fx.db.scalar("select count(*) from result_chunks where result_id = '" + resultId + "'"))
        .isEqualTo(0L);
    try (S3AsyncClient client = s3.client()) {
      assertThat(client.listObjectsV2(b -> b.bucket(BUCKET)).join().contents().stream()
          .filter(o -> o.key().contains(resultId)).count()).isEqualTo(chunks);
    }

    ResultReader reader = new ResultReader(fx.node.vertx(), fx.node.pool(),
        ResultStores.create(fx.node.vertx(), fx.node.config()));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    long expected = 1;
    for (long offset = 0; offset < n; offset += 7000) {
      var page = Await.result(reader.page(fx.orgId, resultId, offset, 7000));
      JsonArray rows = new JsonArray(page.rowsJson().toString());
      for (int i = 0; i < rows.size(); i++, expected++) {
        JsonArray row = rows.getJsonArray(i);
        assertThat(row.getLong(0)).isEqualTo(expected);
        String hash = HexFormat.of().formatHex(md5.digest(Long.toString(expected).getBytes(StandardCharsets.UTF_8)));
        assertThat(row.getString(1)).isEqualTo(hash);
        assertThat(new java.math.BigDecimal(row.getValue(2).toString()).multiply(java.math.BigDecimal.valueOf(7))
            .setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger()).isEqualTo(BigInteger.valueOf(expected));
      }
    }
    assertThat(expected - 1).isEqualTo(n);
  }
}
