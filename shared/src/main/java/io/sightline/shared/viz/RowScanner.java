package io.sightline.shared.viz;

import java.nio.charset.StandardCharsets;

/**
 * Finds the values of a few columns in one JSON-lines row ({@code [v0,v1,…]}, docs/result-format.md §2) without
 * parsing the rest: a hand-rolled scan that skips strings (escapes included) and nested arrays, and stops after the
 * last column it needs. After {@link #scan}, {@link #kind(int)}, {@link #start(int)} and {@link #end(int)} describe
 * each wanted column's token (for strings: the bytes between the quotes).
 */
final class RowScanner {
  static final byte MISSING = 0;
  static final byte NULL = 1;
  static final byte NUMBER = 2;
  static final byte STRING = 3;
  static final byte OTHER = 4;

  /** slot of each column index, -1 when not wanted. */
  private final int[] slotOf;
  private final int lastWanted;
  /** for each slot, the slot that holds its column's token (itself, or the first slot naming the same column). */
  private final int[] source;
  private final boolean aliased;
  private final byte[] kind;
  private final boolean[] escaped;
  private final int[] start;
  private final int[] end;
  private byte[] data;

  /** {@code columns}: the column indexes wanted, in slot order (duplicates share a slot of their first mention). */
  RowScanner(int columnCount, int[] columns) {
    slotOf = new int[columnCount];
    java.util.Arrays.fill(slotOf, -1);
    int last = -1;
    source = new int[columns.length];
    boolean anyAlias = false;
    for (int s = 0; s < columns.length; s++) {
      if (slotOf[columns[s]] < 0) {
        slotOf[columns[s]] = s;
      }
      source[s] = slotOf[columns[s]];
      anyAlias |= source[s] != s;
      last = Math.max(last, columns[s]);
    }
    lastWanted = last;
    aliased = anyAlias;
    kind = new byte[columns.length];
    escaped = new boolean[columns.length];
    start = new int[columns.length];
    end = new int[columns.length];
  }

  /**
   * Scans the row starting at {@code from} (data up to {@code to}, which may hold more lines: the scan never crosses
   * a newline). Returns where it stopped — after the last wanted column or at the row's end, never past its newline
   * — or -1 for a line that is not an array.
   */
  int scan(byte[] b, int from, int to) {
    data = b;
    for (int s = 0; s < kind.length; s++) {
      kind[s] = MISSING;
    }
    int p = skipSpace(b, from, to);
    if (p >= to || b[p] != '[') {
      return -1;
    }
    p++;
    int col = 0;
    while (p < to && col <= lastWanted) {
      p = skipSpace(b, p, to);
      if (p >= to || b[p] == ']') {
        break;
      }
      int slot = col < slotOf.length ? slotOf[col] : -1;
      byte c = b[p];
      int tokenEnd;
      if (c == '"') {
        boolean esc = false;
        int q = p + 1;
        while (q < to && b[q] != '"' && b[q] != '\n') {
          if (b[q] == '\\') {
            esc = true;
            q++;
          }
          q++;
        }
        if (slot >= 0) {
          kind[slot] = STRING;
          start[slot] = p + 1;
          end[slot] = Math.min(q, to);
          escaped[slot] = esc;
        }
        tokenEnd = q + 1;
      } else if (c == '[' || c == '{') {
        tokenEnd = skipNested(b, p, to);
        if (slot >= 0) {
          kind[slot] = OTHER;
          start[slot] = p;
          end[slot] = tokenEnd;
        }
      } else {
        int q = p;
        while (q < to && b[q] != ',' && b[q] != ']' && b[q] > ' ') {
          q++;
        }
        if (slot >= 0) {
          kind[slot] = c == 'n' ? NULL : (c == 't' || c == 'f') ? OTHER : NUMBER;
          start[slot] = p;
          end[slot] = q;
        }
        tokenEnd = q;
      }
      p = skipSpace(b, Math.min(tokenEnd, to), to);
      if (p < to && b[p] == ',') {
        p++;
      }
      col++;
    }
    if (aliased) {
      for (int s = 0; s < source.length; s++) {
        int src = source[s];
        if (src != s) {
          kind[s] = kind[src];
          start[s] = start[src];
          end[s] = end[src];
          escaped[s] = escaped[src];
        }
      }
    }
    return Math.min(p, to);
  }

  private static int skipSpace(byte[] b, int p, int to) {
    while (p < to && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r')) {
      p++;
    }
    return p;
  }

  /** The end (exclusive) of the array or object starting at {@code p}. */
  private static int skipNested(byte[] b, int p, int to) {
    int depth = 0;
    for (int q = p; q < to; q++) {
      byte c = b[q];
      if (c == '"') {
        q++;
        while (q < to && b[q] != '"') {
          if (b[q] == '\\') {
            q++;
          }
          q++;
        }
      } else if (c == '\n') {
        return q;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (--depth == 0) {
          return q + 1;
        }
      }
    }
    return to;
  }

  byte kind(int slot) {
    return kind[slot];
  }

  int start(int slot) {
    return start[slot];
  }

  int end(int slot) {
    return end[slot];
  }

  boolean escaped(int slot) {
    return escaped[slot];
  }

  byte[] data() {
    return data;
  }

  boolean isNull(int slot) {
    return kind[slot] == NULL || kind[slot] == MISSING;
  }

  /** The token as text: a string's decoded value, or a number's (or literal's) JSON text; null for SQL NULL. */
  String text(int slot) {
    byte k = kind[slot];
    if (k == NULL || k == MISSING) {
      return null;
    }
    String raw = new String(data, start[slot], end[slot] - start[slot], StandardCharsets.UTF_8);
    if (k == STRING && escaped[slot]) {
      return io.vertx.core.json.Json.decodeValue("\"" + raw + "\"", String.class);
    }
    return raw;
  }
}
