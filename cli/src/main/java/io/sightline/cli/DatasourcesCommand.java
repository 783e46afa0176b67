package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datasources ls|test}. */
@Command(name = "datasources", mixinStandardHelpOptions = true, description = "List datasources and test them.",
    subcommands = {DatasourcesCommand.Ls.class, DatasourcesCommand.Test.class})
final class DatasourcesCommand extends Group {
  @Command(name = "ls", mixinStandardHelpOptions = true, description = "The org's datasources.")
  static final class Ls extends Base {
    @Override
    int run() {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode d : lookup().datasources()) {
        rows.add(List.of(d.path("name").asText(), d.path("kind").asText(), d.path("readOnly").asBoolean()
            ? "read-only" : "read-write", d.path("maxConcurrency").asText(), d.path("id").asText()));
      }
      Table.print(out(), List.of("name", "kind", "access", "max concurrency", "id"), rows);
      return CliException.OK;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Connect to a saved datasource from the server; exit 1 saying what failed.")
  static final class Test extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      JsonNode result = api().post("/api/v1/datasources/" + lookup().datasource(name).path("id").asText() + "/test",
          null);
      if (!result.path("ok").asBoolean()) {
        throw CliException.failed(name + ": " + result.path("code").asText() + ": " + result.path("message").asText());
      }
      out().println(name + ": ok, " + result.path("serverVersion").asText() + " in "
          + result.path("latencyMs").asText() + " ms");
      return CliException.OK;
    }
  }
}
