package io.sightline.api.visualizations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app's config types (webapp/src/viz/types.ts) and the server's JSON Schemas (viz/&lt;kind&gt;.schema.json)
 * name the same fields at every depth, and require the same ones: a field added, renamed or made required on one side
 * only fails the build. A TS member documented as "Bar only" or "Line/area only" belongs to those kinds' schemas only.
 */
class VizContractTest {
  private static final Map<String, String> ROOTS = Map.of("line", "LineConfig", "area", "AreaConfig",
      "bar", "BarConfig", "stat", "StatConfig", "table", "TableConfig");
  private static final Pattern ONLY = Pattern.compile("^([A-Za-z/ ]+?) only\\b");

  /** One member of a TS object type: its type text, whether it is optional, the kinds its doc limits it to. */
  record Member(String type, boolean optional, Set<String> onlyKinds) {}

  private static final Map<String, Map<String, Member>> INTERFACES = new LinkedHashMap<>();
  private static final Map<String, String> ALIASES = new LinkedHashMap<>();

  @BeforeAll
  static void parseTypes() throws IOException {
    String root = System.getProperty("sightline.project.root", "..");
    String ts = Files.readString(Path.of(root, "webapp", "src", "viz", "types.ts"));
    Matcher iface = Pattern.compile("export interface (\\w+)(?: extends (\\w+))? \\{").matcher(ts);
    while (iface.find()) {
      int open = iface.end() - 1;
      Map<String, Member> members = new LinkedHashMap<>();
      if (iface.group(2) != null) {
        members.putAll(INTERFACES.get(iface.group(2)));
      }
      members.putAll(members(ts.substring(open + 1, close(ts, open))));
      INTERFACES.put(iface.group(1), members);
    }
    Matcher alias = Pattern.compile("export type (\\w+) = (\\w+)\\s*\\n").matcher(ts);
    while (alias.find()) {
      ALIASES.put(alias.group(1), alias.group(2));
    }
    assertThat(INTERFACES).containsKeys("SeriesConfig", "StatConfig", "TableConfig", "YColumn", "NumberFormat");
  }

  /** The index of the brace closing the one at {@code open}. */
  private static int close(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == '{') {
        depth++;
      } else if (s.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("unbalanced braces in types.ts");
  }

  /** The members of an object type's body ({@code a?: T; b: { c: U }}), with their doc comments. */
  private static Map<String, Member> members(String body) {
    Map<String, Member> out = new LinkedHashMap<>();
    String comment = "";
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (Character.isWhitespace(c) || c == ';' || c == ',') {
        i++;
      } else if (body.startsWith("/**", i) || body.startsWith("/*", i)) {
        int end = body.indexOf("*/", i);
        comment = body.substring(i + 2, end).replaceAll("(?m)^\\s*\\*+ ?", "").replace("*", "").trim();
        i = end + 2;
      } else if (body.startsWith("//", i)) {
        i = body.indexOf('\n', i) < 0 ? body.length() : body.indexOf('\n', i);
      } else {
        Matcher m = Pattern.compile("(\\w+)(\\??):\\s*").matcher(body).region(i, body.length());
        if (!m.lookingAt()) {
          throw new AssertionError("cannot read types.ts near: " + body.substring(i, Math.min(body.length(), i + 60)));
        }
        int j = m.end();
        int depth = 0;
        while (j < body.length()) {
          char d = body.charAt(j);
          if (body.startsWith("/*", j)) {
            j = body.indexOf("*/", j) + 2;
            continue;
          }
          if (body.startsWith("//", j)) {
            j = body.indexOf('\n', j) < 0 ? body.length() : body.indexOf('\n', j);
            continue;
          }
          if (d == '{' || d == '(' || d == '<') {
            depth++;
          } else if (d == '}' || d == ')' || d == '>') {
            depth--;
          } else if (depth == 0 && (d == '\n' || d == ';')) {
            break;
          }
          j++;
        }
        out.put(m.group(1), new Member(body.substring(m.end(), j).trim(), !m.group(2).isEmpty(), onlyKinds(comment)));
        comment = "";
        i = j;
      }
    }
    return out;
  }

  /**
   * "Bar only: …" → {bar}; "Line/area only" → {line, area}; no such note → empty (every kind). Notes that name no
   * kind ("Category x only" of the shaped data) are not about kinds.
   */
  private static Set<String> onlyKinds(String comment) {
    Matcher m = ONLY.matcher(comment);
    Set<String> kinds = new TreeSet<>();
    if (m.find()) {
      for (String k : m.group(1).toLowerCase(java.util.Locale.ROOT).replace("charts", "").split("/")) {
        kinds.add(k.trim());
      }
      if (!ROOTS.keySet().containsAll(kinds)) {
        return Set.of();
      }
    }
    return kinds;
  }

  /** The object members of a TS type text (inline object, interface, alias, array or record of one), else null. */
  private static Map<String, Member> objectOf(String type) {
    String t = type.replaceAll("\\|\\s*null", "").trim();
    if (t.startsWith("{")) {
      return members(t.substring(1, close(t, 0)));
    }
    if (t.endsWith("[]")) {
      return objectOf(t.substring(0, t.length() - 2));
    }
    Matcher record = Pattern.compile("Record<string,\\s*(\\w+)>").matcher(t);
    if (record.matches()) {
      return objectOf(record.group(1));
    }
    if (ALIASES.containsKey(t)) {
      return objectOf(ALIASES.get(t));
    }
    return INTERFACES.get(t);
  }

  /** The object schema of a property: itself, its array items, its map values or the object branch of an anyOf. */
  private static JsonObject objectSchema(JsonObject s) {
    if (s.containsKey("properties")) {
      return s;
    }
    if (s.getValue("items") instanceof JsonObject items) {
      return objectSchema(items);
    }
    if (s.getValue("additionalProperties") instanceof JsonObject values) {
      return objectSchema(values);
    }
    if (s.getValue("anyOf") instanceof JsonArray branches) {
      for (Object b : branches) {
        JsonObject found = objectSchema((JsonObject) b);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** Compares one object level and recurses; returns every disagreement as a readable line. */
  private static List<String> compare(String kind, String path, Map<String, Member> ts, JsonObject schema) {
    List<String> problems = new ArrayList<>();
    Map<String, Member> expected = new LinkedHashMap<>();
    ts.forEach((name, m) -> {
      if (m.onlyKinds().isEmpty() || m.onlyKinds().contains(kind)) {
        expected.put(name, m);
      }
    });
    JsonObject props = schema.getJsonObject("properties", new JsonObject());
    Set<String> inSchema = new TreeSet<>(props.fieldNames());
    if (!inSchema.equals(new TreeSet<>(expected.keySet()))) {
      problems.add(kind + " " + path + ": types.ts has " + new TreeSet<>(expected.keySet()) + ", the schema has "
          + inSchema);
    }
    Set<String> required = new TreeSet<>();
    schema.getJsonArray("required", new JsonArray()).forEach(r -> required.add((String) r));
    Set<String> tsRequired = new TreeSet<>();
    expected.forEach((name, m) -> {
      if (!m.optional()) {
        tsRequired.add(name);
      }
    });
    if (!required.equals(tsRequired)) {
      problems.add(kind + " " + path + ": types.ts requires " + tsRequired + ", the schema requires " + required);
    }
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      problems.add(kind + " " + path + ": the schema must refuse unknown fields (additionalProperties false)");
    }
    expected.forEach((name, m) -> {
      if (!props.containsKey(name)) {
        return;
      }
      Map<String, Member> inner = objectOf(m.type());
      JsonObject innerSchema = objectSchema(props.getJsonObject(name));
      if (inner != null && innerSchema != null) {
        problems.addAll(compare(kind, path + name + "/", inner, innerSchema));
      } else if ((inner == null) != (innerSchema == null)) {
        problems.add(kind + " " + path + name + ": an object on one side only (types.ts " + m.type() + ")");
      }
    });
    return problems;
  }

  @Test
  void everyKindsSchemaNamesAndRequiresTheFieldsOfItsTypeScriptConfig() {
    List<String> problems = new ArrayList<>();
    for (String kind : VizConfigSchemas.KINDS) {
      problems.addAll(compare(kind, "/", objectOf(ROOTS.get(kind)), VizConfigSchemas.schema(kind)));
    }
    assertThat(problems).as("types.ts and the viz schemas disagree").isEmpty();
  }

  @Test
  void theKindsOfTheSchemasAreTheKindsOfTypesTs() throws IOException {
    String ts = Files.readString(Path.of(System.getProperty("sightline.project.root", ".."), "webapp", "src", "viz",
        "types.ts"));
    Matcher m = Pattern.compile("export type VizKind = ([^\\n]+)").matcher(ts);
    assertThat(m.find()).isTrue();
    List<String> kinds = new ArrayList<>();
    Matcher k = Pattern.compile("'([a-z]+)'").matcher(m.group(1));
    while (k.find()) {
      kinds.add(k.group(1));
    }
    assertThat(kinds).containsExactlyElementsOf(VizConfigSchemas.KINDS);
  }

  @Test
  void theComparisonNoticesADriftedField() {
    JsonObject drifted = VizConfigSchemas.schema("bar");
    drifted.getJsonObject("properties").put("stack", new JsonObject().put("type", "string"));
    drifted.getJsonObject("properties").remove("valueLabels");
    assertThat(compare("bar", "/", objectOf("BarConfig"), drifted)).singleElement().asString()
        .contains("stack").contains("valueLabels");
    JsonObject line = VizConfigSchemas.schema("line");
    line.getJsonObject("properties").getJsonObject("y").getJsonObject("items").getJsonObject("properties")
        .put("render", new JsonObject().put("type", "string"));
    assertThat(compare("line", "/", objectOf("LineConfig"), line)).singleElement().asString()
        .contains("/y/").contains("render");
  }
}
