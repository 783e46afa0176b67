package io.sightline.api.demo;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** What a demo install created in one org, by kind (a row of {@code demo_installs}, or an install in progress). */
public record DemoObjects(List<UUID> datasources, List<UUID> queries, List<UUID> visualizations, List<UUID> dashboards,
    List<UUID> schedules) {

  public static final DemoObjects NONE = new DemoObjects(List.of(), List.of(), List.of(), List.of(), List.of());

  static DemoObjects of(Row r) {
    return new DemoObjects(ids(r, "datasource_ids"), ids(r, "query_ids"), ids(r, "visualization_ids"),
        ids(r, "dashboard_ids"), ids(r, "schedule_ids"));
  }

  /** The five id arrays as bind values, in the order datasources, queries, visualizations, dashboards, schedules. */
  Tuple addTo(Tuple tuple) {
    return tuple.addArrayOfUUID(datasources.toArray(UUID[]::new)).addArrayOfUUID(queries.toArray(UUID[]::new))
        .addArrayOfUUID(visualizations.toArray(UUID[]::new)).addArrayOfUUID(dashboards.toArray(UUID[]::new))
        .addArrayOfUUID(schedules.toArray(UUID[]::new));
  }

  private static List<UUID> ids(Row r, String column) {
    UUID[] ids = r.getArrayOfUUIDs(column);
    return ids == null ? List.of() : List.of(ids);
  }
}
