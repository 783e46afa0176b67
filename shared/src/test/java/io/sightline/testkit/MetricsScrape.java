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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    String out = promtool(null, text, "check", "metrics");
    assertThat(out).as("promtool check metrics output").isBlank();
  }

  /**
   * Runs {@code promtool args…} in {@code dir} (null: the current one) with {@code stdin} as its input (null: none);
   * asserts it exits 0 and answers its output. Fails (never skips) when promtool is missing.
   */
  public static String promtool(Path dir, String stdin, String... args) {
    if (!Files.isExecutable(PROMTOOL)) {
      fail(PROMTOOL + " is missing: install it with `apt-get install -y prometheus` (Debian's prometheus package"
          + " provides promtool; .ci/run installs it when missing)");
    }
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      Process p = builder.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(p.exitValue()).as("%s exit code (output: %s)", command, out).isZero();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("running promtool: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The series of a scrape: its sample lines, without their values. */
  public static List<String> series(String scrape) {
    return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
  }

  /** The value of one series ({@code name{labels}} exactly as the scrape writes it); asserts it is there. */
  public static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in the scrape").isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The names of the samples of a scrape (e.g. {@code x_bucket}, {@code x_count} and {@code x_sum} of a histogram). */
  public static Set<String> sampleNames(String scrape) {
    return series(scrape).stream().map(s -> s.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }
}
