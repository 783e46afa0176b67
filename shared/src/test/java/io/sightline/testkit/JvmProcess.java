package io.sightline.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sightline main class started as a separate JVM with the test's classpath, its output in a log file under
 * {@code target/processes/}. Cluster and launcher tests use it to get real, separately killable processes.
 */
public final class JvmProcess implements AutoCloseable {
  private static final String DEFAULT_FLAGS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED"
      + " --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
      + " --add-opens java.management/sun.management=ALL-UNNAMED"
      + " --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";
  /**
   * How a test's process compiles and collects: C1 only, and the serial collector. A process of a test lives for
   * seconds to a minute, mostly starting (Hazelcast, Vert.x, Flyway's checks); C2 and G1's threads spent about half of
   * its CPU there: a runner took 10 s of CPU to be ready with the defaults, 4.5 s with these (wall 6.0 s against 3.8-4.7
   * s on a quiet machine). A suite running processes side by side with the browser tests on two cores is CPU-bound,
   * so that is time off every process test. A test that measures a process's speed chooses its own: a {@code jvmArgs}
   * naming a tiered-compilation option or a collector ({@code -XX:TieredStopAtLevel=4}, {@code -XX:+UseG1GC}) replaces
   * that flag.
   */
  private static final List<String> LEAN_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  /**
   * A process started from a background job (CI's {@code nohup … &}) inherits SIGINT ignored, and a JVM never handles a
   * signal it started with ignored — so Ctrl+C tests would hang there. Coreutils' {@code env --default-signal} starts
   * the JVM with SIGINT's default handling, as under a terminal; where that option is missing the JVM starts as is.
   */
  private static final List<String> DEFAULT_SIGNALS = defaultSignals();

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code env} added to this JVM's environment. The standalone demo is off
   * ({@code SIGHTLINE_DEMO=false}) unless {@code env} sets it: only the demo's own tests pay for installing it; so is
   * the runner's JIT warm-up ({@code SIGHTLINE_RUNNER_WARMUP_ROWS=0}), which would take cores from the suite.
   */
  public static JvmProcess start(String name, String mainClass, Map<String, String> env, String... jvmArgs) {
    return command(name, mainClass, List.of(), env, jvmArgs);
  }

  /** Starts {@code mainClass} with program arguments {@code args} (a command-line tool) and {@code env}. */
  public static JvmProcess command(String name, String mainClass, List<String> args, Map<String, String> env,
      String... jvmArgs) {
    List<String> cmd = new ArrayList<>(DEFAULT_SIGNALS);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(DEFAULT_FLAGS.split(" ")));
    cmd.add("-Xmx256m");
    cmd.addAll(leanFlags(jvmArgs));
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(mainClass);
    cmd.addAll(args);
    return launch(name, new ProcessBuilder(cmd), env);
  }

  /**
   * Runs {@code command} (a script that ends by exec-ing a JVM, such as the {@code ./sightline} launcher) in
   * {@code dir}, with the same defaults as {@link #start}: the process's pid is the JVM's once the script has exec-ed.
   */
  public static JvmProcess script(String name, Path dir, List<String> command, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(DEFAULT_SIGNALS);
    cmd.addAll(command);
    return launch(name, new ProcessBuilder(cmd).directory(dir.toFile()), env);
  }

  private static JvmProcess launch(String name, ProcessBuilder pb, Map<String, String> env) {
    Path dir = Path.of("target", "processes");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log").toAbsolutePath();
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SIGHTLINE_DEMO", "false");
    pb.environment().put("SIGHTLINE_RUNNER_WARMUP_ROWS", "0");
    pb.environment().putAll(env);
    try {
      return new JvmProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** {@link #LEAN_FLAGS} but those whose option {@code jvmArgs} chooses (a collector, or how far to compile). */
  static List<String> leanFlags(String... jvmArgs) {
    boolean compiler = Arrays.stream(jvmArgs).anyMatch(a -> a.contains("Tiered"));
    boolean collector = Arrays.stream(jvmArgs).anyMatch(a -> a.matches("-XX:\\+Use\\w+GC"));
    return LEAN_FLAGS.stream().filter(f -> f.contains("Tiered") ? !compiler : !collector).toList();
  }

  private static List<String> defaultSignals() {
    try {
      Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0
          ? List.of("env", "--default-signal=INT") : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return log;
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a line of the output matches {@code regex}; returns the match. Fails if the process exits first. */
  public Matcher awaitLine(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output().split("\n")) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before printing /" + regex + "/:\n"
            + tail());
      }
      sleep(100);
    }
    throw new AssertionError(name + " did not print /" + regex + "/ within " + timeout + ":\n" + tail());
  }

  /** SIGTERM and wait for the exit code. */
  public int stop(Duration timeout) {
    process.destroy();
    return waitFor(timeout);
  }

  /** SIGTERM without waiting: the test watches the process while it stops, then {@link #waitFor}s it. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL, as when a machine dies. */
  public int kill() {
    process.destroyForcibly();
    return waitFor(Duration.ofSeconds(10));
  }

  /** SIGSTOP: the process freezes (as in a long GC pause or a VM suspended), its sockets stay open. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The last 60 lines of output, for failure messages. */
  public String tail() {
    String[] lines = output().split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
      sb.append("  | ").append(lines[i]).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + File.separator + ")";
  }
}
