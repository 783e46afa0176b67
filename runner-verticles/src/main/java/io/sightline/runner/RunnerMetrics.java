package io.sightline.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sightline.shared.metrics.NodeMetrics;
import io.sightline.shared.schedules.ScheduleStates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The meters of a runner process (docs/operations.md): schedule firing lag and outcomes, schedules by state, and runs
 * by status and trigger. Labels are closed sets — never a run, schedule, org or user id. Every runner verticle of the
 * process records into the same meters; the schedule-state counts are one shared figure per process, refreshed by at
 * most one count query per {@link #STATES_EVERY}.
 */
final class RunnerMetrics {
  /** How often the schedule-state gauge is refreshed (a count over the schedules table, on the metadata pool). */
  static final Duration STATES_EVERY = Duration.ofSeconds(15);

  private final MeterRegistry registry;
  private final Timer lag;
  private final States states;

  private RunnerMetrics(NodeMetrics node) {
    this.registry = node.registry();
    this.lag = Timer.builder("sightline.schedule.lag")
        .description("Firing time minus the planned slot, for each slot a runner fired")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5),
            Duration.ofMinutes(30))
        .register(registry);
    this.states = node.part(States.class, () -> new States(registry));
  }

  /** The meters of {@code vertx}'s process (recording into nothing when metrics are off). */
  static RunnerMetrics of(Vertx vertx) {
    return new RunnerMetrics(NodeMetrics.of(vertx));
  }

  /** A slot was handled with {@code outcome} at {@code firedAt} (the lag is recorded for this slot). */
  void fired(String outcome, Instant slot, Instant firedAt) {
    lag.record(Duration.between(slot, firedAt));
    firings(outcome, 1);
  }

  /** {@code n} slots were recorded with {@code outcome} without being fired (skipped_missed). */
  void firings(String outcome, long n) {
    Counter.builder("sightline.schedule.firings")
        .description("Schedule slots handled by runners, by outcome (one per slot; missed slots each count)")
        .tag("outcome", outcome).register(registry).increment(n);
  }

  /** A run this runner executed ended with {@code status}; {@code trigger} is what first asked for it. */
  void runEnded(String status, String trigger) {
    Counter.builder("sightline.runs")
        .description("Runs ended by runners, by final status and by what first asked for them")
        .tag("status", status).tag("trigger", trigger == null ? "unknown" : trigger).register(registry).increment();
  }

  /** Refreshes the schedule-state counts unless another verticle of the process did so within the period. */
  Future<Void> refreshStates(Pool pool) {
    return states.refresh(pool);
  }

  /** The cluster-wide count of schedules per state, as one gauge per state; shared by a process's verticles. */
  static final class States {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong lastRefresh = new AtomicLong(Long.MIN_VALUE / 2);

    States(MeterRegistry registry) {
      for (String state : ScheduleStates.ALL) {
        AtomicLong n = new AtomicLong();
        counts.put(state, n);
        Gauge.builder("sightline.schedules", n, AtomicLong::get)
            .description("Schedules per state across the whole cluster (every runner reports the same figure)")
            .tag("state", state).register(registry);
      }
    }

    Future<Void> refresh(Pool pool) {
      long now = System.nanoTime();
      long last = lastRefresh.get();
      if (now - last < STATES_EVERY.toNanos() * 2 / 3 || !lastRefresh.compareAndSet(last, now)) {
        return Future.succeededFuture();
      }
      return pool.query(ScheduleStates.COUNTS).execute().map(rows -> {
        Map<String, Long> seen = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
            .collect(Collectors.toMap(r -> r.getString("state"), (Function<Row, Long>) r -> r.getLong("n")));
        counts.forEach((state, n) -> n.set(seen.getOrDefault(state, 0L)));
        return null;
      });
    }
  }
}
