package io.sightline.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.shared.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of an api process (docs/operations.md), one instance per process shared by its api verticles: failed and
 * throttled sign-ins, and the event-bus bridge's open sockets and registrations. No labels carry an email, a user, an
 * org or an address. (HTTP requests are measured by Vert.x itself, by route template.)
 */
public final class ApiMetrics {
  private final Counter loginFailures;
  private final Counter loginThrottled;
  private final AtomicInteger sockets = new AtomicInteger();
  private final AtomicInteger registrations = new AtomicInteger();
  private final Counter accepted;
  private final Counter refused;

  private ApiMetrics(MeterRegistry registry) {
    loginFailures = Counter.builder("sightline.login.failures")
        .description("Sign-ins refused for a wrong email or password (or a disabled account)").register(registry);
    loginThrottled = Counter.builder("sightline.login.throttled")
        .description("Sign-in attempts refused with 429 because the account or address was at its failure limit")
        .register(registry);
    Gauge.builder("sightline.bridge.sockets", sockets, AtomicInteger::get)
        .description("Event-bus bridge sockets open on this process").register(registry);
    Gauge.builder("sightline.bridge.registrations.active", registrations, AtomicInteger::get)
        .description("Feed registrations held by this process's bridge sockets").register(registry);
    accepted = registrationCounter(registry, "accepted");
    refused = registrationCounter(registry, "refused");
  }

  private static Counter registrationCounter(MeterRegistry registry, String outcome) {
    return Counter.builder("sightline.bridge.registrations")
        .description("Feed registrations asked by bridge sockets, by outcome").tag("outcome", outcome)
        .register(registry);
  }

  /** The meters of {@code vertx}'s process (recording into nothing when metrics are off). */
  public static ApiMetrics of(Vertx vertx) {
    NodeMetrics node = NodeMetrics.of(vertx);
    return node.part(ApiMetrics.class, () -> new ApiMetrics(node.registry()));
  }

  public void loginFailed() {
    loginFailures.increment();
  }

  public void loginThrottled() {
    loginThrottled.increment();
  }

  /** A bridge socket opened (+1) or closed (-1). */
  public void sockets(int delta) {
    sockets.addAndGet(delta);
  }

  /** A registration was asked: accepted or refused. */
  public void registration(boolean ok) {
    (ok ? accepted : refused).increment();
  }

  /** Registrations held changed by {@code delta} (accepted: +1; unregistered or socket closed: minus its count). */
  public void registrationsHeld(int delta) {
    registrations.addAndGet(delta);
  }
}
