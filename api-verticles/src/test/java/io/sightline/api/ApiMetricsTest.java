package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.MetricsScrape;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An api node with {@code SIGHTLINE_METRICS_PORT} set: {@code /metrics} is served on that port only, never on the
 * public one; HTTP requests are measured by route template — a request for one id leaves no trace of the id, and
 * requests for any number of unknown paths add no series; failed and throttled sign-ins are counted.
 */
@ExtendWith(PostgresExtension.class)
class ApiMetricsTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_METRICS_PORT", "0", "SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", "2"));
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
    // latency is a histogram by route template, so quantiles can be taken across processes
    assertThat(scrape).contains("vertx_http_server_response_time_seconds_bucket{code=\"404\",method=\"GET\","
        + "route=\"/api/>/api/v1/queries/:queryId\",le=\"0.005\"}");
    assertThat(scrape).doesNotContain(id).doesNotContain("path=\"");
    MetricsScrape.assertPromtoolAccepts(scrape);
  }

  @Test
  void requestsForUnknownPathsAddNoSeries() {
    ApiClient admin = server.as(ApiTestServer.ADMIN_A);
    List<Supplier<String>> shapes = List.of(
        () -> "/api/v1/" + random(), () -> "/" + random(), () -> "/api/v1/queries/" + UUID.randomUUID() + "/" + random(),
        () -> "/" + random() + "/" + random() + ".js", () -> "/api/" + random() + "?q=" + random());
    shapes.forEach(shape -> admin.get(shape.get()));   // each shape's first request may add its route's series
    Set<String> before = httpSeries(MetricsScrape.scrape(server.node.metricsPort()));
    for (int i = 0; i < 200; i++) {
      assertThat(admin.get(shapes.get(i % shapes.size()).get()).status()).isLessThan(500);
    }
    String scrape = MetricsScrape.scrape(server.node.metricsPort());
    assertThat(httpSeries(scrape)).as("HTTP series after 200 unknown paths").isEqualTo(before);
    assertThat(RANDOM_PART.matcher(scrape).find()).as("a random path segment in the scrape").isFalse();
  }

  @Test
  void failedAndThrottledSignInsAreCounted() {
    String email = "nobody-" + random() + "@a.test";
    for (int i = 0; i < 3; i++) {
      server.anonymous().post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", "wrong"));
    }
    String scrape = MetricsScrape.scrape(server.node.metricsPort());
    // two refused for the password, the third throttled (2 failures per account allowed here)
    assertThat(scrape).contains("sightline_login_failures_total 2.0").contains("sightline_login_throttled_total 1.0")
        .doesNotContain(email);
    MetricsScrape.assertPromtoolAccepts(scrape);
  }

  /** The series (name and labels, without value) of Vert.x's HTTP server meters. */
  private static Set<String> httpSeries(String scrape) {
    return MetricsScrape.series(scrape).stream().filter(l -> l.startsWith("vertx_http_server_"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** What {@link #random()} makes: no label value ever looks like it. */
  private static final Pattern RANDOM_PART = Pattern.compile("zq[0-9a-f]{12}");

  private static String random() {
    return "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
