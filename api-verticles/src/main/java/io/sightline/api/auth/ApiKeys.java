package io.sightline.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** API keys: {@code sl_} + 32 random bytes (base64url). Only the SHA-256 of a key is stored; its prefix tells keys apart. */
public final class ApiKeys {
  public static final String PREFIX = "sl_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static boolean looksLikeKey(String token) {
    return token.startsWith(PREFIX) && token.length() == PREFIX.length() + 43;
  }

  /** The first characters, shown in lists (not enough to guess the rest). */
  public static String displayPrefix(String key) {
    return key.substring(0, PREFIX.length() + 6);
  }

  public static byte[] hash(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
