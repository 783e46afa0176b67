package io.sightline.shared.connector;

/**
 * An execution that the datasource rejected or stopped: a SQL error, a timeout, a cancellation or a lost connection.
 *
 * @param code SQLSTATE where the datasource gave one (e.g. {@code 42P01}), else a Sightline code ({@code internal}
 *     for an unexpected failure inside the connector)
 * @param position 1-based character offset into the executed SQL where the datasource located the error, or 0
 * @param kind what ended it; {@link Kind#CONNECTION} only for a connection that could not be made or was lost
 * @param statementSent whether the run's statement may have reached the datasource before the failure (false only
 *     when it certainly did not: no connection, or the connection failed while the transaction was being opened). A run
 *     whose statement was sent must never be executed again automatically: it may have had effects.
 */
public final class ExecutionException extends RuntimeException {
  public enum Kind { ERROR, TIMEOUT, CANCELLED, CONNECTION }

  private final String code;
  private final int position;
  private final Kind kind;
  private final boolean statementSent;

  /** A failure that may have come after the statement was sent (the safe assumption: never retried). */
  public ExecutionException(Kind kind, String code, String message, int position) {
    this(kind, code, message, position, true);
  }

  public ExecutionException(Kind kind, String code, String message, int position, boolean statementSent) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.position = position;
    this.statementSent = statementSent;
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

  public boolean statementSent() {
    return statementSent;
  }
}
