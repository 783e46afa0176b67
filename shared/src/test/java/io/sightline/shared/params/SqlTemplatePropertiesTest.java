package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.params.SqlTemplate.Placeholder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random SQL assembled from fragments (literals of every kind, comments, identifiers, operators and placeholders), where
 * the literals and comments themselves contain placeholder-looking text, quotes, backslashes, dollar signs and comment
 * markers. The scanner must find exactly the placeholders that were put between the fragments, at their offsets.
 */
class SqlTemplatePropertiesTest {

  /** A piece of SQL; {@code name != null} for a placeholder fragment (then {@code part} may be start/end). */
  record Fragment(String text, String name, String part) {
    static Fragment sql(String text) {
      return new Fragment(text, null, null);
    }
  }

  private static final String TRICKY = "ab_E{}'\"\\$-*/\n\r\t ;:&";

  /** Text to put inside a literal or comment: tricky characters and whole tricky tokens. */
  private static Arbitrary<String> content() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.strings().withChars(TRICKY).ofMaxLength(6),
        Arbitraries.of("{{x}}", "{{ y.start }}", "{{z.end}}", "$$", "$t$", "$tag$", "*/", "/*", "--", "''", "\\'",
            "E'", "U&'", "\"\"", "'; drop table x; --", "‘’“”ʼ", "{{", "}}"));
    return piece.list().ofMaxSize(5).map(parts -> String.join("", parts));
  }

  private static Arbitrary<Fragment> standardLiteral() {
    return Combinators.combine(Arbitraries.of("", "B", "X", "N", "U&", "u&"), content())
        .as((prefix, c) -> Fragment.sql(prefix + "'" + c.replace("'", "''") + "'"));
  }

  private static Arbitrary<Fragment> escapeLiteral() {
    return Combinators.combine(Arbitraries.of("E", "e"), Arbitraries.of("\\'", "''"), content())
        .as((prefix, quote, c) -> Fragment.sql(prefix + "'" + c.replace("\\", "\\\\").replace("'", quote) + "'"));
  }

  private static Arbitrary<Fragment> quotedIdentifier() {
    return Combinators.combine(Arbitraries.of("", "U&"), content())
        .as((prefix, c) -> Fragment.sql(prefix + "\"" + c.replace("\"", "\"\"") + "\""));
  }

  private static Arbitrary<Fragment> dollarQuoted() {
    return Combinators.combine(Arbitraries.of("", "t", "tag", "_1", "ü"), content())
        .as((tag, c) -> {
          String delimiter = "$" + tag + "$";
          // the body must not close the quote early (also not across its end: "x$t" + "$t$")
          String body = (c + delimiter).indexOf(delimiter) == c.length() ? c : "";
          return Fragment.sql(delimiter + body + delimiter);
        });
  }

  private static Arbitrary<Fragment> lineComment() {
    return Combinators.combine(content(), Arbitraries.of("\n", "\r", "\r\n"))
        .as((c, eol) -> Fragment.sql("--" + c.replace("\n", " ").replace("\r", " ") + eol));
  }

  private static Arbitrary<Fragment> blockComment() {
    Arbitrary<String> inner = content().map(c -> c.replace("/*", "/ *").replace("*/", "* /"));
    return Combinators.combine(inner, inner, inner, Arbitraries.integers().between(0, 2)).as((a, b, c, nesting) -> {
      String text = switch (nesting) {
        case 0 -> "/* " + a + " */";
        case 1 -> "/* " + a + " /* " + b + " */ " + c + " */";
        default -> "/* " + a + " /* " + b + " /* " + c + " */ */ */";
      };
      return Fragment.sql(text);
    });
  }

  private static Arbitrary<Fragment> word() {
    return Arbitraries.of("SELECT", "a", "E", "e", "U", "u", "B", "x1", "a$b", "a$b$", "tbl_9", "é", "FROM", "1", "1.5",
        "$1", "$", "=", "(", ")", ",", "::", "||", "-", "/", "*", "{", "}", ";", "[", "]", "&", "+").map(Fragment::sql);
  }

  private static Arbitrary<Fragment> placeholder() {
    return Combinators.combine(Arbitraries.of("a", "b", "x", "range_1", "_z", "Y"),
        Arbitraries.of(null, "start", "end"), Arbitraries.of("", " ", "  ", "\t", "\n"), Arbitraries.of("", " "))
        .as((name, part, before, after) -> new Fragment(
            "{{" + before + name + (part == null ? "" : "." + part) + after + "}}", name, part));
  }

  /** Any fragment but a placeholder (for the binder's property, which brings its own). */
  static Arbitrary<Fragment> nonPlaceholder() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, word()),
        Tuple.of(2, standardLiteral()),
        Tuple.of(2, escapeLiteral()),
        Tuple.of(1, quotedIdentifier()),
        Tuple.of(2, dollarQuoted()),
        Tuple.of(1, lineComment()),
        Tuple.of(2, blockComment()));
  }

  @Provide
  Arbitrary<List<Fragment>> statements() {
    Arbitrary<Fragment> fragment = Arbitraries.frequencyOf(
        Tuple.of(3, placeholder()),
        Tuple.of(3, word()),
        Tuple.of(2, standardLiteral()),
        Tuple.of(2, escapeLiteral()),
        Tuple.of(1, quotedIdentifier()),
        Tuple.of(2, dollarQuoted()),
        Tuple.of(1, lineComment()),
        Tuple.of(2, blockComment()));
    return fragment.list().ofMaxSize(25);
  }

  @Property(tries = 2000)
  void findsExactlyThePlaceholdersOutsideLiteralsAndComments(@ForAll("statements") List<Fragment> fragments) {
    StringBuilder sql = new StringBuilder();
    List<Placeholder> expected = new ArrayList<>();
    for (Fragment f : fragments) {
      if (sql.length() > 0) {
        sql.append(' ');
      }
      if (f.name() != null) {
        expected.add(new Placeholder(f.name(), f.part(), sql.length(), sql.length() + f.text().length()));
      }
      sql.append(f.text());
    }
    SqlTemplate template = SqlTemplate.parse(sql.toString());
    assertThat(template.placeholders()).as(sql.toString()).isEqualTo(expected);
    assertThat(template.malformed()).as(sql.toString()).isEmpty();
  }

  @Property(tries = 2000)
  void anyTextScansWithoutFailureAndEveryPlaceholderIsWhereItSays(
      @ForAll("anyText") String sql) {
    SqlTemplate template = SqlTemplate.parse(sql);
    int previousEnd = 0;
    for (Placeholder p : template.placeholders()) {
      assertThat(p.start()).isGreaterThanOrEqualTo(previousEnd);
      String text = sql.substring(p.start(), p.end());
      assertThat(text).startsWith("{{").endsWith("}}");
      assertThat(text.substring(2, text.length() - 2).strip()).isEqualTo(p.key());
      previousEnd = p.end();
    }
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(TRICKY + "{}{}.xy").ofMaxLength(80),
        content().list().ofMaxSize(8).map(l -> String.join(" ", l)));
  }
}
