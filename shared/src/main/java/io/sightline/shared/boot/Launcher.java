package io.sightline.shared.boot;

import io.sightline.shared.config.ConfigException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The main-method frame every binary shares: runs the start-up, turns a bad setting into one line on stderr and exit
 * code 2 (any other start-up failure: exit 1), and on SIGTERM/Ctrl+C closes what was started in reverse order.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_FAILED = 1;

  /** What the start-up registers to close at shutdown, newest first. */
  public static final class Lifecycle {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T closeAtShutdown(T resource) {
      resources.push(resource);
      return resource;
    }

    synchronized void closeAll() {
      while (!resources.isEmpty()) {
        AutoCloseable r = resources.pop();
        try {
          r.close();
        } catch (Exception e) {
          LOG.warn("while stopping {}: {}", r.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }

  /** A start-up step sequence; it registers what it starts with the lifecycle. */
  @FunctionalInterface
  public interface Startup {
    void start(Lifecycle lifecycle) throws Exception;
  }

  private Launcher() {}

  public static void run(String program, Startup startup) {
    // libraries that log through java.util.logging (pgJDBC) end up in the same one-line log
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Lifecycle lifecycle = new Lifecycle();
    Thread hook = new Thread(() -> {
      LOG.info("{} stopping", program);
      lifecycle.closeAll();
    }, "sightline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      startup.start(lifecycle);
    } catch (Throwable e) {
      ConfigException config = configException(e);
      if (config != null) {
        System.err.println(program + ": " + config.getMessage());
      } else {
        LOG.error("{} start-up failed", program, e);
        System.err.println(program + ": start-up failed: " + rootMessage(e));
      }
      Runtime.getRuntime().removeShutdownHook(hook);
      lifecycle.closeAll();
      System.exit(config != null ? EXIT_CONFIG : EXIT_FAILED);
    }
  }

  private static ConfigException configException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return msg == null ? root.getClass().getSimpleName() : msg.replaceAll("\\s+", " ");
  }
}
