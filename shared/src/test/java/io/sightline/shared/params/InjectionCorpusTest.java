package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classic injection payloads as the value of every parameter type: each bind either is refused with a
 * ParameterException naming the parameter, or produces exactly the statement text a harmless value produces, with the
 * payload only among the bind values. Nothing else is ever thrown.
 */
class InjectionCorpusTest {
  static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");
  static final ZoneId ZONE = ZoneId.of("America/Toronto");

  static final String LONG = "x".repeat(10_001);

  static final List<Object> STRINGS = List.of(
      "'", "''", "\"", "`", "'; drop table x; --", "'; DROP TABLE users; --", "1; DROP TABLE x", "1 OR 1=1",
      "' OR '1'='1", "') OR ('1'='1", "\" OR \"\"=\"", "*/", "/*", "*/ drop table x; /*", "--", "-- \n", "#", ";",
      "‘", "’", "“", "”", "ʼ", "‘; drop table x; --", "’ OR ’1’=’1", "＇", "\\", "\\'", "\\\\'", "E'\\''",
      "U&'\\0027'", "$$", "$$; drop table x; $$", "$tag$", "$tag$; drop table x; $tag$", "$1", "$2::text", "::text",
      LONG, "x".repeat(10_000), "a\u0000b", "\u0000", "\n", "a\nb", "\r\n--", "\u2028", "{{other}}", "{{p}}",
      "{{ p.start }}", "2024-01-01'; drop table x; --", "2024-01-01T00:00:00Z'--", "2024-01-01\n",
      "2024-01-01 --", "1'", "1--", "1/*", "true'", "true; drop table x", "1e999999", "NaN", "Infinity",
      "-9223372036854775809", "9223372036854775808", "", " ", "\t", "\ud800", "\uFEFF1", "１", "today'--",
      "last_24h; drop table x", "red'--", "red", "42", "1.5", "true", "2024-01-01", "2024-01-01T00:00:00Z",
      "last_24h");

  static final List<Object> OTHERS = Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Long.MIN_VALUE,
      new BigInteger("1" + "0".repeat(100)), new BigDecimal("1e-999999"), new BigDecimal("1e+999999"), true,
      new JsonObject().put("start", "'"), new JsonArray().add("'"), new JsonArray(), new JsonObject());

  /** Enum options that are themselves hostile: binding them must be just as inert. */
  static final JsonArray OPTIONS = new JsonArray().add("red").add("'; drop table x; --").add("‘’“”ʼ").add("$$")
      .add("{{other}}").add("a\nb").add("*/").add("\\'");

  record Case(String type, JsonObject spec, String sql, Object harmless, Function<Object, List<Object>> wrap) {
    @Override
    public String toString() {
      return type;
    }
  }

  static final String SCALAR_SQL = "SELECT * FROM t WHERE c = {{p}} AND d = {{other}} -- {{p}}\n"
      + "AND e = '{{p}}' AND f = {{ p }} /* {{p}} */";
  static final String RANGE_SQL = "SELECT * FROM t WHERE c >= {{p.start}} AND c < {{p.end}} AND d = {{other}} "
      + "AND e = $${{p.start}}$$";
  static final String MULTI_SQL = "SELECT * FROM t WHERE c = ANY({{p}}) AND d = {{other}} AND \"{{p}}\" = 1";

  static Stream<Arguments> cases() {
    Function<Object, List<Object>> scalar = List::of;
    Function<Object, List<Object>> range = v -> List.of(v, new JsonObject().put("start", v).put("end", v),
        new JsonObject().put("start", "2024-01-01").put("end", v), new JsonObject().put("start", v));
    Function<Object, List<Object>> timestampRange = v -> List.of(v, new JsonObject().put("start", v).put("end", v),
        new JsonObject().put("start", "2024-01-01T00:00:00Z").put("end", v));
    Function<Object, List<Object>> multi = v -> List.of(new JsonArray().add(v), new JsonArray().add("red").add(v), v);
    JsonObject queryEnum = spec("query_enum").put("optionsQueryId", "7d0c2f0e-4f7a-4a5e-9a57-1c2b3d4e5f60")
        .put("optionsColumn", "name");
    return Stream.of(
        new Case("text", spec("text"), SCALAR_SQL, "hello", scalar),
        new Case("integer", spec("integer"), SCALAR_SQL, 42, scalar),
        new Case("number", spec("number"), SCALAR_SQL, 1.5, scalar),
        new Case("boolean", spec("boolean"), SCALAR_SQL, true, scalar),
        new Case("date", spec("date"), SCALAR_SQL, "2024-01-01", scalar),
        new Case("timestamp", spec("timestamp"), SCALAR_SQL, "2024-01-01T00:00:00Z", scalar),
        new Case("date_range", spec("date_range"), RANGE_SQL, "last_7d", range),
        new Case("timestamp_range", spec("timestamp_range"), RANGE_SQL, "last_7d", timestampRange),
        new Case("enum", spec("enum").put("options", OPTIONS), SCALAR_SQL, "red", scalar),
        new Case("enum multi", spec("enum").put("options", OPTIONS).put("multi", true), MULTI_SQL,
            new JsonArray().add("red"), multi),
        new Case("query_enum", queryEnum, SCALAR_SQL, "red", scalar),
        new Case("query_enum multi", queryEnum.copy().put("multi", true), MULTI_SQL, new JsonArray().add("red"),
            multi)).map(Arguments::of);
  }

  static JsonObject spec(String type) {
    return new JsonObject().put("name", "p").put("type", type);
  }

  static BoundQuery bind(Case c, Object value) {
    List<ParameterSpec> specs = ParameterCheck.parseAll(new JsonArray().add(c.spec())
        .add(new JsonObject().put("name", "other").put("type", "text")));
    return ParameterBinder.bind(SqlTemplate.parse(c.sql()), specs,
        new JsonObject().put("p", value).put("other", "o"), NOW, ZONE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPayloadIsRefusedOrBoundWithoutChangingTheStatement(Case c) {
    BoundQuery harmless = bind(c, c.harmless());
    assertThat(harmless.sql()).startsWith("SELECT * FROM t WHERE c ").contains("$1::").doesNotContain("hello")
        .doesNotContain("{{other}}");
    int accepted = 0;
    int refused = 0;
    List<Object> payloads = new ArrayList<>(STRINGS);
    payloads.addAll(OTHERS);
    for (Object payload : payloads) {
      for (Object value : c.wrap().apply(payload)) {
        BoundQuery q;
        try {
          q = bind(c, value);
        } catch (ParameterException e) {
          refused++;
          assertThat(e.parameter()).isEqualTo("p");
          assertThat(e.field()).startsWith("/params/p");
          if (payload instanceof String s && s.length() >= 5) {
            assertThat(e.getMessage()).as("the refusal does not echo the value").doesNotContain(s);
          }
          continue;
        } catch (RuntimeException e) {
          throw new AssertionError(c + " with " + describe(value) + " threw " + e, e);
        }
        accepted++;
        assertThat(q.sql()).as("%s with %s", c, describe(value)).isEqualTo(harmless.sql());
        assertThat(q.bindValues()).hasSameSizeAs(harmless.bindValues());
        if (payload instanceof String s && !s.isEmpty() && !harmless.sql().contains(s)) {
          assertThat(q.sql()).doesNotContain(s);
        }
        assertThat(q.bindValues().get(q.bindValues().size() - 1)).isEqualTo("o");
      }
    }
    assertThat(accepted + refused).isGreaterThan(STRINGS.size());
    assertThat(refused).as("%s refuses something", c).isPositive();
    assertThat(accepted).as("%s binds something (the corpus has a valid value of every type)", c).isPositive();
  }

  @Test
  void textTypesBindHostileTextLiterallyAndRefuseOnlyWhatPostgresCouldNotTake() {
    Case text = (Case) cases().findFirst().orElseThrow().get()[0];
    for (Object payload : STRINGS) {
      String s = (String) payload;
      boolean refusable = s.length() > 10_000 || s.indexOf('\0') >= 0 || s.equals("\ud800");
      if (refusable) {
        ParameterException e = catchThrowableOfType(ParameterException.class,
            () -> bind(text, s));
        assertThat(e).as(describe(s)).isNotNull();
      } else {
        BoundQuery q = bind(text, s);
        assertThat(q.bindValues().get(0)).isEqualTo(s);
        assertThat(q.values().getString("p")).isEqualTo(s);
      }
    }
  }

  @Test
  void hostileEnumOptionsAreBoundLiterally() {
    Case enumCase = cases().map(a -> (Case) a.get()[0]).filter(c -> c.type().equals("enum")).findFirst()
        .orElseThrow();
    BoundQuery harmless = bind(enumCase, "red");
    for (int i = 0; i < OPTIONS.size(); i++) {
      BoundQuery q = bind(enumCase, OPTIONS.getString(i));
      assertThat(q.sql()).isEqualTo(harmless.sql());
      assertThat(q.bindValues().get(0)).isEqualTo(OPTIONS.getString(i));
    }
  }

  private static String describe(Object value) {
    String s = String.valueOf(value);
    return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + " chars)" : s;
  }
}
