package io.sightline.connector.postgres;

import io.sightline.shared.connector.DatasourceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection pool per datasource, sized to its {@code max_concurrency}; rebuilt when the datasource's settings
 * change (the old pool is closed once its runs finish).
 *
 * <p>Getting a connection for a run is bounded by {@link #CONNECT_TIMEOUT_MS}, both the TCP connect and the pool's wait
 * (which covers a server that accepts the socket but never answers the startup, e.g. one shutting down): the run then
 * fails as {@code connect_timeout} with nothing sent, instead of waiting out vertx-sql-client's 30 s default and
 * failing as a bare "Timeout". The statement's own timeout is separate (the run's {@code timeoutMs}).
 */
final class DatasourcePools {
  /** How long a run waits for a connection to its datasource. */
  static final long CONNECT_TIMEOUT_MS = 10_000;

  private record Entry(int settingsHash, Pool pool) {}

  private final Map<String, Entry> pools = new ConcurrentHashMap<>();

  Pool poolFor(Vertx vertx, DatasourceSpec ds) {
    int hash = settingsHash(ds);
    Entry current = pools.get(ds.id());
    if (current != null && current.settingsHash() == hash) {
      return current.pool();
    }
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(ds.maxConcurrency()).setMaxWaitQueueSize(-1).setIdleTimeout(5)
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MINUTES).setName("sightline-ds-" + ds.id() + "-" + hash)
            .setShared(false).setConnectionTimeout((int) CONNECT_TIMEOUT_MS)
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT_MS))
        .connectingTo(ConnectOptions.of(ds, "sightline-runner", CONNECT_TIMEOUT_MS))
        .using(vertx)
        .build();
    Entry previous = pools.put(ds.id(), new Entry(hash, pool));
    if (previous != null) {
      previous.pool().close();
    }
    return pool;
  }

  /** What a datasource's connections depend on: a pool (of either path) is rebuilt when it changes. */
  static int settingsHash(DatasourceSpec ds) {
    return Objects.hash(ds.host(), ds.port(), ds.database(), ds.user(), ds.password().value(), ds.sslMode(),
        ds.searchPath(), ds.maxConcurrency());
  }

  Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    pools.values().forEach(e -> closing.add(e.pool().close()));
    pools.clear();
    return Future.all(closing).mapEmpty();
  }
}
