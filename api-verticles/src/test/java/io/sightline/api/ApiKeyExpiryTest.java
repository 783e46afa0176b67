package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.EDITOR_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API keys with an optional expiry: a key works until its {@code expiresAt} and is refused after it with a 401 "API key
 * expired" (never accepted, for reads and writes alike); a bad {@code expiresAt} is a 400 naming the field and stores
 * nothing; the list shows each key's expiry and last use, which a request refreshes at most once a minute.
 */
@ExtendWith(PostgresExtension.class)
class ApiKeyExpiryTest {
  private static ApiTestServer server;
  private static ApiClient editor;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    editor = server.as(EDITOR_A);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject create(String name, Object expiresAt) {
    Response r = editor.post("/api/v1/api-keys", new JsonObject().put("name", name).put("expiresAt", expiresAt));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  private static JsonObject listed(ApiClient client, String id) {
    JsonArray keys = client.get("/api/v1/api-keys").array();
    return keys.stream().map(k -> (JsonObject) k).filter(k -> k.getString("id").equals(id)).findFirst().orElse(null);
  }

  private static Object column(String column, String id) {
    return server.db.scalar("select " + column + " from api_keys where id = '" + id + "'");
  }

  @Test
  void aKeyWithAFutureExpiryWorksAndIsListedWithItsExpiryAndLastUse() throws InterruptedException {
    String expiresAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
    // any offset is accepted; the answer is in UTC
    String withOffset = Instant.parse(expiresAt).atOffset(ZoneOffset.ofHours(2)).toString();
    JsonObject created = create("monthly export", withOffset);
    String id = created.getString("id");
    assertThat(created.getString("expiresAt")).isEqualTo(expiresAt);
    JsonObject listed = listed(editor, id);
    assertThat(listed.getString("expiresAt")).isEqualTo(expiresAt);
    assertThat(listed.getValue("lastUsedAt")).isNull();
    assertThat(server.db.scalar("select details->>'expiresAt' from audit_events where action = 'api_key.created'"
        + " and target_id = '" + id + "'")).as("the audit event names the expiry").isEqualTo(expiresAt);

    ApiClient automation = server.anonymous().withApiKey(created.getString("key"));
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(200);
    for (int i = 0; i < 50 && column("last_used_at", id) == null; i++) {
      Thread.sleep(100);
    }
    assertThat(column("last_used_at > now() - interval '1 minute'", id)).isEqualTo(Boolean.TRUE);
    assertThat(listed(editor, id).getString("lastUsedAt")).isNotNull();

    // another org never sees it
    assertThat(listed(server.as(ADMIN_B), id)).isNull();
    assertThat(listed(server.as(ADMIN_A), id)).as("org A's admin sees every member's keys").isNotNull();
  }

  @Test
  void aKeyWithoutExpiryNeverExpires() {
    JsonObject created = create("forever", null);
    assertThat(created.containsKey("expiresAt")).isTrue();
    assertThat(created.getValue("expiresAt")).isNull();
    assertThat(listed(editor, created.getString("id")).getValue("expiresAt")).isNull();
    Response absent = editor.post("/api/v1/api-keys", new JsonObject().put("name", "no field"));
    assertThat(column("expires_at", absent.json().getString("id"))).isNull();
  }

  @Test
  void anExpiredKeyIsRefusedWithApiKeyExpiredAndStaysListedAsExpired() {
    JsonObject created = create("expiring", Instant.now().plus(Duration.ofDays(1)).toString());
    String id = created.getString("id");
    ApiClient automation = server.anonymous().withApiKey(created.getString("key"));
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(200);
    server.db.execute("update api_keys set created_at = now() - interval '2 days', expires_at = now() - interval"
        + " '1 second', last_used_at = null where id = '" + id + "'");

    for (Response refused : new Response[] {automation.get("/api/v1/me"),
        automation.post("/api/v1/api-keys", new JsonObject().put("name", "made by an expired key"))}) {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.json().getString("title")).isEqualTo("API key expired");
      assertThat(refused.json().getString("type")).isEqualTo("urn:sightline:problem:api-key-expired");
      assertThat(refused.json().getString("detail")).contains("expired at");
    }
    assertThat(server.db.scalar("select count(*) from api_keys where name = 'made by an expired key'")).isEqualTo(0L);
    assertThat(column("last_used_at", id)).as("a refused request is no use").isNull();
    assertThat(listed(editor, id).getString("expiresAt")).isNotNull();

    // revoked as well: no longer a key at all
    assertThat(editor.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
    assertThat(automation.get("/api/v1/me").json().getString("title")).isEqualTo("Sign-in required");
  }

  @Test
  void aBadExpiryIsA400NamingTheFieldAndStoresNothing() {
    Instant now = Instant.now();
    Object[] bad = {"next month", "2027-03-01", "2027-03-01T00:00:00", "", now.minus(Duration.ofDays(1)).toString(),
        now.plusSeconds(10).toString(), now.atOffset(ZoneOffset.UTC).plusYears(5).plusDays(2).toString(), 30,
        true, "x".repeat(41)};
    for (Object value : bad) {
      Response r = editor.post("/api/v1/api-keys", new JsonObject().put("name", "bad expiry").put("expiresAt", value));
      assertThat(r.status()).as("expiresAt %s: %s", value, r).isEqualTo(400);
      assertThat(r.header("Content-Type")).hasValue("application/problem+json");
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).as(r.toString())
          .isEqualTo("/expiresAt");
    }
    assertThat(server.db.scalar("select count(*) from api_keys where name = 'bad expiry'")).isEqualTo(0L);
    // the limits themselves are fine
    create("five years", now.atOffset(ZoneOffset.UTC).plusYears(5).minusMinutes(1).toString());
    create("two minutes", now.plus(Duration.ofMinutes(2)).toString());
  }

  @Test
  void lastUseIsRefreshedAtMostOnceAMinute() throws InterruptedException {
    JsonObject created = create("busy", null);
    String id = created.getString("id");
    ApiClient automation = server.anonymous().withApiKey(created.getString("key"));
    server.db.execute("update api_keys set last_used_at = now() - interval '30 seconds' where id = '" + id + "'");
    Object recent = column("last_used_at", id);
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(200);
    Thread.sleep(300);
    assertThat(column("last_used_at", id)).as("used 30 s ago: not written again").isEqualTo(recent);

    server.db.execute("update api_keys set last_used_at = now() - interval '2 minutes' where id = '" + id + "'");
    assertThat(automation.get("/api/v1/me").status()).isEqualTo(200);
    for (int i = 0; i < 50 && Boolean.FALSE.equals(column("last_used_at > now() - interval '1 minute'", id)); i++) {
      Thread.sleep(100);
    }
    assertThat(column("last_used_at > now() - interval '1 minute'", id)).isEqualTo(Boolean.TRUE);
  }
}
