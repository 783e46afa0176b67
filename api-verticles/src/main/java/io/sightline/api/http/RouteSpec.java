package io.sightline.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API route, declared once: how it is called, who may call it, what it accepts and answers. The router mounts
 * it, the request body is validated against {@code requestSchema}, and the OpenAPI document is generated from it.
 *
 * @param path OpenAPI-style path, e.g. {@code /api/v1/datasources/{datasourceId}}
 * @param requestSchema JSON Schema (2020-12) of the body; null when the route takes none
 * @param responseSchema JSON Schema of the success body; null for 204
 * @param queryParameters documented query parameters
 * @param largeBody whether the body may be as large as {@code http.maxBodyBytes} (routes carrying SQL or a
 *     dashboard); other bodies are capped at {@link #DEFAULT_BODY_BYTES}
 */
public record RouteSpec(
    HttpMethod method, String path, Access access, String operationId, String tag, String summary,
    JsonObject requestSchema, int successStatus, JsonObject responseSchema, List<QueryParameter> queryParameters,
    boolean largeBody, ApiHandler handler) {
  /** The body limit of a route that does not declare {@code largeBody}: names, settings, parameter values. */
  public static final int DEFAULT_BODY_BYTES = 64 * 1024;

  private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  /** A documented query parameter. */
  public record QueryParameter(String name, JsonObject schema, String description) {}

  /** The path in Vert.x router syntax ({@code :datasourceId}). */
  public String routerPath() {
    return PATH_PARAM.matcher(path).replaceAll(":$1");
  }

  /** This route's body limit in bytes, given the configured limit for large bodies. */
  public int bodyLimit(int maxBodyBytes) {
    return largeBody ? maxBodyBytes : Math.min(DEFAULT_BODY_BYTES, maxBodyBytes);
  }

  public List<String> pathParameters() {
    Matcher m = PATH_PARAM.matcher(path);
    List<String> names = new java.util.ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** A builder with the common defaults (200, no body, no query parameters). */
  public static Builder route(HttpMethod method, String path) {
    return new Builder(method, path);
  }

  /** Fluent declaration of a {@link RouteSpec}. */
  public static final class Builder {
    private final HttpMethod method;
    private final String path;
    private Access access;
    private String operationId;
    private String tag;
    private String summary;
    private JsonObject requestSchema;
    private int successStatus = 200;
    private JsonObject responseSchema;
    private final List<QueryParameter> query = new java.util.ArrayList<>();
    private boolean largeBody;

    private Builder(HttpMethod method, String path) {
      this.method = method;
      this.path = path;
    }

    public Builder access(Access access) {
      this.access = access;
      return this;
    }

    public Builder doc(String operationId, String tag, String summary) {
      this.operationId = operationId;
      this.tag = tag;
      this.summary = summary;
      return this;
    }

    public Builder body(JsonObject schema) {
      this.requestSchema = schema;
      return this;
    }

    /** The body may be as large as {@code http.maxBodyBytes}: it carries SQL or a whole dashboard. */
    public Builder largeBody() {
      this.largeBody = true;
      return this;
    }

    public Builder returns(int status, JsonObject schema) {
      this.successStatus = status;
      this.responseSchema = schema;
      return this;
    }

    public Builder query(String name, JsonObject schema, String description) {
      query.add(new QueryParameter(name, schema, description));
      return this;
    }

    public RouteSpec handler(ApiHandler handler) {
      if (access == null || operationId == null) {
        throw new IllegalStateException(method + " " + path + ": access and doc are required");
      }
      return new RouteSpec(method, path, access, operationId, tag, summary, requestSchema, successStatus,
          responseSchema, List.copyOf(query), largeBody, handler);
    }
  }
}
