package io.sightline.api.server;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide count of open HTTP connections, shared by every api verticle instance (each serves its own share
 * of the connections on its own event loop), against {@code http.maxConnections}. A connection beyond the cap is
 * refused: closed at once, and counted in one log line per {@link #REPORT_WINDOW_MS} rather than one per connection.
 */
public final class ConnectionCap {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
  static final long REPORT_WINDOW_MS = 10_000;
  /** File descriptors kept for everything but client connections (database, cluster, results, jars, logs). */
  private static final long RESERVED_DESCRIPTORS = 512;

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusedInWindow = new AtomicInteger();
  private final AtomicBoolean windowOpen = new AtomicBoolean();

  public ConnectionCap(int max) {
    this.max = max;
    long descriptors = maxFileDescriptors();
    if (descriptors > 0 && max + RESERVED_DESCRIPTORS > descriptors) {
      LOG.warn("SIGHTLINE_HTTP_MAX_CONNECTIONS (http.maxConnections) is {} but this process may open only {} files;"
          + " lower it or raise the limit (ulimit -n), else connections fail with 'Too many open files' first",
          max, descriptors);
    }
  }

  /** Counts a new connection in; false (and not counted) when the cap is reached. */
  boolean tryOpen() {
    while (true) {
      int now = open.get();
      if (now >= max) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Counts a connection out (only one that {@link #tryOpen} counted in). */
  void closed() {
    open.decrementAndGet();
  }

  /** The connections open now. */
  public int open() {
    return open.get();
  }

  /** Logs a refused connection: the first of a window at once, the rest of the window as one count at its end. */
  void refused(Vertx vertx, SocketAddress from) {
    if (windowOpen.compareAndSet(false, true)) {
      LOG.warn("HTTP connection cap of {} reached: refused a connection from {}", max, from);
      vertx.setTimer(REPORT_WINDOW_MS, id -> {
        int more = refusedInWindow.getAndSet(0);
        windowOpen.set(false);
        if (more > 0) {
          LOG.warn("HTTP connection cap of {}: refused {} more connection(s) in the last {} s", max, more,
              REPORT_WINDOW_MS / 1000);
        }
      });
    } else {
      refusedInWindow.incrementAndGet();
    }
  }

  private static long maxFileDescriptors() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
  }
}
