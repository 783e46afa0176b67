import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'

import * as runsApi from '@/api/runs'
import type { Run } from '@/api/runs'

import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { resetEventBus, setEventBusSocketFactory } from './useEventBus'
import { useRunStatus, type RunStatusHandle } from './useRunStatus'
import { queuedRun } from '@/testing/runs'

const NOW = Date.parse('2026-11-29T10:00:00Z')

const aRun = (patch: Partial<Run> = {}): Run =>
  queuedRun({ id: 'R1', createdAt: new Date(NOW).toISOString(), ...patch })

let scope: ReturnType<typeof effectScope>
let status: RunStatusHandle

function start(): RunStatusHandle {
  scope = effectScope()
  status = scope.run(() => useRunStatus({ pollMs: 60_000 }))!
  return status
}

function send(body: Partial<runsApi.LiveRunEvent>): void {
  FakeEventBusSocket.last.receive({
    type: 'rec',
    address: 'sightline.run.r1',
    body: { runId: 'R1', at: Date.now(), ...body },
  })
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW })
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
})

afterEach(() => {
  scope?.stop()
  resetEventBus()
  setEventBusSocketFactory(undefined)
  vi.useRealTimers()
})

describe('useRunStatus', () => {
  it('subscribes to the run (lower-case id) and merges live state and progress into it', async () => {
    const getRun = vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    start().track(aRun())
    FakeEventBusSocket.last.open()
    await vi.waitFor(() => expect(getRun).toHaveBeenCalledTimes(1))
    expect(FakeEventBusSocket.last.frames('register')).toEqual([
      { type: 'register', address: 'sightline.run.r1' },
    ])

    vi.advanceTimersByTime(2_000)
    send({ status: 'running', runner: 'node-a' })
    vi.advanceTimersByTime(1_500)
    send({ status: 'running', progress: true, rowCount: 4_200, byteCount: 90_000 })

    expect(status.run.value).toMatchObject({
      status: 'running',
      runner: 'node-a',
      rowCount: 4_200,
      byteCount: 90_000,
    })
    expect(status.rowsSoFar.value).toBe(4_200)
    expect(status.elapsedMs.value).toBe(1_500)
    vi.advanceTimersByTime(1_000)
    // Ticks while live (every 100 ms).
    expect(status.elapsedMs.value).toBeGreaterThan(2_400)
    expect(status.elapsedMs.value).toBeLessThanOrEqual(2_500)
  })

  it('counts the wait while queued', () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    start().track(aRun())
    vi.advanceTimersByTime(3_000)
    expect(status.elapsedMs.value).toBe(3_000)
    expect(status.rowsSoFar.value).toBeNull()
  })

  it('re-reads the run when a terminal event arrives: the database has the final counts and result', async () => {
    const final = aRun({
      status: 'succeeded',
      rowCount: 5_000,
      execMs: 2_345,
      resultId: 'res1',
      startedAt: new Date(NOW + 100).toISOString(),
      finishedAt: new Date(NOW + 2_445).toISOString(),
    })
    const getRun = vi.spyOn(runsApi, 'getRun').mockResolvedValue(final)
    start().track(aRun({ status: 'running', startedAt: new Date(NOW).toISOString() }))
    send({ status: 'succeeded', rowCount: 4_999 })
    await vi.waitFor(() => expect(status.run.value?.status).toBe('succeeded'))
    // the end shows with the stored run's result, never the event's provisional counts alone
    expect(status.run.value?.resultId).toBe('res1')
    expect(getRun).toHaveBeenCalledWith('R1', expect.anything(), undefined)
    expect(status.rowsSoFar.value).toBe(5_000)
    expect(status.elapsedMs.value).toBe(2_345)
    // No longer live: the subscription is gone and later events change nothing.
    FakeEventBusSocket.last.open()
    expect(FakeEventBusSocket.last.frames('register')).toEqual([])
  })

  it('shows a failed run only with its stored error; the event alone when that read fails', async () => {
    let answer: (run: Run) => void = () => {}
    const getRun = vi
      .spyOn(runsApi, 'getRun')
      .mockImplementationOnce(() => new Promise<Run>((resolve) => (answer = resolve)))
    start().track(aRun({ status: 'running', startedAt: new Date(NOW).toISOString() }))
    send({ status: 'failed' })
    await nextTick()
    expect(status.run.value?.status).toBe('running')
    answer(
      aRun({
        status: 'failed',
        error: { code: '42703', message: 'column "x" does not exist', position: 8 },
      }),
    )
    await vi.waitFor(() => expect(status.run.value?.status).toBe('failed'))
    expect(status.run.value?.error?.code).toBe('42703')

    getRun.mockRejectedValueOnce(new Error('offline'))
    status.track(aRun({ id: 'R2', status: 'running', startedAt: new Date(NOW).toISOString() }))
    FakeEventBusSocket.last.receive({
      type: 'rec',
      address: 'sightline.run.r2',
      body: { runId: 'R2', at: Date.now(), status: 'failed' },
    })
    await vi.waitFor(() => expect(status.run.value?.status).toBe('failed'))
    expect(status.run.value?.finishedAt).toBeTruthy()
  })

  it('re-reads the run after the socket reconnects', async () => {
    const getRun = vi
      .spyOn(runsApi, 'getRun')
      .mockResolvedValueOnce(aRun())
      .mockResolvedValueOnce(
        aRun({
          status: 'failed',
          error: { code: '42703', message: 'column "x" does not exist', position: 8 },
        }),
      )
    start().track(aRun())
    FakeEventBusSocket.last.open()
    await vi.waitFor(() => expect(getRun).toHaveBeenCalledTimes(1))
    FakeEventBusSocket.last.drop()
    vi.advanceTimersByTime(500)
    FakeEventBusSocket.last.open()
    await nextTick()
    await vi.waitFor(() => expect(status.run.value?.status).toBe('failed'))
    expect(status.run.value?.error?.position).toBe(8)
  })

  it('polls when no event arrives', async () => {
    const getRun = vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun({ status: 'running' }))
    scope = effectScope()
    status = scope.run(() => useRunStatus({ pollMs: 3_000 }))!
    status.track(aRun({ status: 'running' }))
    expect(getRun).not.toHaveBeenCalled()
    vi.advanceTimersByTime(3_000)
    expect(getRun).toHaveBeenCalledTimes(1)
  })

  it('re-reads a queued run every second for its place in line, and drops it once the run starts', async () => {
    const getRun = vi
      .spyOn(runsApi, 'getRun')
      .mockResolvedValueOnce(aRun({ queue: { ahead: 2, running: 1, maxConcurrency: 1 } }))
      .mockResolvedValueOnce(aRun({ queue: { ahead: 1, running: 1, maxConcurrency: 1 } }))
    start().track(aRun())
    FakeEventBusSocket.last.open() // read once the socket is up
    await vi.waitFor(() => expect(status.run.value?.queue?.ahead).toBe(2))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(getRun).toHaveBeenCalledTimes(2)
    expect(status.run.value?.queue?.ahead).toBe(1)
    send({ status: 'running' })
    expect(status.run.value?.status).toBe('running')
    expect(status.run.value?.queue).toBeUndefined()
  })

  it('cancel asks the server and takes its answer', async () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    const cancelRun = vi
      .spyOn(runsApi, 'cancelRun')
      .mockResolvedValue(aRun({ status: 'cancelled', cancelRequested: true }))
    start().track(aRun())
    await status.cancel()
    expect(cancelRun).toHaveBeenCalledWith('R1', {})
    expect(status.run.value?.status).toBe('cancelled')
  })

  it('cancel of a shared run withdraws only the tracked request and stops following the run', async () => {
    const getRun = vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    const cancelRun = vi.spyOn(runsApi, 'cancelRun').mockResolvedValue(
      aRun({
        status: 'running',
        requestId: 'Q2',
        sharedWith: 1,
        withdrawnAt: new Date(NOW).toISOString(),
      }),
    )
    start().track(aRun({ status: 'running', requestId: 'Q2', sharedWith: 1 }))
    const pending = status.cancel()
    // it does not claim the run is being cancelled: the other request keeps it going
    expect(status.run.value?.cancelRequested).toBe(false)
    await pending
    expect(cancelRun).toHaveBeenCalledWith('R1', { scope: 'mine', requestId: 'Q2' })
    expect(status.run.value).toMatchObject({ status: 'running', withdrawnAt: expect.any(String) })
    getRun.mockClear()
    send({ status: 'succeeded' })
    await vi.advanceTimersByTimeAsync(120_000)
    expect(getRun).not.toHaveBeenCalled()
    expect(status.run.value?.status).toBe('running')
  })

  it('withdrawing the last request follows the run until its cancel lands live', async () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(
      aRun({ status: 'cancelled', requestId: 'Q1', withdrawnAt: new Date(NOW).toISOString() }),
    )
    // the answer comes before the runner has stopped the statement: withdrawn, cancel requested, still running
    vi.spyOn(runsApi, 'cancelRun').mockResolvedValue(
      aRun({
        status: 'running',
        requestId: 'Q1',
        cancelRequested: true,
        withdrawnAt: new Date(NOW).toISOString(),
      }),
    )
    start().track(aRun({ status: 'running', requestId: 'Q1' }))
    await status.cancel()
    expect(status.run.value).toMatchObject({ status: 'running', cancelRequested: true })
    send({ status: 'cancelled' })
    await vi.waitFor(() => expect(status.run.value?.status).toBe('cancelled'))
  })

  it('cancel for everyone asks for that scope', async () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    const cancelRun = vi
      .spyOn(runsApi, 'cancelRun')
      .mockResolvedValue(aRun({ status: 'cancelled', cancelRequested: true }))
    start().track(aRun({ status: 'running', requestId: 'Q2', sharedWith: 2 }))
    await status.cancel({ everyone: true })
    expect(cancelRun).toHaveBeenCalledWith('R1', { scope: 'everyone' })
  })

  it('re-reads its own request when someone joins or leaves the run', async () => {
    const getRun = vi
      .spyOn(runsApi, 'getRun')
      .mockResolvedValue(aRun({ status: 'running', requestId: 'Q1', sharedWith: 1 }))
    start().track(aRun({ status: 'running', requestId: 'Q1', sharedWith: 0 }))
    getRun.mockClear()
    send({ status: 'queued', requestsChanged: true })
    await vi.waitFor(() => expect(getRun).toHaveBeenCalledWith('R1', expect.anything(), 'Q1'))
    // the hint's status is not applied (it may be older than what is known)
    await vi.waitFor(() => expect(status.run.value?.sharedWith).toBe(1))
    expect(status.run.value?.status).toBe('running')
  })

  it('cancel puts the flag back when the server refuses', async () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    vi.spyOn(runsApi, 'cancelRun').mockRejectedValue(new Error('403'))
    start().track(aRun({ status: 'running' }))
    await expect(status.cancel()).rejects.toThrow('403')
    expect(status.run.value?.cancelRequested).toBe(false)
  })

  it('ignores events of a run it no longer tracks', () => {
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(aRun())
    start().track(aRun())
    status.track(aRun({ id: 'R2' }))
    send({ status: 'running', rowCount: 1 })
    expect(status.run.value).toMatchObject({ id: 'R2', status: 'queued' })
  })
})
