package io.sightline.shared.params;

/**
 * The Postgres-specific part of binding: the text that replaces a placeholder. Every value is sent as text (or text[])
 * and cast in the statement, so the server parses it with its own input functions and the client never has to guess a
 * parameter type.
 */
final class PostgresBinds {
  private PostgresBinds() {}

  /** {@code $n} with the cast for a parameter of {@code type} ({@code multi}: a text array for {@code = ANY(..)}). */
  static String placeholder(int n, ParamType type, boolean multi) {
    return "$" + n + switch (type) {
      case TEXT -> "::text";
      case ENUM, QUERY_ENUM -> multi ? "::text[]" : "::text";
      case INTEGER -> "::text::bigint";
      case NUMBER -> "::text::numeric";
      case BOOLEAN -> "::text::boolean";
      case DATE, DATE_RANGE -> "::text::date";
      case TIMESTAMP, TIMESTAMP_RANGE -> "::text::timestamptz";
    };
  }

  /**
   * Whether a space must separate the replacement from {@code c}, the character next to it, so that Postgres still
   * reads {@code $n} as a parameter and the cast's type name as itself: after an identifier character the {@code $n}
   * would be lexed as part of that identifier ({@code abc$1}); before one, the type name would grow
   * ({@code ::textabc}).
   */
  static boolean needsSpace(char c) {
    return SqlTemplate.isIdentPart(c);
  }
}
