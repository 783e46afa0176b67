package io.sightline.shared.connector;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a datasource contains, for the schema browser and SQL completion: schemas, their relations (tables, views,
 * materialized views, foreign and partitioned tables) and columns with their types. {@code truncated} is set when a
 * very large catalog was cut at the connector's limit.
 */
public record SchemaCatalog(List<Schema> schemas, boolean truncated) {

  public record Schema(String name, List<Relation> relations) {}

  /** @param kind table, view, materialized_view, foreign_table or partitioned_table */
  public record Relation(String name, String kind, List<Column> columns) {}

  public record Column(String name, String type, boolean nullable) {}

  public JsonObject toJson() {
    JsonArray out = new JsonArray();
    for (Schema s : schemas) {
      JsonArray relations = new JsonArray();
      for (Relation r : s.relations()) {
        JsonArray columns = new JsonArray();
        for (Column c : r.columns()) {
          columns.add(new JsonObject().put("name", c.name()).put("type", c.type()).put("nullable", c.nullable()));
        }
        relations.add(new JsonObject().put("name", r.name()).put("kind", r.kind()).put("columns", columns));
      }
      out.add(new JsonObject().put("name", s.name()).put("relations", relations));
    }
    return new JsonObject().put("schemas", out).put("truncated", truncated);
  }
}
