package io.sightline.runner;

import io.sightline.testkit.FreePorts;
import io.sightline.testkit.JvmProcess;
import io.sightline.testkit.TestConfigs;
import io.sightline.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runner processes for schedule tests: separate JVMs running {@link RunnerMain} over the test database, clustered with
 * each other, and the fixtures they share (an org, a Postgres datasource on the test database itself).
 */
final class RunnerProcesses implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(120);
  private final TestDatabase db;
  private final String cluster = "sightline-test-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<JvmProcess> processes = new ArrayList<>();

  /** Room for {@code count} clustered runner processes. */
  RunnerProcesses(TestDatabase db, int count) {
    this.db = db;
    for (int i = 0; i < count; i++) {
      ports.add(FreePorts.next());
    }
  }

  /** Starts every runner (with {@code jvmArgs}, e.g. a test clock) and waits until all are ready. */
  List<JvmProcess> startAll(String prefix, String... jvmArgs) {
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    for (int i = 0; i < ports.size(); i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
      env.put("SIGHTLINE_SECRET_KEY", TestConfigs.SECRET_KEY);
      env.put("SIGHTLINE_CLUSTER_NAME", cluster);
      env.put("SIGHTLINE_CLUSTER_HOST", "127.0.0.1");
      env.put("SIGHTLINE_CLUSTER_PORT", Integer.toString(ports.get(i)));
      env.put("SIGHTLINE_CLUSTER_MEMBERS", members);
      env.put("SIGHTLINE_RUNNER_ID", prefix + "-" + (char) ('a' + i));
      env.put("SIGHTLINE_RUNNER_CONCURRENCY", "4");
      processes.add(JvmProcess.start(prefix + "-" + (char) ('a' + i), RunnerMain.class.getName(), env, jvmArgs));
    }
    processes.forEach(p -> p.awaitLine("Sightline runner is ready", START));
    return processes;
  }

  /** The schedule firings each process logged (" fired for "), for the report. */
  String firedPerProcess() {
    return processes.stream().map(p -> p.output().lines().filter(l -> l.contains(" fired for ")).count())
        .map(String::valueOf).toList().toString();
  }

  /** A new org; answers its id. */
  static String org(TestDatabase db, String name) {
    String org = UUID.randomUUID().toString();
    db.execute("insert into orgs (id, name, slug) values ('" + org + "', '" + name + "', '" + name.toLowerCase()
        + "-" + org.substring(0, 6) + "')");
    return org;
  }

  /** A Postgres datasource of {@code org} on the test database itself; answers its id. */
  static String selfDatasource(TestDatabase db, String org, int maxConcurrency) {
    return db.selfDatasource(org, "pg", maxConcurrency);
  }

  static long count(TestDatabase db, String sql) {
    return ((Number) db.scalar(sql)).longValue();
  }

  @Override
  public void close() {
    processes.forEach(JvmProcess::close);
  }
}
