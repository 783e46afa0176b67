package io.sightline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Scrapes a process's {@code /metrics} over HTTP and has Prometheus's own {@code promtool} check what it answered. */
public final class MetricsScrape {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private MetricsScrape() {}

  /** GET {@code url}; answers the response (any status). */
  public static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Prometheus text of the {@code /metrics} listener on 127.0.0.1:{@code port}; asserts 200 and its type. */
  public static String scrape(int port) {
    HttpResponse<String> res = get("http://127.0.0.1:" + port + "/metrics");
    assertThat(res.statusCode()).as("GET /metrics status").isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    return res.body();
  }

  /**
   * Pipes {@code text} to {@code promtool check metrics} and asserts it exits 0 with nothing reported. Fails (never
   * skips) when promtool is missing: install Debian's {@code prometheus} package (.ci/run does).
   */
  public static void assertPromtoolAccepts(String text) {
    if (!Files.isExecutable(PROMTOOL)) {
      fail(PROMTOOL + " is missing: install it with `apt-get install -y prometheus` (Debian's prometheus package"
          + " provides promtool; .ci/run installs it when missing)");
    }
    try {
      Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(out).as("promtool check metrics output").isBlank();
      assertThat(p.exitValue()).as("promtool check metrics exit code (output: %s)", out).isZero();
    } catch (IOException e) {
      throw new IllegalStateException("running promtool: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
