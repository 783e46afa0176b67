/** How the workbench words run times, counts and error codes. */

/** `850 ms`, `3.2 s`, `42 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1_000) return `${Math.round(ms)} ms`
  const seconds = ms / 1_000
  if (seconds < 10) return `${seconds.toFixed(1)} s`
  if (seconds < 60) return `${Math.floor(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString()
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const at = new Date(iso)
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString()
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
