package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code schedules ls|pause|resume}. */
@Command(name = "schedules", mixinStandardHelpOptions = true, description = "List, pause and resume schedules.",
    subcommands = {SchedulesCommand.Ls.class, SchedulesCommand.Pause.class, SchedulesCommand.Resume.class})
final class SchedulesCommand extends Group {
  static void each(Api api, Consumer<JsonNode> each) {
    api.eachItem("/api/v1/schedules", Map.of(), each);
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "The org's schedules.")
  static final class Ls extends Base {
    @Override
    int run() {
      List<List<String>> rows = new ArrayList<>();
      each(api(), s -> rows.add(List.of(s.path("name").asText(), s.path("state").asText(),
          s.path("queryName").isTextual() ? "query " + s.path("queryName").asText()
              : "dashboard " + s.path("dashboardName").asText(),
          s.path("description").asText(), s.path("nextRunAt").asText("-"), s.path("id").asText())));
      Table.print(out(), List.of("name", "state", "target", "when", "next run", "id"), rows);
      return CliException.OK;
    }
  }

  /** Pause and resume: one POST on a schedule named by id or name. */
  abstract static class Action extends Base {
    @Parameters(paramLabel = "SCHEDULE", description = "The schedule's id or name.")
    String schedule;

    abstract String action();

    @Override
    int run() {
      List<String> ids = new ArrayList<>();
      each(api(), s -> {
        if (s.path("id").asText().equals(schedule) || s.path("name").asText().equals(schedule)) {
          ids.add(s.path("id").asText());
        }
      });
      if (ids.size() != 1) {
        throw CliException.usage(ids.isEmpty() ? "no schedule \"" + schedule + "\""
            : ids.size() + " schedules are named \"" + schedule + "\": give the id");
      }
      JsonNode s = api().post("/api/v1/schedules/" + ids.get(0) + "/" + action(), null);
      out().println(s.path("name").asText() + ": " + s.path("state").asText());
      return CliException.OK;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop firing until resumed.")
  static final class Pause extends Action {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Fire again from the next slot.")
  static final class Resume extends Action {
    @Override
    String action() {
      return "resume";
    }
  }
}
