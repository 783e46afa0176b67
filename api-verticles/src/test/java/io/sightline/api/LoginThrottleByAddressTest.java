package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One client address guessing across many accounts is throttled too. */
@ExtendWith(PostgresExtension.class)
class LoginThrottleByAddressTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS", "4",
        "SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", "100"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    server.db.execute("delete from login_failures");
  }

  @Test
  void aParallelBurstAcrossAccountsFromOneAddressCountsEveryGuess() {
    List<String[]> guesses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      guesses.add(new String[] {"burst" + i + "@a.test", "guess"});
    }
    List<Integer> statuses;
    try (LoginBurst burst = LoginBurst.start(server, guesses)) {
      statuses = burst.statuses();
    }
    assertThat(Collections.frequency(statuses, 401)).as(statuses.toString()).isEqualTo(4);
    assertThat(Collections.frequency(statuses, 429)).as(statuses.toString()).isEqualTo(36);
    assertThat(server.db.scalar("select count(*) from login_failures")).isEqualTo(4L);
  }

  @Test
  void forwardedHeadersAreIgnoredWithoutATrustedProxy() {
    java.net.http.HttpResponse<String> r = io.sightline.testkit.Http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.base + "/api/v1/auth/login"))
        .header("Content-Type", "application/json").header("X-Forwarded-For", "203.0.113.7")
        .header("X-Forwarded-Proto", "https")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"x@a.test\",\"password\":\"g\"}"))
        .build());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(server.db.scalar("select string_agg(address, ',') from login_failures")).isEqualTo("127.0.0.1");
  }

  @Test
  void guessingAcrossAccountsFromOneAddressIsThrottled() {
    for (int i = 0; i < 4; i++) {
      Response r = server.anonymous().post("/api/v1/auth/login", new JsonObject()
          .put("email", "user" + i + "@a.test").put("password", "guess"));
      assertThat(r.status()).isEqualTo(401);
    }
    Response throttled = server.anonymous().post("/api/v1/auth/login", new JsonObject()
        .put("email", ApiTestServer.VIEWER_A).put("password", ApiTestServer.PASSWORD));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.header("Retry-After")).isPresent();
    assertThat(server.db.scalar("select count(*) from sessions")).isEqualTo(0L);
  }
}
