package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.visualizations.VizConfigSchemas;
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
  void everyReferenceInTheDocumentResolvesAndTheVizConfigSchemasAreServed() {
    JsonObject doc = server.anonymous().get("/api/v1/openapi.json").json();
    java.util.List<String> refs = new java.util.ArrayList<>();
    collectRefs(doc, refs);
    for (String ref : refs) {
      assertThat(ref).as("a $ref into the document").startsWith("#/components/schemas/");
      assertThat(doc.getJsonObject("components").getJsonObject("schemas")
          .containsKey(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
    }
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    for (String kind : VizConfigSchemas.KINDS) {
      assertThat(schemas.getJsonObject("VizConfig_" + kind)).isEqualTo(VizConfigSchemas.schema(kind));
      assertThat(refs).as("routes refer to VizConfig_%s", kind).contains("#/components/schemas/VizConfig_" + kind);
    }
    JsonObject create = doc.getJsonObject("paths").getJsonObject("/api/v1/queries/{queryId}/visualizations")
        .getJsonObject("post").getJsonObject("requestBody").getJsonObject("content")
        .getJsonObject("application/json").getJsonObject("schema");
    assertThat(create.getJsonArray("allOf").getJsonObject(3).getJsonObject("then").encode())
        .contains("#/components/schemas/VizConfig_stat");
  }

  private static void collectRefs(Object node, java.util.List<String> refs) {
    if (node instanceof JsonObject o) {
      o.forEach(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add((String) e.getValue());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(v -> collectRefs(v, refs));
    }
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
