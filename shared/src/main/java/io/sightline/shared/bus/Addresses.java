package io.sightline.shared.bus;

/**
 * Every event-bus address Sightline uses (DESIGN.md §8), in one dotted scheme. Payloads are JSON objects. The bus
 * carries hints and live updates only: Postgres is the source of truth, so every handler is idempotent and a lost
 * message only delays work.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * Hint: a new run was queued. Sent to one runner event loop (round-robin over the cluster), not published to all:
   * with 50 runner processes a published hint made every event loop query the queue for each run. One that has no room
   * passes it on (a few hops); the others find the run by their one-second poll or when a run of theirs ends.
   */
  public static final String RUNS_WAKE = "sightline.runs.wake";
  /** Hint: a cancel was recorded for a run ({@code {"runId": ...}}). */
  public static final String RUNS_CANCEL = "sightline.runs.cancel";
  /** Hint: schedules were created, changed or removed. */
  public static final String SCHEDULES_CHANGED = "sightline.schedules.changed";
  /** Request/reply: any runner answers (connection tests, schema introspection, liveness). */
  public static final String RUNNERS_PING = "sightline.runners.ping";

  /**
   * Within one process only (published local-only by {@link EventBusChecker}): a cluster member left
   * ({@code {"nodeId": ...}}); runners recover its runs at once.
   */
  public static final String MEMBER_LEFT = "sightline.local.member-left";

  /** Prefix of the per-run feed published to browsers through the bridge. */
  public static final String RUN_PREFIX = "sightline.run.";
  /** Prefix of the per-org feeds published to browsers through the bridge. */
  public static final String ORG_PREFIX = "sightline.org.";

  /** State and progress of one run. */
  public static String run(String runId) {
    return RUN_PREFIX + runId;
  }

  /** Run list / dashboard feed of one org. */
  public static String orgRuns(String orgId) {
    return ORG_PREFIX + orgId + ".runs";
  }

  /** Each node answers on its own address, so peers can check the bus reaches it (see {@link EventBusChecker}). */
  public static String node(String nodeId) {
    return "sightline.node." + nodeId;
  }
}
