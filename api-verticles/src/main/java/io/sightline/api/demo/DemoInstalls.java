package io.sightline.api.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The record of demo installs ({@code demo_installs}) and the demo's metadata: recording an install, what it
 * contains, what users built on it, and its removal. Used by {@link DemoResource} and by the standalone installer (which
 * records an install, or undoes a failed one). Never touches the demo database.
 */
public final class DemoInstalls {
  private DemoInstalls() {}

  /** Whether this home ever received the demo, and whether it still has it (a home gets it at most once). */
  public enum State {
    /** No org ever received it. */
    NONE,
    /** An org has it. */
    INSTALLED,
    /** Every org that received it had it removed. */
    REMOVED
  }

  /** Whether any org ever received the demo, and whether one still has it. */
  public static Future<State> state(SqlClient sql) {
    return sql.query(DemoSql.STATE).execute().map(rows -> {
      Row r = rows.iterator().next();
      return r.getLong("ever") == 0 ? State.NONE : r.getLong("live") > 0 ? State.INSTALLED : State.REMOVED;
    });
  }

  /**
   * The objects of {@code kind} (datasource, query, visualization, dashboard, schedule) named {@code name} that
   * {@code org} got at or after {@code since}: what an install interrupted before it could note an object's id made.
   */
  public static Future<List<UUID>> createdSince(SqlClient sql, UUID org, String kind, String name, Instant since) {
    String select = DemoSql.createdSince(kind);
    if (select == null) {
      return Future.failedFuture(new IllegalArgumentException("no demo object kind " + kind));
    }
    return sql.preparedQuery(select).execute(Tuple.of(org, name, OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          return ids;
        });
  }

  /** Records what an install created in {@code org}, from {@code seed} and {@code anchor}, in {@code database}. */
  public static Future<Void> record(SqlClient sql, UUID org, DemoObjects objects, String database, long seed,
      Instant anchor) {
    return sql.preparedQuery(DemoSql.RECORD).execute(objects.addTo(Tuple.of(org)).addString(database).addLong(seed)
        .addValue(OffsetDateTime.ofInstant(anchor, ZoneOffset.UTC))).mapEmpty();
  }

  /** The demo's objects that still exist, by kind ({@code datasources}, {@code queries}, ...), each {id, name}. */
  public static Future<JsonObject> contents(SqlClient sql, UUID org, DemoObjects objects) {
    return sql.preparedQuery(DemoSql.CONTENTS).execute(objects.addTo(Tuple.of(org))).map(rows -> {
      JsonObject out = new JsonObject();
      for (String kind : new String[] {"datasources", "queries", "visualizations", "dashboards", "schedules"}) {
        out.put(kind, new JsonArray());
      }
      for (Row r : rows) {
        JsonObject item = new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"));
        if (r.getString("slug") != null) {
          item.put("slug", r.getString("slug"));
        }
        out.getJsonArray(plural(r.getString("kind"))).add(item);
      }
      return out;
    });
  }

  /** What users made that depends on the demo ({kind, id, name}), which a removal would break. */
  public static Future<JsonArray> dependents(SqlClient sql, UUID org, DemoObjects objects) {
    return sql.preparedQuery(DemoSql.DEPENDENTS).execute(objects.addTo(Tuple.of(org))).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("kind", r.getString("kind"))
          .put("id", r.getUUID("id").toString()).put("name", r.getString("name"))));
      return out;
    });
  }

  /** Removes the demo's metadata (call inside a transaction); answers how many objects of each kind went. */
  public static Future<JsonObject> remove(SqlClient sql, UUID org, DemoObjects objects) {
    JsonObject removed = new JsonObject();
    Future<Void> chain = Future.succeededFuture();
    for (DemoSql.Step step : DemoSql.REMOVE) {
      chain = chain.compose(v -> sql.preparedQuery(step.sql())
          .execute(Tuple.of(org).addArrayOfUUID(step.ids().apply(objects).toArray(UUID[]::new)))
          .map(rows -> {
            if (step.counted() != null) {
              removed.put(step.counted(), rows.rowCount());
            }
            return null;
          }));
    }
    return chain.map(removed);
  }

  private static String plural(String kind) {
    return kind.equals("query") ? "queries" : kind + "s";
  }
}
