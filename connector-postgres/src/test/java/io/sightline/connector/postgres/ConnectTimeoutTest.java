package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.config.Secret;
import io.sightline.shared.connector.DatasourceSpec;
import io.sightline.shared.connector.ExecutionException;
import io.sightline.shared.connector.ExecutionOutcome;
import io.sightline.shared.connector.ExecutionRequest;
import io.sightline.shared.connector.RowSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source Postgres that accepts connections but never answers (one shutting down, or hung): a run gives up connecting
 * after 10 s with its own code and words, nothing sent — so it stays retryable — and the statement timeout plays no
 * part (the run's own timeout here is far longer).
 */
class ConnectTimeoutTest {
  private final Vertx vertx = Vertx.vertx();
  private final PostgresConnector connector = new PostgresConnector();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ServerSocket silent;

  @BeforeEach
  void listen() throws IOException {
    silent = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(silent.accept()); // accept and never answer
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "silent-postgres");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws IOException {
    silent.close();
    for (Socket s : accepted) {
      s.close();
    }
    connector.close(vertx).toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    vertx.close();
  }

  @Test
  void aRunGivesUpConnectingAfterTenSecondsWithItsOwnCodeAndNothingSent() {
    DatasourceSpec ds = new DatasourceSpec(UUID.randomUUID().toString(), PostgresConnector.KIND, "127.0.0.1",
        silent.getLocalPort(), "db", "u", Secret.of("p"), "disable", null, true, 2);

    for (int attempt = 1; attempt <= 2; attempt++) { // the second attempt is not stuck behind the first one's socket
      long started = System.nanoTime();
      ExecutionException failure = runAndFail(ds);
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(failure.code()).as(failure.getMessage()).isEqualTo("connect_timeout");
      assertThat(failure.getMessage()).isEqualTo("Could not connect to 127.0.0.1:" + silent.getLocalPort()
          + " within 10 s: the server did not answer (is it starting up, shutting down or overloaded?).");
      assertThat(failure.kind()).isEqualTo(ExecutionException.Kind.CONNECTION);
      assertThat(failure.statementSent()).isFalse();
      assertThat(tookMs).as("attempt %d", attempt).isBetween(9_500L, 12_000L);
    }
  }

  private ExecutionException runAndFail(DatasourceSpec ds) {
    ExecutionRequest request = new ExecutionRequest(UUID.randomUUID().toString(), "select 1", List.of(), 120_000, 100);
    Future<ExecutionOutcome> run = connector.execute(vertx, ds, request, new RowSink() {
      @Override
      public void columns(List<io.sightline.shared.connector.ColumnMeta> columns) {
        throw new AssertionError("no columns expected");
      }

      @Override
      public void row(Object[] values) {
        throw new AssertionError("no rows expected");
      }

      @Override
      public Future<Void> ready() {
        return Future.succeededFuture();
      }

      @Override
      public boolean full() {
        return false;
      }
    }, handle -> Future.failedFuture(new AssertionError("no session expected")));
    try {
      run.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ExecutionException.class);
      return (ExecutionException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the run did not fail in time", e);
    }
    throw new AssertionError("the run succeeded against a server that never answers");
  }
}
