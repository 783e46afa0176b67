/**
 * The Schedules page's pieces that are not markup: the state filter as it lives in the URL (`?state=failing`), a
 * schedule's target as a link, what can be said about its last run from the schedule alone, and how late it is.
 */
import type { LocationQuery } from 'vue-router'

import type { Schedule, ScheduleState } from '@/api/schedules'

export const STATE_FILTERS: readonly { value: ScheduleState | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'failing', label: 'Failing' },
  { value: 'broken', label: 'Broken' },
  { value: 'paused', label: 'Paused' },
]

/** The filter of the URL; anything else (a typo, an old link) shows every schedule. */
export function stateFromQuery(query: LocationQuery): ScheduleState | '' {
  const raw = Array.isArray(query.state) ? query.state[0] : query.state
  return STATE_FILTERS.some((f) => f.value === raw) ? (raw as ScheduleState) : ''
}

export interface TargetLink {
  kind: 'query' | 'dashboard'
  to: string
  name: string
}

export function targetOf(
  schedule: Pick<Schedule, 'queryId' | 'queryName' | 'dashboardId' | 'dashboardName'>,
): TargetLink | null {
  if (schedule.queryId) {
    return {
      kind: 'query',
      to: `/queries/${schedule.queryId}`,
      name: schedule.queryName ?? 'Query',
    }
  }
  if (schedule.dashboardId) {
    return {
      kind: 'dashboard',
      to: `/dashboards/${schedule.dashboardId}`,
      name: schedule.dashboardName ?? 'Dashboard',
    }
  }
  return null
}

/**
 * The last run's outcome as the schedule's failure state tells it: "could not run" (broken), "failed" (failures
 * counted since the last success), "succeeded" when it has fired and nothing failed since — a run still under way
 * reads as succeeded until it settles.
 */
export function lastRunStatus(
  schedule: Pick<Schedule, 'lastFiredAt' | 'consecutiveFailures' | 'brokenReason'>,
): 'never' | 'could not run' | 'failed' | 'succeeded' {
  if (!schedule.lastFiredAt) return 'never'
  if (schedule.brokenReason) return 'could not run'
  if (schedule.consecutiveFailures > 0) return 'failed'
  return 'succeeded'
}

/** Seconds the next slot is overdue (an enabled schedule no runner fired yet), or null when on time. */
export function overdueSeconds(
  schedule: Pick<Schedule, 'enabled' | 'nextRunAt' | 'state'>,
  now: number = Date.now(),
  graceSeconds = 30,
): number | null {
  if (!schedule.enabled || !schedule.nextRunAt || schedule.state === 'ended') return null
  const late = (now - Date.parse(schedule.nextRunAt)) / 1000
  return late > graceSeconds ? Math.round(late) : null
}
