package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parallel guesses count as many guesses: of a burst of sign-ins for one account, at most the limit (5) reach the
 * password check and the rest are 429 — the right password too, once the limit is reached (before: 39 × 401 and
 * 1 × 200, never a 429).
 */
@ExtendWith(PostgresExtension.class)
class LoginThrottleBurstTest {
  private static final int LIMIT = 5;
  private static final String EMAIL = "burst@a.test";
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", Integer.toString(LIMIT),
        "SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS", "1000"));
    server.db.execute("with u as (insert into users (email, password_hash) select '" + EMAIL + "', password_hash"
        + " from users where email = '" + ADMIN_A + "' returning id) insert into memberships (user_id, org_id, role)"
        + " select id, '" + ApiTestServer.ORG_A + "', 'viewer' from u");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    server.db.execute("delete from login_failures");
    server.db.execute("delete from sessions");
  }

  private static List<String[]> guesses(int n) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new String[] {EMAIL, "wrong guess " + i});
    }
    return out;
  }

  private static long failuresCounted() {
    return (Long) server.db.scalar("select count(*) from login_failures");
  }

  @Test
  void fortyParallelGuessesCountAsFortyAndOnlyTheLimitAreChecked() {
    List<Integer> statuses;
    try (LoginBurst burst = LoginBurst.start(server, guesses(40))) {
      statuses = burst.statuses();
    }
    assertThat(Collections.frequency(statuses, 401)).as(statuses.toString()).isEqualTo(LIMIT);
    assertThat(Collections.frequency(statuses, 429)).as(statuses.toString()).isEqualTo(40 - LIMIT);
    assertThat(failuresCounted()).isEqualTo(LIMIT);
  }

  @Test
  void theRightPasswordInsideTheBurstDoesNotGetInOnceTheLimitIsReached() {
    // positions 1–24: wrong, all at once; positions 25 (the right password) – 40 follow as soon as the limit is
    // counted, while the first ones may still be in flight
    List<String[]> first = guesses(24);
    List<String[]> second = guesses(15);
    second.add(0, new String[] {EMAIL, PASSWORD});
    List<Integer> statuses = new ArrayList<>();
    try (LoginBurst a = LoginBurst.start(server, first)) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
          .until(() -> failuresCounted() >= LIMIT);
      try (LoginBurst b = LoginBurst.start(server, second)) {
        List<Integer> late = b.statuses();
        assertThat(late.get(0)).as("the right password at position 25").isEqualTo(429);
        statuses.addAll(late);
      }
      statuses.addAll(a.statuses());
    }
    assertThat(Collections.frequency(statuses, 401)).as(statuses.toString()).isEqualTo(LIMIT);
    assertThat(Collections.frequency(statuses, 429)).as(statuses.toString()).isEqualTo(40 - LIMIT);
    assertThat(server.db.scalar("select count(*) from sessions")).isEqualTo(0L);
  }

  @Test
  void underTheLimitTheRightPasswordGetsInAndClearsTheAccountsFailures() {
    List<String[]> attempts = guesses(LIMIT - 2);
    attempts.add(new String[] {EMAIL, PASSWORD});
    try (LoginBurst burst = LoginBurst.start(server, attempts)) {
      assertThat(burst.statuses()).containsExactly(401, 401, 401, 200);
    }
    assertThat(server.db.scalar("select count(*) from sessions")).isEqualTo(1L);

    clear();
    for (int i = 0; i < LIMIT - 1; i++) {
      assertThat(server.anonymous().post("/api/v1/auth/login", new JsonObject().put("email", EMAIL)
          .put("password", "wrong")).status()).isEqualTo(401);
    }
    assertThat(server.anonymous().post("/api/v1/auth/login", new JsonObject().put("email", EMAIL)
        .put("password", PASSWORD)).status()).isEqualTo(200);
    assertThat(failuresCounted()).as("a success clears the account's failures").isZero();
  }
}
