package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class AuthTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    // a small window and limit so throttling is quick to reach
    server = ApiTestServer.start(db, Map.of("SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", "3",
        "SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS", "1000"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password);
  }

  @Test
  void signInSetsAnHttpOnlyLaxSessionCookieAndAnswersWhoIAm() {
    ApiClient client = server.anonymous();
    Response r = client.post("/api/v1/auth/login", credentials(EDITOR_A, PASSWORD));
    assertThat(r.status()).isEqualTo(200);
    JsonObject me = r.json();
    assertThat(me.getJsonObject("user").getString("email")).isEqualTo(EDITOR_A);
    assertThat(me.getString("role")).isEqualTo("editor");
    assertThat(me.getJsonObject("org").getString("slug")).isEqualTo("trading-ops");
    String setCookie = r.headers("Set-Cookie").stream().filter(h -> h.startsWith("sightline_session=")).findFirst()
        .orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=");
    assertThat(r.headers("Set-Cookie").stream().filter(h -> h.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow())
        .doesNotContainIgnoringCase("HttpOnly");
    assertThat(client.get("/api/v1/me").json().getJsonObject("user").getString("email")).isEqualTo(EDITOR_A);
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
    Response wrong = server.anonymous().post("/api/v1/auth/login", credentials(VIEWER_A, "not the password"));
    Response unknown = server.anonymous().post("/api/v1/auth/login", credentials("nobody@a.test", "whatever pass"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    // the same answer but for the request's own id
    assertThat(wrong.json().copy().put("requestId", "")).isEqualTo(unknown.json().copy().put("requestId", ""));
    assertThat(wrong.body()).doesNotContain(VIEWER_A);
    server.db.execute("delete from login_failures");
  }

  @Test
  void repeatedFailuresAreThrottledWithRetryAfterEvenForTheRightPassword() {
    String email = "throttled@a.test";
    server.db.execute("with u as (insert into users (email, password_hash) select '" + email + "', password_hash"
        + " from users where email = '" + ADMIN_A + "' returning id) insert into memberships (user_id, org_id, role)"
        + " select id, '" + ApiTestServer.ORG_A + "', 'viewer' from u");
    for (int i = 0; i < 3; i++) {
      assertThat(server.anonymous().post("/api/v1/auth/login", credentials(email, "guess " + i)).status())
          .isEqualTo(401);
    }
    Response throttled = server.anonymous().post("/api/v1/auth/login", credentials(email, PASSWORD));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.header("Content-Type")).hasValue("application/problem+json");
    assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(1, 15 * 60);
    // an unknown account is throttled the same way: the answer never tells whether the email exists
    for (int i = 0; i < 3; i++) {
      server.anonymous().post("/api/v1/auth/login", credentials("ghost@a.test", "guess " + i));
    }
    Response ghost = server.anonymous().post("/api/v1/auth/login", credentials("ghost@a.test", "guess"));
    assertThat(ghost.status()).isEqualTo(429);
    assertThat(ghost.json().getString("title")).isEqualTo(throttled.json().getString("title"));
    // other accounts are unaffected
    assertThat(server.anonymous().post("/api/v1/auth/login", credentials(EDITOR_A, PASSWORD)).status()).isEqualTo(200);
    // the window passing lets the account in again
    server.db.execute("update login_failures set at = at - interval '1 hour'");
    assertThat(server.anonymous().post("/api/v1/auth/login", credentials(email, PASSWORD)).status()).isEqualTo(200);
  }

  @Test
  void eachSignInGetsANewSessionAndSignOutEndsOnlyThatOneAtOnce() {
    ApiClient first = server.as(VIEWER_A);
    ApiClient second = server.as(VIEWER_A);
    String firstCookie = first.cookie("sightline_session").map(HttpCookie::getValue).orElseThrow();
    String secondCookie = second.cookie("sightline_session").map(HttpCookie::getValue).orElseThrow();
    assertThat(firstCookie).isNotEqualTo(secondCookie);
    ApiClient stolen = first.copyCookiesTo(server.anonymous());

    assertThat(first.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
    assertThat(stolen.get("/api/v1/me").status()).as("a copy of the signed-out cookie").isEqualTo(401);
    assertThat(second.get("/api/v1/me").status()).isEqualTo(200);
  }

  @Test
  void anExpiredSessionIsRefused() {
    ApiClient client = server.as(VIEWER_A);
    server.db.execute("update sessions set created_at = now() - interval '2 days', expires_at = now() - interval"
        + " '1 second' where user_id = (select id from users where email = '" + VIEWER_A + "')");
    Response r = client.get("/api/v1/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().getString("detail")).isEqualTo("Your session has ended; sign in again.");
  }

  @Test
  void cookieAuthenticatedWritesNeedTheCsrfToken() {
    ApiClient client = server.as(EDITOR_A);
    ApiClient noCsrf = client.copyCookiesTo(server.anonymous()).withoutCsrf();
    Response refused = noCsrf.post("/api/v1/api-keys", new JsonObject().put("name", "no csrf"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("type")).isEqualTo("urn:sightline:problem:csrf");
    assertThat(server.db.scalar("select count(*) from api_keys where name = 'no csrf'")).isEqualTo(0L);
    // reads need no token
    assertThat(noCsrf.get("/api/v1/me").status()).isEqualTo(200);
    // with the token the same write works
    assertThat(client.post("/api/v1/api-keys", new JsonObject().put("name", "with csrf")).status()).isEqualTo(201);
  }

  @Test
  void disablingAMemberEndsTheirSessionsAndApiKeysAtOnce() {
    String email = "leaving@a.test";
    ApiClient admin = server.as(ADMIN_A);
    Response invited = admin.post("/api/v1/users", new JsonObject().put("email", email).put("role", "editor")
        .put("password", PASSWORD));
    assertThat(invited.status()).isEqualTo(201);
    String userId = invited.json().getString("id");
    ApiClient member = server.as(email);
    String key = member.post("/api/v1/api-keys", new JsonObject().put("name", "cron")).json().getString("key");
    ApiClient automation = server.anonymous().withApiKey(key);
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(200);

    assertThat(admin.patch("/api/v1/users/" + userId, new JsonObject().put("disabled", true)).status()).isEqualTo(200);
    assertThat(member.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(server.anonymous().post("/api/v1/auth/login", credentials(email, PASSWORD)).status()).isEqualTo(403);

    assertThat(admin.patch("/api/v1/users/" + userId, new JsonObject().put("disabled", false)).status())
        .isEqualTo(200);
    assertThat(automation.get("/api/v1/me").status()).as("the key works again once re-enabled").isEqualTo(200);
  }

  @Test
  void aOneTimePasswordMustBeReplacedBeforeAnythingElse() {
    ApiClient admin = server.as(ADMIN_A);
    Response invited = admin.post("/api/v1/users", new JsonObject().put("email", "new@a.test").put("role", "viewer"));
    assertThat(invited.status()).isEqualTo(201);
    String oneTime = invited.json().getString("oneTimePassword");
    assertThat(oneTime).hasSize(23);
    assertThat(admin.get("/api/v1/users/" + invited.json().getString("id")).body()).doesNotContain(oneTime);

    ApiClient user = new ApiClient(server.base).login("new@a.test", oneTime);
    assertThat(user.get("/api/v1/me").json().getJsonObject("user").getBoolean("mustChangePassword")).isTrue();
    Response blocked = user.get("/api/v1/datasources");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.json().getString("type")).isEqualTo("urn:sightline:problem:password-change-required");

    Response tooShort = user.post("/api/v1/me/password", new JsonObject().put("currentPassword", oneTime)
        .put("newPassword", "short"));
    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(tooShort.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/newPassword");
    assertThat(user.post("/api/v1/me/password", new JsonObject().put("currentPassword", oneTime)
        .put("newPassword", "my own long passphrase")).status()).isEqualTo(204);
    assertThat(user.get("/api/v1/datasources").status()).isEqualTo(200);
    assertThat(new ApiClient(server.base).post("/api/v1/auth/login", credentials("new@a.test", oneTime)).status())
        .isEqualTo(401);
    server.db.execute("delete from login_failures");
  }

  @Test
  void apiKeysAreShownOnceStoredAsSha256AndRevokedAtOnce() throws Exception {
    ApiClient editor = server.as(EDITOR_A);
    Response created = editor.post("/api/v1/api-keys", new JsonObject().put("name", "dashboards export"));
    assertThat(created.status()).isEqualTo(201);
    String key = created.json().getString("key");
    assertThat(key).startsWith("sl_");
    String id = created.json().getString("id");
    assertThat(editor.get("/api/v1/api-keys").body()).contains(id).contains(created.json().getString("prefix"))
        .doesNotContain(key);
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes());
    assertThat(server.db.scalar("select encode(key_hash, 'hex') from api_keys where id = '" + id + "'"))
        .isEqualTo(java.util.HexFormat.of().formatHex(sha));

    ApiClient automation = server.anonymous().withApiKey(key);
    JsonObject me = automation.get("/api/v1/me").json();
    assertThat(me.getJsonObject("user").getString("email")).isEqualTo(EDITOR_A);
    assertThat(me.getString("role")).isEqualTo("editor");
    assertThat(me.containsKey("csrfToken")).isFalse();
    // a key needs no CSRF token for writes
    assertThat(automation.post("/api/v1/api-keys", new JsonObject().put("name", "made by key")).status())
        .isEqualTo(201);
    assertThat(server.db.scalar("select last_used_at is not null from api_keys where id = '" + id + "'"))
        .isEqualTo(true);

    assertThat(editor.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(server.anonymous().withApiKey("sl_" + "x".repeat(43)).get("/api/v1/me").status()).isEqualTo(401);
  }

  @Test
  void switchingOrgActsInTheOtherOrgWithThatRole() {
    String email = "both@a.test";
    server.as(ADMIN_A).post("/api/v1/users", new JsonObject().put("email", email).put("role", "viewer")
        .put("password", PASSWORD));
    server.as(ApiTestServer.ADMIN_B).post("/api/v1/users", new JsonObject().put("email", email).put("role", "admin"));
    ApiClient both = server.as(email);
    JsonObject me = both.get("/api/v1/me").json();
    assertThat(me.getJsonArray("orgs")).hasSize(2);
    Response switched = both.put("/api/v1/me/org", new JsonObject().put("orgId", ApiTestServer.ORG_B));
    assertThat(switched.status()).isEqualTo(200);
    assertThat(switched.json().getString("role")).isEqualTo("admin");
    assertThat(both.get("/api/v1/users").status()).isEqualTo(200);
    assertThat(both.put("/api/v1/me/org", new JsonObject().put("orgId", ApiTestServer.ORG_A)).json().getString("role"))
        .isEqualTo("viewer");
    assertThat(both.get("/api/v1/users").status()).isEqualTo(403);
  }
}
