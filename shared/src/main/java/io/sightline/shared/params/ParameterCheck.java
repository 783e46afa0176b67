package io.sightline.shared.params;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Declared parameters against a query's placeholders, and validation of a whole params array. */
public final class ParameterCheck {
  /** At most this many parameters per query. */
  public static final int MAX_PARAMS = 100;

  private ParameterCheck() {}

  /**
   * What to warn about when a query is saved (in order of appearance, then of declaration): placeholders without a
   * declaration, malformed placeholders, declarations the SQL never uses, {@code {{x.start}}} / {@code {{x.end}}} on a
   * parameter that is not a range, a range used bare as {@code {{x}}}. At run time the first four of these that
   * concern placeholders are errors ({@link ParameterBinder#bind}); an unused declaration is not.
   */
  public static List<Warning> check(SqlTemplate template, List<ParameterSpec> specs) {
    Map<String, ParameterSpec> byName = new HashMap<>();
    for (ParameterSpec spec : specs) {
      byName.putIfAbsent(spec.name(), spec);
    }
    Set<Warning> warnings = new LinkedHashSet<>();
    int next = 0;
    List<SqlTemplate.Malformed> malformed = template.malformed();
    for (SqlTemplate.Placeholder p : template.placeholders()) {
      while (next < malformed.size() && malformed.get(next).start() < p.start()) {
        warnings.add(malformed(malformed.get(next++)));
      }
      String problem = placeholderProblem(p, byName.get(p.name()));
      if (problem != null) {
        warnings.add(new Warning(p.name(), problem));
      }
    }
    while (next < malformed.size()) {
      warnings.add(malformed(malformed.get(next++)));
    }
    Set<String> used = template.names();
    for (ParameterSpec spec : specs) {
      if (!used.contains(spec.name())) {
        warnings.add(new Warning(spec.name(), "is declared but the SQL never uses {{" + spec.name()
            + (spec.type().isRange() ? ".start}} or {{" + spec.name() + ".end}}" : "}}")));
      }
    }
    return List.copyOf(warnings);
  }

  private static Warning malformed(SqlTemplate.Malformed m) {
    return new Warning(m.text(), "{{" + m.text() + "}} is not a valid placeholder: " + m.reason());
  }

  /** Why a placeholder cannot be bound with this declaration ({@code null}: it can). */
  static String placeholderProblem(SqlTemplate.Placeholder p, ParameterSpec spec) {
    if (spec == null) {
      return "{{" + p.key() + "}} is used in the SQL but no parameter '" + p.name() + "' is declared";
    }
    if (p.part() != null && !spec.type().isRange()) {
      return "{{" + p.key() + "}}: only date_range and timestamp_range parameters have ." + p.part()
          + "; use {{" + p.name() + "}} for a " + spec.type().wireName() + " parameter";
    }
    if (p.part() == null && spec.type().isRange()) {
      return "{{" + p.name() + "}} is a " + spec.type().wireName() + "; use {{" + p.name() + ".start}} and {{"
          + p.name() + ".end}}";
    }
    return null;
  }

  /**
   * Validates a whole params array ({@code null} counts as empty): every element a valid declaration
   * ({@link ParameterSpec#fromJson}), names unique, at most {@link #MAX_PARAMS}. Errors carry the field's JSON pointer,
   * e.g. {@code /params/2/type}.
   */
  public static List<ParameterSpec> parseAll(JsonArray params) {
    return parseAll(params, "/params");
  }

  /** As {@link #parseAll(JsonArray)}, for declarations found at {@code field} of a request (errors point there). */
  public static List<ParameterSpec> parseAll(JsonArray params, String field) {
    if (params == null) {
      return List.of();
    }
    if (params.size() > MAX_PARAMS) {
      throw new ParameterException(null, field, "at most " + MAX_PARAMS + " parameters");
    }
    List<ParameterSpec> specs = new ArrayList<>(params.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < params.size(); i++) {
      String pointer = field + "/" + i;
      if (!(params.getValue(i) instanceof JsonObject json)) {
        throw new ParameterException(null, pointer, "must be an object");
      }
      ParameterSpec spec = ParameterSpec.fromJson(json, pointer);
      if (!names.add(spec.name())) {
        throw new ParameterException(spec.name(), pointer + "/name", "is declared twice");
      }
      specs.add(spec);
    }
    return List.copyOf(specs);
  }

  /** The params array of a list of declarations (what {@link #parseAll} reads back). */
  public static JsonArray toJson(List<ParameterSpec> specs) {
    JsonArray array = new JsonArray();
    for (ParameterSpec spec : specs) {
      array.add(spec.toJson());
    }
    return array;
  }
}
