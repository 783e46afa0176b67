package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class UserAdminTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theLastAdminCanNeitherBeDemotedNorDisabled() {
    ApiClient adminB = server.as(ADMIN_B);
    String self = server.userId(ADMIN_B);
    for (JsonObject change : new JsonObject[] {new JsonObject().put("role", "editor"),
        new JsonObject().put("disabled", true)}) {
      Response r = adminB.patch("/api/v1/users/" + self, change);
      assertThat(r.status()).as(change.encode()).isEqualTo(409);
      assertThat(r.json().getString("detail")).contains("last active admin");
    }
    assertThat(server.db.scalar("select role from memberships where user_id = '" + self + "'")).isEqualTo("admin");
    assertThat(server.db.scalar("select disabled_at is null from memberships where user_id = '" + self + "'"))
        .isEqualTo(true);

    // with a second admin, the first may step down
    Response second = adminB.post("/api/v1/users", new JsonObject().put("email", "second@b.test").put("role", "admin")
        .put("password", PASSWORD));
    assertThat(second.status()).isEqualTo(201);
    assertThat(adminB.patch("/api/v1/users/" + self, new JsonObject().put("role", "editor")).status()).isEqualTo(200);
    ApiClient secondAdmin = server.as("second@b.test");
    assertThat(secondAdmin.patch("/api/v1/users/" + second.json().getString("id"),
        new JsonObject().put("disabled", true)).status()).isEqualTo(409);
    assertThat(secondAdmin.patch("/api/v1/users/" + self, new JsonObject().put("role", "admin")).status())
        .isEqualTo(200);
  }

  @Test
  void invitingAnExistingMemberIsAConflictAndChangesNothing() {
    ApiClient admin = server.as(ADMIN_A);
    Response r = admin.post("/api/v1/users", new JsonObject().put("email", ApiTestServer.EDITOR_A).put("role", "admin"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(server.db.scalar("select m.role from memberships m join users u on u.id = m.user_id where u.email = '"
        + ApiTestServer.EDITOR_A + "'")).isEqualTo("editor");
  }

  @Test
  void aPasswordResetGivesAOneTimePasswordAndEndsSessions() {
    ApiClient admin = server.as(ADMIN_A);
    Response invited = admin.post("/api/v1/users", new JsonObject().put("email", "forgetful@a.test")
        .put("role", "viewer").put("password", PASSWORD));
    String id = invited.json().getString("id");
    ApiClient forgetful = server.as("forgetful@a.test");
    Response reset = admin.post("/api/v1/users/" + id + "/password-reset", null);
    assertThat(reset.status()).isEqualTo(200);
    String oneTime = reset.json().getString("oneTimePassword");
    assertThat(forgetful.get("/api/v1/me").status()).isEqualTo(401);
    ApiClient again = new ApiClient(server.base).login("forgetful@a.test", oneTime);
    assertThat(again.get("/api/v1/me").json().getJsonObject("user").getBoolean("mustChangePassword")).isTrue();
  }

  @Test
  void anAdminCannotResetThePasswordOfSomeoneWhoAlsoBelongsToAnOrgTheyDoNotAdminister() {
    String email = "shared@a.test";
    Response inA = server.as(ADMIN_A).post("/api/v1/users", new JsonObject().put("email", email).put("role", "viewer")
        .put("password", PASSWORD));
    server.as(ADMIN_B).post("/api/v1/users", new JsonObject().put("email", email).put("role", "viewer"));
    Response r = server.as(ADMIN_A).post("/api/v1/users/" + inA.json().getString("id") + "/password-reset", null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(server.as(email).get("/api/v1/me").status()).as("their password still works").isEqualTo(200);
  }
}
