package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The server's public HTTP API (`/api/v1`, docs/api.md) as one API key sees it: JSON in and out, downloads streamed
 * straight to an output stream, and every failure turned into a {@link CliException} with its exit code — 401/403 and
 * an unreachable server are 3, a 400/404 (what the user typed) is 2, anything else 1.
 */
public final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final URI base;
  private final String apiKey;
  private final HttpClient http;

  public Api(String url, String apiKey) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  public URI base() {
    return base;
  }

  HttpClient http() {
    return http;
  }

  String authorization() {
    return "Bearer " + apiKey;
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  /** A POST that gives up after {@code timeout} (connecting included): for work that must end soon, like Ctrl+C. */
  public JsonNode post(String path, Object body, Duration timeout) {
    return send("POST", path, body, timeout);
  }

  public JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  /** {@code path} with the non-null {@code query} values appended, URL-encoded. */
  public static String query(String path, Map<String, ?> query) {
    StringJoiner q = new StringJoiner("&");
    query.forEach((k, v) -> {
      if (v != null) {
        q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
      }
    });
    return q.length() == 0 ? path : path + "?" + q;
  }

  /** Every item of a keyset-paged list ({@code {items, nextCursor}}), page by page. */
  public void eachItem(String path, Map<String, Object> query, java.util.function.Consumer<JsonNode> each) {
    Map<String, Object> q = new java.util.LinkedHashMap<>(query);
    q.put("limit", 200);
    String cursor = null;
    do {
      q.put("cursor", cursor);
      JsonNode page = get(query(path, q));
      page.path("items").forEach(each);
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
  }

  /** A new JSON object for a request body. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  private JsonNode send(String method, String path, Object body) {
    return send(method, path, body, REQUEST_TIMEOUT);
  }

  private JsonNode send(String method, String path, Object body, Duration timeout) {
    HttpResponse<InputStream> response = exchange(method, path, body, timeout);
    try (InputStream in = response.body()) {
      byte[] bytes = in.readAllBytes();
      return bytes.length == 0 ? JSON.missingNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** Streams the body of a GET (a result download) to {@code out} as it arrives, in constant memory. */
  public void download(String path, OutputStream out) {
    HttpResponse<InputStream> response = exchange("GET", path, null, REQUEST_TIMEOUT);
    try (InputStream in = response.body()) {
      in.transferTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<InputStream> exchange(String method, String path, Object body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
        .header("Authorization", authorization()).header("Accept", "application/json, */*")
        .timeout(timeout);
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() >= 400) {
        try (InputStream in = response.body()) {
          throw problem(response.statusCode(), in.readAllBytes());
        }
      }
      return response;
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.INTERRUPTED, "interrupted");
    }
  }

  private CliException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused"
        : e instanceof HttpConnectTimeoutException ? "connection timed out"
        : e instanceof HttpTimeoutException ? "no answer in time"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return CliException.unreachable("cannot reach " + base + ": " + why);
  }

  /** The problem+json answer as one line: {@code title: detail (field: message; …)}, and its exit code. */
  static CliException problem(int status, byte[] body) {
    int code = status == 401 || status == 403 || status >= 500 ? CliException.UNREACHABLE
        : status == 400 || status == 404 ? CliException.USAGE : CliException.RUN_FAILED;
    java.util.function.Function<String, CliException> make = status >= 500 ? CliException::unreachable
        : m -> new CliException(code, m);
    JsonNode p;
    try {
      p = JSON.readTree(body);
    } catch (IOException e) {
      p = null;
    }
    if (p == null || !p.isObject()) {
      return make.apply("HTTP " + status);
    }
    StringBuilder line = new StringBuilder(p.path("title").asText("HTTP " + status));
    String detail = p.path("detail").asText("");
    if (!detail.isBlank()) {
      line.append(": ").append(detail);
    }
    StringJoiner errors = new StringJoiner("; ", " (", ")").setEmptyValue("");
    p.path("errors").forEach(e -> errors.add(e.path("field").asText("") + ": " + e.path("message").asText("")));
    return make.apply(line.append(errors).toString().replaceAll("[\\r\\n]+", " "));
  }
}
