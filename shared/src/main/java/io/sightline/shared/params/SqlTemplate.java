package io.sightline.shared.params;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A saved query's SQL with its {@code {{name}}}, {@code {{name.start}}} and {@code {{name.end}}} placeholders.
 *
 * <p>The scanner follows Postgres' lexer closely enough to skip everything that is not SQL text: string literals
 * ({@code '..'} with {@code ''} escapes; {@code E'..'} with backslash escapes; {@code U&'..'}; also {@code B'..'},
 * {@code X'..'}, {@code N'..'}), dollar-quoted strings ({@code $$..$$}, {@code $tag$..$tag$}, where only the same tag
 * closes), quoted identifiers ({@code ".."} and {@code U&".."} with {@code ""} escapes), line comments ({@code --} to
 * the end of the line) and block comments (slash-star to star-slash, nested). {@code E} and {@code U&} are prefixes
 * only at the start of a word, as in Postgres ({@code nameE'x'} is the identifier {@code nameE} and a plain literal); a
 * {@code $} inside a word is part of the identifier and opens no dollar quote. An unterminated literal or comment
 * runs to the end of the text. {@code standard_conforming_strings} is assumed on (the default since Postgres 9.1).
 *
 * <p>Placeholder names match {@code [A-Za-z_][A-Za-z0-9_]*}; whitespace is allowed inside the braces
 * ({@code {{ name }}}, {@code {{ range.start }}}). Something that looks like a placeholder but is not a valid one
 * ({@code {{1x}}}, {@code {{x.middle}}}, {@code {{}}}) is reported in {@link #malformed()} and left out of
 * {@link #placeholders()}.
 *
 * <p>Safety does not depend on this scanner agreeing with Postgres: values are never put into the SQL text, so a
 * disagreement could only make a placeholder be missed or bound where it was not meant to be, never change the
 * statement according to a value.
 */
public final class SqlTemplate {
  private final String sql;
  private final List<Placeholder> placeholders;
  private final List<Malformed> malformed;
  private final List<Integer> statementStarts;
  private final int firstStatementEnd;

  private SqlTemplate(String sql, List<Placeholder> placeholders, List<Malformed> malformed,
      List<Integer> statementStarts, int firstStatementEnd) {
    this.sql = sql;
    this.firstStatementEnd = firstStatementEnd;
    this.placeholders = Collections.unmodifiableList(placeholders);
    this.malformed = Collections.unmodifiableList(malformed);
    this.statementStarts = Collections.unmodifiableList(statementStarts);
  }

  /** Scans {@code sql}; never fails (problems show in {@link #malformed()} and in {@link ParameterCheck}). */
  public static SqlTemplate parse(String sql) {
    Objects.requireNonNull(sql, "sql");
    Scanner scanner = new Scanner(sql);
    scanner.scan();
    return new SqlTemplate(sql, scanner.placeholders, scanner.malformed, scanner.statementStarts,
        scanner.firstStatementEnd);
  }

  /** The SQL as given. */
  public String sql() {
    return sql;
  }

  /** The placeholders in order of appearance. */
  public List<Placeholder> placeholders() {
    return placeholders;
  }

  /** The distinct parameter names used, in order of first appearance ({@code range} for {@code {{range.start}}}). */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Placeholder p : placeholders) {
      names.add(p.name());
    }
    return Collections.unmodifiableSet(names);
  }

  /** Brace pairs that look like placeholders but are not valid ones, in order of appearance. */
  public List<Malformed> malformed() {
    return malformed;
  }

  /**
   * Where each statement starts: the offset of its first character that is not whitespace, a comment or a
   * {@code ;}. Statements are separated by {@code ;} outside literals, quoted identifiers and comments; empty ones
   * ({@code select 1;;}, a trailing {@code ;}) count for nothing, as in Postgres. Empty for a text without SQL.
   */
  public List<Integer> statementStarts() {
    return statementStarts;
  }

  /** The offset where a second statement starts, or -1 when the text holds at most one. */
  public int secondStatementStart() {
    return statementStarts.size() > 1 ? statementStarts.get(1) : -1;
  }

  /**
   * Where the first statement ends: the offset of the {@code ;} that ends it, or the text's length when none does (a
   * comment after it included); -1 for a text without SQL.
   */
  public int firstStatementEnd() {
    return firstStatementEnd;
  }

  /**
   * The 1-based line and column of an offset, counting columns in characters (a surrogate pair is one) and lines
   * at {@code \n}, {@code \r\n} or a lone {@code \r}.
   */
  public static int[] lineAndColumn(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(offset, text.length());
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, text.codePointCount(lineStart, end) + 1};
  }

  @Override
  public String toString() {
    return "SqlTemplate" + placeholders;
  }

  /**
   * One placeholder.
   *
   * @param name the parameter's name
   * @param part {@code null}, {@code "start"} or {@code "end"}
   * @param start offset of the first opening brace in the SQL (0-based, inclusive)
   * @param end offset just after the last closing brace (exclusive)
   */
  public record Placeholder(String name, String part, int start, int end) {
    /** {@code name} or {@code name.part}, as written between the braces. */
    public String key() {
      return part == null ? name : name + "." + part;
    }
  }

  /**
   * Something between {@code {{ }}} that is not a valid placeholder.
   *
   * @param text what is between the braces, trimmed
   * @param start offset of the first opening brace
   * @param end offset just after the last closing brace
   * @param reason why it is not a placeholder
   */
  public record Malformed(String text, int start, int end, String reason) {}

  /** A valid parameter name. */
  static boolean isName(String s) {
    if (s == null || s.isEmpty() || !isNameStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isNamePart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  /** Postgres' ident_start: a letter, underscore or any non-ASCII character. */
  static boolean isIdentStart(char c) {
    return isNameStart(c) || c >= 0x80;
  }

  /** Postgres' ident_cont: also digits and {@code $}. */
  static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
  }

  private static final class Scanner {
    private final String sql;
    private final int n;
    final List<Placeholder> placeholders = new ArrayList<>();
    final List<Malformed> malformed = new ArrayList<>();
    final List<Integer> statementStarts = new ArrayList<>();
    int firstStatementEnd = -1;
    /** No SQL text since the start or the last {@code ;}: the next token starts a statement. */
    private boolean betweenStatements = true;

    Scanner(String sql) {
      this.sql = sql;
      this.n = sql.length();
    }

    void scan() {
      int i = 0;
      while (i < n) {
        char c = sql.charAt(i);
        boolean comment = (c == '-' && at(i + 1, '-')) || (c == '/' && at(i + 1, '*'));
        if (c == ';') {
          if (!betweenStatements && statementStarts.size() == 1) {
            firstStatementEnd = i;
          }
          betweenStatements = true;
          i++;
          continue;
        }
        if (betweenStatements && !comment && !Character.isWhitespace(c)) {
          betweenStatements = false;
          statementStarts.add(i);
        }
        if (c == '\'') {
          i = skipQuoted(i + 1, '\'');
        } else if (c == '"') {
          i = skipQuoted(i + 1, '"');
        } else if (c == '-' && at(i + 1, '-')) {
          i = skipLineComment(i + 2);
        } else if (c == '/' && at(i + 1, '*')) {
          i = skipBlockComment(i + 2);
        } else if (c == '$') {
          i = skipDollarQuoted(i);
        } else if (c == '{' && at(i + 1, '{')) {
          i = placeholder(i);
        } else if (isIdentStart(c)) {
          i = word(i);
        } else {
          i++;
        }
      }
      if (firstStatementEnd < 0 && !statementStarts.isEmpty()) {
        firstStatementEnd = n;
      }
    }

    private boolean at(int i, char c) {
      return i < n && sql.charAt(i) == c;
    }

    /** A keyword or identifier, and a literal it prefixes (E'..', U&'..', U&".."). */
    private int word(int start) {
      int j = start + 1;
      while (j < n && isIdentPart(sql.charAt(j))) {
        j++;
      }
      if (j - start == 1) {
        char c = sql.charAt(start);
        if ((c == 'e' || c == 'E') && at(j, '\'')) {
          return skipEscapeString(j + 1);
        }
        if ((c == 'u' || c == 'U') && at(j, '&') && (at(j + 1, '\'') || at(j + 1, '"'))) {
          return skipQuoted(j + 2, sql.charAt(j + 1));
        }
      }
      return j;
    }

    /** From just after the opening quote to just after the closing one; a doubled quote is an escaped quote. */
    private int skipQuoted(int from, char quote) {
      int k = from;
      while (true) {
        int close = sql.indexOf(quote, k);
        if (close < 0) {
          return n;
        }
        if (at(close + 1, quote)) {
          k = close + 2;
        } else {
          return close + 1;
        }
      }
    }

    /** E'..': a backslash escapes the next character, and '' is a quote too. */
    private int skipEscapeString(int from) {
      int k = from;
      while (k < n) {
        char c = sql.charAt(k);
        if (c == '\\') {
          k += 2;
        } else if (c == '\'') {
          if (at(k + 1, '\'')) {
            k += 2;
          } else {
            return k + 1;
          }
        } else {
          k++;
        }
      }
      return n;
    }

    /** To the newline (which is SQL text again) or the end. */
    private int skipLineComment(int from) {
      for (int k = from; k < n; k++) {
        char c = sql.charAt(k);
        if (c == '\n' || c == '\r') {
          return k;
        }
      }
      return n;
    }

    /** From just after the opening slash-star; comments nest. */
    private int skipBlockComment(int from) {
      int depth = 1;
      int k = from;
      while (k < n) {
        if (sql.charAt(k) == '/' && at(k + 1, '*')) {
          depth++;
          k += 2;
        } else if (sql.charAt(k) == '*' && at(k + 1, '/')) {
          depth--;
          k += 2;
          if (depth == 0) {
            return k;
          }
        } else {
          k++;
        }
      }
      return n;
    }

    /** At a '$' that starts no word: $tag$..$tag$ (tag empty or an identifier without '$'), else just the '$'. */
    private int skipDollarQuoted(int start) {
      int j = start + 1;
      if (j < n && isIdentStart(sql.charAt(j))) {
        j++;
        while (j < n && isIdentPart(sql.charAt(j)) && sql.charAt(j) != '$') {
          j++;
        }
      }
      if (!at(j, '$')) {
        return start + 1; // $1, a lone $...
      }
      String delimiter = sql.substring(start, j + 1);
      int close = sql.indexOf(delimiter, j + 1);
      return close < 0 ? n : close + delimiter.length();
    }

    /** At "{{": a placeholder, something malformed, or (no closing braces on a plausible token) just a brace. */
    private int placeholder(int start) {
      int k = skipSpace(start + 2);
      int tokenStart = k;
      while (k < n && (isNamePart(sql.charAt(k)) || sql.charAt(k) == '.')) {
        k++;
      }
      int tokenEnd = k;
      k = skipSpace(k);
      if (!(at(k, '}') && at(k + 1, '}'))) {
        return start + 1;
      }
      int end = k + 2;
      String token = sql.substring(tokenStart, tokenEnd);
      int dot = token.indexOf('.');
      String name = dot < 0 ? token : token.substring(0, dot);
      String part = dot < 0 ? null : token.substring(dot + 1);
      if (token.isEmpty()) {
        malformed.add(new Malformed(token, start, end, "empty placeholder"));
      } else if (!isName(name)) {
        malformed.add(new Malformed(token, start, end,
            "placeholder names start with a letter or underscore and contain only letters, digits and underscores"));
      } else if (part != null && !part.equals("start") && !part.equals("end")) {
        malformed.add(new Malformed(token, start, end, "only {{" + name + ".start}} and {{" + name
            + ".end}} can follow a name"));
      } else {
        placeholders.add(new Placeholder(name, part, start, end));
      }
      return end;
    }

    private int skipSpace(int from) {
      int k = from;
      while (k < n && Character.isWhitespace(sql.charAt(k))) {
        k++;
      }
      return k;
    }
  }
}
