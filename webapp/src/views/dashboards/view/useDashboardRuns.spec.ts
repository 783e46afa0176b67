import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, ref } from 'vue'

import * as dashboardsApi from '@/api/dashboards'
import type { Dashboard, DashboardRunRequest, Tile, TileRunAnswer } from '@/api/dashboards'
import type { ParamValue } from '@/api/parameters'
import * as runsApi from '@/api/runs'
import { resetEventBus, setEventBusSocketFactory } from '@/composables/useEventBus'
import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { queuedRun } from '@/testing/runs'

import { useDashboardRuns } from './useDashboardRuns'

function vizTile(id: string, y: number, bindings: Tile['bindings'] = {}): Tile {
  return {
    id,
    kind: 'viz',
    visualizationId: `v-${id}`,
    title: null,
    text: null,
    x: 0,
    y,
    w: 12,
    h: 6,
    bindings,
    clickAction: null,
  }
}

const dashboard: Dashboard = {
  id: 'd1',
  slug: 'outages',
  name: 'Outages',
  description: '',
  tags: [],
  params: [
    { name: 'period', type: 'date_range' },
    { name: 'province', type: 'text' },
  ],
  refreshSeconds: null,
  version: 1,
  createdBy: null,
  updatedBy: null,
  createdAt: '2026-11-29T09:00:00Z',
  updatedAt: '2026-11-29T09:00:00Z',
  lastViewedAt: null,
  tiles: [
    vizTile('t1', 0, { period: { from: 'dashboard', param: 'period' } }),
    vizTile('t2', 0, {
      period: { from: 'dashboard', param: 'period' },
      province: { from: 'dashboard', param: 'province' },
    }),
    vizTile('t3', 6),
    vizTile('t4', 20),
    vizTile('t5', 26),
    { ...vizTile('note', 40), kind: 'text', text: 'hello' },
  ],
}

/** What fingerprint each tile's work has: t1 and t2 do the same work. */
const FINGERPRINTS: Record<string, string> = {
  t1: 'fp-a',
  t2: 'fp-a',
  t3: 'fp-b',
  t4: 'fp-c',
  t5: 'fp-d',
}

let calls: DashboardRunRequest[] = []
let answerStatus: TileRunAnswer['status'] = 'succeeded'

function answerFor(tileId: string): TileRunAnswer {
  return {
    tileId,
    queryId: 'q1',
    runId: `run-${FINGERPRINTS[tileId]}`,
    resultId: answerStatus === 'succeeded' ? `res-${tileId}` : null,
    status: answerStatus,
    reused: answerStatus === 'succeeded',
    fingerprint: FINGERPRINTS[tileId]!,
    finishedAt: answerStatus === 'succeeded' ? '2026-11-29T09:59:00Z' : null,
  }
}

function setup(options: { loadAll?: boolean } = {}) {
  const scope = effectScope()
  const values = ref<Record<string, ParamValue>>({ period: 'last_7d' })
  const loadAll = ref(options.loadAll ?? false)
  const runs = scope.run(() =>
    useDashboardRuns({
      dashboard: ref(dashboard),
      values,
      refreshSeconds: ref(null),
      loadAll,
      orgId: ref('o1'),
      batchMs: 30,
      queuePollMs: 60_000,
    }),
  )!
  return { scope, runs, values, loadAll }
}

async function settle(ms = 50): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await flushPromises()
}

function push(body: runsApi.LiveRunEvent): void {
  FakeEventBusSocket.last.receive({ type: 'rec', address: 'sightline.org.o1.runs', body })
}

beforeEach(() => {
  vi.useFakeTimers()
  calls = []
  answerStatus = 'succeeded'
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
  vi.spyOn(dashboardsApi, 'runDashboard').mockImplementation(async (_id, body) => {
    calls.push(structuredClone(body))
    return { tiles: (body.tileIds ?? []).map(answerFor) }
  })
  vi.spyOn(runsApi, 'getRun').mockImplementation(async (id) => queuedRun({ id }))
})

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
  vi.useRealTimers()
})

describe('useDashboardRuns', () => {
  it('asks only for the tiles in sight, those entering sight together in one request', async () => {
    const { runs, scope } = setup()
    await settle()
    expect(calls).toEqual([])
    runs.setSeen(['t1', 't2', 't3'], true)
    await settle()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.tileIds).toEqual(['t1', 't2', 't3'])
    expect(calls[0]!.params).toEqual({ period: 'last_7d' })
    expect(runs.tiles.t1).toMatchObject({ status: 'succeeded', resultId: 'res-t1' })
    expect(runs.tiles.t4!.status).toBe('idle')
    // scrolling: the next two arrive in two callbacks within the batch window
    runs.setSeen(['t4'], true)
    runs.setSeen(['t5'], true)
    await settle()
    expect(calls.map((c) => c.tileIds)).toEqual([
      ['t1', 't2', 't3'],
      ['t4', 't5'],
    ])
    // seen again: nothing to ask
    runs.setSeen(['t1'], false)
    runs.setSeen(['t1'], true)
    await settle()
    expect(calls).toHaveLength(2)
    scope.stop()
  })

  it('asks for every viz tile at once in kiosk mode (loadAll), and again, with age 0, on Refresh', async () => {
    const { runs, scope } = setup({ loadAll: true })
    await settle()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.tileIds).toEqual(['t1', 't2', 't3', 't4', 't5'])
    expect(calls[0]).not.toHaveProperty('maxAgeSeconds')
    await runs.refresh(undefined, 0)
    expect(calls[1]).toMatchObject({ tileIds: ['t1', 't2', 't3', 't4', 't5'], maxAgeSeconds: 0 })
    await runs.refresh(['t3'], 0)
    expect(calls[2]).toMatchObject({ tileIds: ['t3'], maxAgeSeconds: 0 })
    scope.stop()
  })

  it('loads with the chosen refresh interval as the accepted age, and refreshes on it', async () => {
    const scope = effectScope()
    const runs = scope.run(() =>
      useDashboardRuns({
        dashboard: ref(dashboard),
        values: ref({}),
        refreshSeconds: ref(30),
        loadAll: ref(false),
        orgId: ref('o1'),
      }),
    )!
    runs.setSeen(['t1'], true)
    await settle()
    expect(calls).toEqual([{ params: {}, tileIds: ['t1'], maxAgeSeconds: 30 }])
    await settle(30_000)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toEqual({ params: {}, tileIds: ['t1'], maxAgeSeconds: 30 })
    scope.stop()
  })

  it('moves only the tiles whose fingerprint a pushed event carries, keeping their drawing until the new result', async () => {
    const { runs, scope } = setup({ loadAll: true })
    FakeEventBusSocket.last.open()
    await settle()
    const before = { ...runs.tiles }

    push({ runId: 'run-new', status: 'queued', at: Date.now(), fingerprint: 'fp-a', queryId: 'q1' })
    expect(runs.tiles.t1).toMatchObject({ status: 'queued', resultId: 'res-t1', runId: 'run-new' })
    expect(runs.tiles.t2).toMatchObject({ status: 'queued', resultId: 'res-t2' })
    expect(runs.tiles.t3).toBe(before.t3)

    push({ runId: 'run-new', status: 'running', at: Date.now(), fingerprint: 'fp-a' })
    push({ runId: 'run-new', status: 'running', at: Date.now(), rowCount: 500, progress: true })
    expect(runs.tiles.t1).toMatchObject({ status: 'running', rowsSoFar: 500, resultId: 'res-t1' })

    push({
      runId: 'run-new',
      status: 'succeeded',
      at: Date.now(),
      fingerprint: 'fp-a',
      resultId: 'res-new',
    })
    expect(runs.tiles.t1).toMatchObject({ status: 'succeeded', resultId: 'res-new' })
    expect(runs.tiles.t2).toMatchObject({ status: 'succeeded', resultId: 'res-new' })
    for (const id of ['t3', 't4', 't5']) expect(runs.tiles[id]).toBe(before[id])
    expect(calls).toHaveLength(1) // no polling, no re-request
    scope.stop()
  })

  it('applies an event that arrived before the answer naming its run', async () => {
    answerStatus = 'queued'
    const { runs, scope } = setup({ loadAll: true })
    FakeEventBusSocket.last.open()
    push({ runId: 'run-fp-b', status: 'running', at: Date.now(), fingerprint: 'fp-b' })
    await settle()
    expect(runs.tiles.t3!.status).toBe('running')
    expect(runs.tiles.t4!.status).toBe('queued')
    scope.stop()
  })

  it('asks again only for the tiles bound to a parameter that changed', async () => {
    const { runs, values, scope } = setup({ loadAll: true })
    await settle()
    values.value = { ...values.value, province: 'Gauteng' }
    await settle()
    expect(calls[1]).toMatchObject({
      tileIds: ['t2'],
      params: { period: 'last_7d', province: 'Gauteng' },
    })
    values.value = { period: 'last_30d', province: 'Gauteng' }
    await settle()
    expect(calls[2]!.tileIds).toEqual(['t1', 't2'])
    expect(runs.tiles.t1!.resultId).toBe('res-t1')
    scope.stop()
  })

  it('asks again over HTTP for every tile already asked for after the bridge reconnects', async () => {
    const { runs, scope } = setup()
    FakeEventBusSocket.last.open()
    runs.setSeen(['t1', 't3'], true)
    await settle()
    expect(calls).toHaveLength(1)
    FakeEventBusSocket.last.drop()
    await settle(600) // the bus reconnects after 500 ms
    FakeEventBusSocket.last.open()
    await settle()
    expect(calls).toHaveLength(2)
    expect(calls[1]!.tileIds).toEqual(['t1', 't3'])
    scope.stop()
  })

  it('keeps tiles wanted after a failed request and says so; the next sight or refresh asks again', async () => {
    vi.mocked(dashboardsApi.runDashboard).mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const { runs, scope } = setup()
    runs.setSeen(['t1'], true)
    await settle()
    expect(runs.failure.value).not.toBeNull()
    expect(runs.tiles.t1!.status).toBe('idle')
    runs.setSeen(['t3'], true)
    await settle()
    expect([...calls.at(-1)!.tileIds!].sort()).toEqual(['t1', 't3'])
    expect(runs.failure.value).toBeNull()
    scope.stop()
  })
})
