/**
 * How figures read on screen everywhere in the app: durations, byte sizes, counts, times and error codes. Counts and bytes are
 * always available exactly (callers put the exact form in a `title`), since operators compare them.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** `350 ms`, `1.2 s`, `2 min 3 s`, `1 h 5 min`; `—` when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const value = Math.max(0, ms)
  if (value < 1000) return `${Math.round(value)} ms`
  if (value < MINUTE) {
    const seconds = Math.floor(value / 100) / 10
    return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds)} s`
  }
  if (value < HOUR) {
    const minutes = Math.floor(value / MINUTE)
    const seconds = Math.floor((value % MINUTE) / 1000)
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`
  }
  const hours = Math.floor(value / HOUR)
  const minutes = Math.floor((value % HOUR) / MINUTE)
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`
}

/** An exact count with the reader's digit grouping, e.g. `1,234,567`; `—` when unknown. */
export function formatCount(n: number | null | undefined, locale?: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n)
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** A byte size for reading at a glance (`512 B`, `46.9 KiB`, `1.2 GiB`); `—` when unknown. */
export function formatBytes(n: number | null | undefined, locale?: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  if (Math.abs(n) < 1024) return `${formatCount(n, locale)} B`
  let value = n
  let unit = -1
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = Math.abs(value) < 100 ? 1 : 0
  const text = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  }).format(value)
  return `${text} ${BYTE_UNITS[unit]}`
}

/** The exact size for a `title`: `48,000 bytes`. */
export function formatBytesExact(n: number | null | undefined, locale?: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'unknown'
  return `${formatCount(n, locale)} ${n === 1 ? 'byte' : 'bytes'}`
}

/** `just now`, `3 min ago`, `2 h ago`, `5 d ago` (or `in 3 min` for a time ahead of the clock). */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—'
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  const delta = now - at
  const ahead = delta < 0
  const span = Math.abs(delta)
  if (span < 45_000) return 'just now'
  let text: string
  if (span < HOUR) text = `${Math.max(1, Math.round(span / MINUTE))} min`
  else if (span < DAY) text = `${Math.floor(span / HOUR)} h`
  else if (span < 60 * DAY) text = `${Math.floor(span / DAY)} d`
  else return formatDateTime(iso)
  return ahead ? `in ${text}` : `${text} ago`
}

const CALENDAR_DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' }

/** A date and time in the reader's time zone, to the second, with the zone's name. */
export function formatDateTime(
  iso: string | null | undefined,
  options: { milliseconds?: boolean; timeZone?: string; locale?: string } = {},
): string {
  return formatInstant(iso, options.locale, {
    ...CALENDAR_DAY,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: options.milliseconds ? 3 : undefined,
    hourCycle: 'h23',
    timeZoneName: 'short',
    timeZone: options.timeZone,
  })
}

/** A calendar date in the reader's time zone (`Mar 1, 2027`); `—` when unknown. The exact time belongs in a title. */
export function formatDate(
  iso: string | null | undefined,
  options: { timeZone?: string; locale?: string } = {},
): string {
  return formatInstant(iso, options.locale, { ...CALENDAR_DAY, timeZone: options.timeZone })
}

/** An ISO-8601 instant through `Intl.DateTimeFormat`; `—` when unknown, the text itself when it is not a time. */
function formatInstant(
  iso: string | null | undefined,
  locale: string | undefined,
  format: Intl.DateTimeFormatOptions,
): string {
  if (!iso) return '—'
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  return new Intl.DateTimeFormat(locale, format).format(at)
}

/** The first non-blank line of some SQL, for a one-line summary. */
export function sqlFirstLine(sql: string | null | undefined): string {
  if (!sql) return ''
  const line = sql.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? ''
  return line.trim()
}

/** A UUID shortened for display (`3f2a9c1e…`); the full id belongs in a `title`. */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—'
  return id.length > 8 ? `${id.slice(0, 8)}…` : id
}

const SQLSTATES: Record<string, string> = {
  '0A000': 'feature not supported',
  '21000': 'cardinality violation',
  '22001': 'string data right truncation',
  '22003': 'numeric value out of range',
  '22007': 'invalid datetime format',
  '22008': 'datetime field overflow',
  '22012': 'division by zero',
  '22023': 'invalid parameter value',
  '22P02': 'invalid text representation',
  '23502': 'not null violation',
  '23505': 'unique violation',
  '25006': 'read-only transaction',
  '28P01': 'invalid password',
  '3D000': 'invalid catalog name',
  '3F000': 'invalid schema name',
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '42501': 'insufficient privilege',
  '42601': 'syntax error',
  '42602': 'invalid name',
  '42702': 'ambiguous column',
  '42703': 'undefined column',
  '42704': 'undefined object',
  '42725': 'ambiguous function',
  '42803': 'grouping error',
  '42804': 'datatype mismatch',
  '42809': 'wrong object type',
  '42830': 'invalid foreign key',
  '42846': 'cannot coerce',
  '42883': 'undefined function',
  '42P01': 'undefined table',
  '42P02': 'undefined parameter',
  '42P10': 'invalid column reference',
  '42P18': 'indeterminate datatype',
  '42P20': 'windowing error',
  '53100': 'disk full',
  '53200': 'out of memory',
  '53300': 'too many connections',
  '54000': 'program limit exceeded',
  '55P03': 'lock not available',
  '57014': 'query canceled',
  '57P01': 'admin shutdown',
  XX000: 'internal error',
}

const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection exception',
  '0A': 'feature not supported',
  '21': 'cardinality violation',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '25': 'invalid transaction state',
  '28': 'invalid authorization',
  '3D': 'invalid catalog name',
  '3F': 'invalid schema name',
  '40': 'transaction rollback',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '54': 'program limit exceeded',
  '55': 'object not in prerequisite state',
  '57': 'operator intervention',
  '58': 'system error',
  P0: 'PL/pgSQL error',
  XX: 'internal error',
}

/** `SQLSTATE 42703 (undefined column)` for Postgres codes, the words for Sightline's own (`connection refused`). */
export function describeErrorCode(code: string | null | undefined): string | null {
  if (!code) return null
  if (/^[0-9A-Z]{5}$/.test(code)) {
    const words = SQLSTATES[code] ?? SQLSTATE_CLASSES[code.slice(0, 2)]
    return words ? `SQLSTATE ${code} (${words})` : `SQLSTATE ${code}`
  }
  return code.replace(/_/g, ' ')
}

/**
 * A run's error in words on one line, for lists: the message's first line with runs of spaces folded, cut at a word
 * near `max` characters with an ellipsis; the code in words when there is no message. The full text belongs in a title.
 */
export function errorSummary(
  error: { code: string | null; message: string | null } | null | undefined,
  max = 140,
): string {
  if (!error) return ''
  const line = sqlFirstLine(error.message).replace(/\s+/g, ' ')
  if (!line) {
    // `error` is Sightline's code for "no better code": it says nothing in words
    const words = error.code === 'error' ? null : describeErrorCode(error.code)
    return words ? `Failed: ${words}` : 'The run failed.'
  }
  if (line.length <= max) return line
  const cut = line.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}

/** Where a queued run stands: `2 runs ahead · datasource busy: 4 of 4 running`. */
export function describeQueue(
  queue:
    | { ahead: number; aheadAtLeast?: boolean; running: number; maxConcurrency: number }
    | null
    | undefined,
): string | null {
  if (!queue) return null
  const line =
    queue.ahead === 0
      ? 'next in line'
      : queue.aheadAtLeast
        ? `${formatCount(queue.ahead)}+ runs ahead`
        : `${formatCount(queue.ahead)} ${queue.ahead === 1 ? 'run' : 'runs'} ahead`
  const slots =
    queue.running >= queue.maxConcurrency
      ? `datasource busy: ${formatCount(queue.running)} of ${formatCount(queue.maxConcurrency)} running`
      : `${formatCount(queue.running)} of ${formatCount(queue.maxConcurrency)} running on this datasource`
  return `${line} · ${slots}`
}
