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
