package io.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sightline.testkit.PostgresExtension;
import io.sightline.testkit.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A browser tab that closes takes its event-bus socket with it, often without a WebSocket close frame (the TCP
 * connection is simply reset). That is normal: Vert.x's bridge reports it as "SockJSSocket exception", which must be
 * logged at DEBUG, not ERROR (shared logback configuration, {@code ClosedSocketsAtDebug}).
 */
@ExtendWith(PostgresExtension.class)
class BridgeSocketClosedTest {
  private static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  private static ApiTestServer server;

  @BeforeAll
  static void start(TestDatabase db) {
    server = ApiTestServer.start(db, Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSocketResetByTheClientIsLoggedAtDebugNotError() throws Exception {
    Logger bridgeLogger = (Logger) LoggerFactory.getLogger(BRIDGE_LOGGER);
    Level before = bridgeLogger.getLevel();
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(events);
    bridgeLogger.setLevel(Level.DEBUG);
    try {
      for (String uri : new String[] {"/eventbus/websocket",
          "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "") + "/websocket"}) {
        int seen = socketEvents(events).size();
        resetAfterUpgrade(uri);
        await(uri).atMost(Duration.ofSeconds(10)).until(() -> socketEvents(events).size() > seen);
      }
      Thread.sleep(300); // anything else the reset causes
      assertThat(socketEvents(events)).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
      assertThat(events.list).noneMatch(e -> e.getLevel() == Level.ERROR);
    } finally {
      root.detachAppender(events);
      bridgeLogger.setLevel(before);
    }
  }

  private static List<ILoggingEvent> socketEvents(ListAppender<ILoggingEvent> events) {
    synchronized (events.list) {
      return events.list.stream().filter(e -> e.getFormattedMessage().contains("SockJSSocket exception")).toList();
    }
  }

  /** Opens a WebSocket by hand, waits for the upgrade, and resets the connection like a tab that is gone. */
  private static void resetAfterUpgrade(String uri) throws Exception {
    int port = server.node.config().http().port();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: http://127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[1024];
      int n = in.read(buf);
      assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
      Thread.sleep(200);
      socket.setSoLinger(true, 0); // close() now sends RST, not FIN
    }
  }
}
