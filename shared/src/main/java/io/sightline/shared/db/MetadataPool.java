package io.sightline.shared.db;

import io.sightline.shared.config.SightlineConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The reactive pool over the metadata database that one process shares across its verticles. */
public final class MetadataPool {
  private MetadataPool() {}

  public static Pool create(Vertx vertx, SightlineConfig cfg) {
    return PgBuilder.pool()
        .with(new PoolOptions()
            .setName("sightline-metadata")
            .setShared(true)
            .setMaxSize(cfg.database().poolSize())
            .setMaxWaitQueueSize(10_000))
        .connectingTo(cfg.database().url().connectOptions().setReconnectAttempts(2).setReconnectInterval(500))
        .using(vertx)
        .build();
  }
}
