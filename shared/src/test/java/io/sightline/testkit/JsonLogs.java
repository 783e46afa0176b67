package io.sightline.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.sightline.shared.logging.LogFormatEncoder;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines some loggers write while open, encoded as {@code SIGHTLINE_LOG_FORMAT=json} encodes them (the real
 * {@link LogFormatEncoder}, switched to JSON for the while), each parsed as one JSON object.
 */
public final class JsonLogs implements AutoCloseable {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final List<Logger> loggers = new ArrayList<>();

  public JsonLogs(String... loggerNames) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    LogFormatEncoder.use("json");
    for (String name : loggerNames) {
      Logger logger = context.getLogger(name);
      logger.addAppender(appender);
      loggers.add(logger);
    }
  }

  /** Every line so far; a line that is not one JSON object fails the test here. */
  public List<JsonObject> lines() {
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    return text.lines().map(JsonObject::new).toList();
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(appender));
    LogFormatEncoder.use("text");
    appender.stop();
  }
}
