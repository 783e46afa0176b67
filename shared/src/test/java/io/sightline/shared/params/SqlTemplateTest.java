package io.sightline.shared.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.shared.params.SqlTemplate.Placeholder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The placeholder scanner: what counts as SQL text and what is skipped as a literal, identifier or comment. */
class SqlTemplateTest {

  private static List<String> keys(String sql) {
    return SqlTemplate.parse(sql).placeholders().stream().map(Placeholder::key).toList();
  }

  @Test
  void findsPlaceholdersInPlainSqlWithExactOffsets() {
    String sql = "SELECT * FROM t WHERE a = {{a}} AND b > {{ b }} AND ts >= {{r.start}} AND ts < {{\tr.end\n}}";
    SqlTemplate t = SqlTemplate.parse(sql);
    int a = sql.indexOf("{{a}}");
    int b = sql.indexOf("{{ b }}");
    int rs = sql.indexOf("{{r.start}}");
    int re = sql.indexOf("{{\tr.end\n}}");
    assertThat(t.placeholders()).containsExactly(
        new Placeholder("a", null, a, a + 5),
        new Placeholder("b", null, b, b + 7),
        new Placeholder("r", "start", rs, rs + 11),
        new Placeholder("r", "end", re, re + 11));
    assertThat(t.names()).containsExactly("a", "b", "r");
    assertThat(t.malformed()).isEmpty();
    for (Placeholder p : t.placeholders()) {
      assertThat(sql.substring(p.start(), p.end())).startsWith("{{").endsWith("}}").contains(p.key());
    }
  }

  @Test
  void namesAreDistinctInOrderOfFirstUse() {
    SqlTemplate t = SqlTemplate.parse("{{b}} {{a}} {{b}} {{r.end}} {{r.start}} {{_x9}}");
    assertThat(t.names()).containsExactly("b", "a", "r", "_x9");
    assertThat(t.placeholders()).hasSize(6);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT '{{x}}'",
      "SELECT 'it''s {{x}}'",
      "SELECT '''{{x}}'''",
      "SELECT 'a\\'' {{x}} '",                // standard string: a backslash escapes nothing, '' is the quote
      "SELECT E'\\'{{x}}'",
      "SELECT e'\\' {{x}} '",
      "SELECT E'it''s {{x}}'",
      "SELECT E'\\\\\\' {{x}}'",             // E'\\\' {{x}}' : an escaped backslash, then an escaped quote
      "SELECT U&'{{x}}'",
      "SELECT u&'d\\0061t''{{x}}'",
      "SELECT B'{{x}}', X'{{x}}', N'{{x}}'",
      "SELECT \"{{x}}\" FROM t",
      "SELECT \"a\"\"{{x}}\" FROM t",
      "SELECT U&\"{{x}}\" FROM t",
      "SELECT $${{x}}$$",
      "SELECT $$ ' {{x}} ' $$",
      "SELECT $tag$ $$ {{x}} $$ $tag$",
      "SELECT $a$ {{x}} $b$ {{x}} $ab$ {{x}} $a$",
      "SELECT $_1$ {{x}} $_1$",
      "SELECT $ü$ {{x}} $ü$",
      "SELECT 1 -- {{x}}",
      "SELECT 1 --{{x}} */ '",
      "SELECT 1 /* {{x}} */",
      "SELECT 1 /* outer /* inner */ {{x}} */",
      "SELECT 1 /* a /* b /* c */ {{x}} */ {{x}} */",
      "SELECT 1 /*/ {{x}} */",
      "SELECT 1 /** {{x}} **/",
      "SELECT 1 +/* {{x}} */2",
      "SELECT '{{x}}",                       // unterminated: runs to the end
      "SELECT /* {{x}} /* */",
      "SELECT $q$ {{x}}",
      "SELECT \" {{x}}",
      "SELECT E' \\",
  })
  void skipsLiteralsQuotedIdentifiersAndComments(String sql) {
    SqlTemplate t = SqlTemplate.parse(sql);
    assertThat(t.placeholders()).isEmpty();
    assertThat(t.names()).isEmpty();
    assertThat(t.malformed()).isEmpty();
  }

  @Test
  void findsPlaceholdersRightAfterEveryKindOfLiteralOrComment() {
    assertThat(keys("SELECT 'a''b'{{p1}} E'\\''{{p2}} \"q\"\"\"{{p3}} $t$ $$ $t${{p4}} -- c\n{{p5}} /* /* */ */{{p6}}"
        + " U&'x'{{p7}} --\r{{p8}}")).containsExactly("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
  }

  @Test
  void anEscapeStringNeedsItsPrefixAtTheStartOfAWord() {
    // a plain literal: the backslash escapes nothing
    assertThat(keys("SELECT 'a\\' {{a}} '")).containsExactly("a");
    // xe'\' is the identifier xe and the plain literal '\'; {{a}} is SQL text, then an unterminated literal
    assertThat(keys("SELECT xe'\\' {{a}} '")).containsExactly("a");
    // e'\' {{a}} ' is one escape string
    assertThat(keys("SELECT e'\\' {{a}} '")).isEmpty();
    // E'\\' ends at its second quote
    assertThat(keys("SELECT E'\\\\', {{a}}")).containsExactly("a");
    // 1E'..' (a number, then E'..' as older Postgres lexes it)
    assertThat(keys("SELECT 1E'\\'{{a}}'")).isEmpty();
    // U& needs the quote right after the ampersand
    assertThat(keys("SELECT U & '{{a}}' , U&{{b}}")).containsExactly("b");
  }

  @Test
  void dollarSignsInsideWordsAndPositionalParametersOpenNoDollarQuote() {
    assertThat(keys("SELECT $1, {{a}}, $2")).containsExactly("a");
    assertThat(keys("SELECT a$b$ {{a}} $b$ {{b}}")).containsExactly("a");
    assertThat(keys("SELECT a$ {{a}}, $ {{b}}")).containsExactly("a", "b");
    assertThat(keys("SELECT $1$ {{a}}")).containsExactly("a");
    assertThat(keys("SELECT $a b$ {{a}}")).containsExactly("a");
  }

  @Test
  void malformedPlaceholdersAreReportedNotBound() {
    SqlTemplate t = SqlTemplate.parse("SELECT {{1x}}, {{x.middle}}, {{}}, {{ a.start.end }}, {{.x}}, {{ok}}");
    assertThat(t.placeholders()).extracting(Placeholder::key).containsExactly("ok");
    assertThat(t.malformed()).extracting(SqlTemplate.Malformed::text)
        .containsExactly("1x", "x.middle", "", "a.start.end", ".x");
    assertThat(t.malformed().get(1).reason()).contains("{{x.start}}");
    assertThat(t.sql().substring(t.malformed().get(0).start(), t.malformed().get(0).end())).isEqualTo("{{1x}}");
  }

  @Test
  void braceSequencesThatAreNotPlaceholdersAreLeftAlone() {
    assertThat(SqlTemplate.parse("SELECT '{}'::int[], { {x}}, {{x y}}, {{ x").placeholders()).isEmpty();
    SqlTemplate t = SqlTemplate.parse("SELECT {{{x}}}");
    assertThat(t.placeholders()).containsExactly(new Placeholder("x", null, 8, 13));
    assertThat(SqlTemplate.parse("SELECT {{x}}}").placeholders()).containsExactly(new Placeholder("x", null, 7, 12));
  }

  @Test
  void namesAreCaseSensitiveAndAsciiOnly() {
    assertThat(keys("SELECT {{Name}}, {{name}}, {{NAME.start}}")).containsExactly("Name", "name", "NAME.start");
    SqlTemplate t = SqlTemplate.parse("SELECT {{naïve}}");
    assertThat(t.placeholders()).isEmpty();
  }

  @Test
  void anEmptyOrPlaceholderFreeSqlHasNoPlaceholders() {
    assertThat(SqlTemplate.parse("").placeholders()).isEmpty();
    assertThat(SqlTemplate.parse("SELECT 1").names()).isEmpty();
  }

  // ---- statements ------------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "select 1", "select 1;", "select 1;  \n -- done\n", "select 1; /* the end */", "select 1;;", ";select 1",
      "  -- lead\n select ';' as a", "select $$a;b$$", "select $tag$ ; select 2 $tag$", "select \"a;b\" from t",
      "select E'it\\'s; not' ", "select 1 -- ; select 2", "select 1 /* ; /* nested ; */ select 2 */",
      "select U&'d;x'", "select {{x}};"})
  void oneStatementWhateverTheSemicolonsInsideLiteralsAndComments(String sql) {
    SqlTemplate t = SqlTemplate.parse(sql);
    assertThat(t.statementStarts()).as(sql).hasSize(1);
    assertThat(t.secondStatementStart()).isEqualTo(-1);
  }

  @Test
  void theSecondStatementStartsAtItsFirstToken() {
    String sql = "select ';' as a; -- first\n\n  /* c */ select 2;\nselect 3";
    SqlTemplate t = SqlTemplate.parse(sql);
    int second = sql.indexOf("select 2");
    assertThat(t.statementStarts()).containsExactly(0, second, sql.indexOf("select 3"));
    assertThat(t.secondStatementStart()).isEqualTo(second);
    assertThat(SqlTemplate.lineAndColumn(sql, second)).containsExactly(3, 11);
  }

  @Test
  void noStatementInAnEmptyOrCommentOnlyText() {
    assertThat(SqlTemplate.parse("").statementStarts()).isEmpty();
    assertThat(SqlTemplate.parse(" -- nothing\n;; /* x */").statementStarts()).isEmpty();    assertThat(SqlTemplate.parse(" -- nothing\n;; /* x */").firstStatementEnd()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 1|", "select 1|;", "select 1|;  \n -- done\n", "select 1|; /* the end */",
      "select 1|;;", ";select 1|", "select $$a;b$$|;", "select 1 -- ; select 2|", "select 'a;' /* ; */|; select 2",
      "select 1|;\n;select 2"})
  void theFirstStatementEndsAtItsSemicolonOrTheEndOfTheText(String marked) {
    String sql = marked.replace("|", "");
    assertThat(SqlTemplate.parse(sql).firstStatementEnd()).as(marked).isEqualTo(marked.indexOf('|'));
  }

  @Test
  void lineAndColumnCountCharactersAndEveryLineBreak() {
    assertThat(SqlTemplate.lineAndColumn("abc", 0)).containsExactly(1, 1);
    assertThat(SqlTemplate.lineAndColumn("a\r\nb\rc\nd", 7)).containsExactly(4, 1);
    assertThat(SqlTemplate.lineAndColumn("\uD83D\uDE00x", 2)).containsExactly(1, 2);
  }
}
