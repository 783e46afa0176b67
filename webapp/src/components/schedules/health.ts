/**
 * A schedule's health in words, as every page shows it: "ok", "failing 3", "broken: the query … was archived",
 * "paused", "ended"; and the one line a page shows for all the schedules of a query or dashboard (the worst first).
 */
import type { FiringOutcome, Schedule, ScheduleKind, ScheduleState } from '@/api/schedules'

export type HealthTone = 'good' | 'warn' | 'bad' | 'muted'

export interface Health {
  state: ScheduleState
  /** Short: "ok", "failing 3", "broken", "paused", "ended". */
  label: string
  /** Why, when there is something to say: the broken reason, the last error, the window's end. */
  detail: string | null
  tone: HealthTone
}

const TONES: Record<ScheduleState, HealthTone> = {
  ok: 'good',
  failing: 'warn',
  broken: 'bad',
  paused: 'muted',
  ended: 'muted',
}

export function healthOf(
  schedule: Pick<
    Schedule,
    'state' | 'consecutiveFailures' | 'brokenReason' | 'lastError' | 'endedAt' | 'endsAt'
  >,
): Health {
  const state = schedule.state
  const tone = TONES[state] ?? 'muted'
  switch (state) {
    case 'broken':
      return { state, label: 'broken', detail: schedule.brokenReason, tone }
    case 'failing':
      return {
        state,
        label: `failing ${schedule.consecutiveFailures}`,
        detail: schedule.lastError,
        tone,
      }
    case 'ended':
      return { state, label: 'ended', detail: null, tone }
    case 'paused':
      return { state, label: 'paused', detail: null, tone }
    default:
      return { state: 'ok', label: 'ok', detail: null, tone: 'good' }
  }
}

/** Worst first: what a summary of several schedules leads with. */
const SEVERITY: Record<ScheduleState, number> = {
  broken: 0,
  failing: 1,
  paused: 2,
  ok: 3,
  ended: 4,
}

/** The schedules of one target, worst first (stable otherwise). */
export function worstFirst<T extends Pick<Schedule, 'state'>>(schedules: readonly T[]): T[] {
  return [...schedules].sort((a, b) => (SEVERITY[a.state] ?? 9) - (SEVERITY[b.state] ?? 9))
}

/** "every 5 minutes" / "30 7 * * MON-FRI": how a schedule repeats, in its own terms (the reading is separate). */
export function kindLabel(schedule: {
  kind: ScheduleKind
  everySeconds: number | null
  cron: string | null
}): string {
  return schedule.kind === 'cron'
    ? `cron ${schedule.cron ?? ''}`
    : `every ${formatEvery(schedule.everySeconds)}`
}

/** 90 → "90 seconds", 300 → "5 minutes", 7200 → "2 hours", 86400 → "1 day". */
export function formatEvery(seconds: number | null | undefined): string {
  if (!seconds || seconds <= 0) return '—'
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ]
  for (const [size, unit] of units) {
    if (seconds % size === 0) {
      const n = seconds / size
      return `${n} ${unit}${n === 1 ? '' : 's'}`
    }
  }
  return `${seconds} seconds`
}

export const OUTCOME_LABELS: Record<FiringOutcome, string> = {
  enqueued: 'ran',
  reused: 'shared a live run',
  skipped_overlap: 'skipped: previous run still live',
  skipped_missed: 'missed (no runner up)',
  skipped_backoff: 'skipped: backing off after failures',
  failed_to_enqueue: 'could not run',
}

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome as FiringOutcome] ?? outcome
}

/** Seconds between the planned slot and when it fired; null when either is missing or it fired early. */
export function lagSeconds(
  slotAt: string | null | undefined,
  firedAt: string | null | undefined,
): number | null {
  if (!slotAt || !firedAt) return null
  const lag = (Date.parse(firedAt) - Date.parse(slotAt)) / 1000
  return Number.isFinite(lag) && lag >= 0 ? lag : null
}
