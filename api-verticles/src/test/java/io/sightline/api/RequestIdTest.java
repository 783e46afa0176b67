package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.ORG_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.JsonLogs;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request ids: every response names one (the caller's when sane), every problem+json body carries it, and with JSON
 * logs every line of a request carries its own request id and org — never another request's, however they interleave.
 */
@ExtendWith(PostgresExtension.class)
class RequestIdTest {
  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static ApiTestServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, String requestId, String body,
      Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String id(HttpResponse<String> r) {
    return r.headers().firstValue("X-Request-Id").orElseThrow();
  }

  @Test
  void everyResponseNamesItsRequestAndEveryProblemCarriesIt() {
    HttpResponse<String> plain = send("GET", "/healthz", null, null, Map.of());
    assertThat(id(plain)).matches(UUID_PATTERN);
    assertThat(id(send("GET", "/healthz", null, null, Map.of()))).isNotEqualTo(id(plain));

    for (String path : new String[] {"/api/v1/nothing-here", "/api/v1/me"}) {
      HttpResponse<String> problem = send("GET", path, null, null, Map.of());
      assertThat(problem.statusCode()).isIn(401, 404);
      assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(new JsonObject(problem.body()).getString("requestId")).isEqualTo(id(problem));
    }
    // a validation failure (400) too
    HttpResponse<String> invalid = send("POST", "/api/v1/auth/login", "trace-400", "{\"email\": 3}",
        Map.of("Content-Type", "application/json"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(invalid.body()).getString("requestId")).isEqualTo("trace-400");
  }

  @Test
  void aSaneIncomingIdIsHonouredAnythingElseReplaced() {
    String sane = "edge-7f3a.b_c:42";
    HttpResponse<String> r = send("GET", "/api/v1/nothing-here", sane, null, Map.of());
    assertThat(id(r)).isEqualTo(sane);
    assertThat(new JsonObject(r.body()).getString("requestId")).isEqualTo(sane);
    for (String insane : new String[] {"x".repeat(129), "has space", "<script>alert(1)</script>", "a\"b", "é"}) {
      HttpResponse<String> replaced = send("GET", "/api/v1/nothing-here", insane, null, Map.of());
      assertThat(id(replaced)).as(insane).matches(UUID_PATTERN);
      assertThat(replaced.body()).doesNotContain(insane);
    }
    assertThat(id(send("GET", "/healthz", "y".repeat(128), null, Map.of()))).isEqualTo("y".repeat(128));
  }

  @Test
  void interleavedRequestsNeverLogEachOthersIds() throws Exception {
    Map<String, String> expectedOrg = new HashMap<>();
    List<JsonObject> lines;
    try (JsonLogs logs = new JsonLogs("io.sightline.api.access", "io.sightline.api.http.Failures")) {
      ApiClient a = server.as(ADMIN_A);
      ApiClient b = server.as(ADMIN_B);
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String miss = "miss-" + i;
        String login = "login-" + i;
        String meA = "me-a-" + i;
        String meB = "me-b-" + i;
        expectedOrg.put(meA, ORG_A);
        expectedOrg.put(meB, ORG_B);
        // a 404 with no hop, a failed sign-in (Argon2 on a worker thread, then the database), signed-in requests of
        // two orgs (session lookup, then the database)
        all.add(CompletableFuture.runAsync(() -> send("GET", "/api/v1/missing/" + miss, miss, null, Map.of())));
        all.add(CompletableFuture.runAsync(() -> send("POST", "/api/v1/auth/login", login,
            new JsonObject().put("email", "nobody-" + login + "@x.test").put("password", "wrong").encode(),
            Map.of("Content-Type", "application/json"))));
        all.add(CompletableFuture.runAsync(() -> send("GET", "/api/v1/me", meA, null, cookies(a))));
        all.add(CompletableFuture.runAsync(() -> send("GET", "/api/v1/me", meB, null, cookies(b))));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      // the access log line is written once the response has ended, which may be a moment after the client read it
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> logs.lines().stream().map(j -> j.getString("request_id"))
              .filter(id -> id != null && (id.startsWith("miss-") || id.startsWith("login-") || id.startsWith("me-")))
              .distinct().count() >= 32);
      lines = logs.lines();
    }
    Map<String, Integer> seen = new HashMap<>();
    for (JsonObject json : lines) {
      String line = json.encode();
      assertThat(json.fieldNames()).contains("timestamp", "level", "logger", "message", "thread");
      String requestId = json.getString("request_id");
      String message = json.getString("message");
      if (requestId == null || !(requestId.startsWith("miss-") || requestId.startsWith("login-")
          || requestId.startsWith("me-"))) {
        continue; // the sign-ins before the burst
      }
      seen.merge(requestId, 1, Integer::sum);
      if (requestId.startsWith("miss-")) {
        assertThat(message).as(line).contains("/api/v1/missing/" + requestId + " 404");
      } else if (requestId.startsWith("login-")) {
        assertThat(message).as(line).contains("POST /api/v1/auth/login 401");
        assertThat(json.getString("org_id")).isNull();
      } else {
        assertThat(message).as(line).contains("GET /api/v1/me 200");
        assertThat(json.getString("org_id")).as(line).isEqualTo(expectedOrg.get(requestId));
      }
    }
    assertThat(seen).hasSize(32).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
  }

  /** The session and CSRF cookies of a signed-in client, as a Cookie header. */
  private static Map<String, String> cookies(ApiClient client) {
    StringBuilder header = new StringBuilder();
    for (String name : new String[] {io.sightline.api.auth.SessionTokens.SESSION_COOKIE, io.sightline.api.auth.SessionTokens.CSRF_COOKIE}) {
      client.cookie(name).ifPresent(c -> header.append(header.length() == 0 ? "" : "; ").append(c.getName())
          .append('=').append(c.getValue()));
    }
    return Map.of("Cookie", header.toString());
  }
}
