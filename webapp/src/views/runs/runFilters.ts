/**
 * The run-history filters as they live in the page URL (so a link reproduces the view), and how
 * they become `GET /api/v1/runs` parameters. Values are passed through as the URL has them: a bad
 * one is answered 400 by the API and shown in words, rather than silently dropped here.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

import type { Run, RunFilter, RunStatus, RunTrigger } from '@/api/runs'

export type RunTimeRange = '1h' | '24h' | '7d' | 'custom'

export const TIME_RANGES: readonly { value: RunTimeRange; label: string; ms?: number }[] = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'custom', label: 'Custom…' },
]

export interface RunsFilterState {
  /** As in the URL; normally {@link RunStatus} values. */
  status: string[]
  trigger: string
  datasourceId: string
  queryId: string
  /** Requests made by this schedule's firings (a schedule page's link). */
  scheduleId: string
  /** `me` for my runs only. */
  requestedBy: string
  range: RunTimeRange | ''
  /** ISO-8601 with offset; only with `range: 'custom'`. */
  from: string
  to: string
}

export function emptyFilters(): RunsFilterState {
  return {
    status: [],
    trigger: '',
    datasourceId: '',
    queryId: '',
    scheduleId: '',
    requestedBy: '',
    range: '',
    from: '',
    to: '',
  }
}

function one(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : ''
}

export function filtersFromQuery(query: LocationQuery): RunsFilterState {
  const range = one(query.range)
  return {
    status: one(query.status)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    trigger: one(query.trigger),
    datasourceId: one(query.datasourceId),
    queryId: one(query.queryId),
    scheduleId: one(query.scheduleId),
    requestedBy: one(query.requestedBy),
    range: TIME_RANGES.some((r) => r.value === range) ? (range as RunTimeRange) : '',
    from: one(query.from),
    to: one(query.to),
  }
}

/** The URL query for a filter state; empty filters are left out so a plain `/runs` means "all". */
export function filtersToQuery(state: RunsFilterState): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (state.status.length) query.status = state.status.join(',')
  if (state.trigger) query.trigger = state.trigger
  if (state.datasourceId) query.datasourceId = state.datasourceId
  if (state.queryId) query.queryId = state.queryId
  if (state.scheduleId) query.scheduleId = state.scheduleId
  if (state.requestedBy) query.requestedBy = state.requestedBy
  if (state.range) query.range = state.range
  if (state.range === 'custom' && state.from) query.from = state.from
  if (state.range === 'custom' && state.to) query.to = state.to
  return query
}

export function hasFilters(state: RunsFilterState): boolean {
  return Object.keys(filtersToQuery(state)).length > 0
}

/** The API filter; a relative range ("last hour") is resolved against `now`. */
export function filtersToApi(state: RunsFilterState, now: number = Date.now()): RunFilter {
  const range = TIME_RANGES.find((r) => r.value === state.range)
  return {
    status: state.status.length ? (state.status as RunStatus[]) : undefined,
    trigger: (state.trigger || undefined) as RunTrigger | undefined,
    datasourceId: state.datasourceId || undefined,
    queryId: state.queryId || undefined,
    scheduleId: state.scheduleId || undefined,
    requestedBy: state.requestedBy || undefined,
    from: range?.ms
      ? new Date(now - range.ms).toISOString()
      : state.range === 'custom'
        ? state.from || undefined
        : undefined,
    to: state.range === 'custom' ? state.to || undefined : undefined,
  }
}

/**
 * Whether a run belongs in a list shown with this API filter — used for runs that appear live.
 * `myUserId` resolves `requestedBy=me`.
 */
export function runMatches(run: Run, filter: RunFilter, myUserId: string | null): boolean {
  if (filter.status?.length && !filter.status.includes(run.status)) return false
  if (filter.trigger && run.trigger !== filter.trigger) return false
  if (filter.datasourceId && run.datasourceId !== filter.datasourceId.toLowerCase()) return false
  if (filter.queryId && run.queryId !== filter.queryId.toLowerCase()) return false
  if (filter.scheduleId && run.scheduleId !== filter.scheduleId.toLowerCase()) return false
  if (filter.requestedBy) {
    const wanted = filter.requestedBy === 'me' ? myUserId : filter.requestedBy.toLowerCase()
    if (run.requestedBy !== wanted) return false
  }
  const created = Date.parse(run.requestedAt ?? run.createdAt)
  if (filter.from && created < Date.parse(filter.from)) return false
  if (filter.to && created >= Date.parse(filter.to)) return false
  return true
}

/** A `datetime-local` input value (the reader's zone) as ISO-8601 UTC, or '' when empty/invalid. */
export function localInputToIso(value: string): string {
  if (!value) return ''
  const at = new Date(value)
  return Number.isNaN(at.getTime()) ? '' : at.toISOString()
}

/** An ISO timestamp as a `datetime-local` input value in the reader's zone. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return ''
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}`
  )
}
