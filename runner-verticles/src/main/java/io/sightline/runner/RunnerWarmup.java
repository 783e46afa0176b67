package io.sightline.runner;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.connector.Connector;
import io.sightline.shared.connector.Connectors;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.result.ResultLimits;
import io.sightline.shared.result.ResultStore;
import io.sightline.shared.result.ResultWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the JIT compiler on a run's hot path right after a runner starts, so a user's first large run does not pay for
 * compiling it: measured, a cold JVM's first run of a 1,000,000-row order book took 3.1× psql's {@code \copy}, a warm
 * one 1.6–1.7× (docs/benchmarks.md, "First run after a start").
 *
 * <p>It streams {@code SIGHTLINE_RUNNER_WARMUP_ROWS} generated rows of the common column types (bigint, int, numeric,
 * float8, text, char, bool, date, timestamptz, nulls) from the metadata database through the real connector, value
 * conversion, JSON-lines encoding and chunk compression — the code of every run — into a result that is thrown away,
 * in a few passes so the compiled code is used and profiled again. Nothing is written anywhere: no run, no result, no
 * object. It runs in the background, {@link #DELAY_MS} after the runner is ready, in queries of
 * {@link #SEGMENT_ROWS} rows, and before each waits while real runs execute in this process (never inside a
 * transaction); a failure is logged and changes nothing. 0 rows turns it off (the test suites
 * do, to spare their cores).
 */
public final class RunnerWarmup extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerWarmup.class);
  /** Passes over the rows: compiled code replaces interpreted code between them. */
  static final int PASSES = 2;
  /** Rows per round trip: a batch is a few milliseconds of an event loop. */
  static final int WARMUP_FETCH_SIZE = 1000;
  /** Rows per query (and transaction): about 0.1 s of a core. */
  static final int SEGMENT_ROWS = 50_000;
  /**
   * How long after the start it begins: the first requests after a start (a dashboard opened at once, measured by
   * bench/first_run.mjs) are not slowed by it; a person takes longer than that to sign in and write a large query.
   */
  static final long DELAY_MS = 10_000;
  /** While real runs execute in this process it waits between batches, checking this often, for at most a minute. */
  static final long IDLE_CHECK_MS = 100;
  static final long MAX_PAUSE_MS = 60_000;
  /**
   * Typical columns of an ops or trading table, {@code $1} rows: the value shapes of real data (microsecond timestamps,
   * decimals of several scales, negative numbers, nulls in most types, strings to escape and non-ASCII text), since
   * compiled code that never saw a shape is thrown away when it first meets one. Rows {@code $1 .. $2}.
   */
  static final String SQL = "select g * 1000003 as id,"
      + " timestamptz '2026-01-01 00:00:00+00' + g * interval '30 milliseconds'"
      + " + (g * 7919 % 1000000) * interval '1 microsecond' as ts,"
      + " (array['rates','fx','crédit','equities','em \"spot\"','commodities'])[(1 + g % 6)::int] as desk,"
      + " 'SYM' || lpad((g * 31 % 400)::text, 3, '0') as symbol, (array['B','S'])[(1 + g % 2)::int]::char(1) as side,"
      + " case when g % 97 = 0 then null else (g * 37 % 10000)::int - 50 end as qty,"
      + " round((0.5 + (g * 7919 % 2500000) / 1000.0)::numeric, 6) as px,"
      + " case when g % 89 = 0 then null else g * 1.37::float8 / 3 end as amount,"
      + " case when g % 83 = 0 then null else g % 3 = 0 end as flag, date '2026-01-01' + (g % 365)::int as day,"
      + " case when g % 50 = 0 then null else 'note ' || g || E'\\t' end as note,"
      + " case when g % 53 = 0 then null else round((g * 7919 % 100000000) / 100.0 - 1000, 2) end as notional,"
      + " case when g % 47 = 0 then null else (20 + g % 5000)::int end as latency_us"
      + " from generate_series($1::bigint, $2::bigint) g";

  private final SightlineConfig config;
  private final long delayMs;
  private final int segmentRows;
  private Connectors connectors;

  public RunnerWarmup(SightlineConfig config) {
    this(config, DELAY_MS, SEGMENT_ROWS);
  }

  RunnerWarmup(SightlineConfig config, long delayMs, int segmentRows) {
    this.config = config;
    this.delayMs = delayMs;
    this.segmentRows = segmentRows;
  }

  @Override
  public Future<?> start() {
    connectors = Connectors.load();
    int rows = config.runner().warmupRows();
    connectors.forKind("postgres").ifPresent(connector -> vertx.setTimer(Math.max(1, delayMs), t -> {
      long started = System.nanoTime();
      warm(connector, spec(config.database().url()), Math.max(1, rows / PASSES), PASSES)
          .onComplete(ar -> {
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (ar.succeeded()) {
              LOG.info("runner warm-up: {} rows in {} passes through the run path in {} ms", rows, PASSES, ms);
            } else {
              LOG.warn("runner warm-up skipped after {} ms: {}", ms, ar.cause().getMessage());
            }
            vertx.undeploy(deploymentID());
          });
    }));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.all(connectors.byKind().values().stream().map(c -> c.close(vertx)).toList());
  }

  /** The metadata database as a read-only datasource of one connection. */
  static DatasourceSpec spec(DatabaseUrl db) {
    return new DatasourceSpec("sightline-warmup", "postgres", db.host(), db.port(), db.database(), db.user(),
        db.password(), db.sslMode(), "", true, 1);
  }

  private Future<Void> warm(Connector connector, DatasourceSpec spec, int rows, int passesLeft) {
    if (passesLeft == 0) {
      return Future.succeededFuture();
    }
    return segments(connector, spec, 1, rows).compose(v -> warm(connector, spec, rows, passesLeft - 1));
  }

  /**
   * Rows {@code from .. last} of a pass, one query of at most {@link #segmentRows} rows at a time, each its own short
   * transaction: it waits for real runs only between them, never inside one. A transaction held open while waiting
   * kept the metadata database's oldest snapshot for as long as runs kept coming (measured under bench smallwrk: a
   * minute), so no dead row version of the run queue could be pruned, and every queue scan walked thousands of them.
   */
  private Future<Void> segments(Connector connector, DatasourceSpec spec, long from, long last) {
    if (from > last) {
      return Future.succeededFuture();
    }
    long to = Math.min(last, from + segmentRows - 1);
    // a run id no run has: the session is tagged like a run's (application_name sightline-run-<id>)
    // small batches: the event loop it shares with requests and runs is never held for long
    // every other segment with its bounds written into the text: a query without parameters takes the connector's
    // COPY read path, one with them its cursor path; both are warmed
    boolean literal = (from / segmentRows) % 2 == 0;
    ExecutionRequest request = new ExecutionRequest(UUID.randomUUID().toString(),
        literal ? SQL.replace("$1::bigint", from + "::bigint").replace("$2::bigint", to + "::bigint") : SQL,
        literal ? List.of() : List.of(from, to), 120_000, Math.min(WARMUP_FETCH_SIZE, config.runs().fetchSize()));
    ResultWriter writer = new ResultWriter(vertx, DISCARD, request.runId(), ResultLimits.unlimited(),
        config.results().chunkBytes(), 0);
    return idle().compose(v -> connector.execute(vertx, spec, request, writer, handle -> Future.succeededFuture()))
        .compose(outcome -> writer.finish())
        .recover(err -> writer.abort().transform(ignored -> Future.failedFuture(err)))
        .compose(summary -> segments(connector, spec, to + 1, last));
  }

  /** Completes once this process executes no run: the warm-up gives way to real work. */
  private Future<Void> idle() {
    RunnerMetrics metrics = RunnerMetrics.of(vertx);
    if (metrics.runsInFlight() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    long until = System.nanoTime() + MAX_PAUSE_MS * 1_000_000;
    vertx.setPeriodic(IDLE_CHECK_MS, id -> {
      if (metrics.runsInFlight() == 0) {
        vertx.cancelTimer(id);
        idle.tryComplete();
      } else if (System.nanoTime() > until) {
        vertx.cancelTimer(id);
        idle.tryFail("runs kept the runner busy for " + MAX_PAUSE_MS / 1000 + " s");
      }
    });
    return idle.future();
  }

  /** Takes every chunk and keeps none. */
  private static final ResultStore DISCARD = new ResultStore() {
    @Override
    public String kind() {
      return "discard";
    }

    @Override
    public Future<Void> put(String location, int chunkNo, Buffer compressed) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Buffer> get(String location, int chunkNo) {
      return Future.failedFuture(new IllegalStateException("the warm-up keeps no chunks"));
    }

    @Override
    public Future<Void> delete(String location, int chunkCount) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff) {
      return Future.succeededFuture(false);
    }
  };
}
