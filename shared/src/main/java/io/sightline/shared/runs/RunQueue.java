package io.sightline.shared.runs;

import io.sightline.shared.result.ChunkCodec;
import io.sightline.shared.result.ChunkRef;
import io.sightline.shared.result.ResultRecords;
import io.sightline.shared.result.ResultSummary;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The runner's side of the run queue (DESIGN.md §3): claim, fenced progress and completion, lease renewal and the
 * reaper's two steps (take over, then end once the run's sessions are gone). Every method is one statement or one
 * transaction against the metadata database; a fenced write answers whether it still owned the run.
 */
public final class RunQueue {
  private final Pool pool;
  private final int leaseSeconds;

  public RunQueue(Pool pool, int leaseSeconds) {
    this.pool = pool;
    this.leaseSeconds = leaseSeconds;
  }

  /** A datasource with queued work, and its cluster-wide cap. */
  public record Candidate(String datasourceId, int maxConcurrency, int queued) {}

  public Future<List<Candidate>> candidates() {
    return pool.preparedQuery(RunSql.CANDIDATES).execute().map(rows -> {
      List<Candidate> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Candidate(r.getUUID("datasource_id").toString(), r.getInteger("max_concurrency"),
          r.getInteger("queued"))));
      return out;
    });
  }

  public Future<List<ClaimedRun>> claim(String runnerId, String datasourceId, int max) {
    return pool.preparedQuery(RunSql.CLAIM)
        .execute(Tuple.of(runnerId, UUID.fromString(datasourceId), max, leaseSeconds))
        .map(rows -> {
          List<ClaimedRun> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new ClaimedRun(r.getUUID("id").toString(), r.getUUID("org_id").toString(),
                r.getUUID("datasource_id").toString(), r.getString("bound_sql"), r.getJsonArray("bind_values"),
                RunOptions.fromJson(r.getJsonObject("options")), r.getInteger("attempt"), r.getLong("queue_ms"),
                r.getUUID("query_id") == null ? null : r.getUUID("query_id").toString(), r.getString("fingerprint"),
                r.getString("trigger"), runnerId));
          }
          return out;
        });
  }

  /** Records the backend serving the run; false when the lease was lost. */
  public Future<Boolean> started(ClaimedRun run, long backendPid) {
    return fenced(RunSql.STARTED, Tuple.of(UUID.fromString(run.id()), run.attempt(), (int) backendPid,
        run.runnerId()));
  }

  public Future<Void> progress(ClaimedRun run, long rows, long bytes) {
    return pool.preparedQuery(RunSql.PROGRESS).execute(Tuple.of(UUID.fromString(run.id()), run.attempt(), rows, bytes,
        run.runnerId()))
        .mapEmpty();
  }

  /** How a finished run ended, for {@link #succeed}. */
  public record Success(long execMs, long persistMs, ResultSummary result, OffsetDateTime expiresAt) {}

  /**
   * Stores the result and marks the run succeeded in one statement ({@link RunSql#SUCCEED}). False (and nothing
   * written) when the lease was lost or a cancel was requested meanwhile — the caller then discards the result.
   */
  public Future<Boolean> succeed(ClaimedRun run, Success s) {
    ResultSummary result = s.result();
    int n = result.chunks().size();
    boolean inline = ResultSummary.POSTGRES.equals(result.storage());
    Integer[] chunkNo = new Integer[inline ? n : 0];
    Long[] firstRow = new Long[chunkNo.length];
    Integer[] rows = new Integer[chunkNo.length];
    Buffer[] data = new Buffer[chunkNo.length];
    for (int i = 0; i < chunkNo.length; i++) {
      ChunkRef ref = result.chunks().get(i);
      chunkNo[i] = ref.chunkNo();
      firstRow[i] = ref.firstRow();
      rows[i] = ref.rowCount();
      data[i] = result.inlineChunks().get(i);
    }
    Tuple args = Tuple.tuple()
        .addValue(UUID.fromString(run.id())).addValue(run.attempt()).addValue(run.runnerId())
        .addValue(s.execMs()).addValue(s.persistMs())
        .addValue(UUID.fromString(result.resultId())).addValue(UUID.fromString(run.orgId()))
        .addValue(result.storage()).addValue(result.location()).addValue((short) ChunkCodec.FORMAT_VERSION)
        .addValue(ResultRecords.columnsJson(result.columns())).addValue(result.rowCount())
        .addValue(result.byteCount()).addValue(result.compressedBytes()).addValue(result.chunkCount())
        .addValue(ResultRecords.indexJson(result.chunks()))
        .addValue(chunkNo).addValue(firstRow).addValue(rows).addValue(data)
        .addValue(result.truncated()).addValue(result.truncatedReason()).addValue(s.expiresAt());
    return pool.preparedQuery(RunSql.SUCCEED).execute(args)
        .map(answer -> answer.iterator().next().getInteger(0) == 1);
  }

  /** Ends a run as failed, cancelled or timed_out; false when the lease was lost. */
  public Future<Boolean> finish(ClaimedRun run, String status, long execMs, String errorCode, String errorMessage,
      Integer errorPosition, Long rowCount) {
    return fenced(RunSql.FINISH_UNSUCCESSFULLY, Tuple.tuple().addValue(UUID.fromString(run.id()))
        .addValue(run.attempt()).addValue(status).addValue(execMs).addValue(errorCode).addValue(errorMessage)
        .addValue(errorPosition == null || errorPosition <= 0 ? null : errorPosition).addValue(rowCount)
        .addValue(run.runnerId()));
  }

  /**
   * A failure before the statement was sent: back to the queue while attempts remain; answers the new status, or null
   * if lost. Never for a run whose statement may have reached the datasource (use {@link #finish}).
   */
  public Future<String> requeueOrFail(ClaimedRun run, String errorCode, String errorMessage) {
    return pool.preparedQuery(RunSql.REQUEUE_OR_FAIL)
        .execute(Tuple.of(UUID.fromString(run.id()), run.attempt(), errorCode, errorMessage, run.runnerId()))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("status") : null);
  }

  /** A run whose lease was renewed, and whether someone asked to cancel it. */
  public record Renewed(String runId, int attempt, boolean cancelRequested) {}

  public Future<List<Renewed>> renew(String runnerId, List<String> runIds) {
    if (runIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = runIds.stream().map(UUID::fromString).toArray(UUID[]::new);
    return pool.preparedQuery(RunSql.RENEW).execute(Tuple.of(runnerId, leaseSeconds, ids)).map(rows -> {
      List<Renewed> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Renewed(r.getUUID("id").toString(), r.getInteger("attempt"),
          r.getBoolean("cancel_requested"))));
      return out;
    });
  }

  /** A run the reaper ended or requeued, with what its events carry: its query (null: ad-hoc SQL) and fingerprint. */
  public record Reaped(String runId, String orgId, String status, String queryId, String fingerprint) {}

  /**
   * A run whose runner stopped renewing its lease, now held by a reaper until {@link #endLost}.
   *
   * @param backendPid the datasource session recorded at start, or null when its statement was never sent
   * @param lostRunner the runner that lost it
   * @param queryId the run's saved query (null: ad-hoc SQL), for its events
   * @param fingerprint the run's fingerprint, for its events
   */
  public record LostRun(String runId, String orgId, String datasourceId, int attempt, Integer backendPid,
      String lostRunner, String reaper, String queryId, String fingerprint) {
    /** Whether a statement may have reached the datasource: then the run is never executed again. */
    public boolean statementSent() {
      return backendPid != null;
    }
  }

  /**
   * Takes over up to {@code max} runs with an expired lease for {@code reaper}, for {@code holdSeconds} (time to end
   * their sessions); each must then be ended with {@link #endLost}. Safe on every node at once.
   */
  public Future<List<LostRun>> takeOverLost(String reaper, int holdSeconds, int max) {
    return takeOver(RunSql.TAKE_OVER_LOST, Tuple.of(reaper, holdSeconds, max), reaper);
  }

  /**
   * As {@link #takeOverLost}, for the running runs of {@code lostRunner} whatever their lease: its cluster member left,
   * so they are recovered at once. Each is taken by one caller only, so every node may do this at once.
   */
  public Future<List<LostRun>> takeOverRunner(String reaper, String lostRunner, int holdSeconds, int max) {
    return takeOver(RunSql.TAKE_OVER_RUNNER, Tuple.of(reaper, holdSeconds, max, lostRunner), reaper);
  }

  private Future<List<LostRun>> takeOver(String sql, Tuple args, String reaper) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<LostRun> out = new ArrayList<>();
      rows.forEach(r -> out.add(new LostRun(r.getUUID("id").toString(), r.getUUID("org_id").toString(),
          r.getUUID("datasource_id").toString(), r.getInteger("attempt"), r.getInteger("backend_pid"),
          r.getString("lost_runner"), reaper, uuidText(r.getUUID("query_id")), r.getString("fingerprint"))));
      return out;
    });
  }

  /**
   * Ends a run taken over by {@link #takeOverLost} once its sessions are gone: cancelled if a cancel was asked,
   * re-queued if its statement was never sent (while attempts remain), else failed as runner_lost. Answers the new
   * status, or null when the reaper no longer held it (it finished meanwhile, or another reaper took over).
   */
  public Future<String> endLost(LostRun lost) {
    return pool.preparedQuery(RunSql.END_LOST).execute(Tuple.of(UUID.fromString(lost.runId()), lost.attempt(),
        lost.reaper(), lost.lostRunner())).map(rows -> rows.iterator().hasNext()
            ? rows.iterator().next().getString("status") : null);
  }

  /** Fails queued runs no runner claimed before their queue deadline; idempotent, safe on every node. */
  public Future<List<Reaped>> reapQueueTimeouts() {
    return pool.query(RunSql.REAP_QUEUE_TIMEOUTS).execute().map(late -> {
      List<Reaped> out = new ArrayList<>();
      late.forEach(r -> out.add(new Reaped(r.getUUID("id").toString(), r.getUUID("org_id").toString(), "failed",
          uuidText(r.getUUID("query_id")), r.getString("fingerprint"))));
      return out;
    });
  }

  private static String uuidText(UUID id) {
    return id == null ? null : id.toString();
  }

  private Future<Boolean> fenced(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> rows.iterator().next().getInteger(0) == 1);
  }
}
