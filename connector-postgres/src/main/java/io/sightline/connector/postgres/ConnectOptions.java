package io.sightline.connector.postgres;

import io.sightline.shared.connector.DatasourceSpec;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/** pg-client options for a datasource: sslmode semantics as libpq's, search_path and application_name set per session. */
final class ConnectOptions {
  private ConnectOptions() {}

  static PgConnectOptions of(DatasourceSpec ds, String applicationName, long timeoutMs) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(ds.host())
        .setPort(ds.port())
        .setDatabase(ds.database())
        .setUser(ds.user())
        .setPassword(ds.password().value())
        .setReconnectAttempts(0)
        .addProperty("application_name", applicationName);
    if (ds.searchPath() != null && !ds.searchPath().isBlank()) {
      options.addProperty("search_path", ds.searchPath());
    }
    SslMode mode = SslMode.of(ds.sslMode() == null ? "prefer" : ds.sslMode());
    options.setSslMode(mode);
    if (mode == SslMode.ALLOW || mode == SslMode.PREFER || mode == SslMode.REQUIRE) {
      // libpq semantics: these modes encrypt but do not verify the server certificate
      options.setSslOptions(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
    } else if (mode == SslMode.VERIFY_FULL) {
      options.setSslOptions(new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS"));
    } else if (mode == SslMode.VERIFY_CA) {
      options.setSslOptions(new ClientSSLOptions().setHostnameVerificationAlgorithm(""));
    }
    return options;
  }
}
