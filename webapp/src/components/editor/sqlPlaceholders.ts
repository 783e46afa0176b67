/**
 * `{{name}}`, `{{name.start}}` and `{{name.end}}` placeholders in a query's SQL, found the way the server finds them
 * (shared/params/SqlTemplate.java): string literals ('..', E'..', U&'..'), dollar-quoted strings, quoted identifiers
 * and comments (line, and nested block comments) are skipped; top-level `;` split statements. Also the inverse of the server's binding
 * (ParameterBinder.java), so an error position in the bound SQL can be put back on the template.
 */
import type { ParameterSpec, ParamType } from '@/api/parameters'

export interface Placeholder {
  name: string
  part: 'start' | 'end' | null
  /** Offset of the first opening brace (0-based, inclusive). */
  start: number
  /** Offset just after the last closing brace. */
  end: number
}

export interface MalformedPlaceholder {
  text: string
  start: number
  end: number
  reason: string
}

/** One statement: from its first token to its closing `;` (exclusive) or the end of the text. */
export interface StatementRange {
  start: number
  end: number
}

export interface ScannedSql {
  placeholders: Placeholder[]
  malformed: MalformedPlaceholder[]
  /**
   * The statements, split at `;` outside literals, quoted identifiers and comments; empty ones (`;;`, a trailing
   * `;`, only comments) count for nothing, as in Postgres (SqlTemplate.statementStarts on the server).
   */
  statements: StatementRange[]
}

const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_'
const isNamePart = (c: string) => isNameStart(c) || (c >= '0' && c <= '9')
const isIdentStart = (c: string) => isNameStart(c) || c.charCodeAt(0) >= 0x80
const isIdentPart = (c: string) => isIdentStart(c) || (c >= '0' && c <= '9') || c === '$'
const isSpace = (c: string) => /\s/.test(c)

export function isParameterName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s)
}

export function scanPlaceholders(sql: string): ScannedSql {
  const n = sql.length
  const placeholders: Placeholder[] = []
  const malformed: MalformedPlaceholder[] = []
  const statements: StatementRange[] = []
  let open: StatementRange | null = null
  const at = (i: number, c: string) => i < n && sql[i] === c

  const skipQuoted = (from: number, quote: string): number => {
    let k = from
    for (;;) {
      const close = sql.indexOf(quote, k)
      if (close < 0) return n
      if (at(close + 1, quote)) k = close + 2
      else return close + 1
    }
  }
  const skipEscapeString = (from: number): number => {
    let k = from
    while (k < n) {
      const c = sql[k]
      if (c === '\\') k += 2
      else if (c === "'") {
        if (at(k + 1, "'")) k += 2
        else return k + 1
      } else k++
    }
    return n
  }
  const skipLineComment = (from: number): number => {
    for (let k = from; k < n; k++) if (sql[k] === '\n' || sql[k] === '\r') return k
    return n
  }
  const skipBlockComment = (from: number): number => {
    let depth = 1
    let k = from
    while (k < n) {
      if (sql[k] === '/' && at(k + 1, '*')) {
        depth++
        k += 2
      } else if (sql[k] === '*' && at(k + 1, '/')) {
        depth--
        k += 2
        if (depth === 0) return k
      } else k++
    }
    return n
  }
  const skipDollarQuoted = (start: number): number => {
    let j = start + 1
    if (j < n && isIdentStart(sql[j]!)) {
      j++
      while (j < n && isIdentPart(sql[j]!) && sql[j] !== '$') j++
    }
    if (!at(j, '$')) return start + 1
    const delimiter = sql.slice(start, j + 1)
    const close = sql.indexOf(delimiter, j + 1)
    return close < 0 ? n : close + delimiter.length
  }
  const word = (start: number): number => {
    let j = start + 1
    while (j < n && isIdentPart(sql[j]!)) j++
    if (j - start === 1) {
      const c = sql[start]
      if ((c === 'e' || c === 'E') && at(j, "'")) return skipEscapeString(j + 1)
      if ((c === 'u' || c === 'U') && at(j, '&') && (at(j + 1, "'") || at(j + 1, '"'))) {
        return skipQuoted(j + 2, sql[j + 1]!)
      }
    }
    return j
  }
  const skipSpace = (from: number): number => {
    let k = from
    while (k < n && isSpace(sql[k]!)) k++
    return k
  }
  const placeholder = (start: number): number => {
    let k = skipSpace(start + 2)
    const tokenStart = k
    while (k < n && (isNamePart(sql[k]!) || sql[k] === '.')) k++
    const tokenEnd = k
    k = skipSpace(k)
    if (!(at(k, '}') && at(k + 1, '}'))) return start + 1
    const end = k + 2
    const token = sql.slice(tokenStart, tokenEnd)
    const dot = token.indexOf('.')
    const name = dot < 0 ? token : token.slice(0, dot)
    const part = dot < 0 ? null : token.slice(dot + 1)
    if (token === '') {
      malformed.push({ text: token, start, end, reason: 'empty placeholder' })
    } else if (!isParameterName(name)) {
      malformed.push({
        text: token,
        start,
        end,
        reason:
          'placeholder names start with a letter or underscore and contain only letters, digits and underscores',
      })
    } else if (part !== null && part !== 'start' && part !== 'end') {
      malformed.push({
        text: token,
        start,
        end,
        reason: `only {{${name}.start}} and {{${name}.end}} can follow a name`,
      })
    } else {
      placeholders.push({ name, part, start, end })
    }
    return end
  }

  let i = 0
  while (i < n) {
    const c = sql[i]!
    const comment = (c === '-' && at(i + 1, '-')) || (c === '/' && at(i + 1, '*'))
    if (c === ';') {
      if (open) open.end = i
      open = null
      i++
      continue
    }
    if (!open && !comment && !isSpace(c)) {
      open = { start: i, end: n }
      statements.push(open)
    }
    if (c === "'") i = skipQuoted(i + 1, "'")
    else if (c === '"') i = skipQuoted(i + 1, '"')
    else if (c === '-' && at(i + 1, '-')) i = skipLineComment(i + 2)
    else if (c === '/' && at(i + 1, '*')) i = skipBlockComment(i + 2)
    else if (c === '$') i = skipDollarQuoted(i)
    else if (c === '{' && at(i + 1, '{')) i = placeholder(i)
    else if (isIdentStart(c)) i = word(i)
    else i++
  }
  return { placeholders, malformed, statements }
}

export interface UsedParameter {
  name: string
  /** Used as `{{name.start}}` / `{{name.end}}`, so a range. */
  ranged: boolean
}

/** The distinct names the SQL uses, in order of first appearance. */
export function usedParameters(sql: string): UsedParameter[] {
  const byName = new Map<string, UsedParameter>()
  for (const p of scanPlaceholders(sql).placeholders) {
    const seen = byName.get(p.name)
    if (seen) seen.ranged ||= p.part !== null
    else byName.set(p.name, { name: p.name, ranged: p.part !== null })
  }
  return [...byName.values()]
}

/** A declaration for a name the SQL uses but nobody declared yet: text, or a date range for `.start`/`.end`. */
export function defaultSpecFor(used: UsedParameter): ParameterSpec {
  return { name: used.name, label: null, type: used.ranged ? 'date_range' : 'text', required: true }
}

function castFor(type: ParamType, multi: boolean): string {
  switch (type) {
    case 'text':
      return '::text'
    case 'enum':
    case 'query_enum':
      return multi ? '::text[]' : '::text'
    case 'integer':
      return '::text::bigint'
    case 'number':
      return '::text::numeric'
    case 'boolean':
      return '::text::boolean'
    case 'date':
    case 'date_range':
      return '::text::date'
    case 'timestamp':
    case 'timestamp_range':
      return '::text::timestamptz'
  }
}

/** A stretch of the bound SQL: copied from the template at `from`, or standing for the placeholder there. */
interface Segment {
  boundStart: number
  boundEnd: number
  templateStart: number
  copied: boolean
}

export interface BoundSql {
  sql: string
  segments: Segment[]
}

/**
 * The SQL the server executes for this template and these declarations (ParameterBinder.bind): each distinct
 * placeholder is `$n` with a cast, numbered by first appearance, with a space where it would touch an identifier
 * character. Null when the server would refuse to bind (malformed or undeclared placeholders).
 */
export function bindSql(template: string, specs: readonly ParameterSpec[]): BoundSql | null {
  const { placeholders, malformed } = scanPlaceholders(template)
  if (malformed.length > 0) return null
  const byName = new Map(specs.map((spec) => [spec.name, spec]))
  const numbers = new Map<string, number>()
  const segments: Segment[] = []
  let out = ''
  let pos = 0
  const copy = (from: number, to: number) => {
    if (to <= from) return
    segments.push({
      boundStart: out.length,
      boundEnd: out.length + to - from,
      templateStart: from,
      copied: true,
    })
    out += template.slice(from, to)
  }
  for (const p of placeholders) {
    const spec = byName.get(p.name)
    if (!spec) return null
    copy(pos, p.start)
    const key = p.part ? `${p.name}.${p.part}` : p.name
    let n = numbers.get(key)
    if (n === undefined) {
      n = numbers.size + 1
      numbers.set(key, n)
    }
    if (out.length > 0 && isIdentPart(out[out.length - 1]!)) out += ' '
    const replacement = `$${n}${castFor(spec.type, spec.multi === true)}`
    segments.push({
      boundStart: out.length,
      boundEnd: out.length + replacement.length,
      templateStart: p.start,
      copied: false,
    })
    out += replacement
    pos = p.end
    if (pos < template.length && isIdentPart(template[pos]!)) out += ' '
  }
  copy(pos, template.length)
  return { sql: out, segments }
}

/** Where a 0-based offset into the bound SQL is in the template (a placeholder's text maps to its start). */
export function templateOffset(bound: BoundSql, boundOffset: number): number {
  for (const s of bound.segments) {
    if (boundOffset >= s.boundStart && boundOffset < s.boundEnd) {
      return s.copied ? s.templateStart + (boundOffset - s.boundStart) : s.templateStart
    }
  }
  const last = bound.segments[bound.segments.length - 1]
  if (!last) return boundOffset
  return last.copied ? last.templateStart + (last.boundEnd - last.boundStart) : last.templateStart
}

/**
 * Postgres counts an error position in characters (code points), JavaScript strings in UTF-16 units: the 0-based
 * string index of the 1-based character position `position`.
 */
export function indexOfCharPosition(sql: string, position: number): number {
  let index = 0
  for (let chars = 1; chars < position && index < sql.length; chars++) {
    const code = sql.charCodeAt(index)
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < sql.length ? 2 : 1
  }
  return Math.min(index, sql.length)
}
