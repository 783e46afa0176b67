package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.Http;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behind a trusted reverse proxy ({@code SIGHTLINE_HTTP_TRUSTED_PROXIES}, here the test's own 127.0.0.1): the client
 * address is the forwarded one, so the per-address sign-in throttle tells clients apart instead of throttling every
 * user of the proxy together; a client cannot pick its address by prepending hops; HSTS is sent when the proxy says
 * the request came over HTTPS. (Without a trusted proxy the headers are ignored: LoginThrottleByAddressTest.)
 */
@ExtendWith(PostgresExtension.class)
class TrustedProxiesTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS", "3",
        "SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", "100", "SIGHTLINE_HTTP_TRUSTED_PROXIES", "127.0.0.1, 10.9.0.0/16"));
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
  void theForwardedClientIsWhoTheThrottleCountsSoOneGuesserDoesNotLockOutEveryone() {
    for (int i = 0; i < 3; i++) {
      assertThat(guess("203.0.113.7", "guess" + i + "@a.test").statusCode()).isEqualTo(401);
    }
    assertThat(guess("203.0.113.7", "guess9@a.test").statusCode()).isEqualTo(429);
    // another client behind the same proxy is not throttled
    assertThat(guess("198.51.100.9", "other@a.test").statusCode()).isEqualTo(401);
    assertThat(addresses()).containsOnly("203.0.113.7", "198.51.100.9");
  }

  @Test
  void aClientCannotChooseItsAddressByPrependingHopsButTrustedProxyHopsAreSkipped() {
    // the client sent "X-Forwarded-For: 203.0.113.7"; the proxy chain appended the client's real address and a
    // trusted inner proxy: the nearest untrusted hop is the real client
    guess("203.0.113.7, 198.51.100.20, 10.9.3.4", "spoof@a.test");
    assertThat(addresses()).containsExactly("198.51.100.20");
    server.db.execute("delete from login_failures");
    // garbage in the nearest untrusted position: the address the last trusted proxy saw
    guess("not-an-address", "junk@a.test");
    assertThat(addresses()).containsExactly("127.0.0.1");
  }

  @Test
  void hstsOnlyWhenATrustedProxySaysTheRequestCameOverHttps() {
    HttpResponse<String> https = Http.send(HttpRequest.newBuilder(URI.create(server.base + "/healthz"))
        .header("X-Forwarded-Proto", "https").GET().build());
    assertThat(https.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
    HttpResponse<String> plain = Http.send(HttpRequest.newBuilder(URI.create(server.base + "/healthz")).GET().build());
    assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  private static HttpResponse<String> guess(String forwardedFor, String email) {
    return Http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/auth/login"))
        .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"wrong\"}")).build());
  }

  @SuppressWarnings("unchecked")
  private static List<String> addresses() {
    return server.db.query("select address from login_failures order by at").stream()
        .map(r -> (String) r.get("address")).toList();
  }
}
