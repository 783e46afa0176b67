package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.api.http.Failures;
import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import io.sightline.testkit.ApiClient;
import io.sightline.testkit.FreePorts;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the metadata Postgres is down or unresponsive, API requests fail fast with 503 problem+json and Retry-After
 * instead of hanging for the pool's 30 s and answering 500; once it is back they succeed again, without a restart of
 * the api (issue 10, item 11). The database is a Postgres of this test's own, on a fixed port, stopped and started.
 */
class DatabaseOutageTest {
  private static final int CONNECT_TIMEOUT_S = 2;
  /** "Fast": the connect timeout plus slack for a busy machine; far below the pool's 30 s default wait. */
  private static final long FAST_MS = CONNECT_TIMEOUT_S * 1000L + 2500;

  @Test
  void requestsFailFastWith503WhileTheDatabaseIsAwayAndRecoverWhenItIsBack(@TempDir Path home) throws Exception {
    int port = FreePorts.next();
    Path data = home.resolve("pgdata");
    EmbeddedDatabase postgres = EmbeddedDatabase.startDurable(data, port);
    DatabaseUrl url = postgres.ensureDatabase("sightline");
    ApiTestServer server = null;
    try {
      server = ApiTestServer.start(new TestDatabase("sightline", url, null),
          Map.of("SIGHTLINE_DATABASE_CONNECT_TIMEOUT", Integer.toString(CONNECT_TIMEOUT_S)));
      ApiClient admin = server.as(ApiTestServer.ADMIN_A);
      assertThat(admin.get("/api/v1/me").status()).isEqualTo(200);
      String dashboardRuns = "/api/v1/dashboards/" + dashboard(admin) + "/runs";
      assertThat(admin.post(dashboardRuns, new JsonObject()).status()).isEqualTo(200);

      postgres.close();
      for (int i = 0; i < 3; i++) {
        assertUnavailableFast(admin, "database stopped, request " + i);
      }
      long asked = System.nanoTime();
      assertUnavailableFast(admin.post(dashboardRuns, new JsonObject()), asked, "database stopped, a dashboard's runs");

      // a host that accepts connections but never answers (a server hung in start-up, a half-dead proxy)
      try (BlackHole hole = new BlackHole(port)) {
        for (int i = 0; i < 2; i++) {
          assertUnavailableFast(admin, "database unresponsive, request " + i);
        }
      }

      await("port " + port + " free again").atMost(Duration.ofSeconds(10)).until(() -> bindable(port));
      postgres = EmbeddedDatabase.startDurable(data, port);
      await("requests succeed again once the database is back").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> admin.get("/api/v1/me").status() == 200);
      assertThat(admin.get("/api/v1/me").json().getJsonObject("user").getString("email"))
          .isEqualTo(ApiTestServer.ADMIN_A);
      ApiClient.Response runs = admin.post(dashboardRuns, new JsonObject());
      assertThat(runs.status()).as("a dashboard runs again after the restart: %s", runs).isEqualTo(200);
      assertThat(runs.json().getJsonArray("tiles").getJsonObject(0).getString("status")).isEqualTo("queued");
    } finally {
      if (server != null) {
        server.close();
      }
      postgres.close();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A dashboard with one viz tile (a datasource, a query and a visualization behind it); answers its id. */
  private static String dashboard(ApiClient admin) {
    String ds = admin.post("/api/v1/datasources", new JsonObject().put("name", "Grid").put("host", "127.0.0.1")
        .put("database", "grid").put("user", "reader")).json().getString("id");
    String query = admin.post("/api/v1/queries", new JsonObject().put("name", "Total").put("datasourceId", ds)
        .put("sql", "select 1 as n")).json().getString("id");
    String viz = admin.post("/api/v1/queries/" + query + "/visualizations", new JsonObject().put("name", "Total")
        .put("kind", "table").put("config", new JsonObject())).json().getString("id");
    return admin.post("/api/v1/dashboards", new JsonObject().put("name", "Outage desk").put("tiles", new JsonArray()
        .add(new JsonObject().put("kind", "viz").put("visualizationId", viz).put("x", 0).put("y", 0).put("w", 12)
            .put("h", 8)))).json().getString("id");
  }

  private static void assertUnavailableFast(ApiClient client, String when) {
    long started = System.nanoTime();
    assertUnavailableFast(client.get("/api/v1/me"), started, when);
  }

  private static void assertUnavailableFast(ApiClient.Response r, long started, String when) {
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(r.status()).as(when + ": " + r).isEqualTo(503);
    assertThat(tookMs).as(when + ": answered after (ms)").isLessThan(FAST_MS);
    assertThat(r.header("Content-Type")).as(when).hasValue("application/problem+json");
    assertThat(r.header("Retry-After")).as(when).hasValue(Integer.toString(Failures.RETRY_AFTER_SECONDS));
    assertThat(r.json().getInteger("status")).isEqualTo(503);
    assertThat(r.json().getString("type")).isEqualTo("urn:sightline:problem:database-unavailable");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("127.0.0.1");
  }

  /** Listens on a port, accepts every connection and never sends a byte; closing it drops them all. */
  private static final class BlackHole implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    BlackHole(int port) throws IOException {
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(listener.accept());
          }
        } catch (IOException e) {
          // closed
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      acceptor.join(5000);
      for (Socket s : accepted) {
        s.setSoLinger(true, 0); // reset: no TIME_WAIT keeps the port from the restarted Postgres
        s.close();
      }
    }
  }
}
