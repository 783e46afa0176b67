package io.sightline.standalone.demo;

import io.sightline.shared.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Times {@link DemoDatabase#create} at full scale in a durable embedded Postgres (fsync on, as a standalone start
 * runs it), a given number of times:
 * {@code java -cp standalone/target/sightline.jar io.sightline.standalone.demo.DemoDatabaseBench [runs]}.
 */
public final class DemoDatabaseBench {
  private DemoDatabaseBench() {}

  public static void main(String[] args) throws IOException {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path data = Files.createTempDirectory("sightline-demo-bench-").resolve("pg");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(data, 0)) {
      for (int run = 1; run <= runs; run++) {
        long started = System.nanoTime();
        DemoDatabase.create(postgres, DemoDatabase.SEED, Instant.now());
        System.out.printf("run %d: DemoDatabase.create (full scale) took %d ms%n", run,
            (System.nanoTime() - started) / 1_000_000);
      }
      DemoDatabase.drop(postgres);
    }
  }
}
