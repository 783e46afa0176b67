package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.Await;
import io.sightline.testkit.CapturedLogs;
import io.sightline.testkit.Http;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow and silent clients cannot hold the api's connections (issue 10, item 3): a request head must arrive within the
 * header timeout, a body within the body timeout, a keep-alive connection is closed after the idle timeout, and
 * connections beyond the cap are refused; meanwhile the server keeps answering, and live event-bus sockets stay open
 * past the idle timeout. Raw sockets, so that the client sends exactly the bytes a slow-loris would.
 */
@ExtendWith(PostgresExtension.class)
class SlowClientTest {
  private static final int HEADER_TIMEOUT_S = 2;
  private static final int IDLE_TIMEOUT_S = 2;
  private static final int BODY_TIMEOUT_S = 2;
  /** What "closed within the timeout" allows beyond it: timer and scheduling slack on a busy 2-core machine. */
  private static final long MARGIN_MS = 1500;

  private static ApiTestServer server;
  private static int port;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of(
        "SIGHTLINE_HTTP_HEADER_TIMEOUT", Integer.toString(HEADER_TIMEOUT_S),
        "SIGHTLINE_HTTP_IDLE_TIMEOUT", Integer.toString(IDLE_TIMEOUT_S),
        "SIGHTLINE_HTTP_BODY_TIMEOUT", Integer.toString(BODY_TIMEOUT_S)));
    port = server.node.config().http().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSlowLorisIsCutOffWithinTheHeaderTimeoutWhileTheServerKeepsAnswering() throws Exception {
    try (RawConnection loris = RawConnection.open(port)) {
      loris.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      AtomicBoolean dribbling = new AtomicBoolean(true);
      Thread dribbler = new Thread(() -> {
        while (dribbling.get() && loris.sendQuietly("a")) {
          sleep(1000);
        }
      }, "slow-loris");
      dribbler.start();
      List<Integer> healthz = new ArrayList<>();
      while (!loris.closed.isDone()) {
        healthz.add(Http.get(server.base + "/healthz").statusCode());
        sleep(300);
        if (loris.elapsedMs() > (HEADER_TIMEOUT_S * 1000L + MARGIN_MS) * 3) {
          break;
        }
      }
      dribbling.set(false);
      dribbler.join();
      assertThat(loris.closedAfterMs()).as("slow-loris connection closed after (ms)")
          .isBetween(HEADER_TIMEOUT_S * 1000L - 100, HEADER_TIMEOUT_S * 1000L + MARGIN_MS);
      assertThat(loris.received()).as("nothing answered to half a head").isEmpty();
      assertThat(healthz).as("/healthz meanwhile").isNotEmpty().containsOnly(200);
    }
  }

  @Test
  void aClientThatSendsNothingIsCutOff() throws Exception {
    try (RawConnection silent = RawConnection.open(port)) {
      assertThat(silent.closedAfterMs()).as("silent connection closed after (ms)")
          .isBetween(HEADER_TIMEOUT_S * 1000L - 100, HEADER_TIMEOUT_S * 1000L + MARGIN_MS);
    }
  }

  @Test
  void aStalledBodyIsAnswered408AndClosed() throws Exception {
    try (RawConnection stalled = RawConnection.open(port)) {
      stalled.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 200\r\n\r\n{\"email\": \"adm");
      long closedAfter = stalled.closedAfterMs();
      assertThat(closedAfter).as("stalled-body connection closed after (ms)")
          .isBetween(BODY_TIMEOUT_S * 1000L - 100, BODY_TIMEOUT_S * 1000L + MARGIN_MS);
      String answer = stalled.received();
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("application/problem+json")
          .contains("\"status\":408");
    }
  }

  @Test
  void aKeepAliveConnectionIsClosedAfterTheIdleTimeoutEvenIfItDribbles() throws Exception {
    try (RawConnection idle = RawConnection.open(port)) {
      idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> idle.received().contains("\"status\":\"up\""));
      // noticed up to a poll (and a busy machine's scheduling) after the server's idle timer started
      long answeredAt = idle.elapsedMs();
      // the next request's head, one byte a second: the connection must not outlive the idle timeout
      Thread dribbler = new Thread(() -> {
        for (char c : "GET /healthz HTTP/1.1\r\n".toCharArray()) {
          if (!idle.sendQuietly(String.valueOf(c))) {
            return;
          }
          sleep(700);
        }
      }, "keep-alive-loris");
      dribbler.start();
      long closedAt = idle.closedAfterMs();
      dribbler.join();
      assertThat(closedAt - answeredAt).as("closed after the first answer (ms)")
          .isBetween(IDLE_TIMEOUT_S * 1000L - 300, IDLE_TIMEOUT_S * 1000L + MARGIN_MS);
    }
  }

  @Test
  void aRequestThatTakesLongerThanTheTimeoutsIsNotCut() throws Exception {
    // a complete head and body, then an answer: a valid request is served however the timers stand
    try (RawConnection client = RawConnection.open(port)) {
      sleep(HEADER_TIMEOUT_S * 1000L - 700);
      String body = "{\"email\":\"" + ApiTestServer.ADMIN_A + "\",\"password\":\"wrong\"}";
      client.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n");
      sleep(BODY_TIMEOUT_S * 1000L - 700);
      client.send(body);
      await().atMost(Duration.ofSeconds(5)).until(() -> client.received().contains("\r\n\r\n{"));
      assertThat(client.received()).startsWith("HTTP/1.1 401 ");
    }
  }

  @Test
  void connectionsBeyondTheCapAreRefusedAndCountedWhileTheServerRecovers(TestDatabase db) throws Exception {
    int cap = 5;
    try (ApiTestServer capped = ApiTestServer.start(db, Map.of("SIGHTLINE_HTTP_MAX_CONNECTIONS",
        Integer.toString(cap)));
        CapturedLogs logs = new CapturedLogs()) {
      int cappedPort = capped.node.config().http().port();
      // the cap filled with live keep-alive connections (answered, so no timeout applies for a while)
      List<RawConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          RawConnection c = RawConnection.open(cappedPort);
          held.add(c);
          c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          await().atMost(Duration.ofSeconds(5)).until(() -> c.received().contains("\"status\":\"up\""));
        }
        List<RawConnection> refused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          RawConnection extra = RawConnection.open(cappedPort);
          refused.add(extra);
          extra.sendQuietly("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        for (RawConnection extra : refused) {
          assertThat(extra.closedAfterMs()).as("refused connection closed after (ms)").isLessThan(1000);
          assertThat(extra.received()).as("refused connection answered nothing").isEmpty();
          extra.close();
        }
        assertThat(held).allSatisfy(c -> assertThat(c.closed).as("held connections stay open").isNotDone());
        await().atMost(Duration.ofSeconds(12)).until(() -> logs.lines().stream()
            .anyMatch(l -> l.contains("HTTP connection cap of " + cap + " reached")));
      } finally {
        held.forEach(RawConnection::close);
      }
      await("/healthz once the held connections are gone").atMost(Duration.ofSeconds(5))
          .until(() -> Http.answers(capped.base + "/healthz"));
      assertThat(Http.get(capped.base + "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void liveBridgeSocketsOutlastTheIdleTimeout() {
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClient client = vertx.createWebSocketClient();
      for (String uri : new String[] {"/eventbus/websocket",
          "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "") + "/websocket"}) {
        boolean sockJs = !uri.equals("/eventbus/websocket");
        WebSocket ws = Await.result(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI(uri)));
        List<String> frames = new CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        ws.textMessageHandler(frames::add);
        ws.binaryMessageHandler(b -> frames.add(b.toString()));
        ws.closeHandler(v -> closed.set(true));
        // the client pings as the bridge demands (within 10 s), but less often than the server's idle timeout
        long pinger = vertx.setPeriodic(IDLE_TIMEOUT_S * 2000L, t -> ws.writeTextMessage(frame(sockJs,
            new JsonObject().put("type", "ping"))));
        try {
          sleep(IDLE_TIMEOUT_S * 3500L);
          assertThat(closed).as(uri + " open after 3.5 idle timeouts").isFalse();
          // and it still works: an anonymous registration is answered (refused) over the same socket
          ws.writeTextMessage(frame(sockJs, new JsonObject().put("type", "register")
              .put("address", "sightline.org." + ApiTestServer.ORG_A + ".runs")));
          await(uri + " answers").atMost(Duration.ofSeconds(5))
              .until(() -> frames.stream().anyMatch(f -> f.contains("rejected")));
        } finally {
          vertx.cancelTimer(pinger);
          ws.close();
        }
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  private static String frame(boolean sockJs, JsonObject frame) {
    return sockJs ? new JsonArray().add(frame.encode()).encode() : frame.encode();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client socket that records what the server sends and when the server closes it. */
  private static final class RawConnection implements AutoCloseable {
    final Socket socket;
    final long openedAt = System.nanoTime();
    final ByteArrayOutputStream in = new ByteArrayOutputStream();
    final CompletableFuture<Long> closed = new CompletableFuture<>();

    private RawConnection(Socket socket) {
      this.socket = socket;
      Thread reader = new Thread(this::read, "raw-connection-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static RawConnection open(int port) throws IOException {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      return new RawConnection(socket);
    }

    private void read() {
      try (InputStream stream = socket.getInputStream()) {
        byte[] buf = new byte[8192];
        int n;
        while ((n = stream.read(buf)) >= 0) {
          synchronized (in) {
            in.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // reset by the server, or closed by us: either way the connection is over
      }
      closed.complete(elapsedMs());
    }

    long elapsedMs() {
      return (System.nanoTime() - openedAt) / 1_000_000;
    }

    void send(String text) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    boolean sendQuietly(String text) {
      try {
        send(text);
        return true;
      } catch (SocketException e) {
        return false;
      } catch (IOException e) {
        return false;
      }
    }

    /** When the server closed the connection, in ms after it opened; fails after 15 s. */
    long closedAfterMs() throws Exception {
      return closed.get(15, TimeUnit.SECONDS);
    }

    String received() {
      synchronized (in) {
        return in.toString(StandardCharsets.ISO_8859_1);
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
