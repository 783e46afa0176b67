package io.sightline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sightline.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One test client of the event-bus bridge at {@code /eventbus} over a real WebSocket: the bridge's JSON frames both
 * ways, kept in arrival order.
 */
final class BridgeSocket {
  /** How bridge frames travel over the WebSocket. */
  enum Framing {
    /** {@code /eventbus/websocket}: one bridge frame (a JSON object) per WebSocket message. */
    RAW,
    /**
     * {@code /eventbus/<server>/<session>/websocket}, what sockjs-client (and so vertx-eventbus.js in a browser) uses:
     * {@code o} on open, {@code h} heartbeats, {@code a[...]} arrays of frames as JSON strings, {@code c[...]} on close.
     */
    SOCKJS
  }

  /** Opens sockets to one server (its own Vert.x instance) and closes them all at the end. */
  static final class Client implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient wsClient = vertx.createWebSocketClient();
    private final int port;
    private final List<BridgeSocket> sockets = new CopyOnWriteArrayList<>();

    Client(int port) {
      this.port = port;
    }

    BridgeSocket open(String cookie) {
      return open(Framing.RAW, cookie, null, null);
    }

    BridgeSocket openSockJs(String cookie) {
      return open(Framing.SOCKJS, cookie, null, null);
    }

    BridgeSocket open(Framing framing, String cookie, String origin, String authorization) {
      String uri = framing == Framing.RAW ? "/eventbus/websocket"
          : "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "") + "/websocket";
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI(uri);
      if (cookie != null) {
        options.addHeader("Cookie", cookie);
      }
      if (origin != null) {
        options.addHeader("Origin", origin);
      }
      if (authorization != null) {
        options.addHeader("Authorization", authorization);
      }
      BridgeSocket socket = new BridgeSocket(vertx, Await.result(wsClient.connect(options)), framing);
      sockets.add(socket);
      return socket;
    }

    @Override
    public void close() {
      sockets.forEach(BridgeSocket::close);
      Await.result(vertx.close());
    }
  }

  private final Vertx vertx;
  private final WebSocket ws;
  private final Framing framing;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private final long pinger;

  private BridgeSocket(Vertx vertx, WebSocket ws, Framing framing) {
    this.vertx = vertx;
    this.ws = ws;
    this.framing = framing;
    // the raw transport answers in binary messages, SockJS framing in text ones; accept both either way
    ws.binaryMessageHandler(buf -> message(buf.toString()));
    ws.textMessageHandler(this::message);
    ws.closeHandler(v -> closed = true);
    // the bridge closes sockets that do not ping within 10 s
    pinger = vertx.setPeriodic(3000, t -> ws.writeTextMessage(encode(new JsonObject().put("type", "ping"))));
  }

  private void message(String text) {
    if (framing == Framing.RAW) {
      frames.add(new JsonObject(text));
      return;
    }
    switch (text.charAt(0)) {
      case 'a' -> new JsonArray(text.substring(1)).forEach(f -> frames.add(new JsonObject((String) f)));
      case 'c' -> closed = true;
      default -> { } // o(pen), h(eartbeat)
    }
  }

  private String encode(JsonObject frame) {
    return framing == Framing.RAW ? frame.encode() : new JsonArray().add(frame.encode()).encode();
  }

  boolean closed() {
    return closed;
  }

  void send(JsonObject frame) {
    Await.result(ws.writeTextMessage(encode(frame)));
  }

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  /** Registers {@code address} and waits for the bridge's refusal (one more err frame). */
  void expectRefused(String address) {
    int before = errors().size();
    register(address);
    await("refusal of " + address).atMost(Duration.ofSeconds(5)).until(() -> errors().size() > before);
    assertThat(errors()).as(address).hasSize(before + 1);
    assertThat(errors().get(before).getString("body")).as(address).isEqualTo("rejected");
  }

  List<JsonObject> errors() {
    return frames.stream().filter(f -> "err".equals(f.getString("type"))).toList();
  }

  List<JsonObject> received() {
    return frames.stream().filter(f -> "rec".equals(f.getString("type"))).toList();
  }

  /** The run events (not probes) received on {@code address} about {@code runId}, in order. */
  List<JsonObject> events(String address, String runId) {
    return received().stream().filter(f -> f.getString("address").equals(address))
        .map(f -> f.getJsonObject("body")).filter(b -> runId.equals(b.getString("runId"))).toList();
  }

  void close() {
    vertx.cancelTimer(pinger);
    if (!closed) {
      ws.close();
    }
  }
}
