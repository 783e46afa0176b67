package io.sightline.shared.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The console encoder of every process: the human one-line pattern, or with {@code SIGHTLINE_LOG_FORMAT=json}
 * ({@code log.format} in a config file) one JSON object per line — {@code timestamp}, {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code exception} (the stack trace) and the {@link LogIds} that apply. Built on
 * logstash-logback-encoder (renamed fields, ISO-8601 timestamps, a provider for the ids); Logback's own JsonEncoder
 * writes epoch timestamps and nests the ids, with no way to add a field.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  /** The environment variable that picks the format (also read by the configuration as {@code log.format}). */
  public static final String ENV = "SIGHTLINE_LOG_FORMAT";
  /** Until the configuration is loaded ({@link #use}), the environment variable decides. */
  private static volatile boolean json = "json".equals(normalise(System.getenv(ENV)));

  private String pattern = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";
  private Encoder<ILoggingEvent> text;
  private Encoder<ILoggingEvent> jsonLines;

  /** Validates a format name ({@code text} or {@code json}, case-insensitive); null when it is neither. */
  public static String normalise(String format) {
    String f = format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
    return f.equals("text") || f.equals("json") ? f : null;
  }

  /** Switches every console encoder to {@code format} (already validated by {@link #normalise}). */
  public static void use(String format) {
    json = "json".equals(format);
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    PatternLayoutEncoder p = new PatternLayoutEncoder();
    p.setContext(getContext());
    p.setPattern(pattern);
    p.start();
    text = p;
    LogstashEncoder j = new LogstashEncoder();
    j.setContext(getContext());
    LogstashFieldNames names = new LogstashFieldNames();
    names.setTimestamp("timestamp");
    names.setLogger("logger");
    names.setThread("thread");
    names.setStackTrace("exception");
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    j.setFieldNames(names);
    j.setIncludeMdc(false); // LogIdsJsonProvider writes the ids, from the MDC or the Vert.x context
    j.setIncludeContext(false);
    j.addProvider(new LogIdsJsonProvider());
    j.start();
    jsonLines = j;
    super.start();
  }

  @Override
  public void stop() {
    text.stop();
    jsonLines.stop();
    super.stop();
  }

  private Encoder<ILoggingEvent> current() {
    return json ? jsonLines : text;
  }

  @Override
  public byte[] headerBytes() {
    return current().headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return current().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return current().footerBytes();
  }
}
