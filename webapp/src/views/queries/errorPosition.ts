/**
 * Where a failed run's error is in the editor. Postgres reports a 1-based character position in the SQL that ran;
 * that is the editor's text for an ad-hoc run of everything, a stretch of it for a selection or a statement, and the
 * bound SQL (placeholders replaced by `$n` casts) for a query with parameters, which is mapped back onto the template.
 */
import type { ParameterSpec } from '@/api/parameters'
import { bindSql, indexOfCharPosition, templateOffset } from '@/components/editor/sqlPlaceholders'

/**
 * What the workbench sent: ad-hoc text starting at `offset` in the editor (a template bound with `specs` when it has
 * placeholders), or the saved query's template.
 */
export type RanSql =
  | { kind: 'adhoc'; sql: string; offset: number; specs?: ParameterSpec[] }
  | { kind: 'saved'; template: string; specs: ParameterSpec[] }

/** The 1-based character position in `text` of string index `index`. */
export function charPositionOf(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1
}

/**
 * The 1-based character position in the editor's current text, or null when the text changed since the run in a way
 * that makes the position meaningless there.
 */
export function editorErrorPosition(
  editorText: string,
  ran: RanSql,
  executedSql: string,
  position: number,
): number | null {
  if (position < 1) return null
  if (ran.kind === 'adhoc') {
    if (editorText.slice(ran.offset, ran.offset + ran.sql.length) !== ran.sql) return null
    if (executedSql === ran.sql) {
      return charPositionOf(editorText, ran.offset + indexOfCharPosition(ran.sql, position))
    }
    // with parameters, the server ran the bound text
    const bound = ran.specs ? bindSql(ran.sql, ran.specs) : null
    if (!bound || bound.sql !== executedSql) return null
    const index = templateOffset(bound, indexOfCharPosition(bound.sql, position))
    return charPositionOf(editorText, ran.offset + index)
  }
  if (editorText !== ran.template) return null
  const bound = bindSql(ran.template, ran.specs)
  if (!bound || bound.sql !== executedSql) return null
  return charPositionOf(editorText, templateOffset(bound, indexOfCharPosition(bound.sql, position)))
}
