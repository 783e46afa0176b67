/**
 * How result values look in the table and what a copy puts on the clipboard. Pure functions over the result format
 * (docs/result-format.md §2): big integers and long decimals arrive as strings and are shown as given, never parsed.
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

/**
 * A timestamptz (ISO-8601 with Z or an offset) as `yyyy-MM-dd HH:mm:ss[.ffffff]` in `timeZone`. The fraction is kept
 * digit for digit from the source (a Date holds only milliseconds); values that are not instants (`infinity`) are
 * returned unchanged.
 */
export function formatInstant(iso: string, timeZone: string): string {
  const match = INSTANT.exec(iso)
  if (!match) return iso
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  const parts: Record<string, string> = {}
  for (const part of zonedFormatter(timeZone).formatToParts(at)) parts[part.type] = part.value
  const fraction = match[7] ?? ''
  const year = parts.year?.padStart(4, '0')
  return `${year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}${fraction}`
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
      return { text: String(value), kind: 'number' }
    case 'boolean':
      return { text: String(value), kind: 'boolean' }
    case 'timestamptz':
      if (typeof value === 'string') {
        const shown = formatInstant(value, options.timeZone)
        return { text: shown, kind: 'temporal', title: shown === value ? undefined : value }
      }
      break
    case 'date':
    case 'timestamp':
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
  if (typeof value === 'object') {
    const json = compactJson(value)
    if (json.length <= MAX_SHOWN)
      return { text: json, kind: 'json', title: json.length > 40 ? json : undefined }
    return { text: `${json.slice(0, MAX_SHOWN)}…`, kind: 'json', title: json }
  }
  if (typeof value === 'number') return { text: String(value), kind: 'number' }
  if (typeof value === 'boolean') return { text: String(value), kind: 'boolean' }
  return shorten(value)
}

/**
 * What a copy of one cell puts on the clipboard: the value as stored (ISO instants in UTC as the server sent them,
 * exact big numbers, compact JSON, bytea as `\x` hex). NULL copies as an empty string.
 */
export function rawCellText(value: Cell, column: ResultColumn): string {
  if (value === null || value === undefined) return ''
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
