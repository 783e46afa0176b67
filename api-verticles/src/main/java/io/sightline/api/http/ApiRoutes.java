package io.sightline.api.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every API route, declared as a {@link RouteSpec}: mounted with one handler chain (authenticate → authorise by role →
 * CSRF → parse and validate the body → handler → reply), and described by the OpenAPI document generated from the same
 * declarations. A route cannot be mounted without saying who may call it. Schemas shared by several routes (a
 * visualization config per kind) are registered once as components: route schemas {@code $ref} them by {@code $id},
 * bodies are validated through them, and the document serves them under {@code components.schemas}.
 */
public final class ApiRoutes {
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";
  /** Routing-context key of the matched route's body limit in bytes (named in a 413). */
  public static final String BODY_LIMIT = "sightline.bodyLimit";
  /** At most this many query-string parameters on any request (no route documents more than a dozen). */
  public static final int MAX_QUERY_PARAMETERS = 32;
  /** At most this many characters in one query-string value (ids, filters, search text, cursors). */
  public static final int MAX_QUERY_VALUE_LENGTH = 1_000;

  private final List<RouteSpec> routes = new ArrayList<>();
  /** Shared schemas by component name. */
  private final Map<String, JsonObject> components = new TreeMap<>();
  private final Authenticator authenticator;
  private final int maxBodyBytes;

  public ApiRoutes(Authenticator authenticator, int maxBodyBytes) {
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
  }

  public ApiRoutes add(RouteSpec spec) {
    routes.add(spec);
    return this;
  }

  /**
   * Registers a shared schema, which must carry an {@code $id}: route schemas refer to it with {@code {"$ref": id}}.
   * Registering the same name again with the same schema is harmless.
   */
  public ApiRoutes component(String name, JsonObject schema) {
    if (schema.getString("$id") == null) {
      throw new IllegalArgumentException("component " + name + " has no $id");
    }
    JsonObject before = components.putIfAbsent(name, schema);
    if (before != null && !before.equals(schema)) {
      throw new IllegalStateException("two different component schemas named " + name);
    }
    return this;
  }

  public List<RouteSpec> routes() {
    return Collections.unmodifiableList(routes);
  }

  /** Mounts every route and the OpenAPI document on {@code router}. */
  public void mount(Router router) {
    JsonObject openApi = openApi();
    String document = openApi.encodePrettily();
    router.get(OPENAPI_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache").end(document));
    Map<Integer, BodyHandler> bodyHandlers = new java.util.HashMap<>();
    for (RouteSpec spec : routes) {
      JsonBodies bodies = spec.requestSchema() == null ? null : JsonBodies.forSchema(spec.requestSchema(),
          components.values());
      var route = router.route(spec.method(), spec.routerPath());
      int limit = spec.bodyLimit(maxBodyBytes);
      if (bodies != null) {
        route.handler(bodyHandlers.computeIfAbsent(limit, n -> BodyHandler.create(false).setBodyLimit(n)
            .setHandleFileUploads(false)));
        route.failureHandler(ctx -> {
          ctx.put(BODY_LIMIT, limit);
          ctx.next();
        });
      }
      route.handler(ctx -> dispatch(spec, bodies, ctx));
    }
  }

  private void dispatch(RouteSpec spec, JsonBodies bodies, RoutingContext ctx) {
    authenticator.authenticate(ctx, !spec.access().isPublic())
        .compose(principal -> {
          if (principal != null) {
            io.sightline.shared.logging.LogIds.bind(io.sightline.shared.logging.LogIds.ORG_ID, principal.orgId());
          }
          authorize(spec, principal);
          checkRequestText(ctx);
          JsonObject body = null;
          if (bodies != null) {
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
              throw new ApiException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                  "Send the body as application/json."));
            }
            body = bodies.parse(ctx.body().buffer());
          }
          return spec.handler().handle(new ApiRequest(ctx, principal, body));
        })
        .onSuccess(reply -> send(ctx, reply))
        .onFailure(ctx::fail);
  }

  private static void authorize(RouteSpec spec, Principal principal) {
    Access access = spec.access();
    if (access.isPublic()) {
      return;
    }
    if (principal.mustChangePassword() && !access.duringPasswordChange()) {
      throw new ApiException(Problem.of(403, "password-change-required", "Password change required",
          "Replace your one-time password first (POST /api/v1/me/password)."));
    }
    if (!principal.role().atLeast(access.minRole())) {
      throw ApiException.forbidden("This needs the " + access.minRole().wire() + " role; you are "
          + principal.role().wire() + " in this org.");
    }
  }

  /**
   * Path and query-string values are text too: a NUL ({@code %00}) or broken Unicode in one is a 400 naming it
   * ({@code {idOrSlug}}, {@code ?search}); more than
   * {@link #MAX_QUERY_PARAMETERS} parameters, or a value over {@link #MAX_QUERY_VALUE_LENGTH} characters, are a 400
   * too.
   */
  private static void checkRequestText(RoutingContext ctx) {
    int count = ctx.queryParams().entries().size();
    if (count > MAX_QUERY_PARAMETERS) {
      throw new ApiException(Problem.of(400, "validation", "Invalid request", "Some fields are invalid.")
          .withError("?", "at most " + MAX_QUERY_PARAMETERS + " query parameters are accepted; this request has "
              + count));
    }
    Problem problem = null;
    for (Map.Entry<String, String> param : ctx.pathParams().entrySet()) {
      String message = TextCheck.problem(param.getValue());
      if (message != null) {
        problem = (problem == null ? Problem.of(400, "validation", "Invalid request", "Some fields are invalid.")
            : problem).withError("{" + param.getKey() + "}", message);
      }
    }
    for (Map.Entry<String, String> param : ctx.queryParams()) {
      String message = TextCheck.problem(param.getKey()) != null ? TextCheck.problem(param.getKey())
          : param.getValue().length() > MAX_QUERY_VALUE_LENGTH
              ? "must be at most " + MAX_QUERY_VALUE_LENGTH + " characters" : TextCheck.problem(param.getValue());
      if (message != null) {
        problem = (problem == null ? Problem.of(400, "validation", "Invalid request", "Some fields are invalid.")
            : problem).withError("?" + TextCheck.replaced(param.getKey()), message);
      }
    }
    if (problem != null) {
      throw new ApiException(problem);
    }
  }

  private static void send(RoutingContext ctx, Reply reply) {
    if (reply == Reply.STREAMED) {
      return;
    }
    var response = ctx.response().setStatusCode(reply.status()).putHeader("Cache-Control", "no-store");
    reply.headers().forEach(response::putHeader);
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", "application/json");
      if (reply.body() instanceof io.vertx.core.buffer.Buffer raw) {
        response.end(raw);
      } else {
        response.end(reply.body() instanceof JsonArray a ? a.encode() : ((JsonObject) reply.body()).encode());
      }
    }
  }

  /** The OpenAPI 3.1 document of every declared route. */
  public JsonObject openApi() {
    Map<String, JsonObject> paths = new TreeMap<>();
    for (RouteSpec spec : routes) {
      paths.computeIfAbsent(spec.path(), p -> new JsonObject())
          .put(spec.method().name().toLowerCase(java.util.Locale.ROOT), operation(spec, spec.bodyLimit(maxBodyBytes)));
    }
    Map<String, String> refs = new java.util.HashMap<>();
    JsonObject schemas = new JsonObject().put("Problem", Schemas.problem());
    components.forEach((name, schema) -> {
      refs.put(schema.getString("$id"), "#/components/schemas/" + name);
      schemas.put(name, schema);
    });
    JsonObject pathsJson = new JsonObject();
    paths.forEach(pathsJson::put);
    pathsJson.put(OPENAPI_PATH, new JsonObject().put("get", new JsonObject()
        .put("operationId", "openApi").put("tags", new JsonArray().add("meta"))
        .put("summary", "This document").put("security", new JsonArray())
        .put("responses", new JsonObject().put("200", new JsonObject().put("description", "OpenAPI 3.1 document")))));
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "Sightline API").put("version", "1")
            .put("description", "Authenticate with the session cookie from POST /api/v1/auth/login (cookie-"
                + "authenticated writes also send the X-XSRF-TOKEN header with the XSRF-TOKEN cookie's value) or"
                + " with Authorization: Bearer <API key>. Errors are application/problem+json. x-sightline-min-role"
                + " names the least role a member needs."))
        .put("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema")
        .put("paths", documentRefs(pathsJson, refs))
        .put("components", new JsonObject()
            .put("securitySchemes", new JsonObject()
                .put("session", new JsonObject().put("type", "apiKey").put("in", "cookie").put("name",
                    "sightline_session"))
                .put("apiKey", new JsonObject().put("type", "http").put("scheme", "bearer")))
            .put("schemas", schemas));
  }

  /** {@code value} with every {@code $ref} to a component's {@code $id} pointing into the document instead. */
  private static JsonObject documentRefs(JsonObject value, Map<String, String> refs) {
    JsonObject out = new JsonObject();
    value.forEach(e -> out.put(e.getKey(), e.getKey().equals("$ref") && refs.containsKey(e.getValue())
        ? refs.get(e.getValue()) : documentRefs(e.getValue(), refs)));
    return out;
  }

  private static Object documentRefs(Object value, Map<String, String> refs) {
    if (value instanceof JsonObject o) {
      return documentRefs(o, refs);
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(documentRefs(v, refs)));
      return out;
    }
    return value;
  }

  private static JsonObject operation(RouteSpec spec, int bodyLimit) {
    JsonObject op = new JsonObject()
        .put("operationId", spec.operationId())
        .put("tags", new JsonArray().add(spec.tag()))
        .put("summary", spec.summary());
    if (spec.access().isPublic()) {
      op.put("security", new JsonArray());
    } else {
      op.put("security", new JsonArray().add(new JsonObject().put("session", new JsonArray()))
          .add(new JsonObject().put("apiKey", new JsonArray())));
      op.put("x-sightline-min-role", spec.access().minRole().wire());
    }
    JsonArray parameters = new JsonArray();
    for (String name : spec.pathParameters()) {
      JsonObject schema = name.endsWith("Id") ? new JsonObject().put("type", "string").put("format", "uuid")
          : name.equals("version") ? new JsonObject().put("type", "integer").put("minimum", 1)
          : new JsonObject().put("type", "string");
      parameters.add(new JsonObject().put("name", name).put("in", "path").put("required", true).put("schema", schema));
    }
    for (RouteSpec.QueryParameter q : spec.queryParameters()) {
      parameters.add(new JsonObject().put("name", q.name()).put("in", "query").put("required", false)
          .put("schema", q.schema()).put("description", q.description()));
    }
    if (!parameters.isEmpty()) {
      op.put("parameters", parameters);
    }
    if (spec.requestSchema() != null) {
      op.put("requestBody", new JsonObject().put("required", true).put("content", new JsonObject()
          .put("application/json", new JsonObject().put("schema", spec.requestSchema()))));
    }
    JsonObject responses = new JsonObject();
    JsonObject success = new JsonObject().put("description", spec.successStatus() == 204 ? "Done" : "Success");
    if (spec.responseSchema() != null) {
      success.put("content", new JsonObject().put("application/json",
          new JsonObject().put("schema", spec.responseSchema())));
    }
    responses.put(Integer.toString(spec.successStatus()), success);
    JsonObject problem = new JsonObject().put("application/problem+json",
        new JsonObject().put("schema", new JsonObject().put("$ref", "#/components/schemas/Problem")));
    if (spec.requestSchema() != null) {
      responses.put("400", new JsonObject().put("description", "Invalid body (errors[] names the fields)")
          .put("content", problem));
      responses.put("413", new JsonObject().put("description", "Body larger than " + bodyLimit + " bytes")
          .put("content", problem));
    }
    if (!spec.access().isPublic()) {
      responses.put("401", new JsonObject().put("description", "Not signed in").put("content", problem));
      responses.put("403", new JsonObject().put("description", "Role too low, or CSRF token missing")
          .put("content", problem));
    }
    if (!spec.pathParameters().isEmpty()) {
      responses.put("404", new JsonObject().put("description", "No such object in your org").put("content", problem));
    }
    op.put("responses", responses);
    return op;
  }

  /** Completes a future with a reply, for handlers that answer synchronously. */
  public static Future<Reply> now(Reply reply) {
    return Future.succeededFuture(reply);
  }

  static boolean isWrite(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }
}
