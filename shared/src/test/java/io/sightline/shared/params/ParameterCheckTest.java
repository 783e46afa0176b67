package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Declarations against placeholders (warnings on save) and validation of a params array (errors with paths). */
class ParameterCheckTest {

  static List<ParameterSpec> parse(String json) {
    return ParameterCheck.parseAll(new JsonArray(json));
  }

  static ParameterException error(String json) {
    ParameterException e = catchThrowableOfType(ParameterException.class, () -> parse(json));
    assertThat(e).as(json).isNotNull();
    return e;
  }

  // ------------------------------------------------------------------------------------------------ warnings

  @Test
  void aConsistentQueryHasNoWarnings() {
    List<ParameterSpec> specs = parse("""
        [{"name": "from", "type": "date_range"}, {"name": "status", "type": "enum", "options": ["a"], "multi": true},
         {"name": "n", "type": "integer"}]""");
    SqlTemplate t = SqlTemplate.parse("SELECT * FROM t WHERE d BETWEEN {{from.start}} AND {{from.end}} "
        + "AND s = ANY({{status}}) LIMIT {{n}} -- {{ignored}}");
    assertThat(ParameterCheck.check(t, specs)).isEmpty();
  }

  @Test
  void warnsAboutUndeclaredPlaceholdersAndUnusedDeclarations() {
    List<ParameterSpec> specs = parse("""
        [{"name": "used", "type": "text"}, {"name": "unused", "type": "text"},
         {"name": "span", "type": "timestamp_range"}]""");
    SqlTemplate t = SqlTemplate.parse("SELECT {{used}}, {{ghost}}, {{ghost}}, '{{unused}}'");
    assertThat(ParameterCheck.check(t, specs)).containsExactly(
        new Warning("ghost", "{{ghost}} is used in the SQL but no parameter 'ghost' is declared"),
        new Warning("unused", "is declared but the SQL never uses {{unused}}"),
        new Warning("span", "is declared but the SQL never uses {{span.start}} or {{span.end}}"));
  }

  @Test
  void warnsAboutPartsOnNonRangesBareRangesAndMalformedPlaceholders() {
    List<ParameterSpec> specs = parse("""
        [{"name": "d", "type": "date"}, {"name": "r", "type": "date_range"}]""");
    SqlTemplate t = SqlTemplate.parse("SELECT {{d.start}}, {{bad.middle}}, {{r}}, {{r.end}}, {{9}}");
    List<Warning> warnings = ParameterCheck.check(t, specs);
    assertThat(warnings).extracting(Warning::parameter).containsExactly("d", "bad.middle", "r", "9");
    assertThat(warnings.get(0).message()).isEqualTo(
        "{{d.start}}: only date_range and timestamp_range parameters have .start; use {{d}} for a date parameter");
    assertThat(warnings.get(1).message()).startsWith("{{bad.middle}} is not a valid placeholder");
    assertThat(warnings.get(2).message()).isEqualTo("{{r}} is a date_range; use {{r.start}} and {{r.end}}");
  }

  // ------------------------------------------------------------------------------------------------ parseAll

  @Test
  void parsesEveryKindOfDeclarationAndRoundTrips() {
    String json = """
        [{"name": "t", "label": "Text", "type": "text", "required": true, "default": "x"},
         {"name": "i", "type": "integer", "min": -5, "max": 5, "default": 0},
         {"name": "n", "type": "number", "min": 0.5, "max": 1e3},
         {"name": "b", "type": "boolean", "default": false},
         {"name": "d", "type": "date", "min": "2020-01-01", "max": "2030-12-31", "default": "2024-02-29"},
         {"name": "ts", "type": "timestamp", "min": "2020-01-01T00:00:00Z", "default": "2024-01-01T08:00"},
         {"name": "dr", "type": "date_range", "default": {"start": "2024-01-01", "end": "2024-01-31"}},
         {"name": "tr", "type": "timestamp_range", "required": true, "default": "last_24h"},
         {"name": "e", "type": "enum", "options": ["a", "b"], "default": "a"},
         {"name": "m", "type": "enum", "options": ["a", "b"], "multi": true, "default": ["b"]},
         {"name": "q", "type": "query_enum", "optionsQueryId": "7d0c2f0e-4f7a-4a5e-9a57-1c2b3d4e5f60",
          "optionsColumn": "name", "multi": true}]""";
    List<ParameterSpec> specs = parse(json);
    assertThat(specs).extracting(ParameterSpec::type).containsExactly(ParamType.TEXT, ParamType.INTEGER,
        ParamType.NUMBER, ParamType.BOOLEAN, ParamType.DATE, ParamType.TIMESTAMP, ParamType.DATE_RANGE,
        ParamType.TIMESTAMP_RANGE, ParamType.ENUM, ParamType.ENUM, ParamType.QUERY_ENUM);
    assertThat(specs.get(0).label()).isEqualTo("Text");
    assertThat(specs.get(0).required()).isTrue();
    assertThat(specs.get(1).min()).isEqualTo(-5L);
    assertThat(specs.get(2).max()).isEqualTo(new BigDecimal("1000.0"));
    assertThat(specs.get(4).earliest()).isEqualTo("2020-01-01");
    assertThat(specs.get(4).latest()).isEqualTo("2030-12-31");
    assertThat(specs.get(4).min()).isNull();
    assertThat(specs.get(8).options()).containsExactly("a", "b");
    assertThat(specs.get(9).multi()).isTrue();
    assertThat(specs.get(9).defaultValue()).isEqualTo(new JsonArray().add("b"));
    assertThat(specs.get(10).optionsColumn()).isEqualTo("name");
    assertThat(specs.get(1).options()).isEmpty();

    JsonArray written = ParameterCheck.toJson(specs);
    assertThat(ParameterCheck.parseAll(written)).isEqualTo(specs);
    assertThat(ParameterCheck.parseAll(new JsonArray(written.encode()))).isEqualTo(specs);
    assertThat(written.getJsonObject(4).getString("min")).isEqualTo("2020-01-01");
    assertThat(written.getJsonObject(3).fieldNames()).containsExactly("name", "type", "required", "default");
    assertThat(ParameterCheck.parseAll(null)).isEmpty();
  }

  @Test
  void theElevenArgumentConstructorIsTheDeclarationWithoutDateBounds() {
    ParameterSpec spec = new ParameterSpec("n", null, ParamType.INTEGER, false, 3, 1, 10, null, false, null, null);
    assertThat(spec.min()).isEqualTo(1L);
    assertThat(spec.options()).isEmpty();
    assertThat(spec.earliest()).isNull();
    assertThat(spec.toJson()).isEqualTo(new JsonObject().put("name", "n").put("type", "integer").put("required", false)
        .put("default", 3).put("min", 1L).put("max", 10L));
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> new ParameterSpec("n", null, ParamType.INTEGER, false, 30, 1, 10, null, false, null, null));
    assertThat(e.field()).isEqualTo("/default");
    assertThat(e.reason()).isEqualTo("must be at most 10");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      [{"name": "a", "type": "text"}, {"name": "b", "type": "text"}, {"type": "text"}] | /params/2/name | is required
      [{"name": "a", "type": "text"}, {"name": "1a", "type": "text"}] | /params/1/name | must start with a letter
      [{"name": "a-b", "type": "text"}] | /params/0/name | must start with a letter
      [{"name": 5, "type": "text"}] | /params/0/name | must be a string
      [{"name": "a", "type": "text"}, {"name": "a", "type": "integer"}] | /params/1/name | is declared twice
      [{"name": "a"}] | /params/0/type | is required
      [{"name": "a", "type": "text"}, {"name": "b", "type": "string"}] | /params/1/type | must be one of text, integer, number, boolean, date, timestamp, date_range, timestamp_range, enum, query_enum
      [{"name": "a", "type": "TEXT"}] | /params/0/type | must be one of
      [{"name": "a", "type": "text", "requird": true}] | /params/0/requird | is not a parameter field
      [{"name": "a", "type": "text", "required": "yes"}] | /params/0/required | must be true or false
      [{"name": "a", "type": "text", "label": 5}] | /params/0/label | must be a string
      [{"name": "a", "type": "integer", "min": 5, "max": 1}] | /params/0/max | must not be less than min
      [{"name": "a", "type": "integer", "min": 0.5}] | /params/0/min | must be a whole number
      [{"name": "a", "type": "integer", "max": "10"}] | /params/0/max | must be a number
      [{"name": "a", "type": "number", "min": 2.5, "max": 2.4}] | /params/0/max | must not be less than min
      [{"name": "a", "type": "text", "min": 1}] | /params/0/min | does not apply to text parameters
      [{"name": "a", "type": "date", "min": 20200101}] | /params/0/min | must be a date (yyyy-MM-dd)
      [{"name": "a", "type": "date", "min": "2020-13-01"}] | /params/0/min | is not a valid date
      [{"name": "a", "type": "date_range", "min": "2021-01-01", "max": "2020-01-01"}] | /params/0/max | must not be before min
      [{"name": "a", "type": "timestamp", "max": "tomorrow"}] | /params/0/max | must be an ISO-8601 timestamp
      [{"name": "a", "type": "integer", "min": 1, "max": 10, "default": 11}] | /params/0/default | must be at most 10
      [{"name": "a", "type": "integer", "default": "ten"}] | /params/0/default | must be an integer
      [{"name": "a", "type": "date", "min": "2020-01-01", "default": "2019-12-31"}] | /params/0/default | must not be before 2020-01-01
      [{"name": "a", "type": "date_range", "default": "last_week"}] | /params/0/default | must be {"start"
      [{"name": "a", "type": "date_range", "default": {"start": "2024-02-01", "end": "2024-01-01"}}] | /params/0/default | start must not be after end
      [{"name": "a", "type": "timestamp_range", "default": {"start": "2024-02-01T00:00:00Z"}}] | /params/0/default/end | is required
      [{"name": "a", "type": "enum"}] | /params/0/options | an enum parameter needs at least one option
      [{"name": "a", "type": "enum", "options": []}] | /params/0/options | an enum parameter needs at least one option
      [{"name": "a", "type": "enum", "options": "a,b"}] | /params/0/options | must be an array of strings
      [{"name": "a", "type": "enum", "options": ["a", 2]}] | /params/0/options/1 | must be a string
      [{"name": "a", "type": "enum", "options": ["a", "b", "a"]}] | /params/0/options/2 | is listed twice
      [{"name": "a", "type": "enum", "options": ["a"], "default": "b"}] | /params/0/default | is not one of the options
      [{"name": "a", "type": "enum", "options": ["a"], "multi": true, "default": "a"}] | /params/0/default | must be an array of strings
      [{"name": "a", "type": "enum", "options": ["a", "b"], "multi": true, "default": ["a", "c"]}] | /params/0/default/1 | is not one of the options
      [{"name": "a", "type": "text", "options": ["a"]}] | /params/0/options | only enum parameters have options
      [{"name": "a", "type": "text", "multi": true}] | /params/0/multi | only enum and query_enum parameters can be multi-select
      [{"name": "a", "type": "query_enum", "optionsColumn": "c"}] | /params/0/optionsQueryId | is required for a query_enum parameter
      [{"name": "a", "type": "query_enum", "optionsQueryId": "42", "optionsColumn": "c"}] | /params/0/optionsQueryId | must be a saved query's id (a UUID)
      [{"name": "a", "type": "query_enum", "optionsQueryId": "7d0c2f0e-4f7a-4a5e-9a57-1c2b3d4e5f60"}] | /params/0/optionsColumn | is required for a query_enum parameter
      [{"name": "a", "type": "text", "optionsColumn": "c"}] | /params/0/optionsColumn | only query_enum parameters take their options from a query
      [{"name": "a", "type": "boolean", "default": "yes"}] | /params/0/default | must be true or false
      [{"name": "a", "type": "text", "default": "a\\u0000"}] | /params/0/default | must not contain NUL characters
      ["a"] | /params/0 | must be an object
      """)
  void parseAllNamesTheFieldOfEveryProblem(String json, String field, String reason) {
    ParameterException e = error(json);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.reason()).startsWith(reason);
  }

  @Test
  void errorsNameTheParameterWhenItHasOne() {
    ParameterException e = error("[{\"name\": \"limit\", \"type\": \"integer\", \"min\": 10, \"max\": 1}]");
    assertThat(e.parameter()).isEqualTo("limit");
    assertThat(e.getMessage()).isEqualTo("parameter 'limit': must not be less than min");
    ParameterException unnamed = error("[{\"type\": \"integer\"}]");
    assertThat(unnamed.parameter()).isNull();
    assertThat(unnamed.getMessage()).isEqualTo("/params/0/name: is required");
  }

  @Test
  void atMostOneHundredParameters() {
    JsonArray many = new JsonArray();
    for (int i = 0; i <= ParameterCheck.MAX_PARAMS; i++) {
      many.add(new JsonObject().put("name", "p" + i).put("type", "text"));
    }
    ParameterException e = catchThrowableOfType(ParameterException.class, () -> ParameterCheck.parseAll(many));
    assertThat(e.field()).isEqualTo("/params");
    many.remove(0);
    assertThat(ParameterCheck.parseAll(many)).hasSize(100);
  }

  @Test
  void fromJsonAloneGivesPathsRelativeToTheDeclaration() {
    ParameterException e = catchThrowableOfType(ParameterException.class,
        () -> ParameterSpec.fromJson(new JsonObject().put("name", "x").put("type", "nope")));
    assertThat(e.field()).isEqualTo("/type");
    assertThat(e.parameter()).isEqualTo("x");
  }

  @Test
  void wireNamesAreLowerSnake() {
    assertThat(ParamType.DATE_RANGE.wireName()).isEqualTo("date_range");
    assertThat(ParamType.fromWireName("query_enum")).isEqualTo(ParamType.QUERY_ENUM);
    assertThat(ParamType.fromWireName("Date")).isNull();
    assertThat(RangePreset.fromWireName("this_week")).isEqualTo(RangePreset.THIS_WEEK);
    assertThat(RangePreset.LAST_15M.wireName()).isEqualTo("last_15m");
  }
}
