package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.MetricsScrape;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An api node with {@code SIGHTLINE_METRICS_PORT} set: {@code /metrics} is served on that port only, never on the
 * public one, and HTTP requests are counted by route template — a request for one id leaves no trace of the id.
 */
@ExtendWith(PostgresExtension.class)
class ApiMetricsTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_METRICS_PORT", "0"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void publicPortDoesNotServeMetrics() {
    ApiClient.Response res = server.anonymous().get("/metrics");
    assertThat(res.header("Content-Type").orElse("")).doesNotStartWith("text/plain; version=0.0.4");
    assertThat(res.body()).doesNotContain("jvm_memory_used_bytes").doesNotContain("# TYPE");
    assertThat(server.node.metricsPort()).isPositive().isNotEqualTo(server.node.config().http().port());
    assertThat(MetricsScrape.get("http://127.0.0.1:" + server.node.metricsPort() + "/api/v1/health").statusCode())
        .as("the metrics port serves nothing but /metrics").isEqualTo(404);
  }

  @Test
  void httpRequestsAreCountedByRouteTemplateNeverByRawPath() {
    String id = UUID.randomUUID().toString();
    ApiClient admin = server.as(ApiTestServer.ADMIN_A);
    assertThat(admin.get("/api/v1/queries/" + id).status()).isEqualTo(404);
    String scrape = MetricsScrape.scrape(server.node.metricsPort());
    String requests = Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith("vertx_http_server_requests_total{"))
        .collect(Collectors.joining("\n"));
    // the route as vertx-web matched it (mount point > template)
    assertThat(requests).contains("code=\"404\",method=\"GET\",route=\"/api/>/api/v1/queries/:queryId\"");
    assertThat(scrape).doesNotContain(id).doesNotContain("path=\"");
    MetricsScrape.assertPromtoolAccepts(scrape);
  }
}
