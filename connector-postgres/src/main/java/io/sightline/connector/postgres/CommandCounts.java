package io.sightline.connector.postgres;

import java.util.Locale;
import java.util.Set;

/**
 * The row count of a statement without a result. vertx-pg-client 5.0.7 reads a command tag's count from whatever
 * follows its first space, digit or not ({@code INSERT 0 1} → 1, but {@code CREATE TABLE} → 379101), and does not
 * expose the tag itself. Only the statements whose tag ends in a count (INSERT, UPDATE, DELETE, MERGE, SELECT INTO,
 * COPY, FETCH, MOVE, and a WITH leading one of them) are trusted; every other command reports 0.
 */
final class CommandCounts {
  private static final Set<String> COUNTED = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "SELECT", "WITH", "COPY",
      "FETCH", "MOVE");

  private CommandCounts() {}

  static long affectedRows(String sql, long parsedCount) {
    return COUNTED.contains(leadingKeyword(sql)) ? parsedCount : 0;
  }

  /** The statement's first word in upper case, after white space, comments and opening parentheses. */
  static String leadingKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        i = afterBlockComment(sql, i);
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** Block comments nest in Postgres. */
  private static int afterBlockComment(String sql, int at) {
    int depth = 0;
    int i = at;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return i;
  }
}
