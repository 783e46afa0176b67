package io.sightline.testkit;

import io.sightline.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One migrated database of a test class (see {@link PostgresExtension}), with small JDBC helpers for assertions. */
public record TestDatabase(String name, DatabaseUrl url, TestPostgres server)
    implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  public Connection connect() throws SQLException {
    return TestPostgres.connect(url);
  }

  /** Runs a statement (DDL, DML) on its own connection. */
  public void execute(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Runs a query and returns its rows as column-name → value maps, in order. */
  public List<Map<String, Object>> query(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The single value of a one-row, one-column query. */
  public Object scalar(String sql) {
    List<Map<String, Object>> rows = query(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException(sql + ": expected one value, got " + rows);
    }
    return rows.get(0).values().iterator().next();
  }

  /**
   * A Postgres datasource of {@code orgId} on this very database, as its superuser (so a test can watch and end its
   * runs' sessions); answers its id.
   */
  public String selfDatasource(String orgId, String datasourceName, int maxConcurrency) {
    String id = java.util.UUID.randomUUID().toString();
    String options = new io.vertx.core.json.JsonObject().put("host", "127.0.0.1").put("port", url.port())
        .put("database", name).put("user", url.user()).put("sslMode", "disable").put("searchPath", "").encode();
    execute("insert into datasources (id, org_id, name, kind, options, max_concurrency) values ('" + id + "', '"
        + orgId + "', '" + datasourceName + "', 'postgres', '" + options + "', " + maxConcurrency + ")");
    return id;
  }

  /** Sessions of runs open on this database (when it is also a test's datasource): they carry the run's tag. */
  public long runSessions() {
    return (Long) scalar("select count(*) from pg_stat_activity where application_name like 'sightline-run-%'");
  }

  /** Sessions of one run open on this database. */
  public long sessionsOf(String runId) {
    return (Long) scalar("select count(*) from pg_stat_activity where application_name = 'sightline-run-" + runId
        + "'");
  }

  @Override
  public void close() {
    server.drop(name);
  }
}
