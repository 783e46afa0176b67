import { describe, expect, it } from 'vitest'

import type { TileRunAnswer } from '@/api/dashboards'
import type { LiveRunEvent } from '@/api/runs'
import { queuedRun } from '@/testing/runs'

import { IDLE, applyEvent, fromAnswer, fromRun, type TileRun } from './tileRuns'
import { tileStatusText } from './tileStatus'

const T0 = Date.parse('2026-11-29T10:00:00Z')

function answer(patch: Partial<TileRunAnswer>): TileRunAnswer {
  return {
    tileId: 't1',
    queryId: 'q1',
    runId: 'r1',
    resultId: null,
    status: 'queued',
    reused: false,
    fingerprint: 'fp-a',
    finishedAt: null,
    ...patch,
  }
}

function event(patch: Partial<LiveRunEvent>): LiveRunEvent {
  return { runId: 'r2', status: 'queued', at: T0 + 60_000, ...patch }
}

const drawn: TileRun = fromAnswer(
  IDLE,
  answer({
    status: 'succeeded',
    resultId: 'res-1',
    finishedAt: '2026-11-29T10:00:00Z',
    reused: true,
  }),
  T0,
)

describe('tile run state', () => {
  it('takes a reused result from the answer, with when it was made', () => {
    expect(drawn).toMatchObject({
      status: 'succeeded',
      resultId: 'res-1',
      fingerprint: 'fp-a',
      runId: 'r1',
    })
    expect(tileStatusText(drawn, T0 + 3 * 60_000)).toBe('Updated 3 min ago')
  })

  it('follows a run of the same work pushed by anyone, keeping the old drawing until the new result', () => {
    const queued = applyEvent(
      drawn,
      event({ status: 'queued', fingerprint: 'fp-a', queryId: 'q1' }),
    )
    expect(queued).toMatchObject({ status: 'queued', runId: 'r2', resultId: 'res-1' })
    const running = applyEvent(
      queued,
      event({ status: 'running', fingerprint: 'fp-a', at: T0 + 61_000 }),
    )
    expect(running).toMatchObject({ status: 'running', resultId: 'res-1', since: T0 + 61_000 })
    // progress events carry no fingerprint: matched by the run
    const progress = applyEvent(
      running,
      event({ status: 'running', rowCount: 1200, progress: true, at: T0 + 63_000 }),
    )
    expect(progress).toMatchObject({ rowsSoFar: 1200, since: T0 + 61_000, resultId: 'res-1' })
    expect(tileStatusText(progress, T0 + 65_000)).toBe('Running · 4.0 s · 1,200 rows so far')
    const done = applyEvent(
      progress,
      event({ status: 'succeeded', fingerprint: 'fp-a', resultId: 'res-2', at: T0 + 70_000 }),
    )
    expect(done).toMatchObject({ status: 'succeeded', resultId: 'res-2', runId: 'r2' })
    expect(done.finishedAt).toBe(new Date(T0 + 70_000).toISOString())
  })

  it('ignores events of other work', () => {
    expect(applyEvent(drawn, event({ status: 'queued', fingerprint: 'fp-b' }))).toBe(drawn)
    expect(applyEvent(drawn, event({ runId: 'r9', status: 'running', rowCount: 5 }))).toBe(drawn)
  })

  it('keeps the drawing when a refresh fails, and says why', () => {
    const running = applyEvent(drawn, event({ status: 'running', fingerprint: 'fp-a' }))
    const failed = applyEvent(
      running,
      event({ status: 'failed', fingerprint: 'fp-a', at: T0 + 90_000 }),
    )
    expect(failed).toMatchObject({
      status: 'failed',
      resultId: 'res-1',
      runStatus: 'failed',
      error: null,
    })
    const read = fromRun(
      failed,
      queuedRun({
        id: 'r2',
        status: 'failed',
        error: { code: '42703', message: 'column "x" does not exist', position: 8 },
      }),
    )
    expect(read.error).toBe('column "x" does not exist')
    expect(tileStatusText(read, T0)).toBe('Failed: column "x" does not exist')
  })

  it('drops a late event of a run it saw end, and an older result', () => {
    // the run that made the drawing, seen again late
    expect(applyEvent(drawn, event({ runId: 'r1', status: 'running', fingerprint: 'fp-a' }))).toBe(
      drawn,
    )
    const running = applyEvent(
      drawn,
      event({ runId: 'r2', status: 'running', fingerprint: 'fp-a' }),
    )
    const ended = applyEvent(
      running,
      event({
        runId: 'r2',
        status: 'succeeded',
        fingerprint: 'fp-a',
        resultId: 'res-3',
        at: T0 + 120_000,
      }),
    )
    expect(ended.resultId).toBe('res-3')
    expect(applyEvent(ended, event({ runId: 'r2', status: 'running', fingerprint: 'fp-a' }))).toBe(
      ended,
    )
    expect(
      applyEvent(
        ended,
        event({ runId: 'r0', status: 'succeeded', fingerprint: 'fp-a', resultId: 'old', at: T0 }),
      ),
    ).toBe(ended)
  })

  it('reads the queue position from the run', () => {
    const queued = fromAnswer(
      drawn,
      answer({ status: 'queued', runId: 'r5', fingerprint: 'fp-c' }),
      T0,
    )
    expect(queued.resultId).toBe('res-1')
    const read = fromRun(
      queued,
      queuedRun({ id: 'r5', queue: { ahead: 2, running: 4, maxConcurrency: 4 } }),
    )
    expect(tileStatusText(read, T0)).toBe('Queued · 2 runs ahead')
  })

  it('says a tile’s own error in words', () => {
    const failed = fromAnswer(
      IDLE,
      answer({
        status: 'error',
        runId: null,
        fingerprint: null,
        error: { code: 'binding', message: "tile parameter 'region' is required" },
      }),
      T0,
    )
    expect(tileStatusText(failed, T0)).toBe("tile parameter 'region' is required")
  })
})
