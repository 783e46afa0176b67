package io.sightline.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A test's view of the REST API as one client: its own cookie jar (session and XSRF-TOKEN cookies), the CSRF header on
 * writes after sign-in, or an API key. Blocking; call from test threads.
 */
public final class ApiClient {
  private final String base;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;
  private String csrf;
  private String bearer;
  private boolean sendCsrf = true;

  public ApiClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The answer to one request. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    public List<String> headers(String name) {
      return raw.headers().allValues(name);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** Signs in; fails the test unless it succeeds. */
  public ApiClient login(String email, String password) {
    Response r = post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("sign-in of " + email + " failed: " + r);
    }
    csrf = r.json().getString("csrfToken");
    return this;
  }

  /** Acts with an API key instead of cookies. */
  public ApiClient withApiKey(String key) {
    this.bearer = key;
    return this;
  }

  /** Stops sending the CSRF header (to prove it is required). */
  public ApiClient withoutCsrf() {
    this.sendCsrf = false;
    return this;
  }

  public String csrfToken() {
    return csrf;
  }

  public Optional<HttpCookie> cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst();
  }

  /** Copies this client's cookies into a new client (a stolen cookie jar, or a second tab). */
  public ApiClient copyCookiesTo(ApiClient other) {
    cookies.getCookieStore().getCookies().forEach(c -> other.cookies.getCookieStore().add(URI.create(base), c));
    other.csrf = csrf;
    return other;
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response post(String path, JsonObject body) {
    return send("POST", path, body == null ? null : body.encode(), "application/json");
  }

  public Response put(String path, JsonObject body) {
    return send("PUT", path, body == null ? null : body.encode(), "application/json");
  }

  public Response patch(String path, JsonObject body) {
    return send("PATCH", path, body == null ? null : body.encode(), "application/json");
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** Any request, with a raw body and content type (for malformed-input tests). */
  public Response send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (csrf != null && sendCsrf && !method.equals("GET")) {
      b.header("X-XSRF-TOKEN", csrf);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (java.io.IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
