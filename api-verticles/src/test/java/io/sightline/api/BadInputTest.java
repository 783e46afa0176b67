package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets a clear 4xx problem naming the field — never a 500, never a stack trace — and writes nothing. */
@ExtendWith(PostgresExtension.class)
class BadInputTest {
  private static final String PATH = "/api/v1/datasources";
  private static ApiTestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    admin = server.as(ADMIN_A);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void nothingWasWritten() {
    assertThat(server.db.scalar("select count(*) from datasources")).isEqualTo(0L);
  }

  private static JsonObject valid() {
    return new JsonObject().put("name", "Grid").put("host", "db.internal").put("database", "grid").put("user", "r");
  }

  private static Response post(String body) {
    return admin.send("POST", PATH, body, "application/json");
  }

  private static void assertProblem(Response r, int status, String... fields) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.vertx");
    JsonObject problem = r.json();
    assertThat(problem.getString("title")).isNotBlank();
    if (fields.length > 0) {
      JsonArray errors = problem.getJsonArray("errors");
      List<String> named = errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
      assertThat(named).as(r.toString()).contains(fields);
      errors.forEach(e -> assertThat(((JsonObject) e).getString("message")).isNotBlank());
    }
  }

  @Test
  void malformedJson() {
    Response r = post("{\"name\": \"Grid\", ");
    assertProblem(r, 400);
    assertThat(r.json().getString("title")).isEqualTo("Malformed JSON");
  }

  @Test
  void aBodyThatIsNotAnObject() {
    assertProblem(post("[1, 2, 3]"), 400);
    assertProblem(post("\"just a string\""), 400);
    assertProblem(post(""), 400);
  }

  @Test
  void wrongTypes() {
    assertProblem(post(valid().put("port", "5432").encode()), 400, "/port");
    assertProblem(post(valid().put("name", 42).encode()), 400, "/name");
    assertProblem(post(valid().put("readOnly", "yes").encode()), 400, "/readOnly");
  }

  @Test
  void missingFields() {
    assertProblem(post("{}"), 400, "/name", "/host", "/database", "/user");
  }

  @Test
  void unknownEnumValuesAndFields() {
    assertProblem(post(valid().put("sslMode", "sometimes").encode()), 400, "/sslMode");
    assertProblem(post(valid().put("kind", "mysql").encode()), 400, "/kind");
    Response unknown = post(valid().put("hots", "typo").encode());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("hots");
  }

  @Test
  void outOfRangeAndCrossFieldValues() {
    assertProblem(post(valid().put("port", 70000).encode()), 400, "/port");
    assertProblem(post(valid().put("maxConcurrency", 0).encode()), 400, "/maxConcurrency");
    assertProblem(post(valid().put("defaultTimeoutMs", 600_000).put("maxTimeoutMs", 60_000).encode()), 400,
        "/defaultTimeoutMs");
    assertProblem(post(valid().put("searchPath", "public; drop table x").encode()), 400, "/searchPath");
  }

  @Test
  void tooDeeplyNestedJson() {
    String deep = "{\"name\":" + "[".repeat(200) + "]".repeat(200) + "}";
    Response r = post(deep);
    assertProblem(r, 400);
    assertThat(r.json().getString("detail")).contains("nested too deeply");
  }

  @Test
  void anOversizedBodyIs413() {
    String huge = valid().put("name", "x".repeat(2 * 1024 * 1024)).encode();
    assertProblem(post(huge), 413);
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    assertProblem(admin.send("POST", PATH, "name=Grid", "application/x-www-form-urlencoded"), 415);
  }

  @Test
  void duplicateKeysAreRefused() {
    assertProblem(post("{\"name\":\"a\",\"name\":\"b\",\"host\":\"h\",\"database\":\"d\",\"user\":\"u\"}"), 400);
  }

  @Test
  void anInvalidIdIsNotFoundRatherThanAnError() {
    assertProblem(admin.get(PATH + "/not-a-uuid"), 404);
    assertProblem(admin.patch(PATH + "/not-a-uuid", new JsonObject().put("name", "x")), 404);
  }
}
