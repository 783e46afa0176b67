package io.sightline.standalone;

import io.sightline.api.ApiMain;
import io.sightline.api.auth.InitialAdmin;
import io.sightline.api.auth.LoginThrottle;
import io.sightline.api.auth.Passwords;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.config.SightlineConfig;
import io.sightline.shared.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sightline reset-admin-password EMAIL}: gives an admin a new one-time password (printed in a framed block and
 * kept in {@code $SIGHTLINE_HOME/initial-admin.txt} until changed) and ends their sessions — for the admin who lost
 * theirs (their failed sign-ins are forgotten too). Works whether Sightline is running (it uses the running embedded Postgres, found from its
 * {@code postmaster.pid}) or stopped (it starts the embedded Postgres over the data directory for the change, then
 * stops it); with {@code SIGHTLINE_DATABASE_URL} set it changes that database.
 */
final class ResetAdminPassword {
  static final String COMMAND = "reset-admin-password";
  private static final Logger LOG = LoggerFactory.getLogger(ResetAdminPassword.class);
  private static final int EXIT_FAILED = 1;
  private static final int EXIT_USAGE = 64;

  private ResetAdminPassword() {}

  /** Runs the command; answers the process's exit code. */
  static int run(String[] args) {
    if (args.length != 1 || args[0].isBlank()) {
      System.err.println("usage: sightline " + COMMAND + " EMAIL");
      return EXIT_USAGE;
    }
    String email = args[0].trim();
    try {
      SightlineConfig config = ConfigLoader.load();
      if (config.database().url() != null) {
        return reset(config, config.database().url(), email);
      }
      Optional<HomeDirectory> stopped = HomeDirectory.tryLock(config.home());
      if (stopped.isEmpty()) {
        return reset(config, runningDatabase(config.home()), email);
      }
      try (HomeDirectory home = stopped.get()) {
        if (!Files.isDirectory(home.postgresData())) {
          throw new ConfigException("no Sightline data in " + config.home() + ": start Sightline once first (or set"
              + " SIGHTLINE_HOME to the directory it uses)");
        }
        try (EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(home.postgresData(), 0)) {
          return reset(config, postgres.url(StandaloneMain.DATABASE), email);
        }
      }
    } catch (ConfigException e) {
      System.err.println("sightline " + COMMAND + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      LOG.debug("reset failed", e);
      System.err.println("sightline " + COMMAND + ": failed: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  /** The running standalone's embedded Postgres: the port is the fourth line of its {@code postmaster.pid}. */
  private static DatabaseUrl runningDatabase(Path home) throws IOException {
    Path pid = home.resolve("pgdata").resolve("postmaster.pid");
    List<String> lines = Files.exists(pid) ? Files.readAllLines(pid) : List.of();
    if (lines.size() < 4 || !lines.get(3).trim().matches("\\d{1,5}")) {
      throw new ConfigException(home + " is held by a running Sightline whose embedded Postgres is not up yet: try"
          + " again once it is ready");
    }
    return DatabaseUrl.of("127.0.0.1", Integer.parseInt(lines.get(3).trim()), StandaloneMain.DATABASE, "postgres",
        "");
  }

  /** The audit event of a reset, in every org of the admin (no actor: whoever runs the command line on the host). */
  private static final String AUDIT = """
      insert into audit_events (org_id, action, target_kind, target_id, target_name, details)
      select m.org_id, 'auth.password_reset', 'user', u.id::text, u.email, '{"via": "command line"}'::jsonb
      from memberships m join users u on u.id = m.user_id where u.id = ?""";

  private static int reset(SightlineConfig config, DatabaseUrl url, String email) throws SQLException {
    String password = Passwords.generateOneTime();
    String hash = Passwords.hashNow(password);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value())) {
      c.setAutoCommit(false);
      UUID user = admin(c, email);
      if (user == null) {
        c.rollback();
        List<String> admins = admins(c);
        System.err.println("sightline " + COMMAND + ": no admin has the email " + email + (admins.isEmpty() ? ""
            : " (admins: " + String.join(", ", admins) + ")"));
        return EXIT_FAILED;
      }
      update(c, "update users set password_hash = ?, must_change_password = true, updated_at = now() where id = ?",
          hash, user);
      update(c, "update sessions set revoked_at = now() where user_id = ? and revoked_at is null", user);
      update(c, "delete from login_failures where account_hash = ?", (Object) LoginThrottle.accountHash(email));
      update(c, AUDIT, user);
      c.commit();
    }
    Optional<Path> file = Optional.ofNullable(keep(config, email, password));
    System.out.print(InitialAdmin.banner("A new one-time password for " + email + "; their sessions have ended.",
        ApiMain.url(config), email, password, file));
    System.out.flush();
    return 0;
  }

  /**
   * Writes the one-time password into {@code $SIGHTLINE_HOME/initial-admin.txt}; answers its path, or null (logged)
   * when it cannot be written — the password was printed all the same.
   */
  static Path keep(SightlineConfig config, String email, String password) {
    try {
      return InitialAdmin.write(config.home(), ApiMain.url(config), email, password);
    } catch (IOException e) {
      LOG.warn("could not keep the one-time password in {}: {}", config.home(), e.getMessage());
      return null;
    }
  }

  private static UUID admin(Connection c, String email) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select u.id from users u where lower(u.email) = lower(?) and"
        + " exists (select 1 from memberships m where m.user_id = u.id and m.role = 'admin') for update")) {
      st.setString(1, email);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getObject(1, UUID.class) : null;
      }
    }
  }

  private static List<String> admins(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("select distinct u.email from users u join memberships m on"
        + " m.user_id = u.id where m.role = 'admin' order by u.email limit 10");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        st.setObject(i + 1, values[i]);
      }
      st.executeUpdate();
    }
  }
}
