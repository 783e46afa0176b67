package io.sightline.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sign-in attempts sent at once: one thread and one connection each, all released by the same latch, so they reach
 * the server together. {@link #start} returns without waiting; {@link #statuses} waits for every answer.
 */
final class LoginBurst implements AutoCloseable {
  private final ExecutorService threads;
  private final List<Future<Integer>> answers = new ArrayList<>();

  private LoginBurst(int size) {
    threads = Executors.newFixedThreadPool(size);
  }

  /** Sends one sign-in per credential (email, password) at the same moment. */
  static LoginBurst start(ApiTestServer server, List<String[]> credentials) {
    LoginBurst burst = new LoginBurst(credentials.size());
    CountDownLatch ready = new CountDownLatch(credentials.size());
    CountDownLatch go = new CountDownLatch(1);
    for (String[] c : credentials) {
      burst.answers.add(burst.threads.submit(() -> {
        var client = server.anonymous();
        ready.countDown();
        go.await();
        return client.post("/api/v1/auth/login", new JsonObject().put("email", c[0]).put("password", c[1]))
            .status();
      }));
    }
    try {
      ready.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    go.countDown();
    return burst;
  }

  /** The status of every attempt, in the order given. */
  List<Integer> statuses() {
    List<Integer> out = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      try {
        out.add(answer.get(90, java.util.concurrent.TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new AssertionError("a sign-in of the burst failed: " + e, e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
