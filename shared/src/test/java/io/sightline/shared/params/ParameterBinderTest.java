package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Binding: one $n per placeholder key, typed casts, value validation per type, defaults, presets, errors. */
class ParameterBinderTest {
  static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z"); // a Sunday; Toronto switched to EDT at 07:00Z
  static final ZoneId UTC = ZoneOffset.UTC;
  static final ZoneId TORONTO = ZoneId.of("America/Toronto");

  static ParameterSpec spec(String json) {
    return ParameterSpec.fromJson(new JsonObject(json));
  }

  static BoundQuery bind(String sql, List<ParameterSpec> specs, JsonObject values) {
    return ParameterBinder.bind(SqlTemplate.parse(sql), specs, values, NOW, UTC);
  }

  /** Binds one parameter {@code p} used as {@code {{p}}} (ranges: start and end) with {@code value}. */
  static BoundQuery one(String specJson, Object value, Instant now, ZoneId zone) {
    ParameterSpec spec = spec(specJson);
    String sql = spec.type().isRange() ? "SELECT {{p.start}}, {{p.end}}" : "SELECT {{p}}";
    JsonObject values = new JsonObject();
    if (value != null) {
      values.put("p", value);
    }
    return ParameterBinder.bind(SqlTemplate.parse(sql), List.of(spec), values, now, zone);
  }

  static BoundQuery one(String specJson, Object value) {
    return one(specJson, value, NOW, UTC);
  }

  static ParameterException refused(String specJson, Object value) {
    ParameterException e = catchThrowableOfType(ParameterException.class, () -> one(specJson, value));
    assertThat(e).as("%s with %s", specJson, value).isNotNull();
    assertThat(e.parameter()).isEqualTo("p");
    assertThat(e.getMessage()).startsWith("parameter 'p': ");
    return e;
  }

  static final String TEXT = "{\"name\":\"p\",\"type\":\"text\"}";
  static final String INTEGER = "{\"name\":\"p\",\"type\":\"integer\"}";
  static final String NUMBER = "{\"name\":\"p\",\"type\":\"number\"}";
  static final String BOOLEAN = "{\"name\":\"p\",\"type\":\"boolean\"}";
  static final String DATE = "{\"name\":\"p\",\"type\":\"date\"}";
  static final String TIMESTAMP = "{\"name\":\"p\",\"type\":\"timestamp\"}";
  static final String DATE_RANGE = "{\"name\":\"p\",\"type\":\"date_range\"}";
  static final String TIMESTAMP_RANGE = "{\"name\":\"p\",\"type\":\"timestamp_range\"}";
  static final String ENUM = "{\"name\":\"p\",\"type\":\"enum\",\"options\":[\"red\",\"green\",\"it's\"]}";
  static final String MULTI =
      "{\"name\":\"p\",\"type\":\"enum\",\"multi\":true,\"options\":[\"red\",\"green\",\"blue\"]}";
  static final String QUERY_ENUM = "{\"name\":\"p\",\"type\":\"query_enum\","
      + "\"optionsQueryId\":\"7d0c2f0e-4f7a-4a5e-9a57-1c2b3d4e5f60\",\"optionsColumn\":\"name\"}";

  // ------------------------------------------------------------------------------------------------ binding shape

  @Test
  void eachDistinctPlaceholderGetsOneBindReusedAtEveryOccurrence() {
    List<ParameterSpec> specs = List.of(spec(TEXT.replace("\"p\"", "\"a\"")), spec(INTEGER.replace("\"p\"", "\"b\"")),
        spec(DATE_RANGE.replace("\"p\"", "\"r\"")));
    BoundQuery q = bind("SELECT {{a}}, {{b}}, {{ a }}, {{r.start}}, {{r.end}}, {{r.start}} WHERE x = {{b}}", specs,
        new JsonObject().put("a", "x").put("b", 5).put("r", new JsonObject().put("start", "2024-01-01")
            .put("end", "2024-01-31")));
    assertThat(q.sql()).isEqualTo("SELECT $1::text, $2::text::bigint, $1::text, $3::text::date, $4::text::date, "
        + "$3::text::date WHERE x = $2::text::bigint");
    assertThat(q.bindValues()).containsExactly("x", "5", "2024-01-01", "2024-01-31");
    assertThat(q.values()).isEqualTo(new JsonObject().put("a", "x").put("b", 5L)
        .put("r", new JsonObject().put("start", "2024-01-01").put("end", "2024-01-31")));
  }

  @Test
  void everyTypeBecomesATypedCastOfText() {
    assertThat(one(TEXT, "x").sql()).isEqualTo("SELECT $1::text");
    assertThat(one(INTEGER, 1).sql()).isEqualTo("SELECT $1::text::bigint");
    assertThat(one(NUMBER, 1).sql()).isEqualTo("SELECT $1::text::numeric");
    assertThat(one(BOOLEAN, true).sql()).isEqualTo("SELECT $1::text::boolean");
    assertThat(one(DATE, "2024-01-01").sql()).isEqualTo("SELECT $1::text::date");
    assertThat(one(TIMESTAMP, "2024-01-01T00:00:00Z").sql()).isEqualTo("SELECT $1::text::timestamptz");
    assertThat(one(DATE_RANGE, "today").sql()).isEqualTo("SELECT $1::text::date, $2::text::date");
    assertThat(one(TIMESTAMP_RANGE, "today").sql()).isEqualTo("SELECT $1::text::timestamptz, $2::text::timestamptz");
    assertThat(one(ENUM, "red").sql()).isEqualTo("SELECT $1::text");
    assertThat(one(MULTI, new JsonArray().add("red")).sql()).isEqualTo("SELECT $1::text[]");
    assertThat(one(QUERY_ENUM, "anything").sql()).isEqualTo("SELECT $1::text");
    for (Object v : one(TIMESTAMP_RANGE, "today").bindValues()) {
      assertThat(v).isInstanceOf(String.class);
    }
  }

  @Test
  void placeholdersNextToIdentifierCharactersAreSeparatedFromThem() {
    List<ParameterSpec> specs = List.of(spec(TEXT.replace("\"p\"", "\"a\"")), spec(TEXT.replace("\"p\"", "\"b\"")));
    JsonObject values = new JsonObject().put("a", "1").put("b", "2");
    assertThat(bind("SELECT x{{a}}y, {{a}}{{b}}, ${{a}}, ({{b}})", specs, values).sql())
        .isEqualTo("SELECT x $1::text y, $1::text $2::text, $ $1::text, ($2::text)");
  }

  @Test
  void theRecordedValuesAndBindsAreJsonForTheRunRow() {
    List<ParameterSpec> specs = ParameterCheck.parseAll(new JsonArray("""
        [{"name": "t", "type": "text"}, {"name": "i", "type": "integer"}, {"name": "n", "type": "number"},
         {"name": "b", "type": "boolean"}, {"name": "d", "type": "date"}, {"name": "ts", "type": "timestamp"},
         {"name": "r", "type": "timestamp_range"}, {"name": "m", "type": "enum", "options": ["a", "b"], "multi": true},
         {"name": "none", "type": "text"}]"""));
    JsonObject values = new JsonObject("""
        {"t": "x'y", "i": "9007199254740993", "n": 0.25, "b": "true", "d": "2024-01-02",
         "ts": "2024-01-02T03:04:05+01:00", "r": "yesterday", "m": ["b", "a"]}""");
    BoundQuery q = ParameterBinder.bind(SqlTemplate.parse("SELECT {{t}}, {{i}}, {{n}}, {{b}}, {{d}}, {{ts}}, "
        + "{{r.start}}, {{r.end}}, {{m}}, {{none}}"), specs, values, NOW, TORONTO);
    assertThat(q.bindValues()).containsExactly("x'y", "9007199254740993", "0.25", "true", "2024-01-02",
        "2024-01-02T02:04:05Z", "2024-03-09T05:00:00Z", "2024-03-10T05:00:00Z", List.of("b", "a"), null);
    assertThat(new JsonObject(q.values().encode())).isEqualTo(new JsonObject("""
        {"t": "x'y", "i": 9007199254740993, "n": 0.25, "b": true, "d": "2024-01-02", "ts": "2024-01-02T02:04:05Z",
         "r": {"start": "2024-03-09T05:00:00Z", "end": "2024-03-10T05:00:00Z"}, "m": ["b", "a"], "none": null}"""));
    assertThat(new JsonArray(q.bindValues()).encode())
        .isEqualTo("[\"x'y\",\"9007199254740993\",\"0.25\",\"true\",\"2024-01-02\",\"2024-01-02T02:04:05Z\","
            + "\"2024-03-09T05:00:00Z\",\"2024-03-10T05:00:00Z\",[\"b\",\"a\"],null]");
    assertThat(q.values().getValue("i")).isEqualTo(9007199254740993L);
  }

  @Test
  void sqlWithoutPlaceholdersIsUnchanged() {
    BoundQuery q = bind("SELECT '{{a}}' -- {{a}}", List.of(), new JsonObject());
    assertThat(q.sql()).isEqualTo("SELECT '{{a}}' -- {{a}}");
    assertThat(q.bindValues()).isEmpty();
    assertThat(q.values()).isEqualTo(new JsonObject());
  }

  // ------------------------------------------------------------------------------------------------ defaults, required

  @Test
  void missingOrNullValuesTakeTheDefault() {
    List<ParameterSpec> specs = List.of(
        spec("{\"name\":\"n\",\"type\":\"integer\",\"default\":10}"),
        spec("{\"name\":\"s\",\"type\":\"enum\",\"options\":[\"a\",\"b\"],\"multi\":true,\"default\":[\"b\",\"a\"]}"),
        spec("{\"name\":\"r\",\"type\":\"timestamp_range\",\"required\":true,\"default\":\"last_1h\"}"));
    BoundQuery q = bind("SELECT {{n}}, {{s}}, {{r.start}}, {{r.end}}", specs, new JsonObject().putNull("n"));
    assertThat(q.bindValues()).containsExactly("10", List.of("b", "a"), "2024-03-10T11:00:00Z",
        "2024-03-10T12:00:00Z");
    assertThat(q.values().getLong("n")).isEqualTo(10L);
    assertThat(q.values().getJsonArray("s")).isEqualTo(new JsonArray().add("b").add("a"));
    assertThat(q.values().getJsonObject("r")).isEqualTo(new JsonObject().put("start", "2024-03-10T11:00:00Z")
        .put("end", "2024-03-10T12:00:00Z"));

    BoundQuery given = bind("SELECT {{n}}", specs.subList(0, 1), new JsonObject().put("n", 3));
    assertThat(given.bindValues()).containsExactly("3");
  }

  @Test
  void anOptionalParameterWithoutValueOrDefaultBindsNull() {
    BoundQuery q = bind("SELECT {{a}}, {{r.start}}, {{r.end}}", List.of(spec(TEXT.replace("\"p\"", "\"a\"")),
        spec(DATE_RANGE.replace("\"p\"", "\"r\""))), null);
    assertThat(q.bindValues()).containsExactly(null, null, null);
    assertThat(q.values().fieldNames()).containsExactly("a", "r");
    assertThat(q.values().getValue("a")).isNull();
    assertThat(q.values().getValue("r")).isNull();
  }

  @Test
  void aRequiredParameterWithoutValueOrDefaultIsRefusedByName() {
    ParameterSpec required = spec("{\"name\":\"from\",\"type\":\"date\",\"required\":true}");
    for (JsonObject values : List.of(new JsonObject(), new JsonObject().putNull("from"))) {
      ParameterException e = catchThrowableOfType(ParameterException.class,
          () -> bind("SELECT {{from}}", List.of(required), values));
      assertThat(e.parameter()).isEqualTo("from");
      assertThat(e.field()).isEqualTo("/params/from");
      assertThat(e.reason()).isEqualTo("is required");
      assertThat(e.getMessage()).isEqualTo("parameter 'from': is required");
    }
    // an empty string is a value
    assertThat(bind("SELECT {{t}}", List.of(spec("{\"name\":\"t\",\"type\":\"text\",\"required\":true}")),
        new JsonObject().put("t", "")).bindValues()).containsExactly("");
  }

  @Test
  void requiredIsCheckedForDeclaredParametersTheSqlDoesNotUse() {
    ParameterException e = catchThrowableOfType(ParameterException.class, () -> bind("SELECT 1",
        List.of(spec("{\"name\":\"unused\",\"type\":\"text\",\"required\":true}")), new JsonObject()));
    assertThat(e.parameter()).isEqualTo("unused");
  }

  // ------------------------------------------------------------------------------------------------ names

  @Test
  void aValueForAnUndeclaredNameIsRefused() {
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT {{p}}", List.of(spec(TEXT)), new JsonObject().put("p", "x").put("q", "y")));
    assertThat(e.parameter()).isEqualTo("q");
    assertThat(e.field()).isEqualTo("/params/q");
    assertThat(e.reason()).isEqualTo("is not a parameter of this query");

    ParameterException odd = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT 1", List.of(), new JsonObject().put("a/b~c", 1)));
    assertThat(odd.field()).isEqualTo("/params/a~1b~0c");
    assertThat(odd.getMessage()).isEqualTo("/params/a~1b~0c: is not a parameter of this query");
  }

  @Test
  void aPlaceholderWithoutDeclarationIsRefused() {
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT {{p}}, {{missing}}", List.of(spec(TEXT)), new JsonObject().put("p", "x")));
    assertThat(e.parameter()).isEqualTo("missing");
    assertThat(e.field()).isEqualTo("/sql");
    assertThat(e.reason()).isEqualTo("{{missing}} is used in the SQL but no parameter 'missing' is declared");
  }

  @Test
  void rangePartsOnlyOnRangesAndRangesOnlyWithParts() {
    ParameterException part = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT {{p.start}}", List.of(spec(DATE)), new JsonObject()));
    assertThat(part.parameter()).isEqualTo("p");
    assertThat(part.reason()).contains("{{p.start}}", "date_range");
    ParameterException bare = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT {{p}}", List.of(spec(DATE_RANGE)), new JsonObject()));
    assertThat(bare.parameter()).isEqualTo("p");
    assertThat(bare.reason()).contains("{{p.start}}", "{{p.end}}");
  }

  @Test
  void aMalformedPlaceholderIsRefused() {
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> bind("SELECT {{p.middle}}", List.of(spec(DATE_RANGE)), new JsonObject()));
    assertThat(e.field()).isEqualTo("/sql");
    assertThat(e.reason()).contains("{{p.middle}}");
  }

  // ------------------------------------------------------------------------------------------------ text

  @Test
  void textIsBoundAsGivenUpTo10000Characters() {
    String max = "x".repeat(10_000);
    assertThat(one(TEXT, max).bindValues()).containsExactly(max);
    String emoji = "😀".repeat(10_000); // 20,000 UTF-16 units, 10,000 characters
    assertThat(one(TEXT, emoji).bindValues()).containsExactly(emoji);
    String hostile = "'; DROP TABLE x; -- ‘’“” \\ $$ \n {{p}} */";
    BoundQuery q = one(TEXT, hostile);
    assertThat(q.sql()).isEqualTo("SELECT $1::text");
    assertThat(q.bindValues()).containsExactly(hostile);
    assertThat(q.values().getString("p")).isEqualTo(hostile);
  }

  @Test
  void textRefusesOverlongNulAndBrokenUnicodeAndNonStrings() {
    assertThat(refused(TEXT, "x".repeat(10_001)).reason()).isEqualTo("is longer than 10000 characters");
    assertThat(refused(TEXT, "a\u0000b").reason()).isEqualTo("must not contain NUL characters");
    assertThat(refused(TEXT, "a\ud800b").reason()).contains("unpaired surrogate");
    assertThat(refused(TEXT, "\udc00").reason()).contains("unpaired surrogate");
    assertThat(refused(TEXT, 5).reason()).isEqualTo("must be a string");
    assertThat(refused(TEXT, new JsonArray().add("a")).reason()).isEqualTo("must be a string");
    assertThat(refused(TEXT, true).field()).isEqualTo("/params/p");
  }

  // ------------------------------------------------------------------------------------------------ integer

  @Test
  void integersAcceptWholeJsonNumbersAndDigitStringsInTheLongRange() {
    assertThat(one(INTEGER, 42).bindValues()).containsExactly("42");
    assertThat(one(INTEGER, Long.MAX_VALUE).bindValues()).containsExactly("9223372036854775807");
    assertThat(one(INTEGER, "-9223372036854775808").bindValues()).containsExactly("-9223372036854775808");
    assertThat(one(INTEGER, "+007").bindValues()).containsExactly("7");
    assertThat(one(INTEGER, 3.0).bindValues()).containsExactly("3");
    assertThat(one(INTEGER, new BigDecimal("1.200E+3")).bindValues()).containsExactly("1200");
    assertThat(one(INTEGER, new BigInteger("-12")).bindValues()).containsExactly("-12");
    assertThat(one(INTEGER, "12").values().getValue("p")).isEqualTo(12L);
    // parsed from JSON text too
    assertThat(ParameterBinder.bind(SqlTemplate.parse("{{p}}"), List.of(spec(INTEGER)),
        new JsonObject("{\"p\": 9223372036854775807}"), NOW, UTC).bindValues()).containsExactly("9223372036854775807");
  }

  @Test
  void integersRefuseFractionsOverflowAndNonNumbers() {
    assertThat(refused(INTEGER, 1.5).reason()).isEqualTo("must be a whole number");
    assertThat(refused(INTEGER, new BigDecimal("0.1")).reason()).isEqualTo("must be a whole number");
    assertThat(refused(INTEGER, "9223372036854775808").reason()).isEqualTo("is out of range for a 64-bit integer");
    assertThat(refused(INTEGER, new BigInteger("-9223372036854775809")).reason())
        .isEqualTo("is out of range for a 64-bit integer");
    assertThat(refused(INTEGER, new BigDecimal("1E+30")).reason()).isEqualTo("is out of range for a 64-bit integer");
    assertThat(refused(INTEGER, 1e19).reason()).contains("too large to be exact");
    assertThat(refused(INTEGER, Double.NaN).reason()).isEqualTo("must be an integer");
    assertThat(refused(INTEGER, Double.POSITIVE_INFINITY).reason()).isEqualTo("must be an integer");
    for (Object bad : Arrays.asList("1.0", "1e3", " 1", "1 ", "0x10", "", "-", "１２", true, new JsonObject())) {
      assertThat(refused(INTEGER, bad).reason()).as("%s", bad).isEqualTo("must be an integer");
    }
  }

  @Test
  void integerMinAndMax() {
    String bounded = "{\"name\":\"p\",\"type\":\"integer\",\"min\":1,\"max\":100}";
    assertThat(one(bounded, 1).bindValues()).containsExactly("1");
    assertThat(one(bounded, "100").bindValues()).containsExactly("100");
    assertThat(refused(bounded, 0).reason()).isEqualTo("must be at least 1");
    assertThat(refused(bounded, 101).reason()).isEqualTo("must be at most 100");
  }

  // ------------------------------------------------------------------------------------------------ number

  @Test
  void numbersAreFiniteDecimalsBoundInPlainNotation() {
    assertThat(one(NUMBER, 1.5).bindValues()).containsExactly("1.5");
    assertThat(one(NUMBER, 0.1).bindValues()).containsExactly("0.1");
    assertThat(one(NUMBER, -7).bindValues()).containsExactly("-7");
    assertThat(one(NUMBER, "-2.50e3").bindValues()).containsExactly("-2500");
    assertThat(one(NUMBER, ".5").bindValues()).containsExactly("0.5");
    assertThat(one(NUMBER, "1e-3").bindValues()).containsExactly("0.001");
    assertThat(one(NUMBER, "0e-99999").bindValues()).containsExactly("0");
    assertThat(one(NUMBER, new BigDecimal("12345678901234567890.123456789")).bindValues())
        .containsExactly("12345678901234567890.123456789");
    assertThat(one(NUMBER, "1.25").values().getValue("p")).isEqualTo(new BigDecimal("1.25"));
  }

  @Test
  void numbersRefuseNonFiniteHugeAndNonNumeric() {
    for (Object bad : Arrays.asList(Double.NaN, Double.NEGATIVE_INFINITY, "NaN", "Infinity", "-Infinity", "1,5", "",
        "1e", "e3", "0x1p3", " 1", true, new JsonArray())) {
      assertThat(refused(NUMBER, bad).reason()).as("%s", bad).isEqualTo("must be a finite decimal number");
    }
    assertThat(refused(NUMBER, "1e999999999999").reason()).startsWith("is outside the supported range");
    assertThat(refused(NUMBER, "1e1001").reason()).startsWith("is outside the supported range");
    assertThat(refused(NUMBER, "1e-1001").reason()).startsWith("is outside the supported range");
    assertThat(refused(NUMBER, "9".repeat(1001)).reason()).startsWith("is outside the supported range");
    assertThat(refused(NUMBER, "9".repeat(5000)).reason()).isEqualTo("must be a finite decimal number");
  }

  @Test
  void numberMinAndMax() {
    String bounded = "{\"name\":\"p\",\"type\":\"number\",\"min\":-0.5,\"max\":2}";
    assertThat(one(bounded, "-0.5").bindValues()).containsExactly("-0.5");
    assertThat(one(bounded, 2.0).bindValues()).containsExactly("2.0");
    assertThat(refused(bounded, -0.51).reason()).isEqualTo("must be at least -0.5");
    assertThat(refused(bounded, "2.000001").reason()).isEqualTo("must be at most 2");
  }

  // ------------------------------------------------------------------------------------------------ boolean

  @Test
  void booleansAreTrueOrFalse() {
    assertThat(one(BOOLEAN, true).bindValues()).containsExactly("true");
    assertThat(one(BOOLEAN, false).bindValues()).containsExactly("false");
    assertThat(one(BOOLEAN, "false").bindValues()).containsExactly("false");
    assertThat(one(BOOLEAN, "true").values().getValue("p")).isEqualTo(true);
    for (Object bad : Arrays.asList("TRUE", "yes", "1", 1, 0, "", "t")) {
      assertThat(refused(BOOLEAN, bad).reason()).as("%s", bad).isEqualTo("must be true or false");
    }
  }

  // ------------------------------------------------------------------------------------------------ date, timestamp

  @Test
  void datesAreStrictIsoDates() {
    assertThat(one(DATE, "2024-02-29").bindValues()).containsExactly("2024-02-29");
    assertThat(one(DATE, "0001-01-01").bindValues()).containsExactly("0001-01-01");
    assertThat(one(DATE, "9999-12-31").bindValues()).containsExactly("9999-12-31");
    for (Object bad : Arrays.asList("2024-1-01", "24-01-01", "2024/01/01", "2024-01-01T00:00", "+12024-01-01",
        "today", "", 20240101)) {
      assertThat(refused(DATE, bad).reason()).as("%s", bad).isEqualTo("must be a date (yyyy-MM-dd)");
    }
    assertThat(refused(DATE, "2023-02-29").reason()).isEqualTo("is not a valid date");
    assertThat(refused(DATE, "2024-13-01").reason()).isEqualTo("is not a valid date");
    assertThat(refused(DATE, "0000-01-01").reason()).startsWith("is outside the supported range");
  }

  @Test
  void dateMinAndMax() {
    String bounded = "{\"name\":\"p\",\"type\":\"date\",\"min\":\"2020-01-01\",\"max\":\"2020-12-31\"}";
    assertThat(one(bounded, "2020-01-01").bindValues()).containsExactly("2020-01-01");
    assertThat(refused(bounded, "2019-12-31").reason()).isEqualTo("must not be before 2020-01-01");
    assertThat(refused(bounded, "2021-01-01").reason()).isEqualTo("must not be after 2020-12-31");
  }

  @ParameterizedTest
  @CsvSource({
      "2024-03-10T07:00:00Z,          UTC,             2024-03-10T07:00:00Z",
      "2024-03-10T07:00:00z,          UTC,             2024-03-10T07:00:00Z",
      "2024-03-10T07:00Z,             UTC,             2024-03-10T07:00:00Z",
      "2024-03-10 09:30:00+02:00,     UTC,             2024-03-10T07:30:00Z",
      "2024-03-10T09:30:00+0200,      UTC,             2024-03-10T07:30:00Z",
      "2024-03-10T02:30:00-05,        UTC,             2024-03-10T07:30:00Z",
      "2024-03-10T07:00:00.123456789Z, UTC,            2024-03-10T07:00:00.123456Z",
      "2024-03-10T07:00:00.5Z,        UTC,             2024-03-10T07:00:00.500Z",
      "2024-03-10T07:00:00,           UTC,             2024-03-10T07:00:00Z",
      "2024-03-10T07:00:00,           America/Toronto, 2024-03-10T11:00:00Z",
      "2024-03-10T01:59:59,           America/Toronto, 2024-03-10T06:59:59Z",
      "2024-03-10T02:30:00,           America/Toronto, 2024-03-10T07:30:00Z",   // in the gap: moved forward 1 h
      "2024-11-03T01:30:00,           America/Toronto, 2024-11-03T05:30:00Z",   // in the overlap: the earlier (EDT)
      "2024-11-03T01:30:00-05:00,     America/Toronto, 2024-11-03T06:30:00Z",   // the later one, by offset
      "2024-01-15T12:00:00,           Asia/Kolkata,    2024-01-15T06:30:00Z",
  })
  void timestampsAreBoundAsUtcInstants(String given, String zone, String expected) {
    BoundQuery q = one(TIMESTAMP, given, NOW, ZoneId.of(zone));
    assertThat(q.bindValues()).containsExactly(expected);
    assertThat(q.values().getString("p")).isEqualTo(expected);
  }

  @Test
  void timestampsRefuseOtherShapes() {
    for (Object bad : Arrays.asList("2024-03-10", "2024-03-10T7:00", "2024-03-10T07", "2024-03-10T07:00:00+2",
        "2024-03-10T07:00:00 UTC", "2024-03-10T07:00:00[Europe/Paris]", "1710054000", 1710054000, "now", "")) {
      assertThat(refused(TIMESTAMP, bad).reason()).as("%s", bad).startsWith("must be an ISO-8601 timestamp");
    }
    assertThat(refused(TIMESTAMP, "2024-03-10T25:00:00Z").reason()).isEqualTo("is not a valid time of day");
    assertThat(refused(TIMESTAMP, "2024-02-30T00:00:00Z").reason()).isEqualTo("is not a valid date");
    assertThat(refused(TIMESTAMP, "2024-03-10T07:00:00+19:00").reason()).startsWith("has an invalid offset");
    assertThat(refused(TIMESTAMP, "0001-01-01T00:00:00+01:00").reason()).startsWith("is outside the supported range");
  }

  @Test
  void timestampMinAndMaxCompareInstants() {
    String bounded = "{\"name\":\"p\",\"type\":\"timestamp\",\"min\":\"2024-01-01T00:00:00Z\","
        + "\"max\":\"2024-12-31T00:00:00\"}";
    assertThat(one(bounded, "2024-01-01T00:00:00Z").bindValues()).containsExactly("2024-01-01T00:00:00Z");
    assertThat(refused(bounded, "2023-12-31T23:59:59Z").reason()).isEqualTo("must not be before 2024-01-01T00:00:00Z");
    // the max has no offset: it is in the org's zone (Toronto: 05:00Z)
    assertThat(one(bounded, "2024-12-31T04:59:59Z", NOW, TORONTO).bindValues()).containsExactly("2024-12-31T04:59:59Z");
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> one(bounded, "2024-12-31T05:00:01Z", NOW, TORONTO));
    assertThat(e.reason()).isEqualTo("must not be after 2024-12-31T00:00:00");
  }

  // ------------------------------------------------------------------------------------------------ ranges

  @Test
  void explicitRangesAreBoundAsGiven() {
    BoundQuery d = one(DATE_RANGE, new JsonObject().put("start", "2024-01-01").put("end", "2024-01-01"));
    assertThat(d.bindValues()).containsExactly("2024-01-01", "2024-01-01");
    BoundQuery t = one(TIMESTAMP_RANGE, new JsonObject().put("start", "2024-01-01T00:00:00")
        .put("end", "2024-01-02T00:00:00+01:00"), NOW, TORONTO);
    assertThat(t.bindValues()).containsExactly("2024-01-01T05:00:00Z", "2024-01-01T23:00:00Z");
    assertThat(t.values().getJsonObject("p")).isEqualTo(new JsonObject().put("start", "2024-01-01T05:00:00Z")
        .put("end", "2024-01-01T23:00:00Z"));
  }

  @Test
  void rangesRefuseBadShapesAndReversedBounds() {
    assertThat(refused(DATE_RANGE, new JsonObject().put("start", "2024-01-02").put("end", "2024-01-01")).reason())
        .isEqualTo("start must not be after end");
    ParameterException missing = refused(DATE_RANGE, new JsonObject().put("start", "2024-01-02"));
    assertThat(missing.field()).isEqualTo("/params/p/end");
    assertThat(missing.reason()).isEqualTo("is required");
    ParameterException extra = refused(DATE_RANGE, new JsonObject().put("start", "2024-01-01")
        .put("end", "2024-01-02").put("step", 1));
    assertThat(extra.field()).isEqualTo("/params/p/step");
    ParameterException badEnd = refused(TIMESTAMP_RANGE, new JsonObject().put("start", "2024-01-01T00:00:00Z")
        .put("end", "tomorrow"));
    assertThat(badEnd.field()).isEqualTo("/params/p/end");
    assertThat(badEnd.reason()).startsWith("must be an ISO-8601 timestamp");
    for (Object bad : Arrays.asList("last_2d", "LAST_24H", "", 5, new JsonArray().add("2024-01-01"))) {
      assertThat(refused(DATE_RANGE, bad).reason()).as("%s", bad).startsWith("must be {\"start\"")
          .contains("last_15m, last_1h, last_24h, last_7d, last_30d, today, yesterday, this_week");
    }
    // a timestamp without offset compared in the zone: 01:30 EDT is before 01:10 EST
    assertThat(one(TIMESTAMP_RANGE, new JsonObject().put("start", "2024-11-03T01:30:00-04:00")
        .put("end", "2024-11-03T01:10:00-05:00"), NOW, TORONTO).bindValues())
        .containsExactly("2024-11-03T05:30:00Z", "2024-11-03T06:10:00Z");
  }

  @Test
  void rangeMinAndMaxApplyToBothEnds() {
    String bounded = "{\"name\":\"p\",\"type\":\"date_range\",\"min\":\"2024-03-01\",\"max\":\"2024-03-31\"}";
    assertThat(one(bounded, "today").bindValues()).containsExactly("2024-03-10", "2024-03-10");
    ParameterException start = refused(bounded, new JsonObject().put("start", "2024-02-29").put("end", "2024-03-02"));
    assertThat(start.field()).isEqualTo("/params/p/start");
    assertThat(start.reason()).isEqualTo("must not be before 2024-03-01");
    ParameterException end = refused(bounded, new JsonObject().put("start", "2024-03-02").put("end", "2024-04-01"));
    assertThat(end.field()).isEqualTo("/params/p/end");
    // a preset that reaches before min (resolved at run time) is refused too
    assertThat(refused(bounded, "last_30d").field()).isEqualTo("/params/p/start");
  }

  /** Expected [start, end] of each preset at NOW, in UTC and in Toronto (DST began there at 2024-03-10T07:00Z). */
  @ParameterizedTest
  @CsvSource({
      // preset,   zone,            timestamp start,       timestamp end,         date start, date end
      "last_15m,  UTC,             2024-03-10T11:45:00Z, 2024-03-10T12:00:00Z, 2024-03-10, 2024-03-10",
      "last_1h,   UTC,             2024-03-10T11:00:00Z, 2024-03-10T12:00:00Z, 2024-03-10, 2024-03-10",
      "last_24h,  UTC,             2024-03-09T12:00:00Z, 2024-03-10T12:00:00Z, 2024-03-09, 2024-03-10",
      "last_7d,   UTC,             2024-03-03T12:00:00Z, 2024-03-10T12:00:00Z, 2024-03-03, 2024-03-10",
      "last_30d,  UTC,             2024-02-09T12:00:00Z, 2024-03-10T12:00:00Z, 2024-02-09, 2024-03-10",
      "today,     UTC,             2024-03-10T00:00:00Z, 2024-03-11T00:00:00Z, 2024-03-10, 2024-03-10",
      "yesterday, UTC,             2024-03-09T00:00:00Z, 2024-03-10T00:00:00Z, 2024-03-09, 2024-03-09",
      "this_week, UTC,             2024-03-04T00:00:00Z, 2024-03-11T00:00:00Z, 2024-03-04, 2024-03-10",
      // Toronto: NOW is 08:00 EDT; the 24 hours before it were partly EST
      "last_15m,  America/Toronto, 2024-03-10T11:45:00Z, 2024-03-10T12:00:00Z, 2024-03-10, 2024-03-10",
      "last_1h,   America/Toronto, 2024-03-10T11:00:00Z, 2024-03-10T12:00:00Z, 2024-03-10, 2024-03-10",
      "last_24h,  America/Toronto, 2024-03-09T12:00:00Z, 2024-03-10T12:00:00Z, 2024-03-09, 2024-03-10",
      // 7 calendar days: 2024-03-03 08:00 EST = 13:00Z, so 167 hours
      "last_7d,   America/Toronto, 2024-03-03T13:00:00Z, 2024-03-10T12:00:00Z, 2024-03-03, 2024-03-10",
      "last_30d,  America/Toronto, 2024-02-09T13:00:00Z, 2024-03-10T12:00:00Z, 2024-02-09, 2024-03-10",
      // a 23-hour day: midnight EST to midnight EDT
      "today,     America/Toronto, 2024-03-10T05:00:00Z, 2024-03-11T04:00:00Z, 2024-03-10, 2024-03-10",
      "yesterday, America/Toronto, 2024-03-09T05:00:00Z, 2024-03-10T05:00:00Z, 2024-03-09, 2024-03-09",
      // Sunday: the week began on Monday the 4th
      "this_week, America/Toronto, 2024-03-04T05:00:00Z, 2024-03-11T04:00:00Z, 2024-03-04, 2024-03-10",
  })
  void presetsAreResolvedAtNowInTheZone(String preset, String zone, String tsStart, String tsEnd, String dStart,
      String dEnd) {
    BoundQuery ts = one(TIMESTAMP_RANGE, preset, NOW, ZoneId.of(zone));
    assertThat(ts.bindValues()).containsExactly(tsStart, tsEnd);
    assertThat(ts.values().getJsonObject("p")).isEqualTo(new JsonObject().put("start", tsStart).put("end", tsEnd));
    BoundQuery d = one(DATE_RANGE, preset, NOW, ZoneId.of(zone));
    assertThat(d.bindValues()).containsExactly(dStart, dEnd);
    assertThat(d.values().getJsonObject("p")).isEqualTo(new JsonObject().put("start", dStart).put("end", dEnd));
  }

  @Test
  void presetsOnTheOtherSideOfMidnightAndOnA25HourDay() {
    Instant saturdayEvening = Instant.parse("2024-03-10T03:30:00Z"); // Toronto: Saturday 9th, 22:30 EST
    assertThat(one(TIMESTAMP_RANGE, "today", saturdayEvening, TORONTO).bindValues())
        .containsExactly("2024-03-09T05:00:00Z", "2024-03-10T05:00:00Z");
    assertThat(one(DATE_RANGE, "this_week", saturdayEvening, TORONTO).bindValues())
        .containsExactly("2024-03-04", "2024-03-10");
    assertThat(one(TIMESTAMP_RANGE, "today", saturdayEvening, UTC).bindValues())
        .containsExactly("2024-03-10T00:00:00Z", "2024-03-11T00:00:00Z");

    Instant fallBack = Instant.parse("2024-11-03T18:00:00Z"); // Toronto: Sunday 3rd, 13:00 EST, after 01:00 repeated
    assertThat(one(TIMESTAMP_RANGE, "today", fallBack, TORONTO).bindValues())
        .containsExactly("2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z");
    assertThat(one(TIMESTAMP_RANGE, "last_7d", fallBack, TORONTO).bindValues())
        .containsExactly("2024-10-27T17:00:00Z", "2024-11-03T18:00:00Z"); // 169 hours
    assertThat(one(TIMESTAMP_RANGE, "last_24h", fallBack, TORONTO).bindValues())
        .containsExactly("2024-11-02T18:00:00Z", "2024-11-03T18:00:00Z");

    Instant mondayMidnight = Instant.parse("2024-03-11T04:00:00Z"); // Toronto: Monday 11th, 00:00 EDT
    assertThat(one(TIMESTAMP_RANGE, "this_week", mondayMidnight, TORONTO).bindValues())
        .containsExactly("2024-03-11T04:00:00Z", "2024-03-18T04:00:00Z");
    assertThat(one(DATE_RANGE, "yesterday", mondayMidnight, TORONTO).bindValues())
        .containsExactly("2024-03-10", "2024-03-10");
  }

  @Test
  void nowIsTruncatedToMicroseconds() {
    Instant precise = Instant.parse("2024-03-10T12:00:00.123456789Z");
    assertThat(one(TIMESTAMP_RANGE, "last_15m", precise, UTC).bindValues())
        .containsExactly("2024-03-10T11:45:00.123456Z", "2024-03-10T12:00:00.123456Z");
  }

  // ------------------------------------------------------------------------------------------------ enums

  @Test
  void enumsMustBeAmongTheOptions() {
    assertThat(one(ENUM, "green").bindValues()).containsExactly("green");
    assertThat(one(ENUM, "it's").bindValues()).containsExactly("it's");
    assertThat(refused(ENUM, "Green").reason()).isEqualTo("is not one of the options");
    assertThat(refused(ENUM, "").reason()).isEqualTo("is not one of the options");
    assertThat(refused(ENUM, new JsonArray().add("red")).reason()).isEqualTo("must be a string");
    assertThat(refused(ENUM, 1).reason()).isEqualTo("must be a string");
  }

  @Test
  void multiSelectEnumsBindAListOfDistinctOptions() {
    BoundQuery q = one(MULTI, new JsonArray().add("blue").add("red"));
    assertThat(q.bindValues()).containsExactly(List.of("blue", "red"));
    assertThat(q.values().getJsonArray("p")).isEqualTo(new JsonArray().add("blue").add("red"));
    assertThat(refused(MULTI, new JsonArray()).reason()).isEqualTo("must have at least one value");
    ParameterException twice = refused(MULTI, new JsonArray().add("red").add("red"));
    assertThat(twice.field()).isEqualTo("/params/p/1");
    assertThat(twice.reason()).isEqualTo("is given twice");
    ParameterException unknown = refused(MULTI, new JsonArray().add("red").add("pink"));
    assertThat(unknown.field()).isEqualTo("/params/p/1");
    assertThat(unknown.reason()).isEqualTo("is not one of the options");
    assertThat(refused(MULTI, new JsonArray().add(1)).reason()).isEqualTo("must be a string");
    assertThat(refused(MULTI, "red").reason()).isEqualTo("must be an array of strings (multi-select)");
    BoundQuery any = ParameterBinder.bind(SqlTemplate.parse("SELECT * FROM t WHERE c = ANY({{p}})"),
        List.of(spec(MULTI)), new JsonObject().put("p", new JsonArray().add("red")), NOW, UTC);
    assertThat(any.sql()).isEqualTo("SELECT * FROM t WHERE c = ANY($1::text[])");
  }

  @Test
  void queryEnumsAcceptAnyTextTheApiChecksTheOptions() {
    assertThat(one(QUERY_ENUM, "whatever the other query returned").bindValues())
        .containsExactly("whatever the other query returned");
    assertThat(refused(QUERY_ENUM, "a\u0000").reason()).isEqualTo("must not contain NUL characters");
    assertThat(refused(QUERY_ENUM, 5).reason()).isEqualTo("must be a string");
    String multi = QUERY_ENUM.replace("\"type\"", "\"multi\":true,\"type\"");
    assertThat(one(multi, new JsonArray().add("a").add("b")).bindValues()).containsExactly(List.of("a", "b"));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 1000; i++) {
      tooMany.add("v" + i);
    }
    assertThat(refused(multi, tooMany).reason()).isEqualTo("must have at most 1000 values");
  }
}
