package io.sightline.shared.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Base64;

/**
 * A secret setting. Its text never appears in {@link #toString()}, logs or error messages.
 *
 * @param value the configured text, empty when unset
 */
public record Secret(String value) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Secret of(String value) {
    return new Secret(value == null ? "" : value.trim());
  }

  public boolean isSet() {
    return !value.isEmpty();
  }

  /** Decodes a base64 key of exactly {@code length} bytes, or fails naming {@code setting}. */
  public byte[] base64Key(String setting, int length) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + ": not valid base64 (expected " + length + " random bytes, base64-encoded;"
          + " generate one with: head -c " + length + " /dev/urandom | base64)");
    }
    if (key.length != length) {
      throw new ConfigException(setting + ": must be " + length + " bytes once base64-decoded, got " + key.length
          + " (generate one with: head -c " + length + " /dev/urandom | base64)");
    }
    return key;
  }

  @Override
  public String toString() {
    return isSet() ? "Secret[set]" : "Secret[unset]";
  }
}
