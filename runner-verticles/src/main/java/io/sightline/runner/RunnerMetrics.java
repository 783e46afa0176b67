package io.sightline.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sightline.shared.metrics.DatasourceLabels;
import io.sightline.shared.metrics.NodeMetrics;
import io.sightline.shared.metrics.RunRecoveries;
import io.sightline.shared.schedules.ScheduleFiring;
import io.sightline.shared.schedules.ScheduleStates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

/**
 * The meters of a runner process (docs/operations.md), one instance per process shared by its runner verticles:
 * schedule firing lag and outcomes; runs by status, trigger and datasource; queue wait, execution and persist
 * histograms; rows and bytes per datasource; in-flight runs per datasource beside the process's capacity; slot waits;
 * result bytes stored by storage; janitor deletions; queue timeouts and recoveries. Labels are closed sets or a capped
 * datasource id ({@link DatasourceLabels}) — never a run, schedule, org, query or user id. A run costs a few map
 * lookups of pre-registered meters at its start and end, nothing per row. The cluster-wide gauges (schedules per
 * state, {@link DatasourceGauges}) are refreshed by at most one pair of queries per {@link #CLUSTER_EVERY} per
 * process, never during a scrape.
 */
final class RunnerMetrics {
  /** How often the cluster-wide gauges are refreshed (counts over the schedules and queued runs, on the metadata pool). */
  static final Duration CLUSTER_EVERY = Duration.ofSeconds(15);

  private final MeterRegistry registry;
  /** Whether anything reads the meters: without a /metrics listener the cluster gauges are never refreshed. */
  private final boolean exported;
  private final Timer lag;
  private final Timer queueWait;
  private final Timer execution;
  private final Timer persist;
  private final Counter queueTimeouts;
  private final AtomicInteger capacity = new AtomicInteger();
  private final AtomicInteger runsInFlight = new AtomicInteger();
  private final DatasourceLabels labels = new DatasourceLabels();
  private final Map<String, DatasourceMeters> byDatasource = new ConcurrentHashMap<>();
  private final Map<String, Counter> firings = new ConcurrentHashMap<>();
  private final Map<String, Counter> stored = new ConcurrentHashMap<>();
  private final Map<String, Counter> janitor = new ConcurrentHashMap<>();
  private final RunRecoveries recoveries;
  private final Map<String, AtomicLong> states = new HashMap<>();
  private final DatasourceGauges datasources;
  private final AtomicLong lastRefresh = new AtomicLong(Long.MIN_VALUE / 2);

  private RunnerMetrics(NodeMetrics node, RunRecoveries recoveries) {
    this.registry = node.registry();
    this.exported = node.prometheusRegistry().isPresent();
    this.recoveries = recoveries;
    this.lag = timer("sightline.schedule.lag", "Firing time minus the planned slot, for each slot a runner fired");
    this.queueWait = timer("sightline.run.queue.wait", "Time a run waited in the queue until a runner claimed it");
    this.execution = timer("sightline.run.execution",
        "Time from a run's claim to the end of its execution (rows streamed into the result writer)");
    this.persist = timer("sightline.run.persist", "Time to store a succeeded run's result and record its end");
    this.queueTimeouts = Counter.builder("sightline.runs.queue.timeouts")
        .description("Queued runs failed by a reaper of this process because no runner claimed them in time")
        .register(registry);
    Gauge.builder("sightline.runner.capacity", capacity, AtomicInteger::get)
        .description("Runs this process executes at once at most (runner.concurrency)").register(registry);
    for (String state : ScheduleStates.ALL) {
      AtomicLong n = new AtomicLong();
      states.put(state, n);
      Gauge.builder("sightline.schedules", n, AtomicLong::get)
          .description("Schedules per state across the whole cluster (every runner reports the same figure)")
          .tag("state", state).register(registry);
    }
    this.datasources = new DatasourceGauges(registry);
    // closed label sets exist from start-up at 0, so rates and alerts see them before the first event
    List.of(ScheduleFiring.ENQUEUED, ScheduleFiring.REUSED, ScheduleFiring.SKIPPED_OVERLAP,
        ScheduleFiring.SKIPPED_MISSED, ScheduleFiring.SKIPPED_BACKOFF, ScheduleFiring.FAILED_TO_ENQUEUE)
        .forEach(outcome -> firings(outcome, 0));
    List.of("expired", "orphan").forEach(kind -> janitorDeleted(kind, 0));
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(NodeMetrics.RUN_BUCKETS)
        .register(registry);
  }

  /** The meters of {@code vertx}'s process (recording into nothing when metrics are off). */
  static RunnerMetrics of(Vertx vertx) {
    NodeMetrics node = NodeMetrics.of(vertx);
    return node.part(RunnerMetrics.class, () -> new RunnerMetrics(node, RunRecoveries.of(vertx)));
  }

  /** The meters of one datasource label, registered on first use. */
  private final class DatasourceMeters {
    final String label;
    final AtomicInteger inFlight = new AtomicInteger();
    final Counter rows;
    final Counter bytes;
    final Counter slotWaits;
    final Map<String, Counter> runs = new ConcurrentHashMap<>();

    DatasourceMeters(String label) {
      this.label = label;
      Gauge.builder("sightline.runner.runs.in.flight", inFlight, AtomicInteger::get)
          .description("Runs of the datasource this process is executing now").tag("datasource", label)
          .register(registry);
      rows = Counter.builder("sightline.run.rows").description("Rows fetched by runs of the datasource, as they ended")
          .tag("datasource", label).register(registry);
      bytes = Counter.builder("sightline.run.bytes").baseUnit("bytes")
          .description("Result bytes (uncompressed) written by runs of the datasource, as they ended")
          .tag("datasource", label).register(registry);
      slotWaits = Counter.builder("sightline.datasource.slot.waits")
          .description("Claims this process gave up because the datasource's cluster-wide cap was full")
          .tag("datasource", label).register(registry);
    }

    Counter runs(String status, String trigger) {
      return runs.computeIfAbsent(status + '/' + trigger, k -> Counter.builder("sightline.runs")
          .description("Runs ended by runners, by final status, by what first asked for them and by datasource")
          .tag("status", status).tag("trigger", trigger).tag("datasource", label).register(registry));
    }
  }

  private DatasourceMeters datasource(String datasourceId) {
    return byDatasource.computeIfAbsent(labels.of(datasourceId), DatasourceMeters::new);
  }

  /** A runner verticle of this process started ({@code share} runs) or stopped ({@code -share}). */
  void capacity(int delta) {
    capacity.addAndGet(delta);
  }

  /** A slot was handled with {@code outcome} at {@code firedAt} (the lag is recorded for this slot). */
  void fired(String outcome, Instant slot, Instant firedAt) {
    lag.record(Duration.between(slot, firedAt));
    firings(outcome, 1);
  }

  /** {@code n} slots were recorded with {@code outcome} without being fired (skipped_missed). */
  void firings(String outcome, long n) {
    firings.computeIfAbsent(outcome, o -> Counter.builder("sightline.schedule.firings")
        .description("Schedule slots handled by runners, by outcome (one per slot; missed slots each count)")
        .tag("outcome", o).register(registry)).increment(n);
  }

  /** A run was claimed after waiting {@code queueMs}; it counts as in flight until {@link #runEnded}. */
  void runStarted(String datasourceId, long queueMs) {
    queueWait.record(queueMs, TimeUnit.MILLISECONDS);
    datasource(datasourceId).inFlight.incrementAndGet();
    runsInFlight.incrementAndGet();
  }

  /** Runs this process is executing now, over all its runner verticles (also when metrics are off). */
  int runsInFlight() {
    return runsInFlight.get();
  }

  /**
   * A run this runner claimed is no longer in flight. When {@code status} is not null its end was recorded by this
   * runner: it is counted, with its execution time and the rows and bytes it fetched.
   */
  void runEnded(String datasourceId, String status, String trigger, long execMs, long rows, long bytes) {
    DatasourceMeters m = datasource(datasourceId);
    m.inFlight.decrementAndGet();
    runsInFlight.decrementAndGet();
    if (status == null) {
      return;
    }
    m.runs(status, trigger == null ? "unknown" : trigger).increment();
    execution.record(execMs, TimeUnit.MILLISECONDS);
    m.rows.increment(rows);
    m.bytes.increment(bytes);
  }

  /** A run's result of {@code storedBytes} (compressed) was stored in {@code storage} within {@code persistMs}. */
  void persisted(long persistMs, String storage, long storedBytes) {
    persist.record(persistMs, TimeUnit.MILLISECONDS);
    stored.computeIfAbsent(storage, s -> Counter.builder("sightline.result.stored").baseUnit("bytes")
        .description("Result bytes (compressed) stored by runs of this process, by storage (postgres, local, s3)")
        .tag("storage", s).register(registry)).increment(storedBytes);
  }

  /** A claim of the datasource found every slot of its cap taken. */
  void slotWait(String datasourceId) {
    datasource(datasourceId).slotWaits.increment();
  }

  /** The janitor deleted {@code n} results: {@code kind} is "expired" or "orphan". */
  void janitorDeleted(String kind, int n) {
    janitor.computeIfAbsent(kind, k -> Counter.builder("sightline.result.janitor.deletions")
        .description("Results deleted by this process's janitor: expired ones, and orphaned partial ones")
        .tag("kind", k).register(registry)).increment(n);
  }

  /** A reaper of this process failed {@code n} queued runs past their queue deadline. */
  void queueTimeouts(int n) {
    queueTimeouts.increment(n);
  }

  /** This process recovered a run: its lease expired (the reaper), or its runner's cluster member left. */
  void recovered(RunRecoveries.Reason reason) {
    recoveries.add(reason, 1);
  }

  /**
   * Refreshes the cluster-wide gauges (schedules per state, {@link DatasourceGauges}) unless another verticle of the
   * process did so within the period, or metrics are off.
   */
  Future<Void> refreshCluster(Pool pool) {
    long now = System.nanoTime();
    long last = lastRefresh.get();
    if (!exported || now - last < CLUSTER_EVERY.toNanos() * 2 / 3 || !lastRefresh.compareAndSet(last, now)) {
      return Future.succeededFuture();
    }
    Future<Void> counted = pool.query(ScheduleStates.COUNTS).execute().map(rows -> {
      Map<String, Long> seen = new HashMap<>();
      StreamSupport.stream(rows.spliterator(), false).forEach(r -> seen.put(r.getString("state"), r.getLong("n")));
      states.forEach((state, n) -> n.set(seen.getOrDefault(state, 0L)));
      return null;
    });
    return Future.join(counted, datasources.refresh(pool)).mapEmpty();
  }
}
