package io.sightline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The helpers every module's tests rely on do what they promise. */
@ExtendWith(PostgresExtension.class)
class TestInfrastructureTest {
  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() {
    s3 = S3ProxyServer.start("sightline-results");
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void eachClassGetsAMigratedDatabaseOfItsOwn(TestDatabase db) {
    assertThat(db.scalar("select current_database()")).isEqualTo(db.name());
    assertThat(db.scalar("select count(*) from flyway_schema_history where success")).isNotEqualTo(0L);
    assertThat(db.scalar("select to_regclass('public.runs') is not null")).isEqualTo(true);
    try (TestDatabase other = TestPostgres.get().createDatabase("other")) {
      db.execute("insert into orgs (name, slug) values ('Trading ops', 'trading-ops')");
      assertThat(other.scalar("select count(*) from orgs")).isEqualTo(0L);
      assertThat(db.scalar("select count(*) from orgs")).isEqualTo(1L);
    }
  }

  @Test
  void s3ProxySpeaksTheRealS3Protocol() {
    String key = "results/" + UUID.randomUUID() + "/chunk-0";
    byte[] body = "zstd chunk bytes".getBytes(StandardCharsets.UTF_8);
    try (S3AsyncClient client = s3.client()) {
      client.putObject(b -> b.bucket(s3.bucket()).key(key), AsyncRequestBody.fromBytes(body)).join();
      byte[] read = client.getObject(b -> b.bucket(s3.bucket()).key(key), AsyncResponseTransformer.toBytes())
          .join().asByteArray();
      assertThat(read).isEqualTo(body);
      assertThat(client.listObjectsV2(b -> b.bucket(s3.bucket()).prefix("results/")).join().contents())
          .extracting(o -> o.key()).contains(key);
    }
  }

  @Test
  void testProcessesCompileLeanUnlessTheTestChoosesTheCompilerOrCollector() {
    assertThat(JvmProcess.leanFlags()).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    assertThat(JvmProcess.leanFlags("-Xmx48m")).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    assertThat(JvmProcess.leanFlags("-XX:+UseG1GC")).containsExactly("-XX:TieredStopAtLevel=1");
    assertThat(JvmProcess.leanFlags("-XX:TieredStopAtLevel=4", "-XX:+UseParallelGC")).isEmpty();
  }
}
