package io.sightline.shared.crypto;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.SightlineConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of secrets at rest (datasource passwords) with AES-256-GCM under SIGHTLINE_SECRET_KEY, and
 * derivation of purpose-bound keys from it (session signing, CSRF tokens). Sealed layout: 12-byte random nonce, then
 * ciphertext with its 16-byte tag. Callers pass associated data (e.g. the datasource id) so a sealed value cannot be
 * moved to another row. {@link #keyId()} names the key without revealing it, for rotation.
 */
public final class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String keyId;

  public SecretBox(byte[] key) {
    if (key.length != SightlineConfig.SECRET_KEY_BYTES) {
      throw new IllegalArgumentException("secret key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = HexFormat.of().formatHex(derive("sightline key id")).substring(0, 16);
  }

  /** The box for the configured key; fails start-up clearly when none is configured. */
  public static SecretBox from(SightlineConfig config) {
    if (!config.secretKey().isSet()) {
      throw new ConfigException("SIGHTLINE_SECRET_KEY (secretKey): required (32 random bytes, base64-encoded; generate"
          + " one with: head -c 32 /dev/urandom | base64). Every api and runner of a cluster needs the same key.");
    }
    return new SecretBox(config.secretKey().base64Key("SIGHTLINE_SECRET_KEY (secretKey)",
        SightlineConfig.SECRET_KEY_BYTES));
  }

  public String keyId() {
    return keyId;
  }

  public byte[] seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Opens a sealed value; fails if it was sealed under another key or with other associated data, or was altered. */
  public String open(byte[] sealed, String associatedData) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretException("sealed secret is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretException("sealed secret does not open with the configured SIGHTLINE_SECRET_KEY");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** A 32-byte key for one purpose (HMAC-SHA256 of the purpose under the secret key). */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Constant-time comparison of two byte strings. */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** A secret that cannot be opened. Its message never contains the secret. */
  public static final class SecretException extends RuntimeException {
    public SecretException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[" + keyId + "]";
  }
}
