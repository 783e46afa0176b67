package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.ORG_B;
import static io.sightline.api.ApiTestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The account × org part of the role matrix: an account in several orgs is its own. An admin of one of its orgs can
 * manage its membership there (role, access) but not rename it everywhere — only the user or an admin of every org
 * it belongs to can — and inviting an existing account reveals nothing another org or the user set.
 */
@ExtendWith(PostgresExtension.class)
class CrossOrgAccountTest {
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An account with these memberships (org id → role) and the test password. */
  private static String account(String email, String displayName, Map<String, String> roles) {
    server.db.execute("insert into users (email, display_name, password_hash) select '" + email + "', '" + displayName
        + "', password_hash from users where email = '" + ADMIN_A + "'");
    String id = server.userId(email);
    roles.forEach((org, role) -> server.db.execute("insert into memberships (user_id, org_id, role) values ('" + id
        + "', '" + org + "', '" + role + "')"));
    return id;
  }

  /** Signed in and acting in {@code orgId}. */
  private static ApiClient in(String email, String orgId) {
    ApiClient client = new ApiClient(server.base).login(email, PASSWORD);
    Response switched = client.put("/api/v1/me/org", new JsonObject().put("orgId", orgId));
    assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
    return client;
  }

  private static String displayName(String userId) {
    return (String) server.db.scalar("select display_name from users where id = '" + userId + "'");
  }

  @Test
  void invitingAnExistingAccountOfAnotherOrgRevealsNothingFromThatOrg() {
    String id = account("bea@b.test", "Bea of Outages", Map.of(ORG_B, "admin"));
    in("bea@b.test", ORG_B); // signs in to org B: a last sign-in that org A must not learn
    ApiClient adminA = server.as(ADMIN_A);

    Response invited = adminA.post("/api/v1/users", new JsonObject().put("email", "bea@b.test").put("role", "viewer"));
    assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
    JsonObject member = invited.json();
    assertThat(member.getString("id")).isEqualTo(id);
    assertThat(member.getBoolean("existingAccount")).isTrue();
    assertThat(member.getValue("lastLoginAt")).isNull();
    assertThat(member.getString("displayName")).isEmpty();
    assertThat(member.containsKey("oneTimePassword")).isFalse();
    assertThat(invited.body()).doesNotContain("Bea of Outages").doesNotContain(ORG_B).doesNotContain("Outages");

    // org A's views of its member show its last sign-in to org A only
    assertThat(adminA.get("/api/v1/users/" + id).json().getValue("lastLoginAt")).isNull();
    in("bea@b.test", ORG_A);
    assertThat(adminA.get("/api/v1/users/" + id).json().getString("lastLoginAt")).isNotNull();
  }

  @Test
  void anAdminOfOnlySomeOfTheirOrgsCannotRenameThem() {
    String id = account("cy@b.test", "Cy", Map.of(ORG_B, "admin", ORG_A, "viewer"));
    ApiClient adminA = server.as(ADMIN_A);

    Response r = adminA.patch("/api/v1/users/" + id, new JsonObject().put("displayName", "Renamed by org A"));
    assertThat(r.status()).as(r.toString()).isEqualTo(403);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    assertThat(r.json().getString("detail")).contains("orgs you do not administer").contains("display name");
    assertThat(displayName(id)).isEqualTo("Cy");
    assertThat(in("cy@b.test", ORG_B).get("/api/v1/me").json().getJsonObject("user").getString("displayName"))
        .as("org B's /me").isEqualTo("Cy");

    // what belongs to org A stays org A's to change, also with the unchanged name in the same form
    Response role = adminA.patch("/api/v1/users/" + id, new JsonObject().put("role", "editor").put("displayName", "Cy"));
    assertThat(role.status()).as(role.toString()).isEqualTo(200);
    assertThat(role.json().getString("role")).isEqualTo("editor");
  }

  @Test
  void anAdminOfEveryOrgTheyBelongToMayRenameThem() {
    String id = account("di@b.test", "Di", Map.of(ORG_A, "viewer", ORG_B, "viewer"));
    account("both@b.test", "Both", Map.of(ORG_A, "admin", ORG_B, "admin"));
    Response r = in("both@b.test", ORG_A).patch("/api/v1/users/" + id, new JsonObject().put("displayName", "Di Two"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(in("di@b.test", ORG_B).get("/api/v1/me").json().getJsonObject("user").getString("displayName"))
        .isEqualTo("Di Two");
  }

  @Test
  void theUserMayRenameThemself() {
    String id = account("el@b.test", "El", Map.of(ORG_A, "admin", ORG_B, "viewer"));
    Response r = in("el@b.test", ORG_A).patch("/api/v1/users/" + id, new JsonObject().put("displayName", "Elle"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(displayName(id)).isEqualTo("Elle");
  }
}
