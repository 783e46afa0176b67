/** Runs (`/api/v1/runs*`): enqueue ad-hoc SQL, read, cancel, history and timelines. See docs/api.md. */
import { http } from './http'
import type { ParameterSpec, ParamValue } from './parameters'

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out'

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
]

export const TERMINAL_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
]

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status)
}

export type RunTrigger = 'manual' | 'schedule' | 'dashboard' | 'api'

export const RUN_TRIGGERS: readonly RunTrigger[] = ['manual', 'schedule', 'dashboard', 'api']

export interface RunOptions {
  timeoutMs?: number
  maxRows?: number
  maxBytes?: number
}

export interface RunError {
  /** SQLSTATE (e.g. `42703`) or a Sightline code (`connection_refused`, …). */
  code: string | null
  message: string | null
  /** 1-based character offset into the executed SQL, when Postgres gave one. */
  position: number | null
}

export interface Run {
  id: string
  datasourceId: string
  queryId: string | null
  queryVersion: number | null
  /** The SQL as executed (bound, `$n` placeholders); shortened to 300 characters in lists. */
  sql: string
  /** Typed parameter values the run was bound with. */
  params: Record<string, ParamValue> | null
  options: RunOptions | null
  trigger: RunTrigger
  /** The schedule whose firing made this request (trigger `schedule`). */
  scheduleId?: string | null
  requestedBy: string | null
  /** The requester's email and display name (history and single-run reads). */
  requestedByEmail?: string | null
  requestedByName?: string | null
  status: RunStatus
  attempt: number
  runner: string | null
  cancelRequested: boolean
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  queueMs: number | null
  execMs: number | null
  persistMs: number | null
  rowCount: number | null
  byteCount: number | null
  truncated: boolean | null
  truncatedReason: 'max_rows' | 'max_bytes' | null
  error: RunError | null
  resultId: string | null
  /**
   * Only on `GET /runs/{id}` of a queued run: queued runs of its datasource claimed before it, the datasource's
   * running runs and its concurrency cap.
   */
  /** Where a queued run stands; `aheadAtLeast`: more runs are ahead than the server counts (it stops at 1,000). */
  queue?: { ahead: number; aheadAtLeast?: boolean; running: number; maxConcurrency: number }
  /**
   * Who asked: a run is read as one request of it (several identical requests may share one execution, same `id`).
   * `queryId`, `queryVersion`, `params`, `trigger` and `requestedBy*` above are that request's.
   */
  requestId?: string
  requestedAt?: string
  /** Other live (not withdrawn) requests sharing this execution. */
  sharedWith?: number
  /** This request was withdrawn (by its requester, or by an editor cancelling the run for everyone). */
  withdrawnAt?: string | null
  withdrawnBy?: string | null
  withdrawnByEmail?: string | null
  withdrawnByName?: string | null
  /** Who cancelled the execution (for everyone, or by withdrawing its last request). */
  cancelledBy?: string | null
  cancelledByEmail?: string | null
  cancelledByName?: string | null
  /** Only on `GET /runs/{id}` and enqueue answers: every request of the execution, oldest first. */
  requests?: RunRequestRecord[]
  /** On an enqueue: joined an identical live run. */
  shared?: boolean
  /** On an enqueue: answered by a recent identical result (maxAgeSeconds). */
  reused?: boolean
}

/** One request of an execution: who asked, for which query, and whether it was withdrawn. */
export interface RunRequestRecord {
  id: string
  queryId: string | null
  queryName: string | null
  queryVersion: number | null
  trigger: RunTrigger
  requestedBy: string | null
  requestedByEmail: string | null
  requestedByName: string | null
  requestedAt: string
  withdrawnAt: string | null
  withdrawnBy: string | null
  withdrawnByEmail: string | null
  withdrawnByName: string | null
  sharedWith: number
}

/** Whether the run is still live for the request it describes: not ended, and that request not withdrawn. */
export function isLiveRequest(run: Pick<Run, 'status' | 'withdrawnAt'>): boolean {
  return !isTerminal(run.status) && !run.withdrawnAt
}

/** A person's name for display: their display name, else their email, else a fallback. */
export function personName(
  name: string | null | undefined,
  email: string | null | undefined,
  fallback = '—',
): string {
  return name || email || fallback
}

export type RunEventKind =
  | 'queued'
  | 'claimed'
  | 'started'
  | 'progress'
  | 'cancel_requested'
  | 'lease_lost'
  | 'requeued'
  | 'finished'

/** One row of a run's stored timeline (`GET /runs/{id}/events`). */
export interface RunTimelineEvent {
  id: number
  attempt: number
  at: string
  kind: RunEventKind
  detail: Record<string, unknown> | null
}

/** A live event pushed over the event-bus bridge (docs/api.md, "Live updates"). */
export interface LiveRunEvent {
  runId: string
  status: RunStatus
  /** Epoch milliseconds. */
  at: number
  attempt?: number
  runner?: string
  backendPid?: number
  rowCount?: number
  byteCount?: number
  progress?: boolean
  cancelRequested?: boolean
  /** A request joined or was withdrawn: re-read the run (who shares it, who cancelled). */
  requestsChanged?: boolean
  /** State events (queued, running, finished): the run's query (null for ad-hoc SQL). */
  queryId?: string | null
  /**
   * State events: the hash of exactly the work done (query, bound values, limits), as a dashboard tile's run answer
   * gives it — a page showing that work recognises a run of it started by anyone.
   */
  fingerprint?: string | null
  /** A succeeded finished event: the stored result. */
  resultId?: string
}

export interface RunFilter {
  queryId?: string
  datasourceId?: string
  /** Requests made by this schedule's firings. */
  scheduleId?: string
  /** One or more statuses. */
  status?: RunStatus[]
  trigger?: RunTrigger
  requestedBy?: string
  /** ISO-8601 with offset. */
  from?: string
  to?: string
  limit?: number
  cursor?: string
}

export interface RunPage {
  items: Run[]
  nextCursor: string | null
}

export interface AdHocRunRequest {
  datasourceId: string
  /** One statement (a trailing `;` is fine); `{{placeholders}}` are bound from `declarations` and `params`. */
  sql: string
  /** Declarations of the placeholders, shaped like a saved query's `params`. */
  declarations?: ParameterSpec[]
  /** Values by parameter name, bound (never spliced); a bad one is a 400 naming `/params/<name>`. */
  params?: Record<string, ParamValue>
  options?: RunOptions
  maxAgeSeconds?: number
}

export function createRun(body: AdHocRunRequest): Promise<Run> {
  return http.post<Run>('/api/v1/runs', body)
}

/** A run as the caller's request `requestId` (else their latest request on it, else its first) sees it. */
export function getRun(id: string, signal?: AbortSignal, requestId?: string): Promise<Run> {
  return http.get<Run>(`/api/v1/runs/${encodeURIComponent(id)}`, { signal, query: { requestId } })
}

export interface CancelRunOptions {
  /** mine: withdraw the caller's request(s); everyone: cancel the run (editors, admins). Default: mine if any. */
  scope?: 'mine' | 'everyone'
  /** Withdraw only this request of the caller's. */
  requestId?: string
}

/**
 * Withdraws the caller's request on the run (the run is cancelled when no request remains), or cancels the run for
 * everyone (`scope: 'everyone'`).
 */
export function cancelRun(id: string, options: CancelRunOptions = {}): Promise<Run> {
  return http.post<Run>(`/api/v1/runs/${encodeURIComponent(id)}/cancel`, undefined, {
    query: { scope: options.scope, requestId: options.requestId },
  })
}

export function getRunEvents(id: string, signal?: AbortSignal): Promise<RunTimelineEvent[]> {
  return http.get<RunTimelineEvent[]>(`/api/v1/runs/${encodeURIComponent(id)}/events`, { signal })
}

export function listRuns(filter: RunFilter = {}, signal?: AbortSignal): Promise<RunPage> {
  return http.get<RunPage>('/api/v1/runs', {
    query: {
      queryId: filter.queryId,
      datasourceId: filter.datasourceId,
      scheduleId: filter.scheduleId,
      status: filter.status?.length ? filter.status.join(',') : undefined,
      trigger: filter.trigger,
      requestedBy: filter.requestedBy,
      from: filter.from,
      to: filter.to,
      limit: filter.limit,
      cursor: filter.cursor,
    },
    signal,
  })
}
