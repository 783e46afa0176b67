package io.sightline.api.dashboards;

import io.sightline.api.queries.QueryBinding;
import io.sightline.shared.params.ParameterCheck;
import io.sightline.shared.params.ParameterSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A dashboard as a save sends it, checked for everything the body alone can tell (the JSON Schema checked the shapes):
 * parameter declarations exactly as a query's, tags, the refresh interval, each tile's kind and fields, its place on
 * the 24-column grid, its text size, its bindings' form and its click action. What needs the database — the tiles'
 * visualizations and their queries' parameters, the slug's uniqueness — is checked by {@link DashboardResource}.
 */
record DashboardForm(String name, String slug, String description, List<String> tags, List<ParameterSpec> params,
    Integer refreshSeconds, List<Tile> tiles) {

  static final int COLUMNS = 24;
  static final int MAX_TILES = 200;
  static final int MAX_HEIGHT = 100;
  static final int MAX_Y = 10_000;
  static final int MAX_TEXT_BYTES = 100 * 1024;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG = 50;
  static final int MAX_SLUG = 100;
  static final List<Integer> REFRESH_SECONDS = List.of(10, 30, 60, 300, 900, 3600, 86400);
  private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
  private static final Pattern UUID_SHAPE = Pattern.compile(
      "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  /** One tile as saved; {@code id} null until the save gives it one. */
  record Tile(String id, String kind, String visualizationId, String title, String text, int x, int y, int w, int h,
      Map<String, Bindings.Binding> bindings, JsonObject clickAction) {

    boolean isViz() {
      return "viz".equals(kind);
    }

    Tile withId(String newId) {
      return new Tile(newId, kind, visualizationId, title, text, x, y, w, h, bindings, clickAction);
    }

    /** As stored in a version and answered by the API (without the visualization's details). */
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("kind", kind).put("visualizationId", visualizationId)
          .put("title", title).put("text", text).put("x", x).put("y", y).put("w", w).put("h", h)
          .put("bindings", Bindings.toJson(bindings)).put("clickAction", clickAction);
    }
  }

  /** The body of a save (create, save, restore, duplicate); a 400 naming every bad field. */
  static DashboardForm of(JsonObject body) {
    Errors errors = new Errors();
    List<ParameterSpec> params = QueryBinding.declarations(body.getJsonArray("params", new JsonArray()), "/params");
    Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    params.forEach(p -> byName.put(p.name(), p));
    String slug = body.getString("slug");
    if (slug != null) {
      String why = slugProblem(slug);
      if (why != null) {
        errors.add("/slug", why);
      }
    }
    Integer refresh = body.getInteger("refreshSeconds");
    if (refresh != null && !REFRESH_SECONDS.contains(refresh)) {
      errors.add("/refreshSeconds", "must be null (off) or one of " + REFRESH_SECONDS + " seconds");
    }
    Set<String> tags = new LinkedHashSet<>();
    JsonArray tagList = body.getJsonArray("tags", new JsonArray());
    for (int i = 0; i < tagList.size(); i++) {
      String tag = tagList.getString(i).trim();
      if (tag.isEmpty()) {
        errors.add("/tags/" + i, "must not be blank");
      } else {
        tags.add(tag);
      }
    }
    List<Tile> tiles = new ArrayList<>();
    JsonArray tileList = body.getJsonArray("tiles", new JsonArray());
    for (int i = 0; i < tileList.size(); i++) {
      tiles.add(tile(tileList.getJsonObject(i), "/tiles/" + i, byName, errors));
    }
    errors.throwIfAny();
    return new DashboardForm(body.getString("name").trim(), slug, body.getString("description", ""),
        List.copyOf(tags), params, refresh, tiles);
  }

  private static Tile tile(JsonObject t, String at, Map<String, ParameterSpec> dashboardParams, Errors errors) {
    String kind = t.getString("kind");
    String text = t.getString("text");
    String viz = t.getString("visualizationId");
    JsonObject click = t.getJsonObject("clickAction");
    int x = t.getInteger("x");
    int w = t.getInteger("w");
    if (x + w > COLUMNS) {
      errors.add(at + "/w", "x + w must be at most " + COLUMNS + " (the grid has " + COLUMNS + " columns); x is " + x);
    }
    Map<String, Bindings.Binding> bindings = Bindings.parse(t.getJsonObject("bindings"), at + "/bindings", errors);
    if ("viz".equals(kind)) {
      if (viz == null) {
        errors.add(at + "/visualizationId", "is required for a viz tile");
      }
      if (text != null) {
        errors.add(at + "/text", "only text tiles have text");
      }
      if (click != null && !dashboardParams.containsKey(click.getString("setParam"))) {
        errors.add(at + "/clickAction/setParam", "names no dashboard parameter"
            + (dashboardParams.isEmpty() ? " (this dashboard declares none)"
                : " (it has: " + String.join(", ", dashboardParams.keySet()) + ")"));
      }
    } else {
      if (text == null) {
        errors.add(at + "/text", "is required for a text tile (Markdown; may be empty)");
      } else if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
        errors.add(at + "/text", "must be at most 100 KB (" + MAX_TEXT_BYTES + " bytes of UTF-8)");
      }
      for (String field : new String[] {"visualizationId", "bindings", "clickAction"}) {
        if (t.getValue(field) != null && !(field.equals("bindings") && bindings.isEmpty())) {
          errors.add(at + "/" + field, "only viz tiles have " + field);
        }
      }
    }
    String title = t.getString("title");
    return new Tile(t.getString("id"), kind, viz, title == null || title.isBlank() ? null : title.trim(), text, x,
        t.getInteger("y"), w, t.getInteger("h"), bindings, click);
  }

  /** Why {@code slug} cannot be a dashboard's slug; null when it can. */
  static String slugProblem(String slug) {
    if (slug.length() > MAX_SLUG || !SLUG.matcher(slug).matches()) {
      return "must be lower-case letters and digits in words joined by single hyphens (e.g. outages-by-province),"
          + " at most " + MAX_SLUG + " characters";
    }
    if (UUID_SHAPE.matcher(slug).matches()) {
      return "must not look like an id (a UUID): dashboards are found by id or slug";
    }
    return null;
  }

  /** A slug from a name: accents dropped, lower case, words joined by hyphens; "dashboard" when nothing is left. */
  static String slugOf(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_SLUG - 6) {
      slug = slug.substring(0, MAX_SLUG - 6).replaceAll("-+$", "");
    }
    if (slug.isEmpty() || UUID_SHAPE.matcher(slug).matches()) {
      return slug.isEmpty() ? "dashboard" : "dashboard-" + slug.substring(0, 8);
    }
    return slug;
  }

  /** {@code base}, or {@code base-2}, {@code base-3}… : the first that is not {@code taken}. */
  static String free(String base, Set<String> taken) {
    if (!taken.contains(base)) {
      return base;
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + n;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** The parameter declarations as stored. */
  JsonArray paramsJson() {
    return ParameterCheck.toJson(params);
  }

  Map<String, ParameterSpec> paramsByName() {
    Map<String, ParameterSpec> out = new LinkedHashMap<>();
    params.forEach(p -> out.put(p.name(), p));
    return out;
  }

  /** The tiles as stored (in a version, and as the tiles insert reads them). */
  JsonArray tilesJson() {
    JsonArray out = new JsonArray();
    tiles.forEach(t -> out.add(t.toJson()));
    return out;
  }

  /**
   * The tiles with their ids: a tile keeps the id it was sent with when that id is one of {@code current} (this
   * dashboard's tiles before the save) and not already used earlier in the list; every other tile gets a new id.
   */
  DashboardForm withTileIds(Set<String> current) {
    Set<String> used = new java.util.HashSet<>();
    List<Tile> out = new ArrayList<>();
    for (Tile t : tiles) {
      String id = t.id() == null ? null : t.id().toLowerCase(Locale.ROOT);
      out.add(t.withId(id != null && current.contains(id) && used.add(id) ? id : UUID.randomUUID().toString()));
    }
    return new DashboardForm(name, slug, description, tags, params, refreshSeconds, out);
  }

  DashboardForm withSlug(String newSlug) {
    return new DashboardForm(name, newSlug, description, tags, params, refreshSeconds, tiles);
  }

  DashboardForm withName(String newName) {
    return new DashboardForm(newName, slug, description, tags, params, refreshSeconds, tiles);
  }

  /** A save body holding this content (restore and duplicate re-save a stored dashboard through {@link #of}). */
  static JsonObject body(String name, String description, JsonArray tags, JsonArray params, Integer refreshSeconds,
      JsonArray tiles) {
    return new JsonObject().put("name", name).put("description", description).put("tags", tags).put("params", params)
        .put("refreshSeconds", refreshSeconds).put("tiles", tiles);
  }
}
