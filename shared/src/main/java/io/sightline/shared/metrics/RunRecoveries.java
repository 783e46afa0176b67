package io.sightline.shared.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sightline_runs_recovered_total{reason}}: runs a node took back from a runner that stopped serving them, by
 * why — its lease expired (the reaper), or its cluster member left (member-loss recovery). Counted once per run the
 * recovering node ended or re-queued, on that node. Both series exist from start-up at 0, so alert rules see them.
 */
public final class RunRecoveries {
  /** Why a run was recovered: the {@code reason} label. */
  public enum Reason {
    LEASE_EXPIRED, MEMBER_LOST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  private RunRecoveries(MeterRegistry registry) {
    for (Reason reason : Reason.values()) {
      counters.put(reason, Counter.builder("sightline.runs.recovered")
          .description("Runs recovered from a runner that stopped serving them, by reason")
          .tag("reason", reason.label()).register(registry));
    }
  }

  /** The counters of {@code vertx}'s process (counting into nothing when metrics are off). */
  public static RunRecoveries of(Vertx vertx) {
    NodeMetrics node = NodeMetrics.of(vertx);
    return node.part(RunRecoveries.class, () -> new RunRecoveries(node.registry()));
  }

  /** Counts {@code runs} runs recovered for {@code reason} on {@code vertx}'s process. */
  public static void recovered(Vertx vertx, Reason reason, int runs) {
    of(vertx).add(reason, runs);
  }

  public void add(Reason reason, int runs) {
    if (runs > 0) {
      counters.get(reason).increment(runs);
    }
  }
}
