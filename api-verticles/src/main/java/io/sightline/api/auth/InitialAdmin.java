package io.sightline.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time admin password of a first start (or of {@code sightline reset-admin-password}): shown once, after the
 * ready line, in a framed block that stands apart from log lines, and kept in {@code $SIGHTLINE_HOME/initial-admin.txt}
 * (owner-only) until that admin chooses a new password — so a lost terminal never locks anyone out.
 */
public final class InitialAdmin {
  public static final String FILE = "initial-admin.txt";
  private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
  private static final String EMAIL_LINE = "email: ";

  private InitialAdmin() {}

  /** The framed block: a headline, where to sign in, the email and the one-time password. */
  public static String banner(String headline, String url, String email, String password, Optional<Path> file) {
    List<String> lines = new java.util.ArrayList<>(List.of(headline, "", "  Sign in at  " + url, "  Email       "
        + email, "  Password    " + password, "", "This password works once: you choose a new one at sign-in."));
    file.ifPresent(f -> lines.add("It is also in " + f + " until then."));
    int width = lines.stream().mapToInt(String::length).max().orElse(0);
    String rule = "+" + "-".repeat(width + 2) + "+";
    StringBuilder out = new StringBuilder("\n").append(rule).append('\n');
    for (String line : lines) {
      out.append("| ").append(line).append(" ".repeat(width - line.length())).append(" |\n");
    }
    return out.append(rule).append('\n').toString();
  }

  /** Writes (or replaces) the file in {@code home}, readable by its owner only; answers its path. */
  public static Path write(Path home, String url, String email, String password) throws IOException {
    Path file = home.resolve(FILE);
    Files.deleteIfExists(file);
    String text = "Sightline's one-time admin password (this file is deleted when the password is changed)\n"
        + "url: " + url + "\n" + EMAIL_LINE + email + "\n" + "password: " + password + "\n";
    try {
      Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------"))), text.getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException raced) {
      throw new IOException(file + " appeared while it was being replaced", raced);
    }
    return file;
  }

  /**
   * Deletes the file when it names {@code email} (the admin whose one-time password it holds has just chosen a new
   * one). Blocking file I/O: call it off the event loop. Never fails: a file that cannot be read or deleted is logged.
   */
  public static void forget(Path home, String email) {
    Path file = home.resolve(FILE);
    try {
      if (!Files.isRegularFile(file)) {
        return;
      }
      boolean names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .anyMatch(l -> l.startsWith(EMAIL_LINE)
              && l.substring(EMAIL_LINE.length()).trim().toLowerCase(Locale.ROOT)
                  .equals(email.trim().toLowerCase(Locale.ROOT)));
      if (names && Files.deleteIfExists(file)) {
        LOG.info("deleted {}: its one-time password was changed", file);
      }
    } catch (IOException e) {
      LOG.warn("could not delete {} after the password change: {}", file, e.getMessage());
    }
  }
}
