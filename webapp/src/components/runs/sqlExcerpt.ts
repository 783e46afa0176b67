/**
 * The lines of SQL around an error position, with the character at the position singled out.
 * Postgres reports `position` as a 1-based offset in characters (code points) of the statement it
 * was sent — for Sightline the run's `sql` as executed — so the SQL is indexed by code point, not by
 * UTF-16 unit (an emoji or a CJK character earlier in the text must not shift the mark).
 */

export interface SqlExcerptLine {
  /** 1-based line number in the whole SQL. */
  number: number
  text: string
}

export interface SqlExcerpt {
  before: SqlExcerptLine[]
  /** The line holding the position, split around the marked character. */
  line: {
    number: number
    /** Text before the mark (shortened from the left with `…` on very long lines). */
    head: string
    /** The character at the position; empty when the position is at the end of the line or text. */
    mark: string
    tail: string
    /** Whitespace as wide as `head` (tabs kept), to put a caret under the mark. */
    caretIndent: string
  }
  after: SqlExcerptLine[]
  /** 1-based column of the position in its line. */
  column: number
}

const LONG_LINE = 80

export function sqlExcerpt(sql: string, position: number, context = 2): SqlExcerpt | null {
  if (!sql || !Number.isFinite(position) || position < 1) return null
  const chars = Array.from(sql)
  const index = Math.min(Math.floor(position) - 1, chars.length)
  let start = index
  while (start > 0 && chars[start - 1] !== '\n') start--
  let end = index
  while (end < chars.length && chars[end] !== '\n') end++

  const lineNumber = chars.slice(0, start).filter((c) => c === '\n').length + 1
  const marked = index < end && chars[index] !== '\r'
  let head = chars.slice(start, index).join('')
  let tail = chars
    .slice(marked ? index + 1 : index, end)
    .join('')
    .replace(/\r$/, '')
  if (Array.from(head).length > LONG_LINE) head = `…${Array.from(head).slice(-LONG_LINE).join('')}`
  if (Array.from(tail).length > LONG_LINE)
    tail = `${Array.from(tail).slice(0, LONG_LINE).join('')}…`

  const lines = sql.split('\n').map((text) => text.replace(/\r$/, ''))
  const around = (from: number, to: number): SqlExcerptLine[] =>
    lines
      .slice(Math.max(0, from), Math.max(0, to))
      .map((text, i) => ({ number: Math.max(0, from) + i + 1, text: shorten(text) }))

  return {
    before: around(lineNumber - 1 - context, lineNumber - 1),
    line: {
      number: lineNumber,
      head,
      mark: marked ? chars[index]! : '',
      tail,
      caretIndent: Array.from(head)
        .map((c) => (c === '\t' ? '\t' : ' '))
        .join(''),
    },
    after: around(lineNumber, lineNumber + context),
    column: index - start + 1,
  }
}

function shorten(text: string): string {
  const chars = Array.from(text)
  return chars.length > LONG_LINE * 2 ? `${chars.slice(0, LONG_LINE * 2).join('')}…` : text
}
