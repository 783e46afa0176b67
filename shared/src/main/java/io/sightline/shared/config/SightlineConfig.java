package io.sightline.shared.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of a Sightline process, bound once at start-up by {@link ConfigLoader} from
 * {@code conf/sightline.json} and {@code SIGHTLINE_*} environment variables, then passed to constructors.
 * Each record validates itself; a bad value fails start-up with a {@link ConfigException} naming the setting.
 */
public record SightlineConfig(
    Path home, Http http, Database database, Embedded embedded, Secret secretKey, Auth auth, Admin admin,
    Cluster cluster, Runner runner) {

  public static final int SECRET_KEY_BYTES = 32;

  public SightlineConfig {
    if (secretKey.isSet()) {
      secretKey.base64Key("SIGHTLINE_SECRET_KEY (secretKey)", SECRET_KEY_BYTES);
    }
  }

  /** The same settings with the metadata database at {@code url} (the standalone mode's embedded Postgres). */
  public SightlineConfig withDatabaseUrl(DatabaseUrl url) {
    return new SightlineConfig(home, http, new Database(url, database.poolSize(), database.startupTimeoutSeconds()),
        embedded, secretKey, auth, admin, cluster, runner);
  }

  /** The same settings with another secret key (the standalone mode's generated one). */
  public SightlineConfig withSecretKey(Secret key) {
    return new SightlineConfig(home, http, database, embedded, key, auth, admin, cluster, runner);
  }

  /** The HTTP listener of the api (and of the standalone process). */
  public record Http(String host, int port, int maxBodyBytes) {
    public Http {
      host = Checks.text("SIGHTLINE_HTTP_HOST (http.host)", host);
      Checks.port("SIGHTLINE_HTTP_PORT (http.port)", port, true);
      Checks.range("SIGHTLINE_HTTP_MAX_BODY_BYTES (http.maxBodyBytes)", maxBodyBytes, 1024, 64 << 20);
    }
  }

  /**
   * The metadata database. {@code url == null} means "none configured": the standalone process then starts its
   * embedded Postgres; api and runner refuse to start.
   */
  public record Database(DatabaseUrl url, int poolSize, int startupTimeoutSeconds) {
    public Database {
      Checks.range("SIGHTLINE_DATABASE_POOL_SIZE (database.poolSize)", poolSize, 1, 200);
      Checks.range("SIGHTLINE_DATABASE_STARTUP_TIMEOUT (database.startupTimeoutSeconds)", startupTimeoutSeconds, 0, 3600);
    }
  }

  /** The embedded Postgres of the standalone mode (0 = any free port). */
  public record Embedded(int port) {
    public Embedded {
      Checks.port("SIGHTLINE_EMBEDDED_PG_PORT (embedded.port)", port, true);
    }
  }

  /** Sign-in: how long a session lasts, and when repeated failed logins are throttled (per account, per address). */
  public record Auth(int sessionHours, int loginFailuresPerAccount, int loginFailuresPerAddress, int loginWindowMinutes) {
    public Auth {
      Checks.range("SIGHTLINE_SESSION_HOURS (auth.sessionHours)", sessionHours, 1, 24 * 90);
      Checks.range("SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT (auth.loginFailuresPerAccount)", loginFailuresPerAccount, 1,
          1000);
      Checks.range("SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS (auth.loginFailuresPerAddress)", loginFailuresPerAddress, 1,
          100_000);
      Checks.range("SIGHTLINE_LOGIN_WINDOW_MINUTES (auth.loginWindowMinutes)", loginWindowMinutes, 1, 24 * 60);
    }
  }

  /** The first admin, created when no user exists yet (empty password: a one-time password is generated and printed). */
  public record Admin(String email, Secret password) {
    public Admin {
      email = email == null ? "" : email.trim();
      if (!email.isEmpty() && (email.indexOf('@') < 1 || email.length() > 254)) {
        throw new ConfigException("SIGHTLINE_ADMIN_EMAIL (admin.email): '" + email + "' is not an email address");
      }
      password = password == null ? Secret.of("") : password;
    }
  }

  /** Hazelcast membership of a clustered api or runner (see cluster.xml). */
  public record Cluster(String name, String host, int port, List<String> members, int eventBusPort, String configFile) {
    public Cluster {
      name = Checks.text("SIGHTLINE_CLUSTER_NAME (cluster.name)", name);
      host = Checks.text("SIGHTLINE_CLUSTER_HOST (cluster.host)", host);
      Checks.port("SIGHTLINE_CLUSTER_PORT (cluster.port)", port, false);
      Checks.port("SIGHTLINE_CLUSTER_EVENTBUS_PORT (cluster.eventBusPort)", eventBusPort, true);
      members = members == null ? List.of() : members.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
      if (members.isEmpty()) {
        throw new ConfigException("SIGHTLINE_CLUSTER_MEMBERS (cluster.members): at least one member address is needed");
      }
      for (String m : members) {
        Checks.member("SIGHTLINE_CLUSTER_MEMBERS (cluster.members)", m);
      }
      configFile = configFile == null ? "" : configFile.trim();
    }
  }

  /** A runner process: its id (empty = host name and pid) and how many runs it executes at once. */
  public record Runner(String id, int concurrency) {
    public Runner {
      id = id == null ? "" : id.trim();
      Checks.range("SIGHTLINE_RUNNER_CONCURRENCY (runner.concurrency)", concurrency, 1, 1024);
    }
  }

  /** Small validators whose messages name the setting. */
  static final class Checks {
    private Checks() {}

    static String text(String setting, String value) {
      if (value == null || value.isBlank()) {
        throw new ConfigException(setting + ": must not be empty");
      }
      return value.trim();
    }

    static void range(String setting, long value, long min, long max) {
      if (value < min || value > max) {
        throw new ConfigException(setting + ": " + value + " is out of range " + min + "-" + max);
      }
    }

    static void port(String setting, int port, boolean zeroAllowed) {
      if ((port == 0 && !zeroAllowed) || port < 0 || port > 65535) {
        throw new ConfigException(setting + ": " + port + " is not a port number (" + (zeroAllowed ? 0 : 1) + "-65535)");
      }
    }

    static void member(String setting, String member) {
      int colon = member.lastIndexOf(':');
      if (colon > 0 && member.indexOf(':') == colon) {
        String p = member.substring(colon + 1);
        try {
          port(setting, Integer.parseInt(p), false);
        } catch (NumberFormatException e) {
          throw new ConfigException(setting + ": '" + member + "' is not host or host:port");
        }
      }
    }
  }
}
