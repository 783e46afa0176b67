package io.sightline.api;

import static io.sightline.api.ApiTestServer.ADMIN_A;
import static io.sightline.api.ApiTestServer.ADMIN_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.ApiClient;
import io.sightline.testkit.ApiClient.Response;
import io.sightline.testkit.TestDatabase;
import io.sightline.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of every route in the OpenAPI document, as org A's admin (the widest access): bodies generated
 * from the route's JSON Schema, then mostly mutated (a field dropped, an unknown one added, a value replaced by a wrong
 * type or a hostile value: NUL, a lone surrogate, markup, 100 KB, huge or negative numbers, odd Unicode; or the whole
 * body replaced), path parameters (org A's objects, org B's, random ids, garbage, overlong) and query parameters alike.
 * Every answer must be below 500 (503 "no-runner" excepted: this server has no runner), carry no stack trace or Java
 * class name, be problem+json when 4xx, and a refused request must leave the database as it was (digest). jqwik prints
 * the seed of every run; {@code @Property(seed = "…")} replays one.
 */
class RouteFuzzTest {
  /** Bounded so the property takes about a minute (less on an idle machine): about 10 tries per route. */
  private static final int TRIES = 700;
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z]+)}");
  /** Routes that end or re-key the fuzzing session itself. */
  private static final Set<String> SKIPPED = Set.of("POST /api/v1/auth/logout", "POST /api/v1/me/password");
  private static final Pattern LEAK = Pattern.compile(
      "Exception|\\tat |\\bat [a-z]+\\.[a-z]|\\b(java|javax|io\\.vertx|io\\.netty|io\\.sightline|com\\.fasterxml|org\\."
          + "postgresql)\\.[a-z]");
  private static final List<Object> HOSTILE = List.of("\u0000", "a\u0000b", "\ud800", "x\udc00y",
      "<script>window.__xss=1</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "x".repeat(100_000),
      "", " ", "😀\u202e\u200b\ufeff", "'; drop table users; --", "{{region}}", "../../etc/passwd", "%00",
      new BigInteger("9".repeat(400)), -1, 0, Long.MIN_VALUE, Long.MAX_VALUE, 1e308, -0.0, true, false,
      new JsonObject(), new JsonArray(), new JsonArray().add("x"), new JsonObject().put("a", "b"));

  private static TestDatabase db;
  private static ApiTestServer server;
  private static ApiClient admin;
  private static Map<String, String> own;
  private static final Map<String, String> OTHER = new HashMap<>();
  private static List<Op> operations;
  private static Map<String, JsonObject> components;
  private static int noRunner;
  /**
   * The tables' digest after the previous try: a refused request must leave it as it is (a successful one may write,
   * and sets the next baseline), so each try costs one digest.
   */
  private static String digest;

  record Op(String method, String path, JsonObject body, List<JsonObject> query) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @BeforeContainer
  static void start() {
    db = TestPostgres.get().createDatabase("route_fuzz");
    server = ApiTestServer.start(db);
    admin = server.as(ADMIN_A);
    own = RoleMatrixTest.orgAFixtures(server, admin);
    ApiClient adminB = server.as(ADMIN_B);
    OTHER.put("userId", server.userId(ADMIN_B));
    OTHER.put("apiKeyId", adminB.post("/api/v1/api-keys", new JsonObject().put("name", "B's key")).json()
        .getString("id"));
    OTHER.put("datasourceId", adminB.post("/api/v1/datasources", new JsonObject().put("name", "B's warehouse")
        .put("host", "127.0.0.1").put("database", "warehouse").put("user", "reader")).json().getString("id"));
    OTHER.put("queryId", adminB.post("/api/v1/queries", new JsonObject().put("name", "B's query")
        .put("datasourceId", OTHER.get("datasourceId")).put("sql", "select 1")).json().getString("id"));
    OTHER.put("idOrSlug", adminB.post("/api/v1/dashboards", new JsonObject().put("name", "B's desk")).json()
        .getString("id"));
    JsonObject doc = server.anonymous().get("/api/v1/openapi.json").json();
    components = new HashMap<>();
    doc.getJsonObject("components").getJsonObject("schemas").forEach(e -> components.put(
        "#/components/schemas/" + e.getKey(), (JsonObject) e.getValue()));
    operations = new ArrayList<>();
    doc.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      JsonObject operation = (JsonObject) op.getValue();
      JsonObject body = operation.getJsonObject("requestBody") == null ? null : operation.getJsonObject("requestBody")
          .getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
      List<JsonObject> query = operation.getJsonArray("parameters", new JsonArray()).stream()
          .map(p -> (JsonObject) p).filter(p -> "query".equals(p.getString("in"))).toList();
      Op o = new Op(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), body, query);
      if (!SKIPPED.contains(o.toString())) {
        operations.add(o);
      }
    }));
  }

  @AfterContainer
  static void stop() {
    System.out.println("RouteFuzzTest: " + operations.size() + " routes, " + noRunner + " answers 503 no-runner");
    server.close();
    db.close();
  }

  /** One request: an operation, its body (null when none), path parameter values and a query string. */
  record Call(Op op, String body, Map<String, String> pathValues, String query) {
    String uri() {
      Matcher m = PATH_PARAM.matcher(op.path());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(encode(pathValues.get(m.group(1))).replace("+", "%20")));
      }
      m.appendTail(sb);
      return sb + query;
    }

    @Override
    public String toString() {
      String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + ")"
          : body;
      String uri = uri();
      return op.method() + " " + (uri.length() > 300 ? uri.substring(0, 300) + "…" : uri) + " " + shown;
    }
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
  void noRouteAnswers5xxLeaksInternalsOrWritesWhenItRefuses(@ForAll("calls") Call call) {
    if (digest == null) {
      digest = server.digest();
    }
    String type = call.body() == null ? null : "application/json";
    Response r = admin.send(call.op().method(), call.uri(), call.body(), type);
    if (r.status() == 503 && r.body().contains("no-runner")) {
      noRunner++;
    } else {
      assertThat(r.status()).as("%s → %s", call, r).isLessThan(500);
      assertThat(LEAK.matcher(r.body()).find()).as("internals in %s → %s", call, r).isFalse();
    }
    String after = server.digest();
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type")).as("%s → %s", call, r).hasValue("application/problem+json");
      assertThat(after).as("refused but wrote: %s → %s", call, r).isEqualTo(digest);
    }
    digest = after;
  }

  @Provide
  Arbitrary<Call> calls() {
    return Arbitraries.of(operations).flatMap(op -> Combinators.combine(body(op), pathValues(op), query(op))
        .as((body, path, query) -> new Call(op, body, path, query)));
  }

  // ---- bodies ------------------------------------------------------------------------------------------------------

  private static Arbitrary<String> body(Op op) {
    if (op.body() == null) {
      return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(null)), Tuple.of(1, Arbitraries.of("{}", "x")));
    }
    Arbitrary<Object> valid = value(op.body(), 0);
    Arbitrary<String> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 1000), hostile()).as(RouteFuzzTest::mutate);
    Arbitrary<String> whole = Arbitraries.of("", "[]", "null", "\"s\"", "{", "{\"a\":1,\"a\":2}", "1e999", "{}",
        "{\"__proto__\":{}}", "\u0000");
    return Arbitraries.frequencyOf(Tuple.of(3, valid.map(RouteFuzzTest::encodeJson)), Tuple.of(6, mutated),
        Tuple.of(1, whole));
  }

  private static Arbitrary<Object> hostile() {
    return Arbitraries.of(HOSTILE);
  }

  /** {@code value} mutated: 0 drop a field, 1 add an unknown one, 2-3 replace a field's value, 4 as it is. */
  private static String mutate(Object value, int kind, int index, Object replacement) {
    if (!(value instanceof JsonObject body) || body.isEmpty() && kind != 1) {
      return encodeJson(value);
    }
    List<String> names = new ArrayList<>(body.fieldNames());
    String name = names.isEmpty() ? "extra" : names.get(index % names.size());
    JsonObject copy = body.copy();
    switch (kind) {
      case 0 -> copy.remove(name);
      case 1 -> copy.put("unknown" + index, replacement);
      case 2, 3 -> {
        Object inner = copy.getValue(name);
        if (inner instanceof JsonObject o && !o.isEmpty() && kind == 3) {
          List<String> innerNames = new ArrayList<>(o.fieldNames());
          o.put(innerNames.get(index % innerNames.size()), replacement);
        } else if (inner instanceof JsonArray a && !a.isEmpty() && kind == 3) {
          a.set(index % a.size(), replacement);
        } else {
          copy.put(name, replacement);
        }
      }
      default -> { }
    }
    return encodeJson(copy);
  }

  /** JSON text of {@code value}, keeping lone surrogates as escapes (as a hostile client would send them). */
  private static String encodeJson(Object value) {
    String text = value instanceof JsonObject o ? o.encode() : value instanceof JsonArray a ? a.encode()
        : io.vertx.core.json.Json.encode(value);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Values valid by {@code schema} (best effort: the generators follow type, enum, bounds, required and $ref). */
  private static Arbitrary<Object> value(JsonObject schema, int depth) {
    if (schema.containsKey("$ref")) {
      JsonObject target = components.get(schema.getString("$ref"));
      return target == null || depth > 6 ? Arbitraries.just(new JsonObject()) : value(target, depth + 1);
    }
    if (schema.getJsonArray("examples") != null && !schema.getJsonArray("examples").isEmpty()) {
      Arbitrary<Object> generated = generated(schema, depth);
      return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(schema.getJsonArray("examples").getList())
          .map(RouteFuzzTest::json)), Tuple.of(1, generated));
    }
    return generated(schema, depth);
  }

  private static Object json(Object example) {
    return example instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : example instanceof List<?> l
        ? new JsonArray(new ArrayList<>(l)) : example;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static Arbitrary<Object> generated(JsonObject schema, int depth) {
    if (schema.getJsonArray("enum") != null) {
      return Arbitraries.of(schema.getJsonArray("enum").getList());
    }
    for (String any : List.of("oneOf", "anyOf")) {
      if (schema.getJsonArray(any) != null && !schema.getJsonArray(any).isEmpty()) {
        List<Arbitrary<Object>> options = schema.getJsonArray(any).stream()
            .map(s -> value((JsonObject) s, depth + 1)).toList();
        return Arbitraries.oneOf(options);
      }
    }
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      return Arbitraries.of(types.getList()).flatMap(t -> generated(schema.copy().put("type", t), depth));
    }
    if (type == null) {
      return schema.containsKey("properties") ? object(schema, depth) : Arbitraries.just(new JsonObject());
    }
    return switch ((String) type) {
      case "string" -> string(schema);
      case "integer" -> Arbitraries.longs().between(schema.getNumber("minimum", Long.MIN_VALUE / 4).longValue(),
          Math.min(schema.getNumber("maximum", Long.MAX_VALUE / 4).longValue(), Long.MAX_VALUE / 4)).map(v -> v);
      case "number" -> Arbitraries.doubles().between(schema.getNumber("minimum", -1e9).doubleValue(),
          schema.getNumber("maximum", 1e9).doubleValue()).map(v -> v);
      case "boolean" -> Arbitraries.of(true, false);
      case "null" -> Arbitraries.just(null);
      case "array" -> depth > 5 ? Arbitraries.just(new JsonArray()) : value(schema.getJsonObject("items",
          new JsonObject().put("type", "string")), depth + 1).list().ofMinSize(schema.getInteger("minItems", 0))
          .ofMaxSize(Math.max(schema.getInteger("minItems", 0), Math.min(3, schema.getInteger("maxItems", 3))))
          .map(l -> (Object) new JsonArray(new ArrayList<>(l)));
      default -> object(schema, depth);
    };
  }

  private static Arbitrary<Object> string(JsonObject schema) {
    if ("uuid".equals(schema.getString("format"))) {
      return Arbitraries.oneOf(Arbitraries.of(new ArrayList<Object>(own.values())),
          Arbitraries.of(new ArrayList<Object>(OTHER.values())), Arbitraries.create(() -> java.util.UUID.randomUUID()
              .toString()));
    }
    int min = schema.getInteger("minLength", 0);
    int max = Math.max(min, Math.min(schema.getInteger("maxLength", 40), 40));
    return Arbitraries.strings().ofMinLength(min).ofMaxLength(max).map(s -> s);
  }

  private static Arbitrary<Object> object(JsonObject schema, int depth) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Set<String> required = new java.util.HashSet<>(schema.getJsonArray("required", new JsonArray()).getList());
    if (depth > 5 || properties.isEmpty()) {
      return Arbitraries.just(new JsonObject());
    }
    List<String> names = new ArrayList<>(properties.fieldNames());
    List<Arbitrary<Object>> values = new ArrayList<>();
    for (String name : names) {
      Arbitrary<Object> v = value(properties.getJsonObject(name), depth + 1);
      values.add(required.contains(name) ? v : v.injectNull(0.5).map(x -> x == null ? Absent.VALUE : x));
    }
    return Combinators.combine(values).as(list -> {
      JsonObject out = new JsonObject(new LinkedHashMap<>());
      for (int i = 0; i < names.size(); i++) {
        if (list.get(i) != Absent.VALUE) {
          out.put(names.get(i), list.get(i));
        }
      }
      return (Object) out;
    });
  }

  /** An optional property left out. */
  private enum Absent { VALUE }

  // ---- path and query parameters -----------------------------------------------------------------------------------

  private static Arbitrary<Map<String, String>> pathValues(Op op) {
    Matcher m = PATH_PARAM.matcher(op.path());
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      return Arbitraries.just(Map.of());
    }
    List<Arbitrary<String>> values = names.stream().map(name -> pathValue(op, name)).toList();
    return Combinators.combine(values).as(list -> {
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), list.get(i));
      }
      return out;
    });
  }

  private static Arbitrary<String> pathValue(Op op, String name) {
    Arbitrary<String> garbage = Arbitraries.of("x", "-1", "0", "99999999999999999999", "<script>", "%", "..", "a b",
        "\u0000", "\ud800", "😀", "x".repeat(2_000), "00000000-0000-0000-0000-000000000000",
        "AAAAAAAA-0000-0000-0000-00000000000A");
    Arbitrary<String> random = Arbitraries.create(() -> java.util.UUID.randomUUID().toString());
    // never delete org A's own objects (the fixtures the other tries address): that is not hostile input
    boolean keepOwn = !"DELETE".equals(op.method()) && own.containsKey(name);
    List<Tuple.Tuple2<Integer, Arbitrary<? extends String>>> choices = new ArrayList<>();
    choices.add(Tuple.of(2, garbage));
    choices.add(Tuple.of(1, random));
    if (keepOwn) {
      choices.add(Tuple.of(5, Arbitraries.just(own.get(name))));
    }
    if (OTHER.containsKey(name)) {
      choices.add(Tuple.of(2, Arbitraries.just(OTHER.get(name))));
    }
    return Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
  }

  private static Arbitrary<String> query(Op op) {
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (JsonObject p : op.query()) {
      Arbitrary<String> v = Arbitraries.oneOf(value(p.getJsonObject("schema"), 0).map(String::valueOf),
          hostile().map(String::valueOf).map(s -> s.length() > 2000 ? s.substring(0, 2000) : s));
      parts.add(v.map(x -> p.getString("name") + "=" + encode(x)).injectNull(0.5));
    }
    parts.add(Arbitraries.of("unknown=1", "limit=-1", "cursor=%00", "a", "=", "limit=1&limit=2").injectNull(0.8));
    return Combinators.combine(parts).as(list -> {
      String q = String.join("&", list.stream().filter(java.util.Objects::nonNull).toList());
      return q.isEmpty() ? "" : "?" + q;
    });
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
