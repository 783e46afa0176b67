package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code queries ls|show|export|import}. A query travels as one YAML document: {@code name}, {@code description},
 * {@code datasource} (by name, so another org or server can take it), {@code sql}, {@code params},
 * {@code runOptions} and its {@code visualizations} ({@code name}, {@code kind}, {@code config}). Import creates the
 * query or saves the next version of the one with that name, and likewise its visualizations by name.
 */
@Command(name = "queries", mixinStandardHelpOptions = true, description = "List, show, export and import saved queries.",
    subcommands = {QueriesCommand.Ls.class, QueriesCommand.Show.class, QueriesCommand.Export.class,
        QueriesCommand.Import.class})
final class QueriesCommand extends Group {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  /** The portable document of a saved query (as GET /queries/{id} answers it). */
  static ObjectNode document(Api api, Lookup lookup, JsonNode query) {
    ObjectNode doc = Api.object().put("name", query.path("name").asText());
    if (query.path("description").isTextual()) {
      doc.put("description", query.path("description").asText());
    }
    doc.put("datasource", lookup.datasourceName(query.path("datasourceId").asText()));
    doc.put("sql", query.path("sql").asText());
    doc.set("params", query.path("params"));
    if (query.path("runOptions").isObject()) {
      doc.set("runOptions", query.path("runOptions"));
    }
    var vizs = doc.putArray("visualizations");
    api.get("/api/v1/queries/" + query.path("id").asText() + "/visualizations").forEach(v -> vizs.addObject()
        .put("name", v.path("name").asText()).put("kind", v.path("kind").asText()).set("config", v.path("config")));
    return doc;
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "The org's saved queries.")
  static final class Ls extends Base {
    @Option(names = "--search", paramLabel = "TEXT", description = "Only names or descriptions containing TEXT.")
    String search;

    @Override
    int run() {
      Lookup lookup = lookup();
      List<List<String>> rows = new ArrayList<>();
      lookup.eachQuery(search, q -> rows.add(List.of(q.path("name").asText(),
          lookup.datasourceName(q.path("datasourceId").asText()), "v" + q.path("version").asText(),
          q.path("updatedAt").asText(), q.path("id").asText())));
      Table.print(out(), List.of("name", "datasource", "version", "updated", "id"), rows);
      return CliException.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One saved query as its YAML document.")
  static final class Show extends Base {
    @Parameters(paramLabel = "NAME", description = "The query's name (or id).")
    String name;

    @Override
    int run() throws IOException {
      Lookup lookup = lookup();
      YAML.writeValue(out(), document(api(), lookup, lookup.query(name)));
      return CliException.OK;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write saved queries (all, or those named) as YAML files, one per query, into a directory.")
  static final class Export extends Base {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these queries (default: all).")
    List<String> names = new ArrayList<>();
    @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR", description = "Where (default: the current directory).")
    Path dir;

    @Override
    int run() throws IOException {
      Lookup lookup = lookup();
      List<JsonNode> queries = new ArrayList<>();
      if (names.isEmpty()) {
        lookup.eachQuery(null, q -> queries.add(q));
      } else {
        names.forEach(n -> queries.add(lookup.query(n)));
      }
      Files.createDirectories(dir);
      Map<String, Integer> taken = new HashMap<>();
      for (JsonNode summary : queries) {
        JsonNode query = summary.has("sql") ? summary : api().get("/api/v1/queries/" + summary.path("id").asText());
        String base = fileName(query.path("name").asText());
        int n = taken.merge(base, 1, Integer::sum);
        Path file = dir.resolve(n == 1 ? base + ".yaml" : base + "-" + n + ".yaml");
        YAML.writeValue(file.toFile(), document(api(), lookup, query));
        out().println(file);
      }
      return CliException.OK;
    }

    static String fileName(String name) {
      String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
      String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
      return slug.isEmpty() ? "query" : slug.length() > 80 ? slug.substring(0, 80) : slug;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Create or update (by name) saved queries and their visualizations from YAML files.")
  static final class Import extends Base {
    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<Path> files;

    @Override
    int run() {
      Lookup lookup = lookup();
      for (Path file : files) {
        JsonNode doc = read(file);
        String name = doc.path("name").asText();
        ObjectNode body = Api.object().put("name", name)
            .put("datasourceId", lookup.datasource(doc.path("datasource").asText()).path("id").asText())
            .put("sql", doc.path("sql").asText());
        for (String field : List.of("description", "params", "runOptions")) {
          if (doc.hasNonNull(field)) {
            body.set(field, doc.get(field));
          }
        }
        JsonNode existing = lookup.queryNamedOrNull(name);
        JsonNode saved = existing == null ? api().post("/api/v1/queries", body)
            : api().put("/api/v1/queries/" + existing.path("id").asText(),
                body.put("version", existing.path("version").asInt()));
        visualizations(saved.path("id").asText(), doc.path("visualizations"));
        out().println((existing == null ? "created " : "updated ") + name + " (v" + saved.path("version").asText()
            + ")");
      }
      return CliException.OK;
    }

    private void visualizations(String queryId, JsonNode wanted) {
      Map<String, JsonNode> current = new HashMap<>();
      String path = "/api/v1/queries/" + queryId + "/visualizations";
      api().get(path).forEach(v -> current.putIfAbsent(v.path("name").asText(), v));
      for (JsonNode viz : wanted) {
        ObjectNode body = Api.object().put("name", viz.path("name").asText()).put("kind", viz.path("kind").asText());
        body.set("config", viz.path("config"));
        JsonNode same = current.get(viz.path("name").asText());
        if (same == null) {
          api().post(path, body);
        } else if (!same.path("kind").equals(viz.path("kind")) || !same.path("config").equals(viz.path("config"))) {
          api().put("/api/v1/visualizations/" + same.path("id").asText(),
              body.put("version", same.path("version").asInt()));
        }
      }
    }

    private static JsonNode read(Path file) {
      try {
        JsonNode doc = YAML.readTree(file.toFile());
        if (doc == null || !doc.path("name").isTextual() || !doc.path("sql").isTextual()
            || !doc.path("datasource").isTextual()) {
          throw CliException.usage(file + ": not a query document (name, datasource and sql are required)");
        }
        return doc;
      } catch (IOException e) {
        throw CliException.usage(file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
      }
    }
  }
}
