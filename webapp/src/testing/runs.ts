/** Runs as the API answers them, for unit tests; each spec patches what it is about. */
import type { Run } from '@/api/runs'

/** Just enqueued: not started, nothing counted, no result. */
export function queuedRun(patch: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    datasourceId: 'd1',
    queryId: null,
    queryVersion: null,
    sql: 'select 1',
    params: null,
    options: null,
    trigger: 'manual',
    requestedBy: 'u1',
    status: 'queued',
    attempt: 1,
    runner: null,
    cancelRequested: false,
    createdAt: '2026-11-29T10:00:00Z',
    startedAt: null,
    finishedAt: null,
    queueMs: null,
    execMs: null,
    persistMs: null,
    rowCount: null,
    byteCount: null,
    truncated: null,
    truncatedReason: null,
    error: null,
    resultId: null,
    ...patch,
  }
}

/** Ended well, with timings, exact counts and a stored result. */
export function succeededRun(patch: Partial<Run> = {}): Run {
  return queuedRun({
    id: 'r1',
    sql: 'select region, count(*)\nfrom outages group by 1',
    status: 'succeeded',
    runner: 'host-1',
    createdAt: '2026-11-29T03:00:00Z',
    startedAt: '2026-11-29T03:00:00.003Z',
    finishedAt: '2026-11-29T03:00:00.130Z',
    queueMs: 3,
    execMs: 1234,
    persistMs: 4,
    rowCount: 1_234_567,
    byteCount: 48_000,
    truncated: false,
    resultId: 'res1',
    ...patch,
  })
}
