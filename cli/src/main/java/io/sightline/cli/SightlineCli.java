package io.sightline.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code sightline cli}: the operators' command-line tool. A client of the server's public HTTP API and of its
 * event-bus bridge, authenticated by an API key ({@code SIGHTLINE_URL}, {@code SIGHTLINE_API_KEY}, or
 * {@code --url}/{@code --api-key}). Exit codes: 0 ok, 1 a run failed, 2 usage, 3 unreachable or refused (401/403),
 * 130 interrupted. Errors are one line on stderr, never a stack trace. See docs/cli.md.
 */
@Command(name = "sightline cli", mixinStandardHelpOptions = true, version = "sightline cli 0.1.0",
    description = "Operate a Sightline server from the command line with an API key.",
    subcommands = {RunCommand.class, RunsCommand.class, QueriesCommand.class, DatasourcesCommand.class,
        SchedulesCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:a run failed, timed out or was cancelled; another server-side failure",
        "2:usage (bad option, unknown name, a value the server refused)",
        "3:server unreachable, or the API key refused (401/403)", "130:interrupted (Ctrl+C)"})
public final class SightlineCli extends Group {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "The server (default: $SIGHTLINE_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "An API key (default: $SIGHTLINE_API_KEY). Never printed.")
  String apiKey;

  final Map<String, String> env;
  final PrintStream out;
  final PrintStream err;
  private Api api;

  private SightlineCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.BufferedOutputStream(
        new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    int code = execute(args, System.getenv(), out, System.err);
    out.flush();
    System.exit(code);
  }

  /** Runs one command line; answers its exit code. */
  public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    SightlineCli cli = new SightlineCli(env, out, err);
    CommandLine line = new CommandLine(cli);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException c) {
        err.println("sightline: " + c.getMessage());
        return c.exitCode();
      }
      if (e instanceof InterruptedException) {
        return CliException.INTERRUPTED;
      }
      if (e instanceof java.io.UncheckedIOException && out.checkError()) {
        return CliException.OK; // stdout closed early (| head): not an error
      }
      err.println("sightline: unexpected error: " + e);
      return CliException.RUN_FAILED;
    });
    int code = line.execute(args);
    out.flush();
    return code;
  }

  /** The API client for the configured server and key (made once). */
  Api api() {
    if (api == null) {
      String key = apiKey != null ? apiKey : env.get("SIGHTLINE_API_KEY");
      if (key == null || key.isBlank()) {
        throw CliException.usage("no API key: set SIGHTLINE_API_KEY or pass --api-key");
      }
      String base = url != null ? url : env.getOrDefault("SIGHTLINE_URL", DEFAULT_URL);
      if (!base.matches("https?://[^\\s/]+(/\\S*)?")) {
        throw CliException.usage("not an http(s) URL: " + base);
      }
      api = new Api(base, key.strip());
    }
    return api;
  }
}
