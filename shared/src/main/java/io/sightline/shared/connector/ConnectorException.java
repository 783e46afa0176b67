package io.sightline.shared.connector;

/**
 * A datasource operation that failed for a reason the user can act on. {@code code} is stable for programs
 * ({@code authentication_failed}, {@code connection_refused}, {@code host_not_found}, {@code database_not_found},
 * {@code ssl_required}, {@code ssl_not_supported}, {@code timeout}, {@code permission_denied}, or a SQLSTATE);
 * {@code message} is for people and names what to check. Neither ever contains a password.
 */
public final class ConnectorException extends RuntimeException {
  private final String code;

  public ConnectorException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
