package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.Await;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document describes exactly the API routes the router mounts. */
@ExtendWith(PostgresExtension.class)
class OpenApiTest {
  private static ApiTestServer server;
  private static ApiVerticle verticle;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    verticle = new ApiVerticle(server.node.config(), server.node.pool(), server.node.readiness(),
        server.node.secrets());
    Await.result(server.node.vertx().deployVerticle(verticle, new DeploymentOptions()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyMountedApiRouteIsInTheDocumentAndViceVersa() {
    Set<String> mounted = new TreeSet<>();
    for (Route route : verticle.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith("/api/v1/") || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String openApiPath = path.replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> mounted.add(m.name() + " " + openApiPath));
    }
    JsonObject doc = server.anonymous().get("/api/v1/openapi.json").json();
    Set<String> documented = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).fieldNames()
        .forEach(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    assertThat(mounted).isNotEmpty();
    assertThat(documented).containsAll(mounted);
    assertThat(mounted).containsAll(documented);
  }

  @Test
  void everyOperationSaysWhoMayCallItAndHowItFails() {
    JsonObject doc = server.anonymous().get("/api/v1/openapi.json").json();
    assertThat(doc.getString("openapi")).startsWith("3.");
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).forEach(op -> {
      JsonObject operation = (JsonObject) op.getValue();
      assertThat(operation.getString("operationId")).as(p.getKey()).isNotBlank();
      assertThat(operation.getString("summary")).as(p.getKey()).isNotBlank();
      assertThat(operation.containsKey("security")).as(p.getKey()).isTrue();
      if (!operation.getJsonArray("security").isEmpty()) {
        assertThat(operation.getString("x-sightline-min-role")).as(p.getKey()).isIn("viewer", "editor", "admin");
        assertThat(operation.getJsonObject("responses").containsKey("401")).as(p.getKey()).isTrue();
      }
    }));
  }
}
