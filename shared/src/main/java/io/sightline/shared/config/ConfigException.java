package io.sightline.shared.config;

/**
 * A setting that cannot be used. The message is one line that names the setting (environment variable and
 * configuration key) and says what is wrong; it never contains a secret value.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
