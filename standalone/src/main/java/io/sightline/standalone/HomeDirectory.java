package io.sightline.standalone;

import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.Secret;
import io.sightline.shared.config.SightlineConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone mode's data directory ({@code SIGHTLINE_HOME}): held under an exclusive lock for the life of the
 * process (two processes on one embedded Postgres would corrupt it), and the place of the generated secret key when
 * none is configured.
 */
final class HomeDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HomeDirectory.class);
  private static final String SETTING = "SIGHTLINE_HOME (home)";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private HomeDirectory(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  static HomeDirectory lock(Path path) {
    return tryLock(path).orElseThrow(() -> new ConfigException(SETTING + ": " + path + " is in use by another"
        + " running Sightline (stop it, or set SIGHTLINE_HOME to another directory)"));
  }

  /** The directory under this process's lock, or empty when a running Sightline holds it. */
  static Optional<HomeDirectory> tryLock(Path path) {
    try {
      Files.createDirectories(path);
      FileChannel channel = FileChannel.open(path.resolve("sightline.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new HomeDirectory(path, channel, lock));
    } catch (IOException e) {
      throw new ConfigException(SETTING + ": cannot use " + path + " (" + e.getMessage() + ")");
    }
  }

  Path postgresData() {
    return path.resolve("pgdata");
  }

  /**
   * The configured secret key, or the one generated into {@code secret.key} on first start (owner-only file). Datasource
   * passwords are encrypted with it: losing it means re-entering them.
   */
  SightlineConfig withSecretKey(SightlineConfig config) {
    if (config.secretKey().isSet()) {
      return config;
    }
    Path file = path.resolve("secret.key");
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[SightlineConfig.SECRET_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"))), Base64.getEncoder().encodeToString(key));
        LOG.info("generated a secret key in {}; back it up with the data directory", file);
      }
      Secret key = Secret.of(Files.readString(file));
      key.base64Key("SIGHTLINE_SECRET_KEY (" + file + ")", SightlineConfig.SECRET_KEY_BYTES);
      return config.withSecretKey(key);
    } catch (IOException e) {
      throw new ConfigException("SIGHTLINE_SECRET_KEY (secretKey): not set, and " + file + " cannot be created ("
          + e.getMessage() + ")");
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
