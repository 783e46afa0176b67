package io.sightline.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request bodies: parsed strictly (depth and size bounded, duplicate keys refused), every string and key checked for
 * text Postgres cannot hold ({@link TextCheck}: NUL, unpaired surrogates), then validated against the route's JSON
 * Schema. Every failure is a 400 problem naming the offending field; nothing reaches a handler unvetted. A route's
 * schema may {@code $ref} shared schemas by their {@code $id} (e.g. a visualization config per kind); errors inside
 * them name the field of the body all the same ({@code /config/y/0/aggregate}).
 */
public final class JsonBodies {
  /** Deeper than any body Sightline accepts; guards the parser against deeply nested input. */
  public static final int MAX_DEPTH = 32;
  /** The parser's cap on one string (a body's SQL is capped lower by its schema). */
  public static final int MAX_STRING_LENGTH = 1 << 20;
  /** At most this many members in any object of a body (where the schema bounds none, e.g. parameter values). */
  public static final int MAX_PROPERTIES = 1_000;
  /** At most this many items in any array of a body. */
  public static final int MAX_ITEMS = 10_000;
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING_LENGTH)
          .build())
      .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
      .setDraft(Draft.DRAFT202012)
      .setBaseUri("urn:sightline:api")
      .setOutputFormat(OutputFormat.Basic);
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"']+)\"?'?");

  private final JsonObject schema;
  private final Map<String, JsonObject> referenced;
  private final Validator validator;

  private JsonBodies(JsonObject schema, Map<String, JsonObject> referenced, Validator validator) {
    this.schema = schema;
    this.referenced = referenced;
    this.validator = validator;
  }

  public static JsonBodies forSchema(JsonObject schema) {
    return forSchema(schema, java.util.List.of());
  }

  /** A validator of {@code schema}, whose {@code $ref}s may name any of {@code referenced} by its {@code $id}. */
  public static JsonBodies forSchema(JsonObject schema, Collection<JsonObject> referenced) {
    if (referenced.isEmpty()) {
      return new JsonBodies(schema, Map.of(), Validator.create(JsonSchema.of(schema), OPTIONS));
    }
    SchemaRepository repository = SchemaRepository.create(OPTIONS);
    Map<String, JsonObject> byId = new java.util.HashMap<>();
    for (JsonObject shared : referenced) {
      String id = shared.getString("$id");
      byId.put(id, shared);
      repository.dereference(id, JsonSchema.of(shared));
    }
    return new JsonBodies(schema, Map.copyOf(byId), repository.validator(JsonSchema.of(schema)));
  }

  /** Parses and validates; throws {@link ApiException} (400) on anything wrong. */
  public JsonObject parse(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw ApiException.badRequest("Missing request body", "This request needs a JSON object body.");
    }
    Object parsed;
    try {
      parsed = MAPPER.readValue(raw.getBytes(), Object.class);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest("Malformed JSON", "The body is nested too deeply or too large (at most "
          + MAX_DEPTH + " levels, strings of at most " + MAX_STRING_LENGTH + " characters).");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Malformed JSON", "The body is not valid JSON (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("Malformed JSON", "The body could not be read.");
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw ApiException.badRequest("Malformed JSON", "The body must be a JSON object.");
    }
    TextCheck.Violation oversized = oversized(map, "");
    if (oversized != null) {
      throw new ApiException(Problem.of(400, "validation", "Invalid request", "Some fields are invalid.")
          .withError(oversized.field(), oversized.message()));
    }
    @SuppressWarnings("unchecked")
    JsonObject body = new JsonObject((Map<String, Object>) map);
    java.util.List<TextCheck.Violation> badText = TextCheck.walk(map, "");
    OutputUnit result = validator.validate(body);
    if (!badText.isEmpty() || !Boolean.TRUE.equals(result.getValid())) {
      Problem problem = Problem.of(400, "validation", "Invalid request", "Some fields are invalid.");
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (TextCheck.Violation v : badText) {
        seen.add(v.field() + "|" + v.message());
        problem = problem.withError(v.field(), v.message());
      }
      for (OutputUnit error : result.getErrors() == null ? java.util.List.<OutputUnit>of() : result.getErrors()) {
        String field = field(error);
        String message = message(error);
        if (message != null && seen.add(field + "|" + message)) {
          problem = problem.withError(field, message);
        }
      }
      if (problem.errors().isEmpty()) {
        problem = problem.withError("", "does not match the expected shape");
      }
      throw new ApiException(problem);
    }
    return body;
  }

  /**
   * The first object or array under {@code pointer} with more than {@link #MAX_PROPERTIES} members or
   * {@link #MAX_ITEMS} items; null when none. Checked before the schema, whose validator would
   * otherwise walk all of them.
   */
  private static TextCheck.Violation oversized(Object value, String pointer) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() > MAX_PROPERTIES) {
        return new TextCheck.Violation(pointer, "must have at most " + MAX_PROPERTIES + " properties (it has "
            + map.size() + ")");
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        TextCheck.Violation found = oversized(e.getValue(),
            TextCheck.child(pointer, TextCheck.replaced(String.valueOf(e.getKey()))));
        if (found != null) {
          return found;
        }
      }
    } else if (value instanceof java.util.List<?> list) {
      if (list.size() > MAX_ITEMS) {
        return new TextCheck.Violation(pointer, "must have at most " + MAX_ITEMS + " items (it has " + list.size()
            + ")");
      }
      for (int i = 0; i < list.size(); i++) {
        TextCheck.Violation found = oversized(list.get(i), pointer + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String field(OutputUnit error) {
    String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
    location = location.startsWith("#") ? location.substring(1) : location;
    if (error.getError() != null) {
      Matcher m = REQUIRED.matcher(error.getError());
      if (m.find() && error.getError().contains("required")) {
        return location + "/" + m.group(1);
      }
    }
    return location;
  }

  /**
   * The value at a keyword location ({@code #/properties/name/pattern}) of the route's schema, following {@code $ref}s
   * to the shared schemas; null if none.
   */
  private Object at(String keywordLocation) {
    Object node = schema;
    for (String part : keywordLocation.replaceFirst("^#?/?", "").split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject o && key.equals("$ref") && o.getValue(key) instanceof String ref) {
        node = referenced.get(ref);
      } else if (node instanceof JsonObject o) {
        node = o.getValue(key);
      } else if (node instanceof io.vertx.core.json.JsonArray a && key.matches("\\d+")
          && Integer.parseInt(key) < a.size()) {
        node = a.getValue(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return node;
  }

  /**
   * A short, human message; schema-internal wrapper errors ("does not match allOf", the "then" of a kind's config) are
   * dropped, and so is the validator's extra additionalProperties error for a declared property that failed its own
   * schema (that error is reported on its own).
   */
  private String message(OutputUnit error) {
    String e = error.getError();
    if (e == null) {
      return null;
    }
    String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    if (keyword.endsWith("/properties") || keyword.endsWith("/allOf") || keyword.endsWith("/$ref")
        || keyword.endsWith("/items") || keyword.endsWith("/prefixItems") || keyword.endsWith("/if")) {
      return null;
    }
    if (e.contains("required")) {
      return "is required";
    }
    if (keyword.endsWith("/pattern") && Schemas.NOT_BLANK.equals(at(keyword))) {
      return "must not be blank";
    }
    if (keyword.endsWith("/additionalProperties") || keyword.endsWith("/unevaluatedProperties")) {
      return unknownField(error, keyword) ? "is not a known field" : null;
    }
    if (keyword.endsWith("/enum") && at(keyword) instanceof io.vertx.core.json.JsonArray values) {
      return "must be one of " + values.stream().map(String::valueOf)
          .collect(java.util.stream.Collectors.joining(", "));
    }
    if (keyword.endsWith("/type") && at(keyword) != null) {
      Object type = at(keyword);
      return "must be of type " + (type instanceof io.vertx.core.json.JsonArray types ? types.stream()
          .map(String::valueOf).collect(java.util.stream.Collectors.joining(" or ")) : type);
    }
    return e;
  }

  /** Whether an additionalProperties error is about a property the object does not declare (not one that failed). */
  private boolean unknownField(OutputUnit error, String keyword) {
    if (!Boolean.FALSE.equals(at(keyword))) {
      return false;
    }
    String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
    String name = location.substring(location.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    Object declared = at(keyword.substring(0, keyword.lastIndexOf('/')) + "/properties");
    return !(declared instanceof JsonObject properties && properties.containsKey(name));
  }
}
