package io.sightline.shared.db;

import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The reactive pool over the metadata database that one process shares across its verticles.
 *
 * <p>While the database is unreachable nothing waits long for it: opening a connection (TCP connect) and waiting for
 * one of the pool are both bounded by {@code database.connectTimeoutSeconds} (the pool's own default wait is 30 s), so
 * callers fail within seconds with an error {@link DatabaseUnavailable} recognises, and the pool opens fresh
 * connections again as soon as the database is back.
 */
public final class MetadataPool {
  /** Statements up to this length are kept prepared on each connection (the client's default is 2,048). */
  public static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;
  private MetadataPool() {}

  public static Pool create(Vertx vertx, SightlineConfig cfg) {
    int timeoutSeconds = cfg.database().connectTimeoutSeconds();
    return PgBuilder.pool()
        .with(new PoolOptions()
            .setName("sightline-metadata")
            .setShared(true)
            .setMaxSize(cfg.database().poolSize())
            .setMaxWaitQueueSize(10_000)
            .setConnectionTimeout(timeoutSeconds)
            .setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new NetClientOptions().setConnectTimeout((int) TimeUnit.SECONDS.toMillis(timeoutSeconds)))
        // Sightline's own statements are a fixed set: each connection keeps them parsed (named prepared statements), so
        // Postgres stops parsing and planning the run queue's CTEs for every call — about 1 ms of its CPU each
        // (docs/benchmarks.md, small runs). Their results never use a table's '*', so a migration cannot change a
        // cached statement's result type; a connection pooler in transaction mode in front of Postgres would need
        // this off. The client keeps only statements under 2,048 characters by default: the run read-back every enqueue
        // answers with (RunSql.VIEW) is longer, and was planned on every call (4.4 ms of Postgres's time per run, most
        // of its CPU, bench smallwrk with pg_stat_statements.track_planning).
        .connectingTo(cfg.database().url().connectOptions().setReconnectAttempts(2).setReconnectInterval(500)
            .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(512)
            .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT))
        .using(vertx)
        .build();
  }
}
