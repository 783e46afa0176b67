package io.sightline.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandCountsTest {

  @Test
  void theLeadingKeywordSkipsWhiteSpaceCommentsAndParentheses() {
    assertThat(CommandCounts.leadingKeyword("insert into t values (1)")).isEqualTo("INSERT");
    assertThat(CommandCounts.leadingKeyword("\n  -- a comment\n/* one /* nested */ */ ((Update t set a = 1))"))
        .isEqualTo("UPDATE");
    assertThat(CommandCounts.leadingKeyword("-- only a comment")).isEmpty();
    assertThat(CommandCounts.leadingKeyword("/* unterminated")).isEmpty();
  }

  @Test
  void onlyTagsThatEndInACountAreTrusted() {
    assertThat(CommandCounts.affectedRows("delete from t", 3)).isEqualTo(3);
    assertThat(CommandCounts.affectedRows("with x as (select 1) insert into t select * from x", 1)).isEqualTo(1);
    assertThat(CommandCounts.affectedRows("create table x (a int)", 379101)).isZero();
    assertThat(CommandCounts.affectedRows("lock table x", 379101)).isZero();
  }
}
