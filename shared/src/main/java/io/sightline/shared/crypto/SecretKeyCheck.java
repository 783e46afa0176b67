package io.sightline.shared.crypto;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Start-up check: every stored secret was sealed with the configured key. A process started with another key would
 * otherwise run fine until the first datasource connection fails; this fails start-up instead, saying which.
 * Blocking (JDBC): launcher thread only.
 */
public final class SecretKeyCheck {
  private SecretKeyCheck() {}

  public static void verify(DatabaseUrl url, SecretBox box) {
    String sql = "select secret_key_id, count(*) from datasources where secret_key_id is not null"
        + " and secret_key_id <> '" + box.keyId() + "' group by 1 order by 2 desc";
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (rs.next()) {
        throw new ConfigException("SIGHTLINE_SECRET_KEY (secretKey): this key (id " + box.keyId() + ") did not encrypt "
            + rs.getLong(2) + " stored datasource password(s), which were encrypted with key id " + rs.getString(1)
            + "; start with the original key");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check stored secrets: " + e.getMessage(), e);
    }
  }
}
