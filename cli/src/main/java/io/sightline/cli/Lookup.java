package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Names to ids and back within the key's org, read once and cached: datasources (one list), saved queries (by name
 * through {@code ?search=}, names by id one GET each).
 */
final class Lookup {
  private final Api api;
  private List<JsonNode> datasources;
  private final Map<String, String> queryNames = new HashMap<>();

  Lookup(Api api) {
    this.api = api;
  }

  List<JsonNode> datasources() {
    if (datasources == null) {
      datasources = new ArrayList<>();
      api.get("/api/v1/datasources").forEach(datasources::add);
    }
    return datasources;
  }

  /** The datasource named {@code name} (exit 2 if there is none). */
  JsonNode datasource(String name) {
    return datasources().stream().filter(d -> d.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> CliException.usage("no datasource named \"" + name + "\""));
  }

  String datasourceName(String id) {
    if (id == null) {
      return "-";
    }
    return datasources().stream().filter(d -> d.path("id").asText().equals(id)).findFirst()
        .map(d -> d.path("name").asText()).orElse(id);
  }

  /** Every live saved query of the org (summaries), page by page. */
  void eachQuery(String search, Consumer<JsonNode> each) {
    api.eachItem("/api/v1/queries", mapOf("search", search), each);
  }

  /** The saved query named {@code name} (exact, case-sensitive) in full, or null. */
  JsonNode queryNamedOrNull(String name) {
    List<JsonNode> found = new ArrayList<>();
    eachQuery(name, q -> {
      if (q.path("name").asText().equals(name)) {
        found.add(q);
      }
    });
    return found.isEmpty() ? null : api.get("/api/v1/queries/" + found.get(0).path("id").asText());
  }

  /** The saved query with this name, or this id (exit 2 if there is none). */
  JsonNode query(String nameOrId) {
    JsonNode q = queryNamedOrNull(nameOrId);
    if (q == null && nameOrId.matches("[0-9a-fA-F-]{36}")) {
      q = api.get("/api/v1/queries/" + nameOrId);
    }
    if (q == null) {
      throw CliException.usage("no query named \"" + nameOrId + "\"");
    }
    return q;
  }

  /** A query's name for display; ad-hoc runs have none. */
  String queryName(String id) {
    if (id == null) {
      return "(ad hoc)";
    }
    return queryNames.computeIfAbsent(id, k -> {
      try {
        return api.get("/api/v1/queries/" + k).path("name").asText(k);
      } catch (CliException e) {
        return k; // archived or deleted since
      }
    });
  }

  static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
