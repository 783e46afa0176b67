package io.sightline.shared.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sightline.shared.connector.RawJson;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

  @Test
  void decimalsOfEveryShapeKeepTheirDigitsAndScale() {
    String[] texts = {"0", "0.000001", "-0.000001", "0E-18", "0E-19", "999999999999999999", "-999999999999999999",
        "1000000000000000000", "0.999999999999999999", "-0.999999999999999999", "123456789012.345678",
        "-123456789012.345678", "12345678901234567.8", "1.0000000000000000000001", "-98765432109876543210.123456",
        "25837.235200", "1E+3", "-1E+20", "5E-20", "9223372036854775807", "-9223372036854775808.5"};
    Object[] row = new Object[texts.length];
    StringBuilder expected = new StringBuilder("[");
    for (int i = 0; i < texts.length; i++) {
      BigDecimal d = new BigDecimal(texts[i]);
      row[i] = d;
      expected.append(i == 0 ? "" : ",").append('"').append(d.toPlainString()).append('"');
    }
    assertThat(line(row)).isEqualTo(expected.append(']').toString());
    assertThat(line(new BigDecimal("-0.000001"), new BigDecimal("0E-18"), new BigDecimal("0.999999999999999999")))
        .isEqualTo("[\"-0.000001\",\"0.000000000000000000\",\"0.999999999999999999\"]");
  }

  @Test
  void negativeZeroAndExtremeFloatsAreDoubleToString() {
    assertThat(line(-0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e20, 1e-7, -0.0f))
        .isEqualTo("[-0.0,0.0,4.9E-324,1.7976931348623157E308,1.0E20,1.0E-7,-0.0]");
  }

  @Test
  void textWithQuotesControlCharactersAndUnicodeIsExactJson() {
    StringBuilder all = new StringBuilder();
    for (char c = 1; c < 0x300; c++) {
      all.append(c);
    }
    String[] texts = {"", "\"", "\\", "a\"b\\c", "\u0001\u001f\u007f", "\b\f\n\r\t", "Zürich", "日本語 ☀ \u2028\u2029",
        "emoji 😀 🇫🇷", "\uFFFF\uFFFE", all.toString()};
    for (String text : texts) {
      String line = line(text, null);
      assertThat(new JsonArray(line).getString(0)).isEqualTo(text);
      assertThat(new JsonArray(line).getValue(1)).isNull();
    }
  }

  /**
   * The bytes stay those Jackson's generator wrote (results stored before this encoder compare equal line by line):
   * random rows of every value class, against the generator driven as the earlier encoder drove it.
   */
  @Test
  void writesTheSameBytesAsJacksonDid() throws IOException {
    Random random = new Random(17);
    for (int r = 0; r < 3000; r++) {
      Object[] row = new Object[12];
      for (int i = 0; i < row.length; i++) {
        row[i] = randomValue(random, 0);
      }
      assertThat(line(row)).isEqualTo(jackson(row));
    }
  }

  private static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 1 ? 11 : 12)) {
      case 0: return null;
      case 1: return random.nextLong() >> random.nextInt(64);
      case 2: return random.nextInt() >> random.nextInt(32);
      case 3: return random.nextBoolean();
      case 4: return random.nextInt(4) == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian() * 1e4;
      case 5: return new BigDecimal(new BigInteger(random.nextInt(90) + 1, random).subtract(BigInteger.TEN.pow(5)),
          random.nextInt(40) - 5);
      case 6: return (float) random.nextGaussian();
      case 7: return (short) random.nextInt();
      case 8: case 9: case 10: {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
          int kind = random.nextInt(10);
          sb.append(kind < 6 ? (char) (32 + random.nextInt(95)) : kind == 6 ? (char) random.nextInt(32)
              : kind == 7 ? (char) (128 + random.nextInt(0x780)) : kind == 8 ? (char) (0x800 + random.nextInt(0xd000))
              : random.nextBoolean() ? "😀" : String.valueOf((char) (0xe000 + random.nextInt(0x2000))));
        }
        return sb.toString();
      }
      default: {
        List<Object> list = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
      }
    }
  }

  /** The earlier encoder: Jackson's UTF-8 generator. */
  private static String jackson(Object[] row) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      json.setRootValueSeparator(null);
      json.writeStartArray();
      for (Object v : row) {
        jacksonValue(json, v);
      }
      json.writeEndArray();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void jacksonValue(JsonGenerator json, Object v) throws IOException {
    if (v == null) {
      json.writeNull();
    } else if (v instanceof String s) {
      json.writeString(s);
    } else if (v instanceof Long l) {
      if (l > JsonRowEncoder.MAX_SAFE_INTEGER || l < -JsonRowEncoder.MAX_SAFE_INTEGER) {
        json.writeString(Long.toString(l));
      } else {
        json.writeNumber(l);
      }
    } else if (v instanceof Integer i) {
      json.writeNumber(i);
    } else if (v instanceof Short s) {
      json.writeNumber(s);
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        json.writeString("NaN");
      } else if (Double.isInfinite(d)) {
        json.writeString(d > 0 ? "Infinity" : "-Infinity");
      } else {
        json.writeNumber(d);
      }
    } else if (v instanceof BigDecimal d) {
      json.writeString(d.toPlainString());
    } else if (v instanceof List<?> list) {
      json.writeStartArray();
      for (Object e : list) {
        jacksonValue(json, e);
      }
      json.writeEndArray();
    }
  }
}
