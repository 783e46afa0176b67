package io.sightline.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which failures are an outage of the metadata database (503 with Retry-After) rather than a bug (500): among them a
 * connection reset under a running query, as a restarting Postgres (or a proxy in front of it) does, produced here
 * for real by a TCP proxy that resets the client's socket mid-query.
 */
@ExtendWith(PostgresExtension.class)
class DatabaseUnavailableTest {

  @Test
  void aConnectionResetUnderARunningQueryIsAnOutage(TestDatabase db) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ResettingProxy proxy = new ResettingProxy(db.url().port())) {
      SqlConnection conn = PgConnection.connect(vertx, db.url().connectOptions().setPort(proxy.port()))
          .await(10, TimeUnit.SECONDS);
      var query = conn.query("select pg_sleep(5)").execute();
      Thread.sleep(300);
      proxy.resetClients();
      Throwable failure = query.toCompletionStage().handle((rows, err) -> err).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(failure).as("the query failed under the reset").isNotNull();
      assertThat(DatabaseUnavailable.is(failure)).as(failure.toString()).isTrue();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void socketErrorsOfARestartingServerAreAnOutageAndOtherFailuresAreNot() {
    assertThat(DatabaseUnavailable.is(new SocketException("Connection reset"))).isTrue();
    assertThat(DatabaseUnavailable.is(new RuntimeException("wrapped", new IOException("Connection reset by peer"))))
        .isTrue();
    assertThat(DatabaseUnavailable.is(new IOException("Broken pipe"))).isTrue();
    assertThat(DatabaseUnavailable.is(new java.net.ConnectException("Connection refused"))).isTrue();
    assertThat(DatabaseUnavailable.is(new PgException("terminating connection due to administrator command", "FATAL",
        "57P01", null))).isTrue();

    assertThat(DatabaseUnavailable.is(new IOException("No space left on device"))).isFalse();
    assertThat(DatabaseUnavailable.is(new PgException("relation \"x\" does not exist", "ERROR", "42P01", null)))
        .isFalse();
    assertThat(DatabaseUnavailable.is(new IllegalStateException("Connection reset"))).as("not an I/O failure")
        .isFalse();
  }

  /** Forwards connections to Postgres and, on demand, resets the client side of each (SO_LINGER 0, then close). */
  private static final class ResettingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<Socket> upstreams = new CopyOnWriteArrayList<>();

    ResettingProxy(int targetPort) throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket client = server.accept();
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            clients.add(client);
            upstreams.add(upstream);
            pump(client.getInputStream(), upstream.getOutputStream());
            pump(upstream.getInputStream(), client.getOutputStream());
          }
        } catch (IOException closed) {
          // the proxy was closed
        }
      }, "resetting-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void resetClients() throws IOException {
      for (Socket client : clients) {
        client.setSoLinger(true, 0);
        client.close();
      }
    }

    private static void pump(InputStream in, OutputStream out) {
      Thread t = new Thread(() -> {
        try {
          in.transferTo(out);
        } catch (IOException ended) {
          // one side went away
        }
      }, "resetting-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : upstreams) {
        s.close();
      }
      for (Socket s : clients) {
        s.close();
      }
    }
  }
}
