package io.sightline.shared.result;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.connector.RawJson;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value rules of the result format (ColumnMeta, JsonRowEncoder): what a JSON reader gets back exactly. */
class JsonRowEncoderTest {

  private static String line(Object... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonRowEncoder encoder = new JsonRowEncoder(out);
    long n = encoder.write(values);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(n).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(text).endsWith("\n").doesNotContain("\r");
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    return text.substring(0, text.length() - 1);
  }

  @Test
  void integersBeyondTwoToThe53TravelAsStrings() {
    long max = (1L << 53) - 1;
    assertThat(line(max, max + 1, -max, -max - 1, Long.MAX_VALUE, Long.MIN_VALUE, 0L, 42, (short) 7))
        .isEqualTo("[9007199254740991,\"9007199254740992\",-9007199254740991,\"-9007199254740992\","
            + "\"9223372036854775807\",\"-9223372036854775808\",0,42,7]");
    JsonArray parsed = new JsonArray(line(max, max + 1));
    assertThat(parsed.getLong(0)).isEqualTo(max);
    assertThat(parsed.getValue(1)).isEqualTo("9007199254740992");
  }

  @Test
  void decimalsAlwaysTravelAsExactStringsWithTheirScale() {
    // A JSON number would lose the scale (25837.235200 → 25837.2352 in a browser), round beyond a double and turn
    // tiny values into exponent notation (-1e-18): every decimal is the string the datasource printed.
    assertThat(line(new BigDecimal("123.45"), new BigDecimal("25837.235200"), new BigDecimal("165633142430.817900"),
        new BigDecimal("-0.000000000000000001"), new BigDecimal("12345678901234567890.123456789"),
        new BigDecimal("0E-10"), new BigDecimal("1E+3"), new BigDecimal("-2.50"), BigDecimal.ZERO))
        .isEqualTo("[\"123.45\",\"25837.235200\",\"165633142430.817900\",\"-0.000000000000000001\","
            + "\"12345678901234567890.123456789\",\"0.0000000000\",\"1000\",\"-2.50\",\"0\"]");
  }

  @Test
  void nonFiniteFloatsTravelAsStrings() {
    assertThat(line(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5, -0.25, Float.NaN, 2.5f))
        .isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",1.5,-0.25,\"NaN\",2.5]");
  }

  @Test
  void jsonDocumentsAreEmbeddedAsJson() {
    String raw = "{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\"y\"}";
    String line = line(new RawJson(raw), new RawJson("[]"), new RawJson("3"), new RawJson("\"s\""), null);
    assertThat(line).isEqualTo("[" + raw + ",[],3,\"s\",null]");
    JsonArray parsed = new JsonArray(line);
    assertThat(parsed.getJsonObject(0).getJsonArray("a").getJsonObject(2).containsKey("b")).isTrue();
  }

  @Test
  void nestedListsBecomeNestedArraysWithTheSameValueRules() {
    List<Object> matrix = List.of(List.of(1L, 2L), Arrays.asList(3L, null), List.of(1L << 60));
    assertThat(line(matrix, List.of("a", "b\"c"), List.of(), List.of(new BigDecimal("0.1234567890123456"))))
        .isEqualTo("[[[1,2],[3,null],[\"1152921504606846976\"]],[\"a\",\"b\\\"c\"],[],[\"0.1234567890123456\"]]");
  }

  @Test
  void textIsEscapedSoEveryRowIsOneLine() {
    String text = "line1\nline2\r\ttab \"quoted\" back\\slash Zürich ☀ \u2028 \u0001";
    String line = line(text, true, false, null);
    assertThat(line).doesNotContain("\n");
    assertThat(new JsonArray(line).getString(0)).isEqualTo(text);
    assertThat(new JsonArray(line).getBoolean(1)).isTrue();
  }
}
