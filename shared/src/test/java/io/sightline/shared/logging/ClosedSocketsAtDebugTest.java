package io.sightline.shared.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.http.HttpClosedException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ClosedSocketsAtDebugTest {
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger bridge = context.getLogger(ClosedSocketsAtDebug.BRIDGE_LOGGER);

  ClosedSocketsAtDebugTest() {
    ClosedSocketsAtDebug filter = new ClosedSocketsAtDebug();
    filter.start();
    context.addTurboFilter(filter);
    events.setContext(context);
    events.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(events);
    bridge.setLevel(Level.DEBUG);
  }

  @Test
  void aClientThatWentAwayIsDebug() {
    bridge.error(ClosedSocketsAtDebug.MESSAGE, new SocketException("Connection reset"));
    bridge.error(ClosedSocketsAtDebug.MESSAGE, new HttpClosedException("Connection was closed"));
    assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.DEBUG);
    assertThat(events.list.get(0).getThrowableProxy().getMessage()).isEqualTo("Connection reset");
  }

  @Test
  void otherSocketExceptionsAndOtherLoggersStayErrors() {
    bridge.error(ClosedSocketsAtDebug.MESSAGE, new IllegalStateException("a bug"));
    context.getLogger("io.vertx.other").error(ClosedSocketsAtDebug.MESSAGE, new SocketException("Connection reset"));
    bridge.error("Error in performing authorization", new SocketException("Connection reset"));
    assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR, Level.ERROR);
  }

  @Test
  void nothingIsLoggedWhenDebugIsOff() {
    bridge.setLevel(Level.INFO);
    bridge.error(ClosedSocketsAtDebug.MESSAGE, new SocketException("Connection reset"));
    assertThat(events.list).isEmpty();
  }
}
