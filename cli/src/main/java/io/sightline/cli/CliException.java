package io.sightline.cli;

/**
 * A failure the CLI reports as one line on stderr with the exit code scripts rely on (never a stack trace).
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit codes of every command. */
  public static final int OK = 0;
  public static final int RUN_FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;
  /** What a shell reports for a process ended by SIGINT (Ctrl+C): 128 + 2. */
  public static final int INTERRUPTED = 130;

  private final int exitCode;
  private final boolean transient_;

  public CliException(int exitCode, String message) {
    this(exitCode, message, false);
  }

  private CliException(int exitCode, String message, boolean transient_) {
    super(message, null, false, false);
    this.exitCode = exitCode;
    this.transient_ = transient_;
  }

  /** The server could not be reached or was unavailable (connection refused, 5xx): worth trying again later. */
  public static CliException unreachable(String message) {
    return new CliException(UNREACHABLE, message, true);
  }

  public static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  public static CliException failed(String message) {
    return new CliException(RUN_FAILED, message);
  }

  /** True when trying again later may succeed (unlike a refused key). */
  public boolean isTransient() {
    return transient_;
  }

  public int exitCode() {
    return exitCode;
  }
}
