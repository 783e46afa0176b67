package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runs ls|show|cancel|tail}: the org's run history, one run, cancelling, and the live feed. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List, show, cancel and follow runs.",
    subcommands = {RunsCommand.Ls.class, RunsCommand.Show.class, RunsCommand.Cancel.class, RunTail.class})
final class RunsCommand extends Group {
  static final Set<String> STATUSES = Set.of("queued", "running", "succeeded", "failed", "cancelled", "timed_out");
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");

  /** {@code --status a,b}: checked against the run states. */
  static String statuses(List<String> statuses) {
    if (statuses == null || statuses.isEmpty()) {
      return null;
    }
    for (String s : statuses) {
      if (!STATUSES.contains(s)) {
        throw CliException.usage("--status: unknown status \"" + s + "\" (one of " + String.join(", ",
            new java.util.TreeSet<>(STATUSES)) + ")");
      }
    }
    return String.join(",", statuses);
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "The run history, newest first.")
  static final class Ls extends Base {
    @Option(names = "--status", split = ",", paramLabel = "STATUS", description = "Only these statuses (comma-separated).")
    List<String> status;
    @Option(names = "--datasource", paramLabel = "NAME", description = "Only runs on this datasource.")
    String datasource;
    @Option(names = "--query", paramLabel = "NAME", description = "Only runs of this saved query.")
    String query;
    @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-200, default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    int run() {
      Lookup lookup = lookup();
      String path = Api.query("/api/v1/runs", Lookup.mapOf("status", statuses(status),
          "datasourceId", datasource == null ? null : lookup.datasource(datasource).path("id").asText(),
          "queryId", query == null ? null : lookup.query(query).path("id").asText(), "limit", limit));
      for (JsonNode run : api().get(path).path("items")) {
        RunLine line = RunLine.of(run, run.path("status").asText(), run.path("requestedAt").asText(), lookup);
        out().println(json ? line.json().toString() : line.text());
      }
      return CliException.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One run, as the API answers it (JSON).")
  static final class Show extends Base {
    @Parameters(paramLabel = "RUN_ID")
    String id;

    @Override
    int run() throws Exception {
      out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(api().get("/api/v1/runs/" + id)));
      return CliException.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Withdraw your request on a run (the run stops when no request is left), or with --everyone "
          + "cancel it for every requester (editors and admins).")
  static final class Cancel extends Base {
    @Parameters(paramLabel = "RUN_ID", arity = "1..*")
    List<String> ids = new ArrayList<>();
    @Option(names = "--everyone", description = "Cancel for every requester.")
    boolean everyone;

    @Override
    int run() {
      for (String id : ids) {
        JsonNode run = api().post(Api.query("/api/v1/runs/" + id + "/cancel",
            Lookup.mapOf("scope", everyone ? "everyone" : null)), null);
        out().println(id + "  " + run.path("status").asText()
            + (run.path("cancelRequested").asBoolean() ? "  (cancel requested)" : ""));
      }
      return CliException.OK;
    }
  }
}
