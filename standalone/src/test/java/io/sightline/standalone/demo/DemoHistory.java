package io.sightline.standalone.demo;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The history of a demo database — what its install generated, which later ticks never change: a row count and an md5
 * per table over the rows before the anchor's minute (the outages without their restoration and crew, which ticks
 * update). Two demo databases with equal histories were generated alike.
 */
public final class DemoHistory {
  private static final Map<String, String> TABLES = Map.of(
      "ohub.utilities", "select * from ohub.utilities",
      "demo.storms", "select * from demo.storms",
      "ohub.outages", "select id, utility_id, province, started_at, customers, cause, storm_id from ohub.outages"
          + " where started_at < (select anchor from demo.generator)",
      "trad.orders", "select * from trad.orders where ts < (select anchor from demo.generator)");

  private DemoHistory() {}

  /** The history of the demo database at {@code url}: per table, {@code count:md5}. */
  public static Map<String, String> of(DatabaseUrl url) throws SQLException {
    Map<String, String> history = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement()) {
      for (String table : TABLES.keySet().stream().sorted().toList()) {
        try (ResultSet rs = st.executeQuery("select count(*) || ':' || md5(string_agg(t::text, '|' order by t.id)) from ("
            + TABLES.get(table) + ") t")) {
          rs.next();
          history.put(table, rs.getString(1));
        }
      }
    }
    return history;
  }

  /** The history an uninterrupted install from the demo's seed, {@code anchor} and {@code scale} generates. */
  public static Map<String, String> ofUninterruptedInstall(Instant anchor, double scale) throws SQLException {
    try (EmbeddedDatabase postgres = EmbeddedDatabase.startEphemeral()) {
      DemoDatabase.create(postgres, DemoDatabase.SEED, anchor, scale);
      return of(postgres.url(DemoDatabase.DATABASE));
    }
  }
}
