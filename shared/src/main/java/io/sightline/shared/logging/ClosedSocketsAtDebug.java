package io.sightline.shared.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import org.slf4j.Marker;

/**
 * Logs Vert.x's "SockJSSocket exception" at DEBUG when the exception only says that the client went away (a reset or
 * closed connection: a browser tab closed, a laptop slept). vertx-web 5.0.7's event-bus bridge logs every socket
 * exception at ERROR, which made a normal tab close look like a server fault. Other socket exceptions stay ERROR.
 * Installed as a {@code <turboFilter>} in logback.xml.
 */
public final class ClosedSocketsAtDebug extends TurboFilter {
  static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  static final String MESSAGE = "SockJSSocket exception";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || t == null || !MESSAGE.equals(format) || !BRIDGE_LOGGER.equals(logger.getName())
        || !clientWentAway(t)) {
      return FilterReply.NEUTRAL;
    }
    logger.debug(format, t); // at DEBUG this filter stays neutral
    return FilterReply.DENY;
  }

  private static boolean clientWentAway(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof HttpClosedException) {
        return true;
      }
    }
    return false;
  }
}
