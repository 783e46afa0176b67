package io.sightline.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void packagedDefaultsBindWithoutAnyEnvironment() {
    SightlineConfig cfg = ConfigLoader.load(Map.of());
    assertThat(cfg.http().host()).isEqualTo("127.0.0.1");
    assertThat(cfg.http().port()).isEqualTo(8080);
    assertThat(cfg.database().url()).isNull();
    assertThat(cfg.home()).isEqualTo(Path.of(System.getProperty("user.home"), ".sightline"));
    assertThat(cfg.cluster().members()).containsExactly("127.0.0.1");
    assertThat(cfg.secretKey().isSet()).isFalse();
  }

  @Test
  void environmentOverridesDefaults() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    SightlineConfig cfg = ConfigLoader.load(Map.of(
        "SIGHTLINE_HTTP_PORT", "9090",
        "SIGHTLINE_HOME", "/var/lib/sightline",
        "SIGHTLINE_DATABASE_URL", "postgresql://app:s%40cret@db.internal:6543/meta?sslmode=require",
        "SIGHTLINE_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702,",
        "SIGHTLINE_SECRET_KEY", key));
    assertThat(cfg.http().port()).isEqualTo(9090);
    assertThat(cfg.home()).isEqualTo(Path.of("/var/lib/sightline"));
    DatabaseUrl url = cfg.database().url();
    assertThat(url.host()).isEqualTo("db.internal");
    assertThat(url.port()).isEqualTo(6543);
    assertThat(url.database()).isEqualTo("meta");
    assertThat(url.user()).isEqualTo("app");
    assertThat(url.password().value()).isEqualTo("s@cret");
    assertThat(url.sslMode()).isEqualTo("require");
    assertThat(cfg.cluster().members()).containsExactly("10.0.0.1", "10.0.0.2:5702");
    assertThat(cfg.secretKey().base64Key("k", 32)).hasSize(32);
  }

  @Test
  void configFileIsMergedBetweenDefaultsAndEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sightline.json");
    Files.writeString(file, "{\"http\": {\"port\": 7000}, \"runner\": {\"concurrency\": 3}}");
    SightlineConfig cfg = ConfigLoader.load(Map.of("SIGHTLINE_CONFIG", file.toString(), "SIGHTLINE_HTTP_PORT", "7001"));
    assertThat(cfg.http().port()).isEqualTo(7001);
    assertThat(cfg.http().host()).isEqualTo("127.0.0.1");
    assertThat(cfg.runner().concurrency()).isEqualTo(3);
  }

  @Test
  void unparseablePortNamesTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_HTTP_PORT (http.port): 'eighty' is not a valid");
  }

  @Test
  void portOutOfRangeNamesTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_HTTP_PORT (http.port): 70000 is not a port number (0-65535)");
  }

  @Test
  void malformedDatabaseUrlNamesTheSettingAndNeverEchoesThePassword() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_DATABASE_URL", "mysql://u:hunter2@h/db")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_DATABASE_URL (database.url): scheme must be postgresql://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_DATABASE_URL", "postgresql://u:hunter2@h:99999/db")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_DATABASE_URL (database.url)")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_DATABASE_URL", "postgresql://u:hunter2@host")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_DATABASE_URL (database.url): no database name (expected"
            + " postgresql://user:password@host:5432/database)");
  }

  @Test
  void secretKeyOfTheWrongLengthNamesTheSettingAndNeverEchoesTheKey() {
    String shortKey = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_SECRET_KEY", shortKey)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_SECRET_KEY (secretKey): must be 32 bytes once base64-decoded, got 16")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_SECRET_KEY", "not base64 at all!")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_SECRET_KEY (secretKey): not valid base64");
  }

  @Test
  void unknownKeyInConfigFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sightline.json");
    Files.writeString(file, "{\"http\": {\"prot\": 7000}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.prot: unknown setting");
  }

  @Test
  void connectionLimitsHaveDefaultsAndEnvironmentOverrides() {
    SightlineConfig defaults = ConfigLoader.load(Map.of());
    assertThat(defaults.http().headerTimeoutSeconds()).isEqualTo(10);
    assertThat(defaults.http().idleTimeoutSeconds()).isEqualTo(60);
    assertThat(defaults.http().bodyTimeoutSeconds()).isEqualTo(30);
    assertThat(defaults.http().maxConnections()).isEqualTo(10_000);
    assertThat(defaults.http().drainSeconds()).as("a laptop's Ctrl+C stops at once").isZero();
    assertThat(defaults.database().connectTimeoutSeconds()).isEqualTo(5);
    SightlineConfig cfg = ConfigLoader.load(Map.of("SIGHTLINE_HTTP_HEADER_TIMEOUT", "3",
        "SIGHTLINE_HTTP_IDLE_TIMEOUT", "20", "SIGHTLINE_HTTP_BODY_TIMEOUT", "15", "SIGHTLINE_HTTP_MAX_CONNECTIONS",
        "500", "SIGHTLINE_DATABASE_CONNECT_TIMEOUT", "2", "SIGHTLINE_HTTP_DRAIN_SECONDS", "5"));
    assertThat(cfg.http()).extracting("headerTimeoutSeconds", "idleTimeoutSeconds", "bodyTimeoutSeconds",
        "maxConnections", "drainSeconds").containsExactly(3, 20, 15, 500, 5);
    assertThat(cfg.database().connectTimeoutSeconds()).isEqualTo(2);
  }

  @Test
  void badConnectionLimitsNameTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_HEADER_TIMEOUT", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_HTTP_HEADER_TIMEOUT (http.headerTimeoutSeconds): 0 is out of range 1-600");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_IDLE_TIMEOUT", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SIGHTLINE_HTTP_IDLE_TIMEOUT (http.idleTimeoutSeconds): 'soon' is not a valid");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_BODY_TIMEOUT", "-5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_HTTP_BODY_TIMEOUT (http.bodyTimeoutSeconds): -5 is out of range 1-3600");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_MAX_CONNECTIONS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_HTTP_MAX_CONNECTIONS (http.maxConnections): 0 is out of range 1-1000000");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_DATABASE_CONNECT_TIMEOUT", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_DATABASE_CONNECT_TIMEOUT (database.connectTimeoutSeconds): 0 is out of range 1-300");
  }

  @Test
  void invalidClusterMemberIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_CLUSTER_MEMBERS", "10.0.0.1:fifty")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SIGHTLINE_CLUSTER_MEMBERS (cluster.members): '10.0.0.1:fifty' is not host or host:port");
  }

  @Test
  void secretsNeverAppearInToString() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    SightlineConfig cfg = ConfigLoader.load(Map.of(
        "SIGHTLINE_DATABASE_URL", "postgresql://app:hunter2@db:5432/meta", "SIGHTLINE_SECRET_KEY", key));
    assertThat(cfg.toString()).doesNotContain("hunter2").doesNotContain(key).contains("app:***@db:5432/meta");
  }

  @Test
  void jdbcStyleUrlsAreAccepted() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5433/meta?user=app&password=pw");
    assertThat(url.describe()).isEqualTo("db:5433/meta");
    assertThat(url.user()).isEqualTo("app");
    assertThat(url.password().value()).isEqualTo("pw");
    assertThat(DatabaseUrl.parse(url.unredacted())).isEqualTo(url);
  }

  @Test
  void metricsAreOffByDefaultAndTurnedOnByAPort() {
    SightlineConfig.Metrics off = ConfigLoader.load(Map.of()).metrics();
    assertThat(off.enabled()).isFalse();
    assertThat(off.host()).isEqualTo("127.0.0.1");
    assertThat(ConfigLoader.load(Map.of("SIGHTLINE_METRICS_PORT", "")).metrics().enabled()).isFalse();
    SightlineConfig.Metrics on = ConfigLoader.load(Map.of("SIGHTLINE_METRICS_PORT", "9464",
        "SIGHTLINE_METRICS_HOST", "0.0.0.0")).metrics();
    assertThat(on.enabled()).isTrue();
    assertThat(on.port()).isEqualTo(9464);
    assertThat(on.host()).isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_METRICS_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SIGHTLINE_METRICS_PORT (metrics.port)");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_METRICS_PORT", "nine")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SIGHTLINE_METRICS_PORT (metrics.port)");
  }

  @Test
  void trustedProxiesAreAddressesOrBlocksNeverNames() {
    SightlineConfig cfg = ConfigLoader.load(Map.of("SIGHTLINE_HTTP_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16,,::1"));
    assertThat(cfg.http().trustedProxies()).containsExactly("10.0.0.5", "10.1.0.0/16", "::1");
    assertThat(ConfigLoader.load(Map.of()).http().trustedProxies()).isEmpty();
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SIGHTLINE_HTTP_TRUSTED_PROXIES", "10.0.0.5,proxy.internal")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SIGHTLINE_HTTP_TRUSTED_PROXIES (http.trustedProxies)")
        .hasMessageContaining("'proxy.internal'");
  }
}
