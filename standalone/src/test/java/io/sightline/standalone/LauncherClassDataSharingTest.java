package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.FreePorts;
import io.sightline.testkit.Http;
import io.sightline.testkit.JvmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sightline} launcher's class-data sharing, as a user meets it: the first start after a build records
 * the classes it loaded as it exits, the next start maps that archive, and a recording cut short is thrown away rather
 * than handed to a JVM it would crash. The launcher runs from a copy of the project's layout holding only the built
 * jar (so it sees nothing to rebuild).
 */
class LauncherClassDataSharingTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String READY = "Sightline is ready at (http://\\S+)";

  @TempDir
  Path root;
  @TempDir
  Path home;
  private Path target;
  private Map<String, String> env;

  @BeforeEach
  void layout() throws IOException {
    Path jar = Path.of("target", "sightline.jar").toAbsolutePath();
    assertThat(jar).as("the standalone jar is built in the package phase, before this test").exists();
    Files.copy(Path.of("..", "sightline"), root.resolve("sightline"));
    target = Files.createDirectories(root.resolve("standalone").resolve("target"));
    Files.copy(jar, target.resolve("sightline.jar"));
    Files.setLastModifiedTime(target.resolve("sightline.jar"), FileTime.from(Instant.now().minusSeconds(60)));
    env = new HashMap<>();
    env.put("SIGHTLINE_HOME", home.toString());
    env.put("SIGHTLINE_HTTP_PORT", Integer.toString(FreePorts.next()));
    env.put("SIGHTLINE_EMBEDDED_PG_PORT", Integer.toString(FreePorts.next()));
  }

  @Test
  void theFirstStartRecordsTheArchiveTheNextStartMapsAndADamagedRecordingIsDropped() throws Exception {
    // 1. first start after the build: records as it exits
    try (JvmProcess first = launch("launcher-first")) {
      assertThat(commandLine(first)).contains("-XX:ArchiveClassesAtExit=standalone/target/sightline-jdk");
      assertThat(first.stop(Duration.ofSeconds(60))).isEqualTo(143);
    }
    List<Path> recordings = files(".jsa.rec.");
    assertThat(recordings).as("the archive the first start wrote as it exited").hasSize(1);
    assertThat(Files.size(recordings.get(0))).isGreaterThan(1 << 20);

    // 2. the next start checks the recording, keeps it as the archive and maps it
    Path archive;
    try (JvmProcess second = launch("launcher-second")) {
      archive = Path.of(recordings.get(0).toString().replaceFirst("\\.rec\\.\\d+$", ""));
      assertThat(files(".jsa.rec.")).isEmpty();
      assertThat(archive).exists();
      assertThat(commandLine(second)).contains("-XX:SharedArchiveFile=standalone/target/" + archive.getFileName());
      assertThat(Files.readString(Path.of("/proc", Long.toString(second.pid()), "maps")))
          .as("the JVM mapped the archive").contains(archive.getFileName().toString());
      second.kill();
    }

    // 3. a recording cut short (its JVM killed while writing it) is checked, found wanting and deleted: the start
    //    goes on without it, records anew, and the JVM that checked it left no crash report behind
    Path damaged = Path.of(archive + ".rec.4194000");
    byte[] whole = Files.readAllBytes(archive);
    Files.delete(archive);
    Files.write(damaged, java.util.Arrays.copyOf(whole, 4096));
    try (JvmProcess third = launch("launcher-damaged")) {
      assertThat(damaged).doesNotExist();
      assertThat(archive).doesNotExist();
      assertThat(commandLine(third)).contains("-XX:ArchiveClassesAtExit=");
      assertThat(Http.get(third.awaitLine(READY, START).group(1) + "readyz").statusCode()).isEqualTo(200);
      third.kill();
    }
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err") || n.startsWith("core"));
    }

    // 4. SIGHTLINE_CDS=off: neither recorded nor mapped (the JVM prints the options it was given and stops)
    env.put("SIGHTLINE_JAVA_OPTS", "-XX:+PrintCommandLineFlags -version");
    assertThat(flagsOfAStart()).contains("-XX:ArchiveClassesAtExit=");
    env.put("SIGHTLINE_CDS", "off");
    assertThat(flagsOfAStart()).doesNotContain("Archive").contains("-XX:+PrintCommandLineFlags");
  }

  private String flagsOfAStart() {
    try (JvmProcess p = JvmProcess.script("launcher-flags", root, List.of("bash", "sightline"), env)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      return p.output();
    }
  }

  private JvmProcess launch(String name) {
    JvmProcess p = JvmProcess.script(name, root, List.of("bash", "sightline"), env);
    p.awaitLine(READY, START);
    return p;
  }

  private static String commandLine(JvmProcess p) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
  }

  private List<Path> files(String containing) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().contains(containing)).toList();
    }
  }
}
