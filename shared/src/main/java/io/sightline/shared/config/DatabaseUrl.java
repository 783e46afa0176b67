package io.sightline.shared.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the metadata database is: parsed once from {@code postgresql://user:password@host:5432/database?sslmode=...}
 * (also {@code postgres://} and {@code jdbc:postgresql://…?user=…&password=…}). {@link #toString()} hides the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, Secret password, String sslMode) {

  public static final String SETTING = "SIGHTLINE_DATABASE_URL (database.url)";
  private static final String EXPECTED = "expected postgresql://user:password@host:5432/database";

  public DatabaseUrl {
    if (host == null || host.isBlank()) {
      throw new ConfigException(SETTING + ": no host (" + EXPECTED + ")");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(SETTING + ": port " + port + " is out of range 1-65535");
    }
    if (database == null || database.isBlank()) {
      throw new ConfigException(SETTING + ": no database name (" + EXPECTED + ")");
    }
    if (user == null || user.isBlank()) {
      throw new ConfigException(SETTING + ": no user (" + EXPECTED + ")");
    }
    password = password == null ? Secret.of("") : password;
    sslMode = sslMode == null ? "prefer" : sslMode;
  }

  /** Parses the setting; an empty text means "not configured" and gives {@code null}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static DatabaseUrl parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.trim();
    if (s.startsWith("jdbc:")) {
      s = s.substring(5);
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ConfigException(SETTING + ": malformed URL at index " + e.getIndex() + " (" + EXPECTED + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new ConfigException(SETTING + ": scheme must be postgresql:// (" + EXPECTED + ")");
    }
    if (uri.getRawAuthority() == null) {
      throw new ConfigException(SETTING + ": malformed URL (" + EXPECTED + ")");
    }
    Map<String, String> query = queryParameters(uri.getRawQuery());
    String user = query.get("user");
    String password = query.get("password");
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? password : decode(userInfo.substring(colon + 1));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    String sslMode = query.getOrDefault("sslmode", "prefer").toLowerCase(Locale.ROOT);
    if (!sslMode.matches("disable|allow|prefer|require|verify-ca|verify-full")) {
      throw new ConfigException(SETTING + ": unknown sslmode '" + sslMode
          + "' (one of disable, allow, prefer, require, verify-ca, verify-full)");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(SETTING + ": no host (" + EXPECTED + ")");
    }
    return new DatabaseUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user,
        Secret.of(password), sslMode);
  }

  private static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public static DatabaseUrl of(String host, int port, String database, String user, String password) {
    return new DatabaseUrl(host, port, database, user, Secret.of(password), "disable");
  }

  public DatabaseUrl withDatabase(String otherDatabase) {
    return new DatabaseUrl(host, port, otherDatabase, user, password, sslMode);
  }

  /** The URL for pgJDBC (Flyway, start-up checks); credentials travel separately. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode
        + "&ApplicationName=sightline";
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password.value())
        .setSslMode(SslMode.of(sslMode))
        .addProperty("application_name", "sightline");
  }

  /**
   * The full URL including the password, for handing to a child process's environment. Never log it.
   */
  public String unredacted() {
    String enc = password.isSet() ? ":" + java.net.URLEncoder.encode(password.value(), StandardCharsets.UTF_8) : "";
    return "postgresql://" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8) + enc + "@" + host + ":" + port
        + "/" + database + "?sslmode=" + sslMode;
  }

  /** host:port/database — safe to log. */
  public String describe() {
    return host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "postgresql://" + user + (password.isSet() ? ":***" : "") + "@" + describe();
  }
}
