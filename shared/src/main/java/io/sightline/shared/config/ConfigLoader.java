package io.sightline.shared.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.shared.logging.LogFormatEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds the configuration once: the packaged defaults ({@code conf/sightline.json}), then the file named by
 * {@code SIGHTLINE_CONFIG} if any, then one {@code SIGHTLINE_*} environment variable per setting ({@link #SETTINGS}).
 */
public final class ConfigLoader {

  /** A setting that an environment variable overrides: its variable, its key in sightline.json, and whether it is a list. */
  public record Setting(String env, String key, boolean list, String description) {}

  /** The environment variables Sightline reads. The README's configuration table lists the same. */
  public static final List<Setting> SETTINGS = List.of(
      new Setting("SIGHTLINE_HOME", "home", false, "data directory (embedded Postgres, local results)"),
      new Setting("SIGHTLINE_HTTP_HOST", "http.host", false, "address the HTTP server binds"),
      new Setting("SIGHTLINE_HTTP_PORT", "http.port", false, "HTTP port"),
      new Setting("SIGHTLINE_HTTP_MAX_BODY_BYTES", "http.maxBodyBytes", false, "largest accepted request body"),
      new Setting("SIGHTLINE_HTTP_HEADER_TIMEOUT", "http.headerTimeoutSeconds", false,
          "seconds a connection has to send a complete request head"),
      new Setting("SIGHTLINE_HTTP_IDLE_TIMEOUT", "http.idleTimeoutSeconds", false,
          "seconds a connection may stay silent, and a keep-alive one wait for its next request"),
      new Setting("SIGHTLINE_HTTP_BODY_TIMEOUT", "http.bodyTimeoutSeconds", false,
          "seconds a request has to send its whole body"),
      new Setting("SIGHTLINE_HTTP_MAX_CONNECTIONS", "http.maxConnections", false,
          "open HTTP connections at most; more are closed at once"),
      new Setting("SIGHTLINE_HTTP_TRUSTED_PROXIES", "http.trustedProxies", true,
          "comma-separated addresses or CIDR blocks of reverse proxies whose X-Forwarded-For/-Proto are believed"),
      new Setting("SIGHTLINE_HTTP_DRAIN_SECONDS", "http.drainSeconds", false,
          "on SIGTERM, seconds /readyz answers 503 while requests are still served, then as long for in-flight ones"),
      new Setting("SIGHTLINE_DATABASE_URL", "database.url", false,
          "metadata Postgres, postgresql://user:password@host:5432/db; empty = embedded (standalone only)"),
      new Setting("SIGHTLINE_DATABASE_POOL_SIZE", "database.poolSize", false, "metadata connections per process"),
      new Setting("SIGHTLINE_DATABASE_STARTUP_TIMEOUT", "database.startupTimeoutSeconds", false,
          "how long start-up waits for an unreachable database"),
      new Setting("SIGHTLINE_DATABASE_CONNECT_TIMEOUT", "database.connectTimeoutSeconds", false,
          "seconds a request waits for a metadata connection before it answers 503"),
      new Setting("SIGHTLINE_EMBEDDED_PG_PORT", "embedded.port", false, "port of the embedded Postgres (0 = any)"),
      new Setting("SIGHTLINE_SECRET_KEY", "secretKey", false, "32 random bytes, base64: encrypts datasource passwords"),
      new Setting("SIGHTLINE_SESSION_HOURS", "auth.sessionHours", false, "how long a sign-in lasts"),
      new Setting("SIGHTLINE_SESSION_IDLE_MINUTES", "auth.sessionIdleMinutes", false,
          "minutes without a request after which a session ends (0 = only sessionHours ends it)"),
      new Setting("SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT", "auth.loginFailuresPerAccount", false,
          "failed sign-ins of one account before it is throttled"),
      new Setting("SIGHTLINE_LOGIN_FAILURES_PER_ADDRESS", "auth.loginFailuresPerAddress", false,
          "failed sign-ins from one client address before it is throttled"),
      new Setting("SIGHTLINE_LOGIN_WINDOW_MINUTES", "auth.loginWindowMinutes", false,
          "the window in which failed sign-ins are counted"),
      new Setting("SIGHTLINE_ADMIN_EMAIL", "admin.email", false, "first admin's email, used when no user exists"),
      new Setting("SIGHTLINE_ADMIN_PASSWORD", "admin.password", false,
          "first admin's password (empty: a one-time password is printed)"),
      new Setting("SIGHTLINE_RUNS_MAX_TIMEOUT_MS", "runs.maxTimeoutMs", false, "longest timeout any run may have"),
      new Setting("SIGHTLINE_RUNS_MAX_ROWS", "runs.maxRows", false, "most rows any run may return"),
      new Setting("SIGHTLINE_RUNS_MAX_BYTES", "runs.maxBytes", false, "most result bytes any run may return"),
      new Setting("SIGHTLINE_RUNS_QUEUE_TIMEOUT_SECONDS", "runs.queueTimeoutSeconds", false,
          "how long a run may wait for a runner"),
      new Setting("SIGHTLINE_RUNS_LEASE_SECONDS", "runs.leaseSeconds", false, "runner lease on a running run"),
      new Setting("SIGHTLINE_RUNS_FETCH_SIZE", "runs.fetchSize", false, "rows per cursor round trip"),
      new Setting("SIGHTLINE_RESULTS_INLINE_MAX_BYTES", "results.inlineMaxBytes", false,
          "compressed size up to which a result lives in Postgres"),
      new Setting("SIGHTLINE_RESULTS_CHUNK_BYTES", "results.chunkBytes", false, "uncompressed bytes per result chunk"),
      new Setting("SIGHTLINE_RESULTS_DIRECTORY", "results.directory", false,
          "where large results go without S3 (default $SIGHTLINE_HOME/results)"),
      new Setting("SIGHTLINE_RESULTS_RETENTION_HOURS", "results.retentionHours", false, "how long results are kept"),
      new Setting("SIGHTLINE_S3_ENDPOINT", "s3.endpoint", false, "S3-compatible endpoint (empty: AWS)"),
      new Setting("SIGHTLINE_S3_REGION", "s3.region", false, "S3 region"),
      new Setting("SIGHTLINE_S3_BUCKET", "s3.bucket", false, "bucket for large results (empty: no object store)"),
      new Setting("SIGHTLINE_S3_ACCESS_KEY", "s3.accessKey", false, "S3 access key"),
      new Setting("SIGHTLINE_S3_SECRET_KEY", "s3.secretKey", false, "S3 secret key"),
      new Setting("SIGHTLINE_S3_PATH_STYLE", "s3.pathStyle", false, "path-style addressing (MinIO, S3Proxy)"),
      new Setting("SIGHTLINE_S3_PREFIX", "s3.prefix", false, "key prefix of result objects"),
      new Setting("SIGHTLINE_CLUSTER_NAME", "cluster.name", false, "cluster name; nodes with another name never join"),
      new Setting("SIGHTLINE_CLUSTER_HOST", "cluster.host", false, "address this node binds and announces"),
      new Setting("SIGHTLINE_CLUSTER_PORT", "cluster.port", false, "Hazelcast port (next free one if taken)"),
      new Setting("SIGHTLINE_CLUSTER_MEMBERS", "cluster.members", true, "comma-separated host[:port] of members"),
      new Setting("SIGHTLINE_CLUSTER_EVENTBUS_PORT", "cluster.eventBusPort", false, "event-bus TCP port (0 = any)"),
      new Setting("SIGHTLINE_CLUSTER_CONFIG", "cluster.configFile", false, "replacement for the packaged cluster.xml"),
      new Setting("SIGHTLINE_RUNNER_ID", "runner.id", false, "runner name in run history (default host-pid)"),
      new Setting("SIGHTLINE_RUNNER_CONCURRENCY", "runner.concurrency", false, "runs one runner executes at once"),
      new Setting("SIGHTLINE_RUNNER_DRAIN_SECONDS", "runner.drainSeconds", false,
          "on stop, how long running runs may finish before they are handed back (0: at once)"),
      new Setting("SIGHTLINE_RUNNER_WARMUP_ROWS", "runner.warmupRows", false,
          "generated rows streamed through the run path after start to warm the JIT (0: off)"),
      new Setting("SIGHTLINE_METRICS_HOST", "metrics.host", false, "address the /metrics listener binds"),
      new Setting("SIGHTLINE_METRICS_PORT", "metrics.port", false,
          "port of the Prometheus /metrics listener (empty: off; never the public HTTP port)"),
      new Setting(LogFormatEncoder.ENV, "log.format", false, "log lines as text (default) or json, one object a line"),
      new Setting("SIGHTLINE_DEMO", "demo.enabled", false,
          "standalone: install the demo (database, dashboards, schedules) at the first start of a fresh home"));

  private static final String DEFAULTS = "/io/sightline/conf/sightline.json";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {}

  /** Loads from the process environment, and switches the console log format to {@code log.format}. */
  public static SightlineConfig load() {
    ObjectNode tree = tree(System.getenv());
    LogFormatEncoder.use(logFormat(tree));
    return bound(tree);
  }

  /** Loads with {@code env} standing for the environment (tests pass their own map); leaves the log format alone. */
  public static SightlineConfig load(Map<String, String> env) {
    ObjectNode tree = tree(env);
    logFormat(tree);
    return bound(tree);
  }

  /** The defaults, the file and the environment merged, in that order. */
  private static ObjectNode tree(Map<String, String> env) {
    ObjectNode tree = readDefaults();
    String file = env.get("SIGHTLINE_CONFIG");
    if (file != null && !file.isBlank()) {
      merge(tree, readFile(Path.of(file.trim())));
    }
    for (Setting s : SETTINGS) {
      String value = env.get(s.env());
      if (value != null) {
        put(tree, s, value);
      }
    }
    return tree;
  }

  private static SightlineConfig bound(ObjectNode tree) {
    tree.remove("log");
    SightlineConfig cfg = bind(tree);
    return new SightlineConfig(expandHome(cfg.home()), cfg.http(), cfg.database(), cfg.embedded(), cfg.secretKey(),
        cfg.auth(), cfg.admin(), cfg.runs(), cfg.results(), cfg.s3(), cfg.cluster(), cfg.runner(), cfg.metrics(),
        cfg.demo());
  }

  /**
   * {@code log.format}, validated: it picks the console encoder ({@link LogFormatEncoder}), which is configured before
   * this is read, so it is not part of {@link SightlineConfig}.
   */
  private static String logFormat(ObjectNode tree) {
    JsonNode log = tree.get("log");
    JsonNode format = log == null ? null : log.get("format");
    String value = LogFormatEncoder.normalise(format == null || format.isNull() ? null : format.asText());
    if (value == null || (log != null && log.size() > (format == null ? 0 : 1))) {
      throw new ConfigException(LogFormatEncoder.ENV + " (log.format): must be text or json");
    }
    return value;
  }

  private static Path expandHome(Path home) {
    String h = home.toString();
    if (h.equals("~") || h.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + h.substring(1)).toAbsolutePath().normalize();
    }
    return home.toAbsolutePath().normalize();
  }

  private static ObjectNode readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("packaged defaults " + DEFAULTS + " are missing from the classpath");
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("packaged defaults " + DEFAULTS + " are unreadable", e);
    }
  }

  private static ObjectNode readFile(Path file) {
    try {
      JsonNode node = MAPPER.readTree(Files.readString(file));
      if (!(node instanceof ObjectNode obj)) {
        throw new ConfigException("SIGHTLINE_CONFIG: " + file + " must hold a JSON object");
      }
      return obj;
    } catch (JsonProcessingException e) {
      throw new ConfigException("SIGHTLINE_CONFIG: " + file + " is not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new ConfigException("SIGHTLINE_CONFIG: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    from.fields().forEachRemaining(e -> {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
        merge(target, source);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    });
  }

  private static void put(ObjectNode tree, Setting s, String value) {
    String[] path = s.key().split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < path.length - 1; i++) {
      node = node.with(path[i]);
    }
    String leaf = path[path.length - 1];
    if (s.list()) {
      ArrayNode items = JsonNodeFactory.instance.arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      node.set(leaf, items);
    } else {
      node.put(leaf, value.trim());
    }
  }

  private static SightlineConfig bind(ObjectNode tree) {
    try {
      return MAPPER.treeToValue(tree, SightlineConfig.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      while (cause != null && !(cause instanceof ConfigException)) {
        cause = cause.getCause();
      }
      if (cause != null) {
        throw (ConfigException) cause;
      }
      throw new ConfigException(settingName(e) + ": " + e.getOriginalMessage());
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(settingName(e) + ": unknown setting (known: "
          + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
    } catch (InvalidFormatException e) {
      throw new ConfigException(settingName(e) + ": '" + e.getValue() + "' is not a valid "
          + e.getTargetType().getSimpleName().replace("int", "whole number").replace("Integer", "whole number"));
    } catch (MismatchedInputException e) {
      throw new ConfigException(settingName(e) + ": missing or of the wrong kind (expected "
          + (e.getTargetType() == null ? "another value" : e.getTargetType().getSimpleName()) + ")");
    } catch (JsonProcessingException e) {
      ConfigException direct = findConfigException(e);
      if (direct != null) {
        throw direct;
      }
      throw new ConfigException("configuration: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      ConfigException direct = findConfigException(e);
      if (direct != null) {
        throw direct;
      }
      throw new ConfigException("configuration: " + e.getMessage());
    }
  }

  private static ConfigException findConfigException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  private static String settingName(JsonMappingException e) {
    String key = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    String listKey = key.replaceAll("\\[\\d+]$", "");
    return SETTINGS.stream()
        .filter(s -> s.key().equals(key) || s.key().equals(listKey))
        .findFirst()
        .map(s -> s.env() + " (" + s.key() + ")")
        .orElse(key.isEmpty() ? "configuration" : key);
  }
}
