/**
 * How result values look in the table and what a copy puts on the clipboard. Pure functions over the result format
 * (docs/result-format.md §2): big integers and decimals arrive as strings and are shown digit for digit as Postgres
 * printed them (a decimal keeps its scale), never through a float; json documents arrive as their JSON text, so a JSON
 * `null` document is not SQL NULL. Thousands separators are a display option only: copies never have them.
 */
import type { Cell, ColumnType, ResultColumn } from '@/api/results'

export type CellKind = 'null' | 'number' | 'boolean' | 'json' | 'bytes' | 'temporal' | 'text'

export interface FormattedCell {
  /** What the cell shows (possibly shortened). */
  text: string
  kind: CellKind
  /** The full value for a tooltip, when the shown text is shortened or converted. */
  title?: string
}

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'decimal', 'number'])

/** Longest text a cell renders; the rest is in the tooltip and the copy. */
const MAX_SHOWN = 300
/** Bytes of a bytea value shown as hex before the ellipsis. */
const BYTEA_SHOWN = 24

export function isNumericColumn(column: Pick<ResultColumn, 'type'>): boolean {
  return NUMERIC_TYPES.has(column.type)
}

/**
 * A number's text in plain notation: `-1e-18` → `-0.000000000000000001`, `1.5e+21` → `1500000000000000000000`. Text
 * that is not a number in exponent notation (`NaN`, `123.450`) is returned unchanged.
 */
export function plainNotation(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(text)
  if (!match) return text
  const [, sign, whole, fraction = '', exponentText] = match
  const digits = `${whole}${fraction}`
  const point = whole!.length + Number(exponentText)
  let plain: string
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) plain = `${digits}${'0'.repeat(point - digits.length)}`
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`
  plain = plain.replace(/^0+(?=\d)/, '')
  if (plain.includes('.')) plain = plain.replace(/\.?0+$/, '')
  return `${sign}${plain}`
}

/** Inserts `,` between groups of three digits of the whole part of a plain number; other text is unchanged. */
export function groupThousands(text: string): string {
  const match = /^(-?)(\d+)(\.\d*)?$/.exec(text)
  if (!match) return text
  const [, sign, whole, fraction = ''] = match
  return `${sign}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`
}

/** A numeric cell's exact text: strings as sent, JSON numbers (older results) in plain notation except floats. */
function numberText(value: string | number, column: Pick<ResultColumn, 'type'>): string {
  const text = String(value)
  return column.type === 'number' ? text : plainNotation(text)
}

/** The user's time zone (IANA name), as the browser reports it. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

const zonedFormatters = new Map<string, Intl.DateTimeFormat>()

function zonedFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zonedFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    zonedFormatters.set(timeZone, formatter)
  }
  return formatter
}

const INSTANT =
  /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)$/i

/** A UTC offset as Postgres prints one: `+00`, `-05`, `+05:30`. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const hours = String(Math.floor(abs / 60)).padStart(2, '0')
  const rest = abs % 60
  return `${sign}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`
}

/** An instant's wall-clock fields in a time zone (zero-padded text) and the zone's offset from UTC then, in minutes. */
export interface ZonedParts {
  year: string
  month: string
  day: string
  hour: string
  minute: string
  second: string
  offsetMinutes: number
}

/** The wall clock of `at` in `timeZone`, with the zone's offset at that instant (so a DST change shows). */
export function zonedParts(at: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {}
  for (const part of zonedFormatter(timeZone).formatToParts(at)) parts[part.type] = part.value
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  )
  return {
    year: (parts.year ?? '').padStart(4, '0'),
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
    offsetMinutes: Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000),
  }
}

/**
 * A timestamptz (ISO-8601 with Z or an offset) as `yyyy-MM-dd HH:mm:ss[.ffffff]±HH[:MM]` in `timeZone` — the way psql
 * prints one, with the zone's offset at that instant (so a DST change shows). The fraction is kept digit for digit
 * from the source (a Date holds only milliseconds); values that are not instants (`infinity`) are returned unchanged.
 */
export function formatInstant(iso: string, timeZone: string): string {
  const match = INSTANT.exec(iso)
  if (!match) return iso
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  const p = zonedParts(at, timeZone)
  const fraction = match[7] ?? ''
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}${fraction}${offsetText(p.offsetMinutes)}`
}

/** A timestamp without zone in the same layout as an instant: `2026-03-08T02:30:00` → `2026-03-08 02:30:00`. */
export function formatLocalTimestamp(iso: string): string {
  return iso.replace(/^(\d{4,}-\d{2}-\d{2})T(?=\d)/, '$1 ')
}

/** A short name of the zone for headers, e.g. `CET` or `GMT+2`, falling back to the IANA name. */
export function zoneAbbreviation(timeZone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')
    return part?.value ?? timeZone
  } catch {
    return timeZone
  }
}

function compactJson(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}

/** Decodes base64 to hex without failing on bad input (null when it is not base64). */
function base64ToHex(base64: string, maxBytes = Infinity): { hex: string; bytes: number } | null {
  let binary: string
  try {
    binary = atob(base64)
  } catch {
    return null
  }
  let hex = ''
  const shown = Math.min(binary.length, maxBytes)
  for (let i = 0; i < shown; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0')
  return { hex, bytes: binary.length }
}

function shorten(text: string): FormattedCell {
  if (text.length <= MAX_SHOWN)
    return { text, kind: 'text', title: text.length > 40 ? text : undefined }
  return { text: `${text.slice(0, MAX_SHOWN)}…`, kind: 'text', title: text }
}

export interface FormatOptions {
  /** IANA zone timestamptz values are shown in. */
  timeZone: string
  /** Group the digits of numbers with `,` (display only; copies and downloads never have separators). */
  thousands?: boolean
}

const NUMERIC_ELEMENTS: ReadonlySet<string> = new Set(['integer', 'bigint', 'decimal', 'number'])

/**
 * An array value as compact text: JSON layout, with exact numbers bare (`[1.50,"a"]`) and json elements as their
 * document text, where a SQL NULL element is `NULL` and a JSON null document `null`.
 */
function arrayText(value: unknown, elementType: string | undefined): string {
  if (Array.isArray(value)) return `[${value.map((v) => arrayText(v, elementType)).join(',')}]`
  if (value === null || value === undefined) return elementType === 'json' ? 'NULL' : 'null'
  if (typeof value === 'string') {
    if (elementType === 'json') return value
    if (elementType && NUMERIC_ELEMENTS.has(elementType) && /^-?[\d.]+$/.test(value)) return value
  }
  return compactJson(value)
}

function jsonCell(json: string, kind: CellKind = 'json'): FormattedCell {
  if (json.length <= MAX_SHOWN)
    return { text: json, kind, title: json.length > 40 ? json : undefined }
  return { text: `${json.slice(0, MAX_SHOWN)}…`, kind, title: json }
}

/** How one cell is shown. */
export function formatCell(
  value: Cell,
  column: ResultColumn,
  options: FormatOptions,
): FormattedCell {
  if (value === null || value === undefined) return { text: 'NULL', kind: 'null' }
  switch (column.type) {
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'number':
      if (typeof value === 'string' || typeof value === 'number') {
        const text = numberText(value, column)
        return { text: options.thousands ? groupThousands(text) : text, kind: 'number' }
      }
      break
    case 'boolean':
      return { text: String(value), kind: 'boolean' }
    case 'timestamptz':
      if (typeof value === 'string') {
        const shown = formatInstant(value, options.timeZone)
        return { text: shown, kind: 'temporal', title: shown === value ? undefined : value }
      }
      break
    case 'timestamp':
      if (typeof value === 'string') return { text: formatLocalTimestamp(value), kind: 'temporal' }
      break
    case 'json':
      // Since format version 2 a document is its JSON text; older results embed it (an object, number...).
      if (typeof value === 'string')
        return value === 'null'
          ? { text: 'null', kind: 'json', title: 'JSON null (a document), not SQL NULL' }
          : jsonCell(value)
      break
    case 'array':
      return jsonCell(arrayText(value, column.elementType))
    case 'date':
    case 'time':
    case 'timetz':
    case 'interval':
      if (typeof value === 'string') return { text: value, kind: 'temporal' }
      break
    case 'bytea':
      if (typeof value === 'string') {
        const decoded = base64ToHex(value, BYTEA_SHOWN)
        if (!decoded) return { text: value, kind: 'bytes', title: 'base64' }
        const more = decoded.bytes > BYTEA_SHOWN ? '…' : ''
        const title = `${decoded.bytes.toLocaleString('en-US')} bytes${decoded.bytes >= 65_536 ? ' (first 64 KiB stored)' : ''}`
        return { text: `\\x${decoded.hex}${more}`, kind: 'bytes', title }
      }
      break
  }
  if (typeof value === 'object') return jsonCell(compactJson(value))
  if (typeof value === 'number') return { text: String(value), kind: 'number' }
  if (typeof value === 'boolean') return { text: String(value), kind: 'boolean' }
  return shorten(value)
}

/**
 * What a copy of one cell puts on the clipboard: the value as stored (ISO instants in UTC as the server sent them,
 * exact numbers in plain notation without separators, compact JSON, bytea as `\x` hex). NULL copies as an empty
 * string.
 */
export function rawCellText(value: Cell, column: ResultColumn): string {
  if (value === null || value === undefined) return ''
  if (isNumericColumn(column) && (typeof value === 'string' || typeof value === 'number'))
    return numberText(value, column)
  if (column.type === 'array') return arrayText(value, column.elementType)
  if (column.type === 'bytea' && typeof value === 'string') {
    const decoded = base64ToHex(value)
    return decoded ? `\\x${decoded.hex}` : value
  }
  if (typeof value === 'object') return compactJson(value)
  return String(value)
}

/** Quotes a field for tab-separated text the way spreadsheets read it back. */
function tsvField(text: string): string {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A row as one line of tab-separated values (spreadsheet paste). */
export function rowAsTsv(row: readonly Cell[], columns: readonly ResultColumn[]): string {
  return columns.map((column, i) => tsvField(rawCellText(row[i] ?? null, column))).join('\t')
}
