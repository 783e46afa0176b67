package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One socket on the server's event-bus bridge, over its raw-WebSocket transport ({@code /eventbus/websocket}, one
 * JSON frame per message; docs/api.md "Live updates"), authenticated by the API key. Registers addresses, pings every
 * 5 s (the bridge closes sockets silent for 10 s) and hands what arrives to a queue the caller reads on its own
 * thread: the bodies of {@code rec} frames, then {@link #CLOSED} once the socket is gone.
 */
final class Bridge implements AutoCloseable {
  /** Queued after the last message when the socket closed (or failed, or a registration was refused). */
  static final JsonNode CLOSED = Api.JSON.getNodeFactory().textNode("closed");

  private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bridge-ping");
    t.setDaemon(true);
    return t;
  });
  private volatile WebSocket ws;
  private volatile String refusal;

  private Bridge() {}

  /** Opens a socket and registers {@code addresses}; a refused connection is a {@link CliException} (exit 3). */
  static Bridge open(Api api, List<String> addresses) {
    Bridge bridge = new Bridge();
    URI uri = URI.create(api.base().toString().replaceFirst("^http", "ws")).resolve("eventbus/websocket");
    try {
      bridge.ws = api.http().newWebSocketBuilder().header("Authorization", api.authorization())
          .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, bridge.new Listener()).join();
    } catch (CompletionException e) {
      bridge.close();
      throw CliException.unreachable("cannot open the event bus at " + uri + ": "
          + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName());
    }
    for (String address : addresses) {
      bridge.send("{\"type\":\"register\",\"address\":\"" + address + "\"}");
    }
    bridge.pinger.scheduleAtFixedRate(() -> bridge.send("{\"type\":\"ping\"}"), 5, 5, TimeUnit.SECONDS);
    return bridge;
  }

  private void send(String frame) {
    WebSocket socket = ws;
    if (socket != null && !socket.isOutputClosed()) {
      try {
        socket.sendText(frame, true).join();
      } catch (CompletionException e) {
        closed();
      }
    }
  }

  /** The next run event, {@link #CLOSED}, or null after {@code timeout}. */
  JsonNode next(Duration timeout) throws InterruptedException {
    return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the server refused a registration (an {@code err} frame), if it did. */
  String refusal() {
    return refusal;
  }

  private void closed() {
    if (!inbox.contains(CLOSED)) {
      inbox.add(CLOSED);
    }
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    WebSocket socket = ws;
    if (socket != null) {
      socket.abort();
    }
  }

  /** Reassembles messages (text or binary, possibly in parts) into frames. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frame(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] part = new byte[data.remaining()];
      data.get(part);
      bytes.writeBytes(part);
      if (last) {
        frame(bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
      }
      webSocket.request(1);
      return null;
    }

    private void frame(String text) {
      JsonNode frame;
      try {
        frame = Api.JSON.readTree(text);
      } catch (IOException e) {
        return;
      }
      switch (frame.path("type").asText()) {
        case "rec" -> inbox.add(frame.path("body"));
        case "err" -> {
          refusal = frame.path("body").asText("rejected");
          closed();
        }
        default -> { } // pong
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed();
    }
  }
}
