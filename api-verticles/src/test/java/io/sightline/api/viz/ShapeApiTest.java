package io.sightline.api.viz;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static io.sightline.api.ApiTestServer.ORG_A;
import static io.sightline.api.ApiTestServer.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.api.ApiTestServer;
import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.result.LocalDirectoryStore;
import io.sightline.shared.result.ResultLimits;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.StoredResults;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/results/{resultId}/series} over HTTP on a real api node and Postgres, with results written by
 * the real ResultWriter: the shaped answer, 400s naming the field, 404 across orgs and for expired results, a saved
 * visualization's config, the org's time zone, and the cache per width step.
 */
@ExtendWith(PostgresExtension.class)
class ShapeApiTest {
  static final long HOUR = 3_600_000;
  static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
  static final List<ColumnMeta> COLUMNS = List.of(new ColumnMeta("hour", "timestamptz", "timestamptz"),
      new ColumnMeta("local_hour", "timestamp", "timestamp"), new ColumnMeta("province", "text", "text"),
      new ColumnMeta("outages", "integer", "int4"), new ColumnMeta("kwh", "decimal", "numeric"));

  @TempDir
  static Path tmp;
  private static ApiTestServer server;
  private static ApiClient viewer;
  private static String resultId;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db);
    viewer = server.as(VIEWER_A);
    List<Object[]> rows = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      for (String p : List.of("North", "South", "East")) {
        rows.add(new Object[] {Instant.ofEpochMilli(T0 + h * HOUR).toString(), "2026-11-01T" + pad(h) + ":00:00", p,
            h + p.length(), new BigDecimal("123456789012345678901234567890.1")});
      }
    }
    resultId = write(rows, OffsetDateTime.now().plusDays(1));
  }

  private static String pad(int h) {
    return h < 10 ? "0" + h : Integer.toString(h);
  }

  private static String write(List<Object[]> rows, OffsetDateTime expiresAt) {
    return StoredResults.write(server.node.vertx(), server.node.pool(), server.db, ORG_A,
        new LocalDirectoryStore(server.node.vertx(), tmp), COLUMNS, rows.iterator(), ResultLimits.unlimited(),
        expiresAt);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject lineBody(String x, int width) {
    return new JsonObject().put("kind", "line").put("width", width).put("config", new JsonObject()
        .put("x", new JsonObject().put("column", x))
        .put("y", new JsonArray().add(new JsonObject().put("column", "outages"))).put("seriesBy", "province"));
  }

  @Test
  void aViewerGetsOneSeriesPerProvinceAlignedOnTheHours() {
    Response r = viewer.post("/api/v1/results/" + resultId + "/series", lineBody("hour", 1200));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonObject shaped = r.json();
    assertThat(shaped.getJsonObject("x").getJsonArray("values")).hasSize(24);
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getLong(0)).isEqualTo(T0);
    JsonArray series = shaped.getJsonArray("series");
    assertThat(series.stream().map(s -> ((JsonObject) s).getString("key"))).containsExactly("North", "South", "East");
    assertThat(series.getJsonObject(0).getJsonArray("values").getDouble(3)).isEqualTo(3.0 + 5);
    assertThat(shaped.getJsonObject("meta").getLong("sourceRows")).isEqualTo(72);
    assertThat(shaped.getJsonObject("meta").getBoolean("resultTruncated")).isFalse();
  }

  @Test
  void decimalsBeyondADoubleCarryTheirExactText() {
    JsonObject body = new JsonObject().put("kind", "bar").put("config", new JsonObject()
        .put("x", new JsonObject().put("column", "province"))
        .put("y", new JsonArray().add(new JsonObject().put("column", "kwh").put("aggregate", "sum"))));
    JsonObject shaped = viewer.post("/api/v1/results/" + resultId + "/series", body).json();
    assertThat(shaped.getJsonObject("x").getJsonArray("values").getList()).containsExactly("North", "South", "East");
    assertThat(shaped.getJsonArray("series").getJsonObject(0).getJsonObject("exact").getString("0"))
        .isEqualTo(new BigDecimal("123456789012345678901234567890.1").multiply(BigDecimal.valueOf(24)).toPlainString());
  }

  @Test
  void timestampsWithoutZoneAreWallClockInTheOrgsZone() {
    server.db.execute("update orgs set timezone = 'Asia/Kolkata' where id = '" + ORG_A + "'");
    try {
      JsonObject shaped = viewer.post("/api/v1/results/" + resultId + "/series", lineBody("local_hour", 1200))
          .json();
      assertThat(shaped.getJsonObject("x").getJsonArray("values").getLong(0)).isEqualTo(T0 - (5 * 60 + 30) * 60_000L);
    } finally {
      server.db.execute("update orgs set timezone = 'UTC' where id = '" + ORG_A + "'");
    }
  }

  @Test
  void aColumnTheResultLacksIsA400NamingTheField() {
    Response r = viewer.post("/api/v1/results/" + resultId + "/series", lineBody("day", 1200));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValue("application/problem+json");
    JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).isEqualTo("/config/x/column");
    assertThat(error.getString("message")).contains("no column \"day\"").contains("hour, local_hour, province");

    JsonObject textY = lineBody("hour", 1200);
    textY.getJsonObject("config").put("y", new JsonArray().add(new JsonObject().put("column", "province")));
    Response notNumeric = viewer.post("/api/v1/results/" + resultId + "/series", textY);
    assertThat(notNumeric.status()).isEqualTo(400);
    assertThat(notNumeric.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("/config/y/0/column");

    Response noKind = viewer.post("/api/v1/results/" + resultId + "/series", new JsonObject().put("width", 800));
    assertThat(noKind.status()).isEqualTo(400);
    assertThat(noKind.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/kind");

    Response badWidth = viewer.post("/api/v1/results/" + resultId + "/series", lineBody("hour", 10));
    assertThat(badWidth.status()).isEqualTo(400);
    assertThat(badWidth.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/width");
  }

  @Test
  void anotherOrgsResultAndAnExpiredOneAre404() {
    Response other = server.as(ADMIN_B).post("/api/v1/results/" + resultId + "/series", lineBody("hour", 1200));
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.body()).doesNotContain("North");
    String expired = write(List.<Object[]>of(new Object[] {"2026-11-01T00:00:00Z", null, "North", 1, null}),
        OffsetDateTime.now().minusMinutes(1));
    assertThat(viewer.post("/api/v1/results/" + expired + "/series", lineBody("hour", 1200)).status()).isEqualTo(404);
    assertThat(viewer.post("/api/v1/results/not-a-uuid/series", lineBody("hour", 1200)).status()).isEqualTo(404);
  }

  @Test
  void aSavedVisualizationIsShapedByIdWithinItsOrgOnly() {
    ApiClient admin = server.as(ADMIN_A);
    String datasource = admin.post("/api/v1/datasources", new JsonObject().put("name", "viz warehouse")
        .put("host", "127.0.0.1").put("database", "warehouse").put("user", "reader").put("password", "pw"))
        .json().getString("id");
    String query = admin.post("/api/v1/queries", new JsonObject().put("name", "Outages per hour")
        .put("datasourceId", datasource).put("sql", "select 1")).json().getString("id");
    String viz = server.db.scalar("insert into visualizations (org_id, query_id, name, kind, config) values ('"
        + ORG_A + "', '" + query + "', 'Outages', 'stat', '{\"value\": {\"column\": \"outages\", \"reducer\":"
        + " \"max\"}, \"time\": {\"column\": \"hour\"}}') returning id").toString();

    Response r = viewer.post("/api/v1/results/" + resultId + "/series?visualizationId=" + viz,
        new JsonObject().put("width", 300));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("kind")).isEqualTo("stat");
    assertThat(r.json().getDouble("value")).isEqualTo(23.0 + 5);
    assertThat(r.json().getLong("latestAt")).isEqualTo(T0 + 23 * HOUR);

    Response withConfig = viewer.post("/api/v1/results/" + resultId + "/series?visualizationId=" + viz,
        lineBody("hour", 300));
    assertThat(withConfig.status()).isEqualTo(400);
    String orgB = server.db.scalar("select id from orgs where id <> '" + ORG_A + "' limit 1").toString();
    assertThat(orgB).isNotEqualTo(ORG_A);
    assertThat(viewer.post("/api/v1/results/" + resultId + "/series?visualizationId="
        + java.util.UUID.randomUUID(), new JsonObject().put("width", 300)).status()).isEqualTo(404);
  }

  @Test
  void answersAreCachedPerHundredPixelsOfWidth() {
    JsonObject body = lineBody("hour", 1101);
    body.getJsonObject("config").put("topN", 7);  // a config no other test uses
    Response first = viewer.post("/api/v1/results/" + resultId + "/series", body);
    assertThat(first.header("X-Sightline-Cache")).hasValue("miss");
    assertThat(first.header("Server-Timing").orElseThrow()).startsWith("shape;dur=");
    Response same = viewer.post("/api/v1/results/" + resultId + "/series", body.copy().put("width", 1200));
    assertThat(same.header("X-Sightline-Cache")).hasValue("hit");
    assertThat(same.json()).isEqualTo(first.json());
    assertThat(viewer.post("/api/v1/results/" + resultId + "/series", body.copy().put("width", 1201))
        .header("X-Sightline-Cache")).hasValue("miss");
    assertThat(ShapeResource.roundUp(40)).isEqualTo(100);
    assertThat(ShapeResource.roundUp(8000)).isEqualTo(8000);
  }
}
