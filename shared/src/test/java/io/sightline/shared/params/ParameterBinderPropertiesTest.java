package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sightline.shared.params.SqlTemplatePropertiesTest.Fragment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random statements (the scanner property's fragments, with placeholders of declared parameters) bound with random,
 * often hostile, values: the statement is exactly the SQL with each placeholder replaced by its typed {@code $n}, the
 * same whatever the values, and the values only travel as binds.
 */
class ParameterBinderPropertiesTest {
  static final List<ParameterSpec> SPECS = ParameterCheck.parseAll(new JsonArray("""
      [{"name": "a", "type": "text"},
       {"name": "b", "type": "integer"},
       {"name": "x", "type": "query_enum", "optionsQueryId": "7d0c2f0e-4f7a-4a5e-9a57-1c2b3d4e5f60",
        "optionsColumn": "c", "multi": true},
       {"name": "Y", "type": "boolean", "default": false},
       {"name": "range_1", "type": "date_range", "default": "this_week"},
       {"name": "_z", "type": "timestamp_range", "default": "last_24h"}]
      """));
  static final Map<String, String> CAST = Map.of("a", "::text", "b", "::text::bigint", "x", "::text[]",
      "Y", "::text::boolean", "range_1", "::text::date", "_z", "::text::timestamptz");

  @Provide
  Arbitrary<List<Fragment>> statements() {
    Arbitrary<Fragment> declared = Combinators.combine(Arbitraries.of("a", "b", "x", "Y", "range_1", "_z"),
        Arbitraries.of("start", "end"), Arbitraries.of("", " "))
        .as((name, part, space) -> {
          String p = name.equals("range_1") || name.equals("_z") ? part : null;
          return new Fragment("{{" + space + name + (p == null ? "" : "." + p) + space + "}}", name, p);
        });
    return Arbitraries.oneOf(SqlTemplatePropertiesTest.nonPlaceholder(), declared).list().ofMaxSize(20);
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("'\"\\$-*/{}\n\r;‘’“”ʼ ab").ofMaxLength(30),
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.of("'; drop table x; --", "$$", "$tag$", "*/", "{{a}}", "{{b}}", "\\'", "E'\\''"));
  }

  @Property(tries = 1000)
  void theStatementIsTheSqlWithTypedBindsWhateverTheValues(@ForAll("statements") List<Fragment> fragments,
      @ForAll("hostile") String text, @ForAll("hostile") String option, @ForAll long number, @ForAll boolean flag) {
    StringBuilder sql = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    Map<String, Integer> numbers = new HashMap<>();
    for (Fragment f : fragments) {
      if (sql.length() > 0) {
        sql.append(' ');
        expected.append(' ');
      }
      sql.append(f.text());
      if (f.name() == null) {
        expected.append(f.text());
      } else {
        String key = f.part() == null ? f.name() : f.name() + "." + f.part();
        int n = numbers.computeIfAbsent(key, k -> numbers.size() + 1);
        expected.append('$').append(n).append(CAST.get(f.name()));
      }
    }
    SqlTemplate template = SqlTemplate.parse(sql.toString());
    Instant now = Instant.parse("2024-03-10T12:00:00Z");
    ZoneId zone = ZoneId.of("America/Toronto");
    JsonObject harmless = new JsonObject().put("a", "hello").put("b", 1).put("x", new JsonArray().add("o"));
    JsonObject values = new JsonObject().put("a", text).put("b", number).put("Y", flag)
        .put("x", new JsonArray().add(option)).put("range_1", new JsonObject().put("start", "2024-01-01")
            .put("end", "2024-02-01"));

    BoundQuery reference = ParameterBinder.bind(template, SPECS, harmless, now, zone);
    assertThat(reference.sql()).isEqualTo(expected.toString());
    assertThat(reference.bindValues()).hasSize(numbers.size());

    boolean acceptable = ok(text) && ok(option);
    Statistics.label("values").collect(acceptable ? "bound" : "refused");
    if (!acceptable) {
      ParameterException e = catchThrowableOfType(ParameterException.class,
          () -> ParameterBinder.bind(template, SPECS, values, now, zone));
      assertThat(e).isNotNull();
      assertThat(e.parameter()).isIn("a", "x");
      return;
    }
    BoundQuery q = ParameterBinder.bind(template, SPECS, values, now, zone);
    assertThat(q.sql()).isEqualTo(reference.sql());
    assertThat(q.values().getString("a")).isEqualTo(text);
    assertThat(q.values().getLong("b")).isEqualTo(number);
    if (numbers.containsKey("a")) {
      assertThat(q.bindValues().get(numbers.get("a") - 1)).isEqualTo(text);
    }
    if (numbers.containsKey("x")) {
      assertThat(q.bindValues().get(numbers.get("x") - 1)).isEqualTo(List.of(option));
    }
    if (numbers.containsKey("b")) {
      assertThat(q.bindValues().get(numbers.get("b") - 1)).isEqualTo(Long.toString(number));
    }
  }

  private static boolean ok(String s) {
    if (s.indexOf('\0') >= 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
