/**
 * How run figures read on screen: durations, byte sizes, counts and times. Counts and bytes are
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

/** A date and time in the reader's time zone, to the second, with the zone's name. */
export function formatDateTime(
  iso: string | null | undefined,
  options: { milliseconds?: boolean; timeZone?: string; locale?: string } = {},
): string {
  if (!iso) return '—'
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  return new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: options.milliseconds ? 3 : undefined,
    hourCycle: 'h23',
    timeZoneName: 'short',
    timeZone: options.timeZone,
  }).format(at)
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
