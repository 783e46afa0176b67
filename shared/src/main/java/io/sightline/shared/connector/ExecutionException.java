package io.sightline.shared.connector;

/**
 * An execution that the datasource rejected or stopped: a SQL error, a timeout or a cancellation.
 *
 * @param code SQLSTATE where the datasource gave one (e.g. {@code 42P01}), else a Sightline code
 * @param position 1-based character offset into the executed SQL where the datasource located the error, or 0
 * @param kind what ended it
 */
public final class ExecutionException extends RuntimeException {
  public enum Kind { ERROR, TIMEOUT, CANCELLED, CONNECTION }

  private final String code;
  private final int position;
  private final Kind kind;

  public ExecutionException(Kind kind, String code, String message, int position) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.position = position;
  }

  public String code() {
    return code;
  }

  public int position() {
    return position;
  }

  public Kind kind() {
    return kind;
  }
}
