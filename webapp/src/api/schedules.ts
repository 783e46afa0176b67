/**
 * Schedules (`/api/v1/schedules…`): refreshes of a saved query or a whole dashboard on an interval or a cron, in an
 * IANA time zone, with their health and firing history. The server's contract is
 * api-verticles/src/main/java/io/sightline/api/schedules/ScheduleResource.java; docs/schedules.md.
 */
import { http } from './http'
import type { ParamValue } from './parameters'
import type { RunStatus } from './runs'

export type ScheduleKind = 'interval' | 'cron'

/** `broken` > `ended` > `paused` > `failing` > `ok`: the first that applies. */
export type ScheduleState = 'ok' | 'failing' | 'broken' | 'paused' | 'ended'

export const SCHEDULE_STATES: readonly ScheduleState[] = [
  'ok',
  'failing',
  'broken',
  'paused',
  'ended',
]

/** The shortest interval the server accepts. */
export const MIN_EVERY_SECONDS = 60

export interface ScheduleSave {
  name: string
  /** Exactly one of queryId and dashboardId. */
  queryId?: string | null
  dashboardId?: string | null
  /** Parameter values (presets such as `last_7d` allowed); checked against the target's declarations. */
  params?: Record<string, ParamValue>
  kind: ScheduleKind
  /** With `kind: 'interval'`: 60 s to one year. */
  everySeconds?: number | null
  /** With `kind: 'cron'`: Unix 5-field cron. */
  cron?: string | null
  /** IANA zone; default: the org's. */
  timezone?: string | null
  /** ISO-8601 with offset; the window is `[startsAt, endsAt)`. */
  startsAt?: string | null
  endsAt?: string | null
  enabled?: boolean
}

export interface Schedule {
  id: string
  name: string
  queryId: string | null
  queryName: string | null
  dashboardId: string | null
  dashboardName: string | null
  params: Record<string, ParamValue>
  kind: ScheduleKind
  everySeconds: number | null
  cron: string | null
  timezone: string
  /** The reading in words, e.g. "at 07:30 on every weekday (America/Toronto)". */
  description: string
  startsAt: string | null
  endsAt: string | null
  enabled: boolean
  state: ScheduleState
  nextRunAt: string | null
  lastFiredAt: string | null
  lastRunId: string | null
  consecutiveFailures: number
  lastError: string | null
  brokenReason: string | null
  backoffUntil: string | null
  endedAt: string | null
  version: number
  createdAt: string
  createdBy: string | null
  updatedAt: string
  updatedBy: string | null
}

export interface SchedulePage {
  items: Schedule[]
  nextCursor: string | null
}

export interface ScheduleListQuery {
  queryId?: string
  dashboardId?: string
  state?: ScheduleState
  limit?: number
  cursor?: string
}

export interface SchedulePreview {
  description: string
  timezone: string
  /** The next 10 times: `at` in UTC, `local` with the zone's offset. */
  times: { at: string; local: string }[]
}

export interface SchedulePreviewQuery {
  cron?: string
  every?: number
  timezone?: string
  /** ISO-8601 instant to start from (default: now). */
  from?: string
}

export type FiringOutcome =
  | 'enqueued'
  | 'reused'
  | 'skipped_overlap'
  | 'skipped_missed'
  | 'skipped_backoff'
  | 'failed_to_enqueue'

/** A run of a firing as the firing history joins it. */
export interface FiringRun {
  id: string
  status: RunStatus
  rowCount: number | null
  execMs: number | null
  errorCode: string | null
}

export interface Firing {
  /** Absent on a run-now answer. */
  id?: number
  slotAt: string
  firedAt: string
  outcome: FiringOutcome
  /** A run-now, outside the slots. */
  manual: boolean
  /** How many slots the row stands for (a catch-up summary counts the missed ones). */
  slots: number
  runIds: string[]
  error: string | null
  /** The firing's runs settled: `succeeded`, `failed`, …; null while they run. */
  runStatus?: string | null
  settledAt?: string | null
  runs?: FiringRun[]
}

export interface FiringPage {
  items: Firing[]
  nextCursor: string | null
}

const base = '/api/v1/schedules'
const one = (id: string) => `${base}/${encodeURIComponent(id)}`

export function listSchedules(
  query: ScheduleListQuery = {},
  signal?: AbortSignal,
): Promise<SchedulePage> {
  return http.get<SchedulePage>(base, { query: { ...query }, signal })
}

export function previewSchedule(
  query: SchedulePreviewQuery,
  signal?: AbortSignal,
): Promise<SchedulePreview> {
  return http.get<SchedulePreview>(`${base}/preview`, { query: { ...query }, signal })
}

export function getSchedule(id: string, signal?: AbortSignal): Promise<Schedule> {
  return http.get<Schedule>(one(id), { signal })
}

export function createSchedule(body: ScheduleSave): Promise<Schedule> {
  return http.post<Schedule>(base, body)
}

/** `version` is the one the edit started from (409 when stale). */
export function saveSchedule(
  id: string,
  body: ScheduleSave & { version: number },
): Promise<Schedule> {
  return http.put<Schedule>(one(id), body)
}

/** Deletes it and its firing history; its runs stay. */
export function deleteSchedule(id: string): Promise<void> {
  return http.delete<void>(one(id))
}

export function pauseSchedule(id: string): Promise<Schedule> {
  return http.post<Schedule>(`${one(id)}/pause`)
}

/** Fires again from the next slot after now; 409 when its window ended. */
export function resumeSchedule(id: string): Promise<Schedule> {
  return http.post<Schedule>(`${one(id)}/resume`)
}

/** Fires now, outside the slots; answers the firing (`outcome`, `runIds`, `error`). */
export function runScheduleNow(id: string): Promise<Firing> {
  return http.post<Firing>(`${one(id)}/run-now`)
}

export function listFirings(
  id: string,
  query: { limit?: number; cursor?: string } = {},
  signal?: AbortSignal,
): Promise<FiringPage> {
  return http.get<FiringPage>(`${one(id)}/firings`, { query: { ...query }, signal })
}
