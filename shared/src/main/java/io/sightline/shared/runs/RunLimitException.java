package io.sightline.shared.runs;

/** A requested option beyond what the datasource or the server allows; {@code field} is its JSON pointer. */
public final class RunLimitException extends RuntimeException {
  private final String field;

  public RunLimitException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
