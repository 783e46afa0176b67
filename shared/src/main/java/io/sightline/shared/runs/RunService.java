package io.sightline.shared.runs;

import io.sightline.shared.bus.Addresses;
import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Enqueueing, reading and cancelling runs — what the api does with runs (it never executes them). Every enqueue records
 * the caller's request (run_requests); identical live requests share one execution (deduplicated by fingerprint), a
 * recent result may answer one ({@code maxAgeSeconds}); a new execution is written with its first event and request in
 * one statement, then the runners are hinted. A cancel withdraws the caller's request; the execution is cancelled when
 * no request remains, or for everyone on an editor's word.
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
   * The outcome of an enqueue: the execution and the caller's own request on it; whether the execution is new, an
   * already-live identical one ({@code shared}) or a recent result ({@code reused}); its status as the enqueue found
   * it, and its fingerprint (what its events carry, see {@link RunEvents}).
   */
  public record Enqueued(String runId, String requestId, boolean created, boolean shared, boolean reused,
      String status, String fingerprint) {}

  /** How often an enqueue retries when the identical live execution it met is ending (cancelled or finishing). */
  private static final int ENQUEUE_ATTEMPTS = 20;
  private static final long ENQUEUE_RETRY_MS = 100;

  /**
   * Records the request and gives it an execution: a new run, the identical live run (shared), or a recent result's
   * run ({@code maxAgeSeconds}). Fails with {@link NoSuchElementException} when the datasource is not the org's,
   * {@link RunLimitException} when an override exceeds a maximum.
   */
  public Future<Enqueued> enqueue(RunRequest req) {
    // no transaction needed: each write (run + event + request, or request on a live run) is one statement
    return enqueue(pool, req).onSuccess(e -> announce(req, e));
  }

  /**
   * {@link #enqueue} inside the caller's transaction (a schedule's firing enqueues its runs and records the firing
   * atomically). Nothing is announced: once the transaction committed, the caller calls {@link #announce}.
   */
  public Future<Enqueued> enqueueIn(SqlConnection conn, RunRequest req) {
    return enqueue(conn, req);
  }

  /** Tells listeners and runners about a new execution (a no-op for a shared or reused one). */
  public void announce(RunRequest req, Enqueued e) {
    if (e.created()) {
      // the queued event first, so no listener sees a runner's "running" before it
      RunEvents.publish(vertx, req.orgId(), RunEvents.state(e.runId(), "queued", req.queryId(), e.fingerprint()));
      vertx.eventBus().send(Addresses.RUNS_WAKE, new JsonObject().put("datasourceId", req.datasourceId()));
    } else if (e.shared()) {
      RunEvents.publish(vertx, req.orgId(), requestsChanged(e.runId(), e.status()));
    }
  }

  private Future<Enqueued> enqueue(SqlClient client, RunRequest req) {
    UUID orgId = UUID.fromString(req.orgId());
    UUID datasourceId = UUID.fromString(req.datasourceId());
    return client.preparedQuery(RunSql.DATASOURCE_FOR_RUN)
        .execute(Tuple.of(datasourceId, orgId))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(new NoSuchElementException("datasource"));
          }
          RunOptions options = effectiveOptions(rows.iterator().next(), req);
          String fingerprint = fingerprint(req, options);
          if (req.maxAgeSeconds() == null || req.maxAgeSeconds() <= 0) {
            return insert(client, req, options, fingerprint, ENQUEUE_ATTEMPTS);
          }
          // A fresh result, else the live run, else a fresh result again, else a new run. Joining the live run locks
          // its row, so it waits for a run that is being finished: the second look then sees its just-committed
          // result instead of starting the same work again a moment after it succeeded.
          return reuse(client, req, fingerprint).compose(reused -> reused != null ? Future.succeededFuture(reused)
              : joinLive(client, req, fingerprint).compose(joined -> joined != null ? Future.succeededFuture(joined)
                  : reuse(client, req, fingerprint).compose(again -> again != null ? Future.succeededFuture(again)
                      : insert(client, req, options, fingerprint, ENQUEUE_ATTEMPTS))));
        });
  }

  /** This request recorded on the latest stored result of {@code fingerprint} young enough for it; null when none. */
  private static Future<Enqueued> reuse(SqlClient client, RunRequest req, String fingerprint) {
    return client.preparedQuery(RunSql.REUSABLE)
        .execute(Tuple.of(fingerprint, UUID.fromString(req.orgId()), req.maxAgeSeconds()))
        .compose(r -> !r.iterator().hasNext() ? Future.succeededFuture((Enqueued) null)
            : client.preparedQuery(RunSql.ATTACH).execute(requestValues(r.iterator().next().getUUID("id"), req))
                .map(a -> enqueued(a.iterator().next(), false, false, true, "succeeded", fingerprint)));
  }

  /** This request recorded on the live execution of {@code fingerprint}; null when there is none. */
  private static Future<Enqueued> joinLive(SqlClient client, RunRequest req, String fingerprint) {
    return client.preparedQuery(RunSql.JOIN_LIVE).execute(requestValues(fingerprint, req)).map(joined -> {
      if (!joined.iterator().hasNext()) {
        return null;
      }
      Row row = joined.iterator().next();
      return enqueued(row, false, true, false, row.getString("status"), fingerprint);
    });
  }

  private static Enqueued enqueued(Row row, boolean created, boolean shared, boolean reused, String status,
      String fingerprint) {
    return new Enqueued(row.getUUID("run_id").toString(), row.getUUID("request_id").toString(), created, shared,
        reused, status, fingerprint);
  }

  /** $1 the execution (its id or fingerprint), $2 the org, then the request's attribution (RunSql.REQUEST_VALUES). */
  private static Tuple requestValues(Object execution, RunRequest req) {
    return Tuple.tuple()
        .addValue(execution)
        .addValue(UUID.fromString(req.orgId()))
        .addValue(req.queryId() == null ? null : UUID.fromString(req.queryId()))
        .addValue(req.queryVersion())
        .addValue(req.params() == null ? new JsonObject() : req.params())
        .addValue(req.trigger())
        .addValue(req.scheduleId() == null ? null : UUID.fromString(req.scheduleId()))
        .addValue(req.dashboardId() == null ? null : UUID.fromString(req.dashboardId()))
        .addValue(req.requestedBy() == null ? null : UUID.fromString(req.requestedBy()));
  }

  /**
   * A new execution with this request, or this request on the identical live one. Between the two statements that
   * execution may end (or be cancelled, and then it still holds the fingerprint until its runner stops it): try again,
   * a little later, a bounded number of times.
   */
  private Future<Enqueued> insert(SqlClient client, RunRequest req, RunOptions options, String fingerprint,
      int attemptsLeft) {
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
    return client.preparedQuery(RunSql.ENQUEUE).execute(values).compose(rows -> {
      if (rows.iterator().hasNext()) {
        return Future.succeededFuture(enqueued(rows.iterator().next(), true, false, false, "queued", fingerprint));
      }
      // an identical run is live: record this request on it
      return joinLive(client, req, fingerprint).compose(joined -> {
        if (joined != null) {
          return Future.succeededFuture(joined);
        }
        if (attemptsLeft <= 1) {
          return Future.failedFuture(new IdenticalRunEndingException());
        }
        return vertx.timer(ENQUEUE_RETRY_MS).compose(v -> insert(client, req, options, fingerprint,
            attemptsLeft - 1));
      });
    });
  }

  /** A hint that the requests of a run changed (joined or withdrawn): listeners re-read it. */
  private static JsonObject requestsChanged(String runId, String status) {
    return RunEvents.state(runId, status).put("requestsChanged", true);
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

  /**
   * What {@link #latestMany} found for one request: its fingerprint and the latest fresh enough successful execution of
   * it with a stored result ({@code runId}, {@code resultId}, {@code finishedAt}; null when there is none), or why it
   * cannot run ({@code error}: {@link NoSuchElementException} for a datasource that is not the org's).
   */
  public record Latest(String fingerprint, String runId, String resultId, java.time.Instant finishedAt,
      Throwable error) {}

  /**
   * {@link #latest} for many requests of one org at once, in two statements whatever their number: the datasources'
   * limits, then the latest stored result of every fingerprint no older than {@code maxAgeSeconds} (null: any age).
   * Answers one {@link Latest} per request, in order.
   */
  public Future<List<Latest>> latestMany(String orgId, List<RunRequest> reqs, Long maxAgeSeconds) {
    UUID org = UUID.fromString(orgId);
    UUID[] datasources = reqs.stream().map(r -> UUID.fromString(r.datasourceId())).distinct().toArray(UUID[]::new);
    return pool.preparedQuery(RunSql.DATASOURCES_FOR_RUNS).execute(Tuple.tuple().addValue(datasources).addValue(org)).compose(rows -> {
      java.util.Map<String, Row> byId = new java.util.HashMap<>();
      rows.forEach(r -> byId.put(r.getUUID("id").toString(), r));
      List<String> fingerprints = new java.util.ArrayList<>();
      List<Throwable> errors = new java.util.ArrayList<>();
      for (RunRequest req : reqs) {
        Row ds = byId.get(UUID.fromString(req.datasourceId()).toString());
        String fp = null;
        Throwable error = null;
        try {
          if (ds == null) {
            throw new NoSuchElementException("datasource");
          }
          fp = fingerprint(req, effectiveOptions(ds, req));
        } catch (RuntimeException e) {
          error = e;
        }
        fingerprints.add(fp);
        errors.add(error);
      }
      String[] known = fingerprints.stream().filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
      long age = maxAgeSeconds == null ? 100L * 365 * 24 * 3600 : maxAgeSeconds;
      Future<RowSet<Row>> found = known.length == 0 || age <= 0 ? Future.succeededFuture(null)
          : pool.preparedQuery(RunSql.REUSABLE_MANY).execute(Tuple.tuple().addValue(known).addValue(org).addValue(age));
      return found.map(latest -> {
        java.util.Map<String, Row> byFingerprint = new java.util.HashMap<>();
        if (latest != null) {
          latest.forEach(r -> byFingerprint.put(r.getString("fingerprint"), r));
        }
        List<Latest> out = new java.util.ArrayList<>(reqs.size());
        for (int i = 0; i < reqs.size(); i++) {
          Row r = fingerprints.get(i) == null ? null : byFingerprint.get(fingerprints.get(i));
          out.add(new Latest(fingerprints.get(i), r == null ? null : r.getUUID("id").toString(),
              r == null ? null : r.getUUID("result_id").toString(),
              r == null ? null : r.getOffsetDateTime("finished_at").toInstant(), errors.get(i)));
        }
        return out;
      });
    });
  }

  /** The execution as the API shows it; fails with {@link NoSuchElementException} outside the org. */
  public Future<JsonObject> get(String orgId, String runId) {
    return pool.preparedQuery(RunSql.GET).execute(Tuple.of(UUID.fromString(runId), UUID.fromString(orgId)))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(RunRecords.json(rows.iterator().next()))
            : Future.failedFuture(new NoSuchElementException("run")));
  }

  /**
   * The execution as one requester sees it ({@link RunRecords#asRequested}), with all its requests ({@code requests},
   * oldest first). The request described is {@code requestId} when given (else {@link NoSuchElementException}), else
   * {@code viewerId}'s latest live request on it, else their latest, else the first.
   */
  public Future<JsonObject> view(String orgId, String runId, String requestId, String viewerId) {
    return pool.preparedQuery(RunSql.VIEW).execute(Tuple.of(UUID.fromString(runId), UUID.fromString(orgId)))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(new NoSuchElementException("run"));
          }
          JsonObject run = RunRecords.json(rows.iterator().next());
          JsonArray requests = new JsonArray();
          rows.forEach(r -> {
            if (r.getUUID("request_id") != null) {
              requests.add(RunRecords.request(r));
            }
          });
          run.put("requests", requests);
          JsonObject described = describedRequest(requests, requestId, viewerId);
          if (described == null) {
            return requestId == null ? Future.succeededFuture(run)
                : Future.failedFuture(new NoSuchElementException("request"));
          }
          return Future.succeededFuture(RunRecords.asRequested(run, described.copy()));
        });
  }

  private static JsonObject describedRequest(JsonArray requests, String requestId, String viewerId) {
    JsonObject mine = null;
    for (int i = requests.size() - 1; i >= 0; i--) {
      JsonObject r = requests.getJsonObject(i);
      if (requestId != null) {
        if (requestId.equalsIgnoreCase(r.getString("id"))) {
          return r;
        }
      } else if (viewerId != null && viewerId.equalsIgnoreCase(r.getString("requestedBy"))) {
        if (r.getString("withdrawnAt") == null) {
          return r;
        }
        mine = mine == null ? r : mine;
      }
    }
    if (requestId != null) {
      return null;
    }
    return mine != null ? mine : requests.isEmpty() ? null : requests.getJsonObject(0);
  }

  /** Cancels the execution for everyone (as an editor would); answers the run as it now stands. */
  public Future<JsonObject> cancel(String orgId, String runId, String byUserId) {
    return cancel(orgId, runId, byUserId, CancelScope.EVERYONE, null).compose(c -> get(orgId, runId));
  }

  /** Whom a cancel is for: the caller's own request(s), or every request of the execution. */
  public enum CancelScope { MINE, EVERYONE }

  /** What a cancel did: requests withdrawn, and whether the execution itself was cancelled by it. */
  public record Cancelled(int withdrawn, boolean runCancelled) {}

  /**
   * Withdraws {@code byUserId}'s live requests on the execution (only {@code requestId} when given) and cancels the
   * execution when none remains; or, for {@link CancelScope#EVERYONE}, withdraws every request and cancels it. One
   * transaction under the execution's row lock, so a request joining meanwhile either counts or finds it cancelled.
   * Nothing changes on a finished execution.
   */
  public Future<Cancelled> cancel(String orgId, String runId, String byUserId, CancelScope scope, String requestId) {
    UUID run = UUID.fromString(runId);
    UUID org = UUID.fromString(orgId);
    UUID by = byUserId == null ? null : UUID.fromString(byUserId);
    boolean everyone = scope == CancelScope.EVERYONE;
    return pool.withTransaction(conn -> conn.preparedQuery(RunSql.LOCK_RUN).execute(Tuple.of(run, org))
        .compose(locked -> {
          if (!locked.iterator().hasNext()) {
            return Future.failedFuture(new NoSuchElementException("run"));
          }
          Row row = locked.iterator().next();
          if (!Set.of("queued", "running").contains(row.getString("status"))) {
            return Future.succeededFuture(new Cancelled(0, false));
          }
          return conn.preparedQuery(RunSql.WITHDRAW).execute(Tuple.of(run, org, by, everyone ? null : by,
                  requestId == null ? null : UUID.fromString(requestId)))
              .compose(withdrawn -> conn.preparedQuery(RunSql.LIVE_REQUESTS).execute(Tuple.of(run))
                  .compose(live -> {
                    boolean last = withdrawn.rowCount() > 0 && live.iterator().next().getInteger("live") == 0;
                    if (!everyone && !last || row.getValue("cancel_requested_at") != null) {
                      return Future.succeededFuture(new Cancelled(withdrawn.rowCount(), false));
                    }
                    return conn.preparedQuery(RunSql.CANCEL)
                        .execute(Tuple.of(run, org, by, everyone ? "everyone" : "last_request"))
                        .map(c -> new Cancelled(withdrawn.rowCount(), c.iterator().hasNext()));
                  }));
        }))
        .onSuccess(c -> {
          if (c.runCancelled()) {
            vertx.eventBus().publish(Addresses.RUNS_CANCEL, new JsonObject().put("runId", runId));
          }
          if (c.withdrawn() > 0 || c.runCancelled()) {
            // listeners re-read the run: its status, who cancelled, and how many requests remain
            get(orgId, runId).onSuccess(now -> RunEvents.publish(vertx, orgId,
                requestsChanged(runId, now.getString("status")).put("cancelRequested", c.runCancelled())));
          }
        });
  }

  /** What a run-history page is filtered by; null fields match everything. */
  public record RunFilter(String queryId, String datasourceId, List<String> statuses, String trigger,
      String requestedBy, java.time.OffsetDateTime from, java.time.OffsetDateTime to, String scheduleId) {}

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
            .addValue(f.from()).addValue(f.to()).addValue(afterAt).addValue(afterId).addValue(limit)
            .addValue(f.scheduleId() == null ? null : UUID.fromString(f.scheduleId())))
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
