package io.sightline.shared.result;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sightline.shared.connector.ColumnMeta;
import io.sightline.shared.connector.RawJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes rows as JSON lines — one JSON array per row, {@code \n}-terminated — following the value rules of
 * {@link ColumnMeta}: integers beyond ±2^53 become strings, decimals are always strings in plain notation with their
 * scale (exactly as the datasource printed them: {@code "25837.235200"}, {@code "-0.000000000000000001"}), non-finite
 * floats become strings, {@link RawJson} is embedded as JSON. Not thread-safe; one encoder per result.
 */
public final class JsonRowEncoder implements AutoCloseable {
  /** The largest integer a JSON number (IEEE double) carries exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final JsonGenerator json;
  private final CountingOutputStream out;

  public JsonRowEncoder(OutputStream target) {
    this.out = new CountingOutputStream(target);
    try {
      this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one row and its newline; returns the bytes it took. */
  public long write(Object[] row) {
    long before = bytesWritten();
    try {
      json.writeStartArray();
      for (Object v : row) {
        value(v);
      }
      json.writeEndArray();
      json.writeRaw('\n');
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytesWritten() - before;
  }

  /** Total bytes written so far. */
  public long bytesWritten() {
    return out.count;
  }

  private void value(Object v) throws IOException {
    if (v == null) {
      json.writeNull();
    } else if (v instanceof String s) {
      json.writeString(s);
    } else if (v instanceof Long l) {
      integer(l);
    } else if (v instanceof Integer i) {
      json.writeNumber(i);
    } else if (v instanceof Short s) {
      json.writeNumber(s);
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof Double d) {
      floating(d);
    } else if (v instanceof Float f) {
      floating(f.doubleValue());
    } else if (v instanceof BigDecimal d) {
      decimal(d);
    } else if (v instanceof RawJson raw) {
      json.writeRawValue(raw.text());
    } else if (v instanceof List<?> list) {
      json.writeStartArray();
      for (Object e : list) {
        value(e);
      }
      json.writeEndArray();
    } else {
      json.writeString(v.toString());
    }
  }

  private void integer(long l) throws IOException {
    if (l > MAX_SAFE_INTEGER || l < -MAX_SAFE_INTEGER) {
      json.writeString(Long.toString(l));
    } else {
      json.writeNumber(l);
    }
  }

  private void floating(double d) throws IOException {
    if (Double.isNaN(d)) {
      json.writeString("NaN");
    } else if (Double.isInfinite(d)) {
      json.writeString(d > 0 ? "Infinity" : "-Infinity");
    } else {
      json.writeNumber(d);
    }
  }

  /**
   * Always a string: a JSON number goes through a double in most readers (a browser's JSON.parse), which drops the
   * scale ({@code 25837.235200} → {@code 25837.2352}), rounds beyond 15–17 digits and prints tiny values in exponent
   * notation. The string keeps the value digit for digit.
   */
  private void decimal(BigDecimal d) throws IOException {
    json.writeString(d.toPlainString());
  }

  @Override
  public void close() {
    try {
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class CountingOutputStream extends OutputStream {
    private final OutputStream target;
    private long count;

    CountingOutputStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      target.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }
  }
}
