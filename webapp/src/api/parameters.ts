/**
 * Parameter declarations of a saved query (its `params` array) and the values a run binds.
 * The server validates both (shared/params/ParameterSpec.java, ParamValues.java); see docs/api.md.
 */

export type ParamType =
  | 'text'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'date_range'
  | 'timestamp_range'
  | 'enum'
  | 'query_enum'

export const PARAM_TYPES: readonly ParamType[] = [
  'text',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
  'date_range',
  'timestamp_range',
  'enum',
  'query_enum',
]

/** Relative ranges the server resolves at run time in the org's time zone. */
export type RangePreset =
  'last_15m' | 'last_1h' | 'last_24h' | 'last_7d' | 'last_30d' | 'today' | 'yesterday' | 'this_week'

export const RANGE_PRESETS: readonly { value: RangePreset; label: string }[] = [
  { value: 'last_15m', label: 'Last 15 minutes' },
  { value: 'last_1h', label: 'Last hour' },
  { value: 'last_24h', label: 'Last 24 hours' },
  { value: 'last_7d', label: 'Last 7 days' },
  { value: 'last_30d', label: 'Last 30 days' },
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'this_week', label: 'This week' },
]

/** A range: explicit ends (ISO dates or timestamps) or a preset name. */
export type RangeValue = { start: string; end: string } | RangePreset

/** A value as sent in a run's `params` object. */
export type ParamValue =
  string | number | boolean | string[] | { start: string; end: string } | null

export interface ParameterSpec {
  name: string
  label?: string | null
  type: ParamType
  required?: boolean
  default?: ParamValue
  /** integer/number: a number; date/timestamp (and ranges): an ISO string. */
  min?: number | string | null
  max?: number | string | null
  /** enum only. */
  options?: string[]
  /** enum and query_enum. */
  multi?: boolean
  /** query_enum only: the saved query whose latest result gives the options, and its column. */
  optionsQueryId?: string
  optionsColumn?: string
}

export function isRangeType(type: ParamType): boolean {
  return type === 'date_range' || type === 'timestamp_range'
}

export function isPreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && RANGE_PRESETS.some((p) => p.value === value)
}
