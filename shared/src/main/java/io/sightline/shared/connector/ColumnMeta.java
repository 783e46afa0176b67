package io.sightline.shared.connector;

import io.vertx.core.json.JsonObject;

/**
 * One result column: its name, its Sightline type (what the UI and the result format understand) and the datasource's
 * own type name (for people). The Sightline type fixes the Java class of every non-null value a connector hands to a
 * {@link RowSink} for that column, and how it travels as JSON ({@link io.sightline.shared.result.JsonRowEncoder}):
 *
 * <table>
 * <tr><th>type</th><th>Java value</th><th>JSON</th></tr>
 * <tr><td>integer</td><td>Long (fits 32 bits)</td><td>number</td></tr>
 * <tr><td>bigint</td><td>Long</td><td>number within ±2^53, else string</td></tr>
 * <tr><td>decimal</td><td>BigDecimal</td><td>string in plain notation with the value's scale ({@code "25837.235200"})</td></tr>
 * <tr><td>number</td><td>Double</td><td>number; NaN, Infinity, -Infinity as strings</td></tr>
 * <tr><td>boolean</td><td>Boolean</td><td>true / false</td></tr>
 * <tr><td>text, uuid, enum</td><td>String</td><td>string</td></tr>
 * <tr><td>date</td><td>String, ISO-8601 ({@code 2026-11-29}; {@code infinity} / {@code -infinity})</td><td>string</td></tr>
 * <tr><td>timestamp</td><td>String, ISO-8601 local ({@code 2026-11-29T03:04:05.123456})</td><td>string</td></tr>
 * <tr><td>timestamptz</td><td>String, ISO-8601 UTC instant ({@code 2026-11-29T03:04:05.123456Z})</td><td>string</td></tr>
 * <tr><td>time, timetz</td><td>String, ISO-8601 ({@code 03:04:05.5}, {@code 03:04:05+02:00})</td><td>string</td></tr>
 * <tr><td>interval</td><td>String, ISO-8601 duration ({@code P1Y2M3DT4H5M6.5S})</td><td>string</td></tr>
 * <tr><td>json</td><td>String, the document's JSON text ({@code "null"} for a JSON null document)</td><td>string</td></tr>
 * <tr><td>bytea</td><td>String, base64 of at most the first {@link #BYTEA_CAP} bytes</td><td>string</td></tr>
 * <tr><td>array</td><td>List of element values (of {@code elementType}), nested lists for multi-dimensional arrays</td>
 *   <td>array</td></tr>
 * <tr><td>unknown</td><td>String (the datasource's text form)</td><td>string</td></tr>
 * </table>
 *
 * @param elementType for arrays, the Sightline type of the elements; otherwise null
 */
public record ColumnMeta(String name, String type, String sourceType, String elementType) {
  /** Binary values are cut to this many bytes before base64 (a result is for reading, not for moving blobs). */
  public static final int BYTEA_CAP = 64 * 1024;

  public ColumnMeta(String name, String type, String sourceType) {
    this(name, type, sourceType, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("type", type).put("sourceType", sourceType);
    if (elementType != null) {
      json.put("elementType", elementType);
    }
    return json;
  }

  public static ColumnMeta fromJson(JsonObject json) {
    return new ColumnMeta(json.getString("name"), json.getString("type"), json.getString("sourceType"),
        json.getString("elementType"));
  }
}
