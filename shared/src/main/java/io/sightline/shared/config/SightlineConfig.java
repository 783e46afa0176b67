package io.sightline.shared.config;

import io.sightline.shared.net.Cidr;
import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of a Sightline process, bound once at start-up by {@link ConfigLoader} from
 * {@code conf/sightline.json} and {@code SIGHTLINE_*} environment variables, then passed to constructors.
 * Each record validates itself; a bad value fails start-up with a {@link ConfigException} naming the setting.
 */
public record SightlineConfig(
    Path home, Http http, Database database, Embedded embedded, Secret secretKey, Auth auth, Admin admin,
    Runs runs, Results results, S3 s3, Cluster cluster, Runner runner, Metrics metrics, Demo demo) {

  public static final int SECRET_KEY_BYTES = 32;

  public SightlineConfig {
    if (secretKey.isSet()) {
      secretKey.base64Key("SIGHTLINE_SECRET_KEY (secretKey)", SECRET_KEY_BYTES);
    }
  }

  /** The same settings with the metadata database at {@code url} (the standalone mode's embedded Postgres). */
  public SightlineConfig withDatabaseUrl(DatabaseUrl url) {
    return new SightlineConfig(home, http, new Database(url, database.poolSize(), database.startupTimeoutSeconds(),
        database.connectTimeoutSeconds()),
        embedded, secretKey, auth, admin, runs, results, s3, cluster, runner, metrics, demo);
  }

  /** The same settings with the HTTP server and the embedded Postgres on these ports (the standalone's free ones). */
  public SightlineConfig withPorts(int httpPort, int embeddedPort) {
    return new SightlineConfig(home, new Http(http.host(), httpPort, http.maxBodyBytes(), http.headerTimeoutSeconds(),
        http.idleTimeoutSeconds(), http.bodyTimeoutSeconds(), http.maxConnections(), http.drainSeconds(),
        http.trustedProxies()), database,
        new Embedded(embeddedPort), secretKey, auth, admin, runs, results, s3, cluster, runner, metrics, demo);
  }

  /** The same settings with another secret key (the standalone mode's generated one). */
  public SightlineConfig withSecretKey(Secret key) {
    return new SightlineConfig(home, http, database, embedded, key, auth, admin, runs, results, s3, cluster, runner,
        metrics, demo);
  }

  /**
   * The HTTP listener of the api (and of the standalone process), and what it tolerates of a connection: a complete
   * request head within {@code headerTimeoutSeconds} of connecting (or of the previous response), a whole request body
   * within {@code bodyTimeoutSeconds} of its head, no traffic at all for at most {@code idleTimeoutSeconds} (also how
   * long a keep-alive connection may wait for its next request), and at most {@code maxConnections} open at once. On
   * SIGTERM the process drains for {@code drainSeconds}: {@code /readyz} answers 503 "stopping" at once while requests
   * are still served (a balancer takes it out of rotation), then the listener closes, letting in-flight requests finish
   * within as long again; 0 closes at once. {@code trustedProxies}: the reverse proxies (addresses or CIDR blocks) whose
   * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed; nobody's by default.
   */
  public record Http(String host, int port, int maxBodyBytes, int headerTimeoutSeconds, int idleTimeoutSeconds,
      int bodyTimeoutSeconds, int maxConnections, int drainSeconds, List<String> trustedProxies) {
    public Http {
      trustedProxies = trustedProxies == null ? List.of()
          : trustedProxies.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
      for (String proxy : trustedProxies) {
        if (Cidr.parse(proxy).isEmpty()) {
          throw new ConfigException("SIGHTLINE_HTTP_TRUSTED_PROXIES (http.trustedProxies): '" + proxy
              + "' is not an IP address or CIDR block (e.g. 10.0.0.5 or 10.0.0.0/24)");
        }
      }
      host = Checks.text("SIGHTLINE_HTTP_HOST (http.host)", host);
      Checks.port("SIGHTLINE_HTTP_PORT (http.port)", port, true);
      Checks.range("SIGHTLINE_HTTP_MAX_BODY_BYTES (http.maxBodyBytes)", maxBodyBytes, 1024, 64 << 20);
      Checks.range("SIGHTLINE_HTTP_HEADER_TIMEOUT (http.headerTimeoutSeconds)", headerTimeoutSeconds, 1, 600);
      Checks.range("SIGHTLINE_HTTP_IDLE_TIMEOUT (http.idleTimeoutSeconds)", idleTimeoutSeconds, 1, 3600);
      Checks.range("SIGHTLINE_HTTP_BODY_TIMEOUT (http.bodyTimeoutSeconds)", bodyTimeoutSeconds, 1, 3600);
      Checks.range("SIGHTLINE_HTTP_MAX_CONNECTIONS (http.maxConnections)", maxConnections, 1, 1_000_000);
      Checks.range("SIGHTLINE_HTTP_DRAIN_SECONDS (http.drainSeconds)", drainSeconds, 0, 300);
    }
  }

  /**
   * The metadata database. {@code url == null} means "none configured": the standalone process then starts its
   * embedded Postgres; api and runner refuse to start. {@code connectTimeoutSeconds} bounds how long anything waits for
   * a connection of the pool (opening one included), so that requests fail fast while the database is unreachable.
   */
  public record Database(DatabaseUrl url, int poolSize, int startupTimeoutSeconds, int connectTimeoutSeconds) {
    public Database {
      Checks.range("SIGHTLINE_DATABASE_POOL_SIZE (database.poolSize)", poolSize, 1, 200);
      Checks.range("SIGHTLINE_DATABASE_STARTUP_TIMEOUT (database.startupTimeoutSeconds)", startupTimeoutSeconds, 0, 3600);
      Checks.range("SIGHTLINE_DATABASE_CONNECT_TIMEOUT (database.connectTimeoutSeconds)", connectTimeoutSeconds, 1, 300);
    }
  }

  /** The embedded Postgres of the standalone mode (0 = any free port). */
  public record Embedded(int port) {
    public Embedded {
      Checks.port("SIGHTLINE_EMBEDDED_PG_PORT (embedded.port)", port, true);
    }
  }

  /**
   * Sign-in: how long a session lasts at most and after how many minutes without a request it ends (0: never), and
   * when repeated failed logins are throttled (per account, per address).
   */
  public record Auth(int sessionHours, int sessionIdleMinutes, int loginFailuresPerAccount, int loginFailuresPerAddress,
      int loginWindowMinutes) {
    public Auth {
      Checks.range("SIGHTLINE_SESSION_HOURS (auth.sessionHours)", sessionHours, 1, 24 * 90);
      Checks.range("SIGHTLINE_SESSION_IDLE_MINUTES (auth.sessionIdleMinutes)", sessionIdleMinutes, 0, 24 * 90 * 60);
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

  /**
   * Server-wide bounds of runs (a datasource's own defaults and maxima must fit within them), how long a queued run may
   * wait, the runner lease, and the cursor's fetch size.
   */
  public record Runs(long maxTimeoutMs, long maxRows, long maxBytes, int queueTimeoutSeconds, int leaseSeconds,
      int fetchSize) {
    public Runs {
      Checks.range("SIGHTLINE_RUNS_MAX_TIMEOUT_MS (runs.maxTimeoutMs)", maxTimeoutMs, 1000, 7L * 24 * 3600 * 1000);
      Checks.range("SIGHTLINE_RUNS_MAX_ROWS (runs.maxRows)", maxRows, 1, Long.MAX_VALUE);
      Checks.range("SIGHTLINE_RUNS_MAX_BYTES (runs.maxBytes)", maxBytes, 1024, Long.MAX_VALUE);
      Checks.range("SIGHTLINE_RUNS_QUEUE_TIMEOUT_SECONDS (runs.queueTimeoutSeconds)", queueTimeoutSeconds, 1, 86_400);
      Checks.range("SIGHTLINE_RUNS_LEASE_SECONDS (runs.leaseSeconds)", leaseSeconds, 3, 3600);
      Checks.range("SIGHTLINE_RUNS_FETCH_SIZE (runs.fetchSize)", fetchSize, 1, 100_000);
    }
  }

  /**
   * Result storage: results whose compressed size stays under {@code inlineMaxBytes} live in the metadata Postgres;
   * larger ones in S3 when configured, else under {@code directory} (empty: {@code $SIGHTLINE_HOME/results}).
   */
  public record Results(long inlineMaxBytes, int chunkBytes, String directory, int retentionHours) {
    public Results {
      Checks.range("SIGHTLINE_RESULTS_INLINE_MAX_BYTES (results.inlineMaxBytes)", inlineMaxBytes, 0, 1L << 30);
      Checks.range("SIGHTLINE_RESULTS_CHUNK_BYTES (results.chunkBytes)", chunkBytes, 1024, 64 << 20);
      Checks.range("SIGHTLINE_RESULTS_RETENTION_HOURS (results.retentionHours)", retentionHours, 1, 24 * 3650);
      directory = directory == null ? "" : directory.trim();
    }
  }

  /** An S3-compatible object store for large results (empty endpoint and bucket: none). */
  public record S3(String endpoint, String region, String bucket, String accessKey, Secret secretKey, boolean pathStyle,
      String prefix) {
    public S3 {
      endpoint = endpoint == null ? "" : endpoint.trim();
      bucket = bucket == null ? "" : bucket.trim();
      region = region == null || region.isBlank() ? "us-east-1" : region.trim();
      accessKey = accessKey == null ? "" : accessKey.trim();
      secretKey = secretKey == null ? Secret.of("") : secretKey;
      prefix = prefix == null ? "" : prefix.trim();
      if (!bucket.isEmpty() && !endpoint.isEmpty() && !endpoint.matches("^https?://.+")) {
        throw new ConfigException("SIGHTLINE_S3_ENDPOINT (s3.endpoint): '" + endpoint
            + "' is not an http(s):// URL");
      }
    }

    public boolean configured() {
      return !bucket.isEmpty();
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

  /**
   * A runner process: its name (empty = host name and pid), how many runs it executes at once, how long a stopping
   * runner lets the runs it is executing finish (claiming nothing new, still cancelling on request) before it hands the
   * rest back ({@code drainSeconds}; 0: hands them back at once), and how many generated rows it streams through the
   * run path after it starts to warm the JIT compiler ({@code warmupRows}; 0: none).
   */
  public record Runner(String id, int concurrency, int drainSeconds, int warmupRows) {
    public Runner {
      id = id == null ? "" : id.trim();
      Checks.range("SIGHTLINE_RUNNER_CONCURRENCY (runner.concurrency)", concurrency, 1, 1024);
      Checks.range("SIGHTLINE_RUNNER_DRAIN_SECONDS (runner.drainSeconds)", drainSeconds, 0, 3600);
      Checks.range("SIGHTLINE_RUNNER_WARMUP_ROWS (runner.warmupRows)", warmupRows, 0, 100_000_000);
    }
  }

  /**
   * The Prometheus {@code /metrics} listener, apart from the public HTTP port. {@code port == null} (empty): off, the
   * default, since a fixed default would collide between processes on one machine; {@code 0}: any free port (tests).
   */
  public record Metrics(String host, Integer port) {
    public Metrics {
      host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
      if (port != null) {
        Checks.port("SIGHTLINE_METRICS_PORT (metrics.port)", port, true);
      }
    }

    public boolean enabled() {
      return port != null;
    }
  }

  /**
   * The demo (docs/demo.md): when {@code enabled}, the first standalone start of a fresh home installs a demo database
   * with datasources, queries, dashboards and schedules that read it. Cluster processes never install it.
   */
  public record Demo(boolean enabled) {}

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
