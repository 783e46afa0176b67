/**
 * The state of one viz tile's result in view mode, and how it moves: from a `POST /dashboards/{id}/runs` answer and
 * from the org's live run events. Pure functions, so the rules are tested without a page.
 *
 * A tile always keeps the result it draws (`resultId`, `finishedAt`) until a newer one succeeds: queued, running and
 * failed only change its status line — the chart never blanks while a refresh is on its way. Events are matched by
 * the work's fingerprint (a run of the same query and bound values, started by anyone: a schedule, the workbench,
 * another viewer) and, for progress events that carry no fingerprint, by run id.
 */
import type { TileRunAnswer } from '@/api/dashboards'
import { isTerminal, type LiveRunEvent, type Run, type RunStatus } from '@/api/runs'

export type TileStatus = 'idle' | 'queued' | 'running' | 'succeeded' | 'failed' | 'error'

export interface TileRun {
  status: TileStatus
  /** The run the status is about (queued, running, failed), or the one that made the result. */
  runId: string | null
  /** What the org's run events carry for the tile's current work. */
  fingerprint: string | null
  /** The result drawn — kept while a newer run is queued or running, and after it fails. */
  resultId: string | null
  finishedAt: string | null
  /** Queued: since when; running: since when (epoch ms), for the elapsed time. */
  since: number | null
  rowsSoFar: number | null
  /** Queued: runs of the datasource ahead of it, when read. */
  queueAhead: number | null
  /** failed: how the run ended (failed, cancelled, timed_out); error: null. */
  runStatus: RunStatus | null
  /** In words: the tile's own error (a binding), or the run's once read. */
  error: string | null
}

export const IDLE: TileRun = Object.freeze({
  status: 'idle',
  runId: null,
  fingerprint: null,
  resultId: null,
  finishedAt: null,
  since: null,
  rowsSoFar: null,
  queueAhead: null,
  runStatus: null,
  error: null,
}) as TileRun

/** The tile after a run answer; what it drew before stays until the new result exists. */
export function fromAnswer(prev: TileRun, answer: TileRunAnswer, now: number): TileRun {
  const base: TileRun = { ...prev, fingerprint: answer.fingerprint, runId: answer.runId }
  switch (answer.status) {
    case 'succeeded':
      return {
        ...base,
        status: 'succeeded',
        resultId: answer.resultId,
        finishedAt: answer.finishedAt ?? prev.finishedAt,
        since: null,
        rowsSoFar: null,
        queueAhead: null,
        runStatus: null,
        error: null,
      }
    case 'queued':
    case 'running': {
      // the same run still under way keeps its clock and rows
      const same = prev.runId === answer.runId && prev.status === answer.status
      return {
        ...base,
        status: answer.status,
        since: same ? prev.since : now,
        rowsSoFar: same ? prev.rowsSoFar : null,
        queueAhead: same ? prev.queueAhead : null,
        runStatus: null,
        error: null,
      }
    }
    case 'error':
      return {
        ...base,
        status: 'error',
        since: null,
        runStatus: null,
        error: answer.error?.message ?? 'This tile cannot run.',
      }
  }
}

/** Whether a live event is about the tile's current work. */
export function concerns(tile: TileRun, event: LiveRunEvent): boolean {
  if (event.fingerprint) return tile.fingerprint !== null && event.fingerprint === tile.fingerprint
  return tile.runId !== null && event.runId.toLowerCase() === tile.runId.toLowerCase()
}

/** The tile after a live event about its work (see {@link concerns}); the same object when nothing changes. */
export function applyEvent(tile: TileRun, event: LiveRunEvent): TileRun {
  if (!concerns(tile, event) || event.requestsChanged) return tile
  const sameRun = tile.runId !== null && event.runId.toLowerCase() === tile.runId.toLowerCase()
  // a late event of a run already seen ending, or older than the result drawn
  if (
    sameRun &&
    (tile.status === 'succeeded' || tile.status === 'failed') &&
    !isTerminal(event.status)
  )
    return tile
  if (isTerminal(event.status) && tile.finishedAt && event.at < Date.parse(tile.finishedAt))
    return tile
  switch (event.status) {
    case 'queued':
      return {
        ...tile,
        status: 'queued',
        runId: event.runId,
        since: event.at,
        rowsSoFar: null,
        queueAhead: sameRun ? tile.queueAhead : null,
        runStatus: null,
      }
    case 'running': {
      const wasRunning = sameRun && tile.status === 'running'
      return {
        ...tile,
        status: 'running',
        runId: event.runId,
        since: wasRunning ? tile.since : event.at,
        rowsSoFar: event.rowCount ?? (wasRunning ? tile.rowsSoFar : null),
        queueAhead: null,
        runStatus: null,
      }
    }
    case 'succeeded':
      if (!event.resultId) return { ...tile, runId: event.runId } // no result to draw: the HTTP read tells
      return {
        ...tile,
        status: 'succeeded',
        runId: event.runId,
        resultId: event.resultId,
        finishedAt: new Date(event.at).toISOString(),
        since: null,
        rowsSoFar: null,
        queueAhead: null,
        runStatus: null,
        error: null,
      }
    default:
      return {
        ...tile,
        status: 'failed',
        runId: event.runId,
        since: null,
        queueAhead: null,
        runStatus: event.status,
        error: null,
      }
  }
}

/** The tile after the run was read over HTTP (queue position, start, rows, the error in words). */
export function fromRun(tile: TileRun, run: Run): TileRun {
  if (tile.runId === null || run.id.toLowerCase() !== tile.runId.toLowerCase()) return tile
  if (run.status === 'queued' && tile.status === 'queued') {
    return { ...tile, queueAhead: run.queue?.ahead ?? null, since: Date.parse(run.createdAt) }
  }
  if (run.status === 'running' && (tile.status === 'running' || tile.status === 'queued')) {
    return {
      ...tile,
      status: 'running',
      since: run.startedAt ? Date.parse(run.startedAt) : tile.since,
      rowsSoFar: run.rowCount ?? tile.rowsSoFar,
      queueAhead: null,
    }
  }
  if (run.status === 'succeeded' && run.resultId) {
    return {
      ...tile,
      status: 'succeeded',
      resultId: run.resultId,
      finishedAt: run.finishedAt,
      since: null,
      rowsSoFar: null,
      queueAhead: null,
      runStatus: null,
      error: null,
    }
  }
  if (isTerminal(run.status)) {
    return {
      ...tile,
      status: 'failed',
      since: null,
      runStatus: run.status,
      error: runErrorText(run),
    }
  }
  return tile
}

function runErrorText(run: Run): string {
  if (run.status === 'cancelled') return 'The run was cancelled.'
  if (run.status === 'timed_out') return 'The run took longer than its time limit.'
  if (run.status === 'succeeded') return 'The run left no result to draw.'
  return run.error?.message || 'The run failed.'
}

/**
 * A Run object for VizView from what the tile knows (the result and when it was made); the rest of a run's record
 * is not needed to draw it.
 */
export function drawnRun(tile: TileRun): Run | null {
  if (!tile.resultId) return null
  return {
    id: tile.runId ?? '',
    datasourceId: '',
    queryId: null,
    queryVersion: null,
    sql: '',
    params: null,
    options: null,
    trigger: 'dashboard',
    requestedBy: null,
    status: 'succeeded',
    attempt: 1,
    runner: null,
    cancelRequested: false,
    createdAt: tile.finishedAt ?? '',
    startedAt: null,
    finishedAt: tile.finishedAt,
    queueMs: null,
    execMs: null,
    persistMs: null,
    rowCount: null,
    byteCount: null,
    truncated: null,
    truncatedReason: null,
    error: null,
    resultId: tile.resultId,
  }
}
