package io.sightline.api.runs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns stored JSON lines into CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas, quotes or line
 * breaks quoted and quotes doubled). Text that a spreadsheet would run as a formula — starting with {@code =},
 * {@code +}, {@code -}, {@code @}, tab or carriage return — is prefixed with an apostrophe (OWASP's advice); numbers
 * are written as numbers, so negative values stay numeric — also the exact ones that travel as strings (bigint and
 * decimal values beyond a double's precision, docs/result-format.md): in a numeric column a string in plain number
 * notation is written bare, never guarded. JSON values (json columns, arrays) become their JSON text; a json column's
 * document travels as its JSON text in a string (format version 2), which is written as it is — it cannot start with a
 * formula character other than the minus of a JSON number, and that number is written bare like a numeric one.
 */
final class CsvRows {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * Sightline column types whose string values that read as a number are written bare: exact numbers that travel as
   * JSON strings, and json documents (a JSON number document's text).
   */
  private static final java.util.Set<String> NUMERIC_TYPES =
      java.util.Set.of("integer", "bigint", "decimal", "number", "json");
  /** A number as Postgres prints one: optional minus, digits with an optional fraction, optional exponent. */
  private static final java.util.regex.Pattern PLAIN_NUMBER =
      java.util.regex.Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private CsvRows() {}

  /** Which columns (by position) hold numbers, from the result header's column {@code type}s. */
  static boolean[] numericColumns(List<String> types) {
    boolean[] numeric = new boolean[types.size()];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = NUMERIC_TYPES.contains(types.get(i));
    }
    return numeric;
  }

  static Buffer header(List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      field(sb, names.get(i), true);
    }
    return Buffer.buffer(sb.append("\r\n").toString());
  }

  /** Converts one decompressed chunk (JSON lines) to CSV lines. CPU work: run it off the event loop. */
  static Buffer convert(Buffer jsonLines, boolean[] numeric) {
    byte[] bytes = jsonLines.getBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + bytes.length / 8);
    StringBuilder line = new StringBuilder(256);
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        if (i > start) {
          line.setLength(0);
          row(bytes, start, i - start, numeric, line);
          line.append("\r\n");
          byte[] encoded = line.toString().getBytes(StandardCharsets.UTF_8);
          out.write(encoded, 0, encoded.length);
        }
        start = i + 1;
      }
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void row(byte[] bytes, int offset, int length, boolean[] numeric, StringBuilder sb) {
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("a stored row is not a JSON array");
      }
      int column = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), column++) {
        if (column > 0) {
          sb.append(',');
        }
        switch (t) {
          case VALUE_NULL -> { }
          case VALUE_STRING -> {
            String text = p.getText();
            if (column < numeric.length && numeric[column] && PLAIN_NUMBER.matcher(text).matches()) {
              sb.append(text);
            } else {
              field(sb, text, true);
            }
          }
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> sb.append(p.getText());
          case VALUE_TRUE -> sb.append("true");
          case VALUE_FALSE -> sb.append("false");
          case START_OBJECT, START_ARRAY -> field(sb, copy(p), false);
          default -> throw new IllegalStateException("unexpected " + t + " in a stored row");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text of the structure starting at the parser's current token. */
  private static String copy(JsonParser p) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }

  static void field(StringBuilder sb, String value, boolean guardFormula) {
    String v = value;
    if (guardFormula && !v.isEmpty()) {
      char c = v.charAt(0);
      if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
        v = "'" + v;
      }
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
        || (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '));
    if (!quote) {
      sb.append(v);
      return;
    }
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /** The JSON download's rows: the chunk's lines joined with commas (a leading comma unless it is the first). */
  static Buffer jsonRows(Buffer jsonLines, boolean first) {
    byte[] bytes = jsonLines.getBytes();
    Buffer out = Buffer.buffer(bytes.length + 1);
    boolean needComma = !first;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        if (i > start) {
          if (needComma) {
            out.appendByte((byte) ',');
          }
          out.appendBytes(bytes, start, i - start);
          needComma = true;
        }
        start = i + 1;
      }
    }
    return out;
  }
}
