package io.sightline.shared.params;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a saved query, its declared parameters and the values of one run into the statement to execute.
 *
 * <h2>Binding</h2>
 * Each distinct placeholder ({@code {{x}}}, {@code {{r.start}}}, {@code {{r.end}}}) gets one {@code $n}, numbered in
 * order of first appearance and reused at every occurrence; values are never put into the SQL text, so the bound SQL
 * depends only on the SQL and the declarations. Every value is bound as text and cast in the statement
 * ({@link PostgresBinds}): text/enum/query_enum {@code $n::text}, integer {@code $n::text::bigint}, number
 * {@code $n::text::numeric}, boolean {@code $n::text::boolean}, date and date_range parts {@code $n::text::date},
 * timestamp and timestamp_range parts {@code $n::text::timestamptz}, multi-select {@code $n::text[]} (a
 * List&lt;String&gt;, for {@code = ANY({{x}})}). A space is put between the replacement and an adjacent identifier
 * character, so that {@code a{{x}}} cannot turn into the identifier {@code a$1}.
 *
 * <h2>Values</h2>
 * {@code values} maps names to JSON values; a missing or {@code null} value takes the declared default; with neither,
 * a required parameter is an error and an optional one binds SQL NULL. Accepted values:
 * <ul>
 *   <li>text: a string of at most 10,000 characters;
 *   <li>integer: a JSON number without fraction or a string of digits, within the signed 64-bit range (a JSON number
 *       beyond ±2^53 is refused as inexact: send it as a string);
 *   <li>number: a finite JSON number or decimal string ({@code "1.5"}, {@code "-2e3"}), at most 1,000 significant
 *       digits and exponent within ±1,000; bound in plain notation;
 *   <li>boolean: {@code true}/{@code false} (or those strings);
 *   <li>date: {@code yyyy-MM-dd} (years 0001-9999);
 *   <li>timestamp: {@code yyyy-MM-ddTHH:mm[:ss[.fraction]]} with an optional {@code Z} or offset ({@code +02:00});
 *       without one it is a wall-clock time in {@code zone} (in a DST gap it moves forward by the gap; in an
 *       overlap the earlier instant is taken). Bound as the UTC instant ({@code 2024-03-10T07:00:00Z}), truncated
 *       to microseconds as Postgres keeps it;
 *   <li>date_range / timestamp_range: {@code {"start": …, "end": …}} with values as above and start &lt;= end, or a
 *       {@link RangePreset} name (see below);
 *   <li>enum: one of the options; multi-select: a non-empty array of distinct options;
 *   <li>query_enum: any string (multi: a non-empty array of at most 1,000 distinct strings). The options of a
 *       query_enum come from another query's latest result, which this class cannot see: the API checks the value
 *       against that list separately. Binding stays safe either way.
 * </ul>
 * No text value (text, enum, query_enum) may contain NUL or an unpaired surrogate. {@code min}/{@code max} apply to
 * integer and number values and to dates and timestamps, including both ends of a range (checked after relative
 * ranges are resolved).
 *
 * <h2>Ranges</h2>
 * A <b>timestamp_range</b> is half-open, {@code [start, end)}: write {@code ts >= {{r.start}} AND ts < {{r.end}}}.
 * A <b>date_range</b> is inclusive, {@code [start, end]}: write {@code d BETWEEN {{r.start}} AND {{r.end}}}. An
 * explicit {@code {"start", "end"}} is bound as given. Presets are evaluated at {@code now} in {@code zone} (the
 * org's time zone):
 * <table>
 *   <caption>Relative ranges</caption>
 *   <tr><th>preset</th><th>timestamp_range [start, end)</th><th>date_range [start, end]</th></tr>
 *   <tr><td>last_15m, last_1h, last_24h</td><td>[now − 15 min / 1 h / 24 h, now)</td>
 *       <td>[date of the start, today]</td></tr>
 *   <tr><td>last_7d, last_30d</td><td>[same wall-clock time 7 / 30 calendar days ago, now) (across a DST change
 *       that is an hour more or less than 7 × 24 h)</td><td>[today − 7 / 30 days, today]</td></tr>
 *   <tr><td>today</td><td>[today 00:00, tomorrow 00:00)</td><td>[today, today]</td></tr>
 *   <tr><td>yesterday</td><td>[yesterday 00:00, today 00:00)</td><td>[yesterday, yesterday]</td></tr>
 *   <tr><td>this_week</td><td>[Monday 00:00, next Monday 00:00)</td><td>[Monday, Sunday]</td></tr>
 * </table>
 * "00:00" is the start of that day in {@code zone} (the first instant of the day where midnight falls in a DST gap);
 * a date_range preset covers exactly the dates its timestamp_range counterpart touches.
 *
 * <h2>Errors</h2>
 * {@link ParameterException} naming the parameter, checked in this order: malformed placeholders and placeholders
 * without a declaration or used with the wrong part (field {@code /sql}); value names that are not declared
 * ({@code /params/<name>}); then each declared parameter in order: missing required value, wrong type, out of range,
 * not among the options ({@code /params/<name>}, {@code /params/<name>/start}, {@code /params/<name>/2}).
 */
public final class ParameterBinder {
  private ParameterBinder() {}

  /**
   * Validates {@code values} against {@code specs} and binds {@code template}.
   *
   * @param values name → JSON value; {@code null} counts as empty
   * @param now the instant relative ranges are evaluated at
   * @param zone the org's time zone (relative ranges, timestamps without offset)
   * @throws ParameterException for a missing required value, a wrong type, a value out of range or not among the
   *     options, a value for an undeclared name, or a placeholder that cannot be bound
   */
  public static BoundQuery bind(SqlTemplate template, List<ParameterSpec> specs, JsonObject values, Instant now,
      ZoneId zone) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(specs, "specs");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(zone, "zone");
    JsonObject given = values == null ? new JsonObject() : values;

    Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      if (byName.putIfAbsent(spec.name(), spec) != null) {
        throw new ParameterException(spec.name(), "/params", "is declared twice");
      }
    }
    if (!template.malformed().isEmpty()) {
      SqlTemplate.Malformed m = template.malformed().get(0);
      throw new ParameterException(m.text(), "/sql", "{{" + m.text() + "}} is not a valid placeholder: " + m.reason());
    }
    for (SqlTemplate.Placeholder p : template.placeholders()) {
      String problem = ParameterCheck.placeholderProblem(p, byName.get(p.name()));
      if (problem != null) {
        throw new ParameterException(p.name(), "/sql", problem);
      }
    }
    for (String key : given.fieldNames()) {
      if (!byName.containsKey(key)) {
        throw new ParameterException(key, field(key), "is not a parameter of this query");
      }
    }

    Map<String, Object> typed = new HashMap<>();
    JsonObject used = new JsonObject();
    for (ParameterSpec spec : byName.values()) {
      String field = field(spec.name());
      Object raw = given.getValue(spec.name());
      if (raw == null) {
        raw = spec.defaultValue();
      }
      Object value = null;
      if (raw != null) {
        value = ParamValues.parse(spec, raw, field, zone, now);
      } else if (spec.required()) {
        throw new ParameterException(spec.name(), field, "is required");
      }
      typed.put(spec.name(), value);
      used.put(spec.name(), ParamValues.json(value));
    }

    String sql = template.sql();
    StringBuilder out = new StringBuilder(sql.length() + 16 * template.placeholders().size());
    Map<String, Integer> numbers = new HashMap<>();
    List<Object> binds = new ArrayList<>();
    int pos = 0;
    for (SqlTemplate.Placeholder p : template.placeholders()) {
      out.append(sql, pos, p.start());
      Integer n = numbers.get(p.key());
      if (n == null) {
        n = binds.size() + 1;
        numbers.put(p.key(), n);
        binds.add(ParamValues.bindText(typed.get(p.name()), p.part()));
      }
      ParameterSpec spec = byName.get(p.name());
      if (out.length() > 0 && PostgresBinds.needsSpace(out.charAt(out.length() - 1))) {
        out.append(' ');
      }
      out.append(PostgresBinds.placeholder(n, spec.type(), spec.multi()));
      pos = p.end();
      if (pos < sql.length() && PostgresBinds.needsSpace(sql.charAt(pos))) {
        out.append(' ');
      }
    }
    out.append(sql, pos, sql.length());
    return new BoundQuery(out.toString(), Collections.unmodifiableList(binds), used);
  }

  private static String field(String name) {
    return "/params/" + ParameterException.pointerToken(name);
  }
}
