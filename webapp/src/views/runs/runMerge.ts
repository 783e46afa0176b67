/**
 * Ordering of what we learn about one run. Answers to concurrent re-reads can cross, so a state read
 * earlier must not overwrite one read later: a run only moves forward within an attempt
 * (queued → running → ended), and a new attempt (requeued after a lost lease) supersedes the old.
 */
import { isTerminal, type Run, type RunStatus } from '@/api/runs'

function stage(status: RunStatus): number {
  if (isTerminal(status)) return 2
  return status === 'running' ? 1 : 0
}

/** Whether `candidate` is at least as far along as `current` (so it may replace it). */
export function isNewer(
  candidate: Pick<Run, 'attempt' | 'status'>,
  current: Pick<Run, 'attempt' | 'status'>,
): boolean {
  if (candidate.attempt !== current.attempt) return candidate.attempt > current.attempt
  return stage(candidate.status) >= stage(current.status)
}

/** A row's identity in a history list: its request (several requests may share one execution, i.e. one `id`). */
export function rowKey(run: Pick<Run, 'id' | 'requestId'>): string {
  return run.requestId ?? run.id
}

/** When the row's request was made: history lists are ordered and filtered by it. */
export function requestedAtOf(run: Pick<Run, 'createdAt' | 'requestedAt'>): string {
  return run.requestedAt ?? run.createdAt
}

/** What belongs to a request rather than to the execution it shares. */
const REQUEST_FIELDS = [
  'queryId',
  'queryVersion',
  'params',
  'trigger',
  'requestedBy',
  'requestedByEmail',
  'requestedByName',
  'requestId',
  'requestedAt',
  'withdrawnAt',
  'withdrawnBy',
  'withdrawnByEmail',
  'withdrawnByName',
  'sharedWith',
] as const satisfies readonly (keyof Run)[]

/**
 * `fresh` (a re-read of the execution, which may describe another request of it) laid onto `row`, keeping `row`'s own
 * request: who asked, for which query, whether it was withdrawn. How many others share it comes from `fresh.requests`.
 */
export function mergeExecution(row: Run, fresh: Run): Run {
  const merged: Run = { ...row, ...fresh }
  for (const field of REQUEST_FIELDS) {
    ;(merged as unknown as Record<string, unknown>)[field] = row[field]
  }
  if (fresh.requests && row.requestId) {
    merged.sharedWith = fresh.requests.filter(
      (r) => !r.withdrawnAt && r.id !== row.requestId,
    ).length
  }
  delete merged.requests
  return merged
}
