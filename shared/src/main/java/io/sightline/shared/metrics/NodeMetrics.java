package io.sightline.shared.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The meters of one process (docs/operations.md): a Prometheus registry that Vert.x's own metrics (HTTP server and
 * client, pools, event bus, JVM) and Sightline's meters share, kept with its Vert.x instance so that any verticle finds
 * it with {@link #of(Vertx)}. Labels stay low-cardinality: HTTP requests are labelled by method, status code and route
 * template (never the raw path), event-bus metrics by side only (addresses carry run and org ids), pools by type and
 * name. When metrics are off, {@link #of(Vertx)} answers a registry that keeps nothing, so code records unconditionally.
 */
public final class NodeMetrics implements Shareable {
  private static final String MAP = "sightline.metrics";
  private static final String KEY = "node";

  private final MeterRegistry registry;
  private final ConcurrentMap<Class<?>, Object> parts = new ConcurrentHashMap<>();

  private NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * A Prometheus registry for a new process, with the few standard meters whose names {@code promtool check metrics}
   * flags put right: {@code jvm.compilation.time} (in ms) dropped, {@code process.cpu.time} (in ns) replaced by
   * Prometheus's usual {@code process_cpu_seconds_total}, {@code system.cpu.count} renamed {@code system_cpus}; and HTTP server response time as a histogram.
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .meterFilter(MeterFilter.deny(id -> DROPPED.contains(id.getName())))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
          }

          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            return id.getName().equals(HTTP_SERVER_TIME)
                ? DistributionStatisticConfig.builder().serviceLevelObjectives(nanos(HTTP_BUCKETS)).build().merge(config)
                : config;
          }
        });
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
          .description("CPU time used by the process").register(registry);
    }
    return registry;
  }

  /** Vert.x's HTTP server response time: a histogram here (buckets {@link #HTTP_BUCKETS}), not a bare summary. */
  static final String HTTP_SERVER_TIME = "vertx.http.server.response.time";

  /** The buckets of HTTP response time: 5 ms to 10 s. */
  static final Duration[] HTTP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The buckets of run durations (queue wait, execution, persist) and of schedule lag: 10 ms to 30 min. */
  public static final Duration[] RUN_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5),
      Duration.ofMinutes(30)};

  private static double[] nanos(Duration[] buckets) {
    return Arrays.stream(buckets).mapToDouble(Duration::toNanos).toArray();
  }

  /** Standard meters left out: their unit suffixes fail promtool's lint (see {@link #prometheus()}). */
  private static final Set<String> DROPPED = Set.of("jvm.compilation.time", "process.cpu.time");

  /** Sets up {@code builder} so that Vert.x records its metrics (and the JVM's, per {@link #options()}) into {@code registry}. */
  public static VertxBuilder instrument(VertxBuilder builder, MeterRegistry registry) {
    return builder.withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** The Vert.x metrics options of every process: enabled, JVM metrics on, only the low-cardinality labels. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.EB_SIDE));
  }

  /** Keeps {@code registry} as the meters of {@code vertx}'s process (called once, right after building it). */
  public static void install(Vertx vertx, MeterRegistry registry) {
    vertx.sharedData().<String, NodeMetrics>getLocalMap(MAP).put(KEY, new NodeMetrics(registry));
  }

  /** The meters of {@code vertx}'s process; a registry that keeps nothing when metrics are off. */
  public static NodeMetrics of(Vertx vertx) {
    return vertx.sharedData().<String, NodeMetrics>getLocalMap(MAP)
        .computeIfAbsent(KEY, k -> new NodeMetrics(new CompositeMeterRegistry()));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus registry, when metrics are on. */
  public Optional<PrometheusMeterRegistry> prometheusRegistry() {
    return registry instanceof PrometheusMeterRegistry p ? Optional.of(p) : Optional.empty();
  }

  /**
   * One shared instance of {@code type} per process (e.g. a gauge's state that every verticle of the process feeds),
   * created by {@code create} the first time it is asked for. {@code create} may ask for another part (the runner's
   * meters hold the recovery counters): not a {@code computeIfAbsent}, which throws "Recursive update" when the two
   * keys share a bin of the map (a runner then failed to start, at random).
   */
  public synchronized <T> T part(Class<T> type, Supplier<T> create) {
    Object part = parts.get(type);
    if (part == null) {
      part = create.get();
      parts.put(type, part);
    }
    return type.cast(part);
  }
}
