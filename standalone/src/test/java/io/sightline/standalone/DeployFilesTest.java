package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The deployment guide's example files (docs/deploy.md): every variable of {@code deploy/sightline.env.example} is one
 * Sightline reads, and the systemd units pass {@code systemd-analyze verify}. The topology itself — two api and two
 * runner JVMs configured from the example file over an external Postgres and S3Proxy — is started by
 * {@link ClusterFaultsTest}, which shares that start-up with its fault scenarios.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  /** Read by the launcher script and the units, not by Sightline's configuration. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("SIGHTLINE_JAVA_OPTS");

  @Test
  void everyVariableOfTheExampleEnvironmentFileIsOneSightlineReads() throws IOException {
    Set<String> known = ConfigLoader.SETTINGS.stream().map(ConfigLoader.Setting::env).collect(Collectors.toSet());
    Map<String, String> example = exampleEnvironment();
    assertThat(example).containsKeys("SIGHTLINE_DATABASE_URL", "SIGHTLINE_SECRET_KEY", "SIGHTLINE_CLUSTER_MEMBERS",
        "SIGHTLINE_CLUSTER_HOST", "SIGHTLINE_S3_BUCKET");
    for (String name : example.keySet()) {
      assertThat(known.contains(name) || LAUNCHER_VARIABLES.contains(name)).as(name + " is not a Sightline setting")
          .isTrue();
    }
  }

  @Test
  void theSystemdUnitsVerifyCleanly() throws Exception {
    Path systemdAnalyze = Path.of("/usr/bin/systemd-analyze");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(systemdAnalyze),
        "systemd-analyze is not installed here (Debian: systemd); the units are not checked");
    for (String unit : List.of("sightline-api.service", "sightline-runner.service")) {
      Path file = DEPLOY.resolve("systemd").resolve(unit).toAbsolutePath().normalize();
      String text = Files.readString(file);
      assertThat(text).contains("EnvironmentFile=/etc/sightline/sightline.env", "User=sightline",
          "Restart=on-failure", "RestartPreventExitStatus=2", "SuccessExitStatus=143", "LimitNOFILE=");
      Process verify = new ProcessBuilder(systemdAnalyze.toString(), "verify", file.toString())
          .redirectErrorStream(true).start();
      String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(verify.waitFor()).as(out).isZero();
      // unknown keys and bad values are warnings ("..., ignoring"), not errors: refuse them too
      assertThat(out).as(unit).doesNotContain("ignoring", "Unknown", "Failed");
    }
  }

  /** {@code deploy/sightline.env.example} as systemd reads it: {@code KEY=VALUE} lines, {@code #} comments. */
  static Map<String, String> exampleEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(DEPLOY.resolve("sightline.env.example"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      assertThat(eq).as("not KEY=VALUE: " + line).isPositive();
      env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return env;
  }
}
