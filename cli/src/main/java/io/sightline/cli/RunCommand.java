package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: enqueues ad-hoc SQL or a saved query, follows it on the event bus (with a poll as the safety net),
 * reports its progress on stderr and streams the result to stdout — csv and json through the download endpoints,
 * table page by page. Ctrl+C withdraws the request on the server (cancelling the run when no other request is on it)
 * and exits 130.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run SQL or a saved query and print its result; Ctrl+C cancels the run on the server.")
final class RunCommand extends Base {
  private static final int PAGE = 1000;
  /** How long Ctrl+C waits for the server to take the cancel before the process ends anyway. */
  static final java.time.Duration CANCEL_TIMEOUT = java.time.Duration.ofSeconds(5);

  /** Exactly one of the three. */
  static final class Source {
    @Option(names = "--sql", paramLabel = "TEXT", description = "The SQL to run (one statement).")
    String sql;
    @Option(names = "--file", paramLabel = "FILE", description = "Read the SQL from this file.")
    Path file;
    @Option(names = "--query", paramLabel = "NAME", description = "Run this saved query (by name).")
    String query;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;
  @Option(names = "--datasource", paramLabel = "NAME",
      description = "The datasource (required with --sql and --file; checked with --query).")
  String datasource;
  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A parameter value (repeatable). Multi-select: "
      + "a,b,c; ranges: START..END or a preset such as last_7d.")
  Map<String, String> params = new LinkedHashMap<>();
  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "csv, json or table (default ${DEFAULT-VALUE}).")
  Format format;
  @Option(names = "--max-rows", paramLabel = "N", description = "Stop after N rows.")
  Long maxRows;

  enum Format { csv, json, table }

  @Override
  int run() throws InterruptedException {
    Lookup lookup = lookup();
    ObjectNode body = Api.object();
    String path;
    if (source.query != null) {
      JsonNode query = lookup.query(source.query);
      String runsOn = lookup.datasourceName(query.path("datasourceId").asText());
      if (datasource != null && !datasource.equals(runsOn)) {
        throw CliException.usage("query \"" + source.query + "\" runs on datasource \"" + runsOn + "\", not \""
            + datasource + "\"");
      }
      body.set("params", values(query.path("params")));
      path = "/api/v1/queries/" + query.path("id").asText() + "/runs";
    } else {
      if (datasource == null) {
        throw CliException.usage("--datasource is required with --sql and --file");
      }
      body.put("datasourceId", lookup.datasource(datasource).path("id").asText()).put("sql", sql());
      ArrayNode declarations = body.putArray("declarations");
      params.keySet().forEach(name -> declarations.addObject().put("name", name).put("type", "text")
          .put("required", true));
      body.set("params", values(JsonNodeFactory.instance.arrayNode()));
      path = "/api/v1/runs";
    }
    if (maxRows != null) {
      body.putObject("options").put("maxRows", maxRows);
    }
    JsonNode run = api().post(path, body);
    String runId = run.path("id").asText();
    err().println("sightline: run " + runId + " " + run.path("status").asText()
        + (run.path("shared").asBoolean() ? " (joined an identical run)" : ""));
    Thread cancel = new Thread(() -> cancel(runId, RunLine.text(run, "requestId")), "cancel-on-interrupt");
    Runtime.getRuntime().addShutdownHook(cancel);
    JsonNode done;
    try {
      done = follow(runId);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancel);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl+C arrived meanwhile: the hook cancels
      }
    }
    String status = done.path("status").asText();
    if (!"succeeded".equals(status)) {
      JsonNode error = done.path("error");
      throw CliException.failed("run " + runId + " " + status + (error.isObject() ? ": "
          + (error.path("code").isTextual() ? error.path("code").asText() + ": " : "")
          + error.path("message").asText("") : ""));
    }
    print(done);
    return CliException.OK;
  }

  private String sql() {
    if (source.sql != null) {
      return source.sql;
    }
    try {
      return Files.readString(source.file);
    } catch (IOException e) {
      throw CliException.usage("--file: cannot read " + source.file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The --param values, typed after the saved query's declarations (text when undeclared). */
  private ObjectNode values(JsonNode declarations) {
    ObjectNode values = Api.object();
    params.forEach((name, raw) -> {
      JsonNode spec = JsonNodeFactory.instance.objectNode();
      for (JsonNode d : declarations) {
        if (d.path("name").asText().equals(name)) {
          spec = d;
        }
      }
      try {
        values.set(name, value(spec, raw));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--param " + name + ": " + e.getMessage());
      }
    });
    return values;
  }

  static JsonNode value(JsonNode spec, String raw) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    String type = spec.path("type").asText("text");
    if (spec.path("multi").asBoolean()) {
      ArrayNode array = json.arrayNode();
      for (String each : raw.split(",", -1)) {
        array.add(each);
      }
      return array;
    }
    switch (type) {
      case "integer":
        try {
          return json.numberNode(Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not an integer: " + raw);
        }
      case "number":
        try {
          return json.numberNode(new BigDecimal(raw.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number: " + raw);
        }
      case "boolean":
        if (!raw.equals("true") && !raw.equals("false")) {
          throw new IllegalArgumentException("not true or false: " + raw);
        }
        return json.booleanNode(Boolean.parseBoolean(raw));
      case "date_range", "timestamp_range":
        int dots = raw.indexOf("..");
        return dots < 0 ? json.textNode(raw)
            : json.objectNode().put("start", raw.substring(0, dots)).put("end", raw.substring(dots + 2));
      default:
        return json.textNode(raw);
    }
  }

  /** Waits for the run to finish, telling its state changes on stderr; answers it as GET /runs/{id} does. */
  private JsonNode follow(String runId) throws InterruptedException {
    Bridge bridge;
    try {
      bridge = Bridge.open(api(), List.of("sightline.run." + runId));
    } catch (CliException e) {
      bridge = null; // polling alone still works
    }
    try {
      String last = "queued";
      long progressAt = 0;
      while (true) {
        JsonNode run = api().get("/api/v1/runs/" + runId);
        String status = run.path("status").asText();
        if (RunsCommand.TERMINAL.contains(status)) {
          return run;
        }
        if (!status.equals(last)) {
          err().println("sightline: run " + runId + " " + status
              + (run.path("runner").isTextual() ? " on " + run.path("runner").asText() : ""));
          last = status;
        }
        JsonNode event = bridge == null ? null : bridge.next(Duration.ofSeconds(1));
        if (bridge == null) {
          Thread.sleep(500);
        } else if (event == Bridge.CLOSED) {
          bridge.close();
          bridge = null;
        } else if (event != null && event.path("progress").asBoolean()
            && System.currentTimeMillis() - progressAt > 2000) {
          progressAt = System.currentTimeMillis();
          err().println("sightline: run " + runId + " running, " + event.path("rowCount").asLong() + " rows so far");
        }
      }
    } finally {
      if (bridge != null) {
        bridge.close();
      }
    }
  }

  /**
   * The shutdown hook's work (Ctrl+C): withdraw our request, then end the process as interrupted — within
   * {@link #CANCEL_TIMEOUT} even when the server does not answer (a second Ctrl+C cannot interrupt a shutdown hook).
   */
  private void cancel(String runId, String requestId) {
    Thread request = new Thread(() -> {
      try {
        JsonNode run = api().post(Api.query("/api/v1/runs/" + runId + "/cancel",
            Lookup.mapOf("requestId", requestId)), null, CANCEL_TIMEOUT);
        err().println("sightline: interrupted: run " + runId + " " + (RunsCommand.TERMINAL.contains(
            run.path("status").asText()) ? run.path("status").asText() : "cancel requested"));
      } catch (CliException e) {
        err().println("sightline: interrupted; could not cancel run " + runId + ": " + e.getMessage());
      }
    }, "cancel-request");
    request.setDaemon(true);
    request.start();
    try {
      request.join(CANCEL_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (request.isAlive()) {
      err().println("sightline: interrupted; no answer to the cancel of run " + runId + " within "
          + CANCEL_TIMEOUT.toSeconds() + " s (cancel it with: sightline runs cancel " + runId + ")");
    }
    err().flush();
    out().flush();
    Runtime.getRuntime().halt(CliException.INTERRUPTED);
  }

  private void print(JsonNode run) {
    String resultId = run.path("resultId").asText();
    if (run.path("truncated").asBoolean()) {
      err().println("sightline: the result stops at " + run.path("truncatedReason").asText() + " ("
          + run.path("rowCount").asLong() + " rows)");
    }
    if (format != Format.table) {
      api().download("/api/v1/results/" + resultId + "." + format, out());
      return;
    }
    Table table = null;
    long total;
    long offset = 0;
    do {
      JsonNode page = api().get(Api.query("/api/v1/results/" + resultId, Lookup.mapOf("offset", offset,
          "limit", PAGE)));
      if (table == null) {
        List<String> header = new ArrayList<>();
        page.path("columns").forEach(c -> header.add(c.path("name").asText()));
        table = new Table(out(), header);
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode row : page.path("rows")) {
        List<String> cells = new ArrayList<>();
        row.forEach(cell -> cells.add(cell.isNull() ? "" : cell.isValueNode() ? cell.asText() : cell.toString()));
        rows.add(cells);
      }
      table.rows(rows);
      total = page.path("totalRows").asLong();
      offset += rows.size();
      if (rows.isEmpty()) {
        break;
      }
    } while (offset < total);
    out().println("(" + table.rowCount() + (table.rowCount() == 1 ? " row)" : " rows)"));
  }
}
