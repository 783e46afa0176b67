package io.sightline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runs tail}: the org's live run events from the event-bus bridge ({@code sightline.org.<org>.runs}), one line
 * per state change. When the socket goes away it reconnects by itself with a growing back-off (0.5 s to 10 s), and
 * then re-reads the runs it saw unfinished and the history since the disconnect, for runs that finished meanwhile,
 * printing only what it has not printed (a run's state is printed once).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow the org's runs live: time, status, query, datasource, rows, duration, error, run id.")
final class RunTail extends Base {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final int REMEMBERED = 10_000;

  @Option(names = "--status", split = ",", paramLabel = "STATUS",
      description = "Only these statuses (comma-separated), e.g. failed,timed_out.")
  List<String> status;
  @Option(names = "--datasource", paramLabel = "NAME", description = "Only runs on this datasource.")
  String datasource;
  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  private Lookup lookup;
  private Set<String> statuses;
  private String datasourceId;
  /** runId|status(|attempt) of every line printed (the latest {@value #REMEMBERED}). */
  private final Set<String> printed = bounded();

  /** Runs last seen queued or running: re-read after a reconnect, as they may have finished meanwhile. */
  private final Set<String> unfinished = bounded();

  /** A set that forgets its oldest entries beyond {@value #REMEMBERED}. */
  private static Set<String> bounded() {
    return Collections.newSetFromMap(new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > REMEMBERED;
      }
    });
  }

  @Override
  int run() throws InterruptedException {
    lookup = lookup();
    String only = RunsCommand.statuses(status);
    statuses = only == null ? RunsCommand.STATUSES : Set.of(only.split(","));
    datasourceId = datasource == null ? null : lookup.datasource(datasource).path("id").asText();
    String feed = "sightline.org." + api().get("/api/v1/me").path("org").path("id").asText() + ".runs";
    Duration backoff = Duration.ofMillis(500);
    Instant lostAt = null;
    while (true) {
      try (Bridge bridge = Bridge.open(api(), List.of(feed))) {
        if (lostAt != null) {
          catchUp(lostAt);
          err().println("sightline: reconnected to the event bus");
        }
        backoff = Duration.ofMillis(500);
        follow(bridge);
        if (bridge.refusal() != null) {
          throw new CliException(CliException.UNREACHABLE, "the event bus refused the org's run feed ("
              + bridge.refusal() + "): is the API key valid?");
        }
        lostAt = lostAt(lostAt, true);
        err().println("sightline: event bus connection lost; reconnecting");
      } catch (CliException e) {
        if (!e.isTransient()) {
          throw e;
        }
        lostAt = lostAt(lostAt, false);
        err().println("sightline: " + e.getMessage() + "; retrying in " + RunLine.seconds(backoff.toMillis()));
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /** When the gap to fill began: kept across failed attempts; a few seconds early to cover clock skew. */
  private static Instant lostAt(Instant earlier, boolean justLost) {
    return earlier != null && !justLost ? earlier : Instant.now().minusSeconds(5);
  }

  private void follow(Bridge bridge) throws InterruptedException {
    for (JsonNode event = bridge.next(Duration.ofSeconds(1)); event != Bridge.CLOSED;
        event = bridge.next(Duration.ofSeconds(1))) {
      if (event == null || event.path("progress").asBoolean() || event.path("requestsChanged").asBoolean()) {
        continue;
      }
      String state = event.path("status").asText();
      String runId = event.path("runId").asText();
      if (RunsCommand.TERMINAL.contains(state)) {
        unfinished.remove(runId);
      } else {
        unfinished.add(runId);
      }
      String key = key(runId, state, event.path("attempt").asInt(1));
      if (statuses.contains(state) && !printed.contains(key)) {
        JsonNode run = api().get("/api/v1/runs/" + runId);
        print(run, state, Instant.ofEpochMilli(event.path("at").asLong()).toString(), key);
      }
    }
  }

  /**
   * Runs that finished while the socket was down: those seen unfinished, then those requested since {@code since}
   * (oldest first).
   */
  private void catchUp(Instant since) {
    List<JsonNode> runs = new ArrayList<>();
    for (String runId : List.copyOf(unfinished)) {
      runs.add(api().get("/api/v1/runs/" + runId));
    }
    JsonNode items = api().get(Api.query("/api/v1/runs", Lookup.mapOf("from", since.toString(), "limit", 200,
        "status", String.join(",", RunsCommand.TERMINAL), "datasourceId", datasourceId))).path("items");
    List<JsonNode> recent = new ArrayList<>();
    items.forEach(recent::add);
    Collections.reverse(recent);
    runs.addAll(recent);
    for (JsonNode run : runs) {
      String state = run.path("status").asText();
      if (!RunsCommand.TERMINAL.contains(state)) {
        continue;
      }
      unfinished.remove(run.path("id").asText());
      String key = key(run.path("id").asText(), state, run.path("attempt").asInt(1));
      if (statuses.contains(state) && !printed.contains(key)) {
        print(run, state, run.path("finishedAt").asText(run.path("requestedAt").asText()), key);
      }
    }
  }

  private void print(JsonNode run, String state, String at, String key) {
    printed.add(key);
    if (datasourceId != null && !datasourceId.equals(run.path("datasourceId").asText())) {
      return;
    }
    RunLine line = RunLine.of(run, state, at, lookup);
    out().println(json ? line.json().toString() : line.text());
    out().flush();
  }

  /** A run's state is printed once; a re-queued run (a new attempt) may be queued and running again. */
  private static String key(String runId, String status, int attempt) {
    return RunsCommand.TERMINAL.contains(status) ? runId + "|" + status : runId + "|" + status + "|" + attempt;
  }
}
