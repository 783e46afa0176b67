package io.sightline.standalone;

import io.sightline.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP balancer in front of api processes, as HAProxy in TCP mode would be: each connection goes to the next backend
 * in turn, or, when that one refuses, to the one after; bytes are piped both ways, and either side's close closes the
 * other. Tells which backend took the latest connection.
 */
final class TcpBalancer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
  private final List<Integer> backends;
  private final AtomicInteger next = new AtomicInteger();
  private volatile int lastBackend = -1;
  private final NetServer server;

  TcpBalancer(List<Integer> backends) {
    this.backends = List.copyOf(backends);
    server = Await.result(vertx.createNetServer().connectHandler(this::accept).listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }

  /** The port of the backend the latest connection went to. */
  int lastBackend() {
    return lastBackend;
  }

  private void accept(NetSocket front) {
    front.pause();
    connect(front, Math.floorMod(next.getAndIncrement(), backends.size()), backends.size());
  }

  private void connect(NetSocket front, int index, int attemptsLeft) {
    int port = backends.get(index);
    client.connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        if (attemptsLeft > 1) {
          connect(front, (index + 1) % backends.size(), attemptsLeft - 1);
        } else {
          front.close();
        }
        return;
      }
      NetSocket back = ar.result();
      lastBackend = port;
      front.pipeTo(back);
      back.pipeTo(front);
      front.resume();
    });
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
