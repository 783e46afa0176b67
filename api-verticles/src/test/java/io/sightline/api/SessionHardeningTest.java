package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.auth.SessionTokens;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions: every sign-in starts a new session (a cookie held before, even a valid one, is never promoted: no
 * fixation); signing out everywhere ends every session of the user at once while their API keys keep working; and a
 * session unused for {@code auth.sessionIdleMinutes} has ended.
 */
@ExtendWith(PostgresExtension.class)
class SessionHardeningTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, java.util.Map.of("SIGHTLINE_SESSION_IDLE_MINUTES", "30"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String session(ApiClient client) {
    return client.cookie(SessionTokens.SESSION_COOKIE).orElseThrow().getValue();
  }

  @Test
  void signingInAgainStartsANewSession() {
    ApiClient first = server.as(ADMIN_A);
    ApiClient same = first.copyCookiesTo(server.anonymous());
    String before = session(same);
    same.login(ADMIN_A, PASSWORD);
    assertThat(session(same)).isNotEqualTo(before);
    long sessions = (Long) server.db.scalar("select count(distinct s.id) from sessions s join users u"
        + " on u.id = s.user_id where u.email = '" + ADMIN_A + "' and s.revoked_at is null");
    assertThat(sessions).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anIdleSessionHasEnded() throws InterruptedException {
    ApiClient idle = server.as(ADMIN_A);
    String idleSession = String.valueOf(server.db.scalar("select id from sessions order by created_at desc limit 1"));
    ApiClient busy = server.as(ADMIN_A);
    String busySession = String.valueOf(server.db.scalar("select id from sessions order by created_at desc limit 1"));
    assertThat(busySession).isNotEqualTo(idleSession);
    server.db.execute("update sessions set created_at = now() - interval '1 hour', last_seen_at = now()"
        + " - interval '31 minutes' where id = '" + idleSession + "'");
    assertThat(idle.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(busy.get("/api/v1/me").status()).isEqualTo(200);
    for (int i = 0; i < 50 && server.db.scalar("select last_seen_at from sessions where id = '" + busySession + "'")
        == null; i++) {
      Thread.sleep(100);
    }
    assertThat(server.db.scalar("select last_seen_at > now() - interval '1 minute' from sessions where id = '"
        + busySession + "'")).as("a request refreshes last_seen_at").isEqualTo(Boolean.TRUE);
  }

  @Test
  void signingOutEverywhereEndsEverySessionButNotApiKeys() {
    ApiClient laptop = server.as(ADMIN_A);
    ApiClient phone = server.as(ADMIN_A);
    String key = laptop.post("/api/v1/api-keys", new JsonObject().put("name", "automation")).json().getString("key");
    assertThat(laptop.send("POST", "/api/v1/auth/logout?everywhere=maybe", null, null).status()).isEqualTo(400);
    assertThat(laptop.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(laptop.send("POST", "/api/v1/auth/logout?everywhere=true", null, null).status()).isEqualTo(204);
    assertThat(laptop.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(phone.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(server.anonymous().withApiKey(key).get("/api/v1/me").status()).isEqualTo(200);
  }
}
