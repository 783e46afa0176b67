package io.sightline.shared.params;

/**
 * A problem with one parameter: its declaration in a query's params, or the value given for it. The API turns it into
 * a 400 whose {@code errors[]} entry has {@link #field()} as its path and {@link #reason()} as its detail.
 *
 * <p>The message never contains the value that was refused (values may be long, binary or hostile); it names the
 * parameter and says what is expected.
 */
public final class ParameterException extends RuntimeException {
  private final String parameter;
  private final String field;
  private final String reason;

  /**
   * @param parameter the parameter's name, or {@code null} when it has none yet (e.g. a declaration without a name)
   * @param field JSON pointer to the offending field, e.g. {@code /params/2/type} or {@code /params/from/start}
   * @param reason what is wrong, e.g. "must be a date (yyyy-MM-dd)"
   */
  public ParameterException(String parameter, String field, String reason) {
    super(describe(parameter, field, reason));
    this.parameter = parameter;
    this.field = field == null ? "" : field;
    this.reason = reason;
  }

  /** The parameter's name as given (may be {@code null}; for an unknown name, the name the client sent). */
  public String parameter() {
    return parameter;
  }

  /** JSON pointer to the offending field, e.g. {@code /params/from}; {@code /sql} for a placeholder problem. */
  public String field() {
    return field;
  }

  /** What is wrong, without the parameter's name. */
  public String reason() {
    return reason;
  }

  /** The same problem, with {@code prefix} put before the field (a declaration inside {@code /params/2}). */
  ParameterException under(String prefix) {
    ParameterException moved = new ParameterException(parameter, prefix + field, reason);
    moved.setStackTrace(getStackTrace());
    return moved;
  }

  private static String describe(String parameter, String field, String reason) {
    if (parameter != null && SqlTemplate.isName(parameter)) {
      return "parameter '" + parameter + "': " + reason;
    }
    return (field == null || field.isEmpty() ? "parameter" : field) + ": " + reason;
  }

  /** Escapes one JSON pointer token (RFC 6901). */
  static String pointerToken(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
