package io.sightline.shared.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the {@link LogIds} that apply to a line as top-level fields of its JSON object. Runs on the logging thread
 * (the console appender is synchronous), so the current Vert.x context is the one that logged.
 */
public final class LogIdsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    for (Map.Entry<String, String> id : LogIds.current().entrySet()) {
      generator.writeStringField(id.getKey(), id.getValue());
    }
  }
}
