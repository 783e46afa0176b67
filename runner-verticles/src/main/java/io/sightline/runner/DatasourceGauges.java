package io.sightline.runner;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sightline.shared.metrics.DatasourceLabels;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The run queue per datasource, across the whole cluster, read from the metadata database: queued runs, the age of the
 * oldest, running runs and the cap, plus an info series naming each datasource. Every runner process reports the same
 * figures (aggregate with {@code max}). At most {@link DatasourceLabels#MAX} datasources, those with queued work first;
 * an archived datasource's series disappear at the next refresh. The query reads the queued and running runs through
 * their partial indexes, never the run history.
 */
final class DatasourceGauges {
  static final String QUERY = """
      with q as (
        select datasource_id, count(*) as n, min(created_at) as oldest from runs
        where status = 'queued' and cancel_requested_at is null group by datasource_id
      ), r as (
        select datasource_id, count(*) as n from runs where status = 'running' group by datasource_id
      )
      select d.id::text as id, d.name, d.kind, d.max_concurrency, coalesce(q.n, 0) as queued,
             coalesce(r.n, 0) as running,
             coalesce(extract(epoch from (now() - q.oldest)), 0)::float8 as oldest_age
      from datasources d left join q on q.datasource_id = d.id left join r on r.datasource_id = d.id
      where d.archived_at is null
      order by q.oldest nulls last, d.id
      limit\s""" + DatasourceLabels.MAX;

  private final MultiGauge queued;
  private final MultiGauge oldest;
  private final MultiGauge running;
  private final MultiGauge cap;
  private final MultiGauge info;

  DatasourceGauges(MeterRegistry registry) {
    queued = MultiGauge.builder("sightline.datasource.queued")
        .description("Queued runs of the datasource, cluster-wide (every runner reports the same figure)")
        .register(registry);
    oldest = MultiGauge.builder("sightline.datasource.oldest.queued.age").baseUnit("seconds")
        .description("Age of the datasource's oldest queued run, cluster-wide; 0 when none is queued")
        .register(registry);
    running = MultiGauge.builder("sightline.datasource.running")
        .description("Running runs of the datasource, cluster-wide (every runner reports the same figure)")
        .register(registry);
    cap = MultiGauge.builder("sightline.datasource.max.concurrency")
        .description("The datasource's cluster-wide cap on runs executing at once").register(registry);
    info = MultiGauge.builder("sightline.datasource.info")
        .description("1 per datasource, naming it: join on the datasource label to show names").register(registry);
  }

  Future<Void> refresh(Pool pool) {
    return pool.query(QUERY).execute().map(rows -> {
      List<Row> all = new ArrayList<>();
      rows.forEach(all::add);
      set(queued, all, r -> r.getLong("queued"));
      set(oldest, all, r -> r.getDouble("oldest_age"));
      set(running, all, r -> r.getLong("running"));
      set(cap, all, r -> r.getInteger("max_concurrency"));
      info.register(all.stream().map(r -> MultiGauge.Row.of(Tags.of("datasource", r.getString("id"), "name",
          r.getString("name"), "kind", r.getString("kind")), 1)).toList(), true);
      return null;
    });
  }

  private static void set(MultiGauge gauge, List<Row> rows, Function<Row, Number> value) {
    gauge.register(rows.stream().map(r -> MultiGauge.Row.of(Tags.of("datasource", r.getString("id")),
        value.apply(r))).toList(), true);
  }
}
