package io.sightline.shared.runs;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Enqueueing, reading and cancelling runs — what the api does with runs (it never executes them). Enqueue writes the
 * run and its first event in one transaction, deduplicates identical live runs by fingerprint, may reuse a recent
 * result ({@code maxAgeSeconds}), then hints the runners.
 */
public final class RunService {
  private final Vertx vertx;
  private final Pool pool;
  private final SightlineConfig.Runs limits;

  public RunService(Vertx vertx, Pool pool, SightlineConfig.Runs limits) {
    this.vertx = vertx;
    this.pool = pool;
    this.limits = limits;
  }

  /**
   * The outcome of an enqueue: the run, and whether it was an already-live identical run or a reused result.
   * {@code run} is the new run's JSON when {@code created} (read back from the insert itself), else null.
   */
  public record Enqueued(String runId, boolean created, boolean shared, boolean reused, JsonObject run) {
    public Enqueued(String runId, boolean created, boolean shared, boolean reused) {
      this(runId, created, shared, reused, null);
    }
  }

  /**
   * Fails with {@link NoSuchElementException} when the datasource is not the org's, {@link RunLimitException} when an
   * override exceeds a maximum.
   */
  public Future<Enqueued> enqueue(RunRequest req) {
    UUID orgId = UUID.fromString(req.orgId());
    UUID datasourceId = UUID.fromString(req.datasourceId());
    // no transaction needed: the insert and its event are one statement, and the datasource row is only read
    return pool.preparedQuery(RunSql.DATASOURCE_FOR_RUN)
        .execute(Tuple.of(datasourceId, orgId))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(new NoSuchElementException("datasource"));
          }
          RunOptions options = effectiveOptions(rows.iterator().next(), req);
          String fingerprint = fingerprint(req, options);
          Future<Optional<String>> reusable = req.maxAgeSeconds() == null || req.maxAgeSeconds() <= 0
              ? Future.succeededFuture(Optional.empty())
              : pool.preparedQuery(RunSql.REUSABLE).execute(Tuple.of(fingerprint, orgId, req.maxAgeSeconds()))
                  .map(r -> r.iterator().hasNext()
                      ? Optional.of(r.iterator().next().getUUID("id").toString()) : Optional.empty());
          return reusable.compose(found -> found.isPresent()
              ? Future.succeededFuture(new Enqueued(found.get(), false, false, true))
              : insert(pool, req, options, fingerprint));
        })
        .onSuccess(e -> {
          if (e.created()) {
            // the queued event first, so no listener sees a runner's "running" before it
            RunEvents.publish(vertx, req.orgId(), RunEvents.state(e.runId(), "queued"));
            vertx.eventBus().publish(Addresses.RUNS_WAKE, new JsonObject().put("datasourceId", req.datasourceId()));
          }
        });
  }

  private Future<Enqueued> insert(SqlClient conn, RunRequest req, RunOptions options, String fingerprint) {
    Tuple values = Tuple.tuple()
        .addValue(UUID.fromString(req.orgId()))
        .addValue(req.queryId() == null ? null : UUID.fromString(req.queryId()))
        .addValue(req.queryVersion())
        .addValue(UUID.fromString(req.datasourceId()))
        .addValue(req.sql())
        .addValue(req.params() == null ? new JsonObject() : req.params())
        .addValue(req.boundSql())
        .addValue(req.bindValues() == null ? new JsonArray() : req.bindValues())
        .addValue(options.toJson())
        .addValue(fingerprint)
        .addValue(req.trigger())
        .addValue(req.scheduleId() == null ? null : UUID.fromString(req.scheduleId()))
        .addValue(req.dashboardId() == null ? null : UUID.fromString(req.dashboardId()))
        .addValue(req.requestedBy() == null ? null : UUID.fromString(req.requestedBy()))
        .addValue((short) req.priority())
        .addValue(limits.queueTimeoutSeconds());
    return conn.preparedQuery(RunSql.INSERT).execute(values).compose(rows -> {
      if (rows.iterator().hasNext()) {
        Row created = rows.iterator().next();
        return Future.succeededFuture(new Enqueued(created.getUUID("id").toString(), true, false, false,
            RunRecords.json(created)));
      }
      // an identical run is live: share it
      return conn.preparedQuery(RunSql.LIVE_BY_FINGERPRINT).execute(Tuple.of(fingerprint)).compose(live ->
          live.iterator().hasNext()
              ? Future.succeededFuture(new Enqueued(live.iterator().next().getUUID("id").toString(), false, true,
                  false))
              : Future.failedFuture(new IllegalStateException("identical run finished while enqueueing; retry")));
    });
  }

  private RunOptions effectiveOptions(Row ds, RunRequest req) {
    long timeout = pick("/options/timeoutMs", req.timeoutMs(), ds.getInteger("default_timeout_ms"),
        ds.getInteger("max_timeout_ms"), limits.maxTimeoutMs(), "timeout");
    long rows = pick("/options/maxRows", req.maxRows(), ds.getLong("default_max_rows"), ds.getLong("max_rows_limit"),
        limits.maxRows(), "row limit");
    long bytes = pick("/options/maxBytes", req.maxBytes(), ds.getLong("default_max_bytes"),
        ds.getLong("max_bytes_limit"), limits.maxBytes(), "byte limit");
    return new RunOptions(timeout, rows, bytes);
  }

  private static long pick(String field, Long requested, long dsDefault, long dsMax, long serverMax, String what) {
    long max = Math.min(dsMax, serverMax);
    if (requested == null) {
      return Math.min(dsDefault, max);
    }
    if (requested <= 0) {
      throw new RunLimitException(field, "must be positive");
    }
    if (requested > max) {
      throw new RunLimitException(field, "exceeds the maximum " + what + " of " + max
          + (dsMax <= serverMax ? " for this datasource" : " of this server"));
    }
    return requested;
  }

  /** Identical work has an identical fingerprint: same datasource, statement, bound values and limits. */
  static String fingerprint(RunRequest req, RunOptions options) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {req.datasourceId(), req.boundSql(),
          (req.bindValues() == null ? new JsonArray() : req.bindValues()).encode(), options.toJson().encode()}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The latest successful run of exactly this request (same datasource, bound SQL, values and effective options) whose
   * result is still stored, no older than {@code maxAgeSeconds} (null: any age); empty when there is none. Lets a page
   * show data without starting a run.
   */
  public Future<Optional<JsonObject>> latest(RunRequest req, Long maxAgeSeconds) {
    UUID orgId = UUID.fromString(req.orgId());
    return pool.preparedQuery(RunSql.DATASOURCE_FOR_RUN).execute(Tuple.of(UUID.fromString(req.datasourceId()), orgId))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(new NoSuchElementException("datasource"));
          }
          String fingerprint = fingerprint(req, effectiveOptions(rows.iterator().next(), req));
          long age = maxAgeSeconds == null ? 100L * 365 * 24 * 3600 : maxAgeSeconds;
          return pool.preparedQuery(RunSql.REUSABLE).execute(Tuple.of(fingerprint, orgId, age));
        })
        .compose(rows -> rows.iterator().hasNext()
            ? get(req.orgId(), rows.iterator().next().getUUID("id").toString()).map(Optional::of)
            : Future.succeededFuture(Optional.empty()));
  }

  /** The run as the API shows it; fails with {@link NoSuchElementException} outside the org. */
  public Future<JsonObject> get(String orgId, String runId) {
    return pool.preparedQuery(RunSql.GET).execute(Tuple.of(UUID.fromString(runId), UUID.fromString(orgId)))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(RunRecords.json(rows.iterator().next()))
            : Future.failedFuture(new NoSuchElementException("run")));
  }

  /** Records a cancel (queued runs end at once) and hints the runners; answers the run as it now stands. */
  public Future<JsonObject> cancel(String orgId, String runId, String byUserId) {
    return pool.preparedQuery(RunSql.CANCEL)
        .execute(Tuple.of(UUID.fromString(runId), UUID.fromString(orgId), byUserId == null ? "" : byUserId))
        .compose(rows -> {
          if (rows.iterator().hasNext()) {
            String status = rows.iterator().next().getString("status");
            vertx.eventBus().publish(Addresses.RUNS_CANCEL, new JsonObject().put("runId", runId));
            RunEvents.publish(vertx, orgId, RunEvents.state(runId, status).put("cancelRequested", true));
          }
          return get(orgId, runId);
        });
  }

  /** What a run-history page is filtered by; null fields match everything. */
  public record RunFilter(String queryId, String datasourceId, List<String> statuses, String trigger,
      String requestedBy, java.time.OffsetDateTime from, java.time.OffsetDateTime to) {}

  /**
   * One page of the org's run history, newest first, after the run ({@code afterAt}, {@code afterId}) when given.
   * Asks for {@code limit} rows; answers up to that many (the caller asks one more to know whether a next page exists).
   */
  public Future<List<Row>> list(String orgId, RunFilter f, java.time.OffsetDateTime afterAt, UUID afterId, int limit) {
    return pool.preparedQuery(RunSql.LIST).execute(Tuple.tuple()
            .addValue(UUID.fromString(orgId))
            .addValue(f.queryId() == null ? null : UUID.fromString(f.queryId()))
            .addValue(f.datasourceId() == null ? null : UUID.fromString(f.datasourceId()))
            .addValue(f.statuses() == null ? null : f.statuses().toArray(new String[0]))
            .addValue(f.trigger())
            .addValue(f.requestedBy() == null ? null : UUID.fromString(f.requestedBy()))
            .addValue(f.from()).addValue(f.to()).addValue(afterAt).addValue(afterId).addValue(limit))
        .map(rows -> {
          List<Row> out = new java.util.ArrayList<>();
          rows.forEach(out::add);
          return out;
        });
  }

  /** The run's history from run_events, oldest first. */
  public Future<JsonArray> events(String orgId, String runId) {
    return get(orgId, runId).compose(run -> pool.preparedQuery(RunSql.EVENTS)
        .execute(Tuple.of(UUID.fromString(runId), UUID.fromString(orgId))).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("attempt", r.getInteger("attempt"))
              .put("at", r.getOffsetDateTime("at").toInstant().toString()).put("kind", r.getString("kind"))
              .put("detail", r.getJsonObject("detail"))));
          return out;
        }));
  }
}
