package io.sightline.standalone.demo;

import io.sightline.shared.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Times {@link DemoDatabase#create} at full scale in a durable embedded Postgres (fsync on, as a standalone start
 * runs it), a given number of times:
 * {@code java -cp standalone/target/sightline.jar io.sightline.standalone.demo.DemoDatabaseBench [runs]}.
 * Besides the wall-clock time it prints the CPU time the server's sessions used (Linux: the postmaster's reaped
 * children), which does not depend on what else the machine is doing.
 */
public final class DemoDatabaseBench {
  private DemoDatabaseBench() {}

  public static void main(String[] args) throws IOException {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path data = Files.createTempDirectory("sightline-demo-bench-").resolve("pg");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(data, 0)) {
      long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
      for (int run = 1; run <= runs; run++) {
        long started = System.nanoTime();
        double cpuBefore = childrenCpuSeconds(postmaster);
        DemoDatabase.create(postgres, DemoDatabase.SEED, Instant.now());
        System.out.printf("run %d: DemoDatabase.create (full scale) took %d ms wall-clock, %.1f s of Postgres CPU"
            + " (load average %.1f)%n", run, (System.nanoTime() - started) / 1_000_000,
            childrenCpuSeconds(postmaster) - cpuBefore, loadAverage());
      }
      DemoDatabase.drop(postgres);
    } finally {
      try (Stream<Path> files = Files.walk(data.getParent())) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The CPU time (user + system) of a process's children it has waited for, from /proc/PID/stat (0 elsewhere). */
  private static double childrenCpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
