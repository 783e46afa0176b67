/**
 * Which SQL a run sends: the selection; else, in a text of several statements, the statement under the cursor (as
 * DataGrip and DBeaver do) unless the user chose to run the whole text. Statements are split the way the server
 * counts them (sqlPlaceholders.ts mirrors SqlTemplate.java), so what runs is exactly one statement.
 */
import type { SqlRunRequest } from './sqlEditorApi'
import { scanPlaceholders, type StatementRange } from './sqlPlaceholders'

/** What Run (and Ctrl/Cmd+Enter) runs when nothing is selected. */
export type RunScope = 'statement' | 'all'

export function statementRanges(sql: string): StatementRange[] {
  return scanPlaceholders(sql).statements
}

/**
 * The statement the cursor (0-based offset) is in: the last one starting at or before it (so a cursor after a `;`
 * or in the blank lines below still means the statement above), or the first when the cursor is before any.
 */
export function statementAt(sql: string, cursor: number): StatementRange | null {
  const ranges = statementRanges(sql)
  let found: StatementRange | null = ranges[0] ?? null
  for (const range of ranges) {
    if (range.start <= cursor) found = range
    else break
  }
  return found
}

/**
 * What to run: the selection if there is one; the whole text when it holds at most one statement or the scope is
 * `all`; else the statement under the cursor, trailing blanks trimmed (a part, like a selection).
 */
export function runTarget(
  sql: string,
  selected: SqlRunRequest | null,
  cursor: number | null,
  scope: RunScope,
): SqlRunRequest {
  if (selected) return selected
  const whole = { sql, offset: 0, selection: false }
  if (scope === 'all' || statementRanges(sql).length < 2) return whole
  const range = statementAt(sql, cursor ?? 0)
  if (!range) return whole
  return { sql: sql.slice(range.start, range.end).trimEnd(), offset: range.start, selection: true }
}
