import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Role } from '@/api/auth'
import type { LiveRunEvent, Run, RunRequestRecord, RunTimelineEvent } from '@/api/runs'
import { useSessionStore } from '@/stores/session'

import RunDetailView from './RunDetailView.vue'
import { succeededRun } from '@/testing/runs'
import { jsonResponse } from '@/testing/http'

const bus = vi.hoisted(() => ({
  handlers: new Map<string, (event: LiveRunEvent) => void>(),
}))
vi.mock('@/composables/useEventBus', () => ({
  useEventBus: () => ({
    subscribe: (address: string, handler: (event: LiveRunEvent) => void) => {
      bus.handlers.set(address, handler)
      return () => bus.handlers.delete(address)
    },
    connected: ref(false),
  }),
}))

const DS = 'dddddddd-0000-0000-0000-000000000001'
const Q = 'qqqqqqqq-0000-0000-0000-000000000001'

const run = (overrides: Partial<Run> = {}): Run =>
  succeededRun({
    datasourceId: DS,
    queryId: Q,
    queryVersion: 3,
    sql: 'select region, count(*) from outages where region = $1 group by 1',
    options: { timeoutMs: 30_000, maxRows: 100_000, maxBytes: 64 * 1024 * 1024 },
    execMs: 120,
    ...overrides,
  })

function event(id: number, kind: RunTimelineEvent['kind'], detail: object | null = null) {
  return { id, attempt: 1, at: `2026-11-29T03:00:0${Math.min(id, 9)}Z`, kind, detail }
}

type Answer = { status: number; body: unknown }
const fetchMock = vi.fn<typeof fetch>()
let answers: Record<string, Answer[]> = {}

const json = ({ status, body }: Answer): Response => jsonResponse(status, body)

/** Queues answers for `METHOD path`; the last one keeps answering. */
function on(key: string, ...replies: Answer[]): void {
  answers[key] = replies
}

function calls(key: string): number {
  return fetchMock.mock.calls.filter(([url, init]) => `${init?.method ?? 'GET'} ${url}` === key)
    .length
}

beforeEach(() => {
  bus.handlers.clear()
  answers = {
    [`GET /api/v1/datasources/${DS}`]: [{ status: 200, body: { id: DS, name: 'Replica' } }],
    [`GET /api/v1/queries/${Q}`]: [{ status: 200, body: { id: Q, name: 'Outages by region' } }],
    'GET /api/v1/runs/r1/events': [{ status: 200, body: [] }],
  }
  fetchMock.mockReset()
  fetchMock.mockImplementation(async (input, init) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`
    const queue = answers[key]
    if (!queue?.length) return json({ status: 404, body: { title: 'Not found', status: 404 } })
    return json(queue.length > 1 ? queue.shift()! : queue[0]!)
  })
  vi.stubGlobal('fetch', fetchMock)
})

async function mountRun(role: Role = 'viewer', userId = 'u1') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { template: '<p>page</p>' } }],
  })
  await router.push('/runs/r1')
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: userId, email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role,
    orgs: [],
  }
  const wrapper = mount(RunDetailView, {
    props: { id: 'r1' },
    global: { plugins: [router, pinia] },
  })
  await flushPromises()
  return wrapper
}

describe('RunDetailView', () => {
  it('shows status, query with version, datasource, timings, exact counts and the result', async () => {
    on('GET /api/v1/runs/r1', { status: 200, body: run() })
    const wrapper = await mountRun()

    expect(wrapper.find('[data-testid="run-status"]').text()).toBe('succeeded')
    expect(wrapper.find('h1').text()).toBe('Outages by region')
    const query = wrapper.find('[data-testid="run-query"]')
    expect(query.find('a').attributes('href')).toBe(`/queries/${Q}?version=3`)
    expect(query.text()).toContain('version 3')
    expect(wrapper.find('[data-testid="run-facts"]').text()).toContain('Replica')
    expect(wrapper.find('[data-testid="run-facts"]').text()).toContain('you (Ops)')
    expect(wrapper.find('[data-testid="timing-queue"]').text()).toContain('3 ms')
    expect(wrapper.find('[data-testid="timing-exec"]').text()).toContain('120 ms')
    expect(wrapper.find('[data-testid="timing-persist"]').text()).toContain('4 ms')
    expect(wrapper.find('[data-testid="timing-total"]').text()).toContain('127 ms')
    expect(wrapper.find('[data-testid="run-row-count"]').text()).toBe('1,234,567')
    expect(wrapper.find('[data-testid="run-byte-count"]').text()).toContain('48,000')
    expect(wrapper.find('[data-testid="results-table"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="run-cancel"]').exists()).toBe(false)
  })

  it('says a truncated result was cut and at which limit', async () => {
    on('GET /api/v1/runs/r1', {
      status: 200,
      body: run({ truncated: true, truncatedReason: 'max_rows', rowCount: 100_000 }),
    })
    const wrapper = await mountRun()
    expect(wrapper.find('[data-testid="run-truncated"]').text()).toBe(
      'Truncated at the row limit (100,000 rows).',
    )
  })

  it('shows the timeline with progress samples collapsed to a count and the last one', async () => {
    on('GET /api/v1/runs/r1', { status: 200, body: run() })
    on('GET /api/v1/runs/r1/events', {
      status: 200,
      body: [
        event(1, 'queued'),
        event(2, 'claimed', { runner: 'host-1' }),
        event(3, 'started', { backendPid: 4242 }),
        event(4, 'progress', { rowCount: 100 }),
        event(5, 'progress', { rowCount: 200 }),
        event(6, 'progress', { rowCount: 300 }),
        event(7, 'finished', { status: 'succeeded' }),
      ],
    })
    const wrapper = await mountRun()

    const entries = wrapper.findAll('[data-testid="timeline-event"]')
    expect(entries.map((e) => e.attributes('data-kind'))).toEqual([
      'queued',
      'claimed',
      'started',
      'progress',
      'finished',
    ])
    expect(entries[1]!.text()).toContain('runner')
    expect(entries[1]!.text()).toContain('host-1')
    expect(entries[1]!.text()).toContain('attempt 1')
    expect(entries[3]!.find('[data-testid="timeline-progress-count"]').text()).toContain(
      '3 samples',
    )
    expect(entries[3]!.text()).toContain('300')
    expect(entries[3]!.text()).not.toContain('100')
  })

  it('marks the error position in an excerpt of the SQL', async () => {
    on('GET /api/v1/runs/r1', {
      status: 200,
      body: run({
        status: 'failed',
        resultId: null,
        sql: 'select *\nfrom outage\nwhere 1 = 1',
        error: { code: '42P01', message: 'relation "outage" does not exist', position: 15 },
      }),
    })
    const wrapper = await mountRun()

    expect(wrapper.find('[data-testid="run-error-code"]').text()).toBe('42P01')
    expect(wrapper.find('[data-testid="run-error-message"]').text()).toBe(
      'relation "outage" does not exist',
    )
    const excerpt = wrapper.find('[data-testid="run-error-excerpt"]')
    expect(excerpt.find('[data-testid="run-error-position"]').text()).toBe('o')
    expect(excerpt.find('.run-error-details-at').text()).toBe('2from outage')
    expect(excerpt.text()).toContain('select *')
    expect(wrapper.text()).toContain('At line 2, column 6')
    expect(wrapper.find('[data-testid="results-table"]').exists()).toBe(false)
  })

  it('lists bound parameters, with ranges as start–end', async () => {
    on('GET /api/v1/runs/r1', {
      status: 200,
      body: run({
        params: {
          region: 'north',
          period: { start: '2026-11-01', end: '2026-11-30' },
          feeders: ['F1', 'F2'],
          minimum: null,
        },
      }),
    })
    const wrapper = await mountRun()

    const value = (name: string) =>
      wrapper.find(`[data-testid="run-param"][data-name="${name}"] td`).text()
    expect(value('region')).toBe('north')
    expect(value('period')).toBe('2026-11-01 – 2026-11-30')
    expect(value('feeders')).toBe('F1, F2')
    expect(value('minimum')).toBe('null')
    expect(wrapper.find('[data-testid="run-sql"]').text()).toContain('where region = $1')
  })

  it('cancels a running run and shows the new state', async () => {
    on(
      'GET /api/v1/runs/r1',
      { status: 200, body: run({ status: 'running', finishedAt: null, resultId: null }) },
      { status: 200, body: run({ status: 'cancelled', resultId: null }) },
    )
    on('POST /api/v1/runs/r1/cancel?scope=everyone', {
      status: 200,
      body: run({ status: 'running', cancelRequested: true, resultId: null }),
    })
    const wrapper = await mountRun('editor')

    await wrapper.find('[data-testid="run-cancel"]').trigger('click')
    await flushPromises()

    expect(calls('POST /api/v1/runs/r1/cancel?scope=everyone')).toBe(1)
    expect(wrapper.find('[data-testid="run-status"]').text()).toBe('cancelled')
    expect(wrapper.find('[data-testid="run-cancel"]').exists()).toBe(false)
  })

  it('offers a viewer no cancel of another user’s run, and the withdrawal of her own request', async () => {
    const request = (id: string, by: string, name: string): RunRequestRecord => ({
      id,
      queryId: Q,
      queryName: 'Outages by region',
      queryVersion: 3,
      trigger: 'manual',
      requestedBy: by,
      requestedByEmail: `${name.toLowerCase()}@example.com`,
      requestedByName: name,
      requestedAt: '2026-11-29T03:00:00Z',
      withdrawnAt: null,
      withdrawnBy: null,
      withdrawnByEmail: null,
      withdrawnByName: null,
      sharedWith: 1,
    })
    const queued = {
      status: 'queued' as const,
      requestedBy: 'u2',
      requestedByEmail: 'ana@example.com',
      requestedByName: 'Ana',
      resultId: null,
      finishedAt: null,
      queue: { ahead: 1, running: 2, maxConcurrency: 2 },
    }
    on('GET /api/v1/runs/r1', {
      status: 200,
      body: run({ ...queued, sharedWith: 0, requests: [request('q1', 'u2', 'Ana')] }),
    })
    const wrapper = await mountRun('viewer', 'u1')
    expect(wrapper.find('[data-testid="run-facts"]').text()).toContain('Ana (ana@example.com)')
    expect(wrapper.find('[data-testid="run-live"]').text()).toContain(
      '1 run ahead · datasource busy: 2 of 2 running',
    )
    expect(wrapper.find('[data-testid="run-cancel"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="run-withdraw"]').exists()).toBe(false)
    wrapper.unmount()

    // the same run after she asked for it too (Sleepy 2): it is hers to withdraw
    on('GET /api/v1/runs/r1', {
      status: 200,
      body: run({
        ...queued,
        requestedBy: 'u1',
        sharedWith: 1,
        requests: [request('q1', 'u2', 'Ana'), request('q2', 'u1', 'Vera')],
      }),
    })
    on('POST /api/v1/runs/r1/cancel?scope=mine', {
      status: 200,
      body: run({ ...queued, requestedBy: 'u1', withdrawnAt: '2026-11-29T03:00:09Z' }),
    })
    const hers = await mountRun('viewer', 'u1')
    expect(hers.find('[data-testid="run-sharing"]').text()).toContain('Shared with 1 other request')
    expect(hers.findAll('[data-testid="run-request"]')).toHaveLength(2)
    const withdraw = hers.get('[data-testid="run-withdraw"]')
    expect(withdraw.text()).toBe('Withdraw my request')
    await withdraw.trigger('click')
    await flushPromises()
    expect(calls('POST /api/v1/runs/r1/cancel?scope=mine')).toBe(1)
    expect(hers.find('[data-testid="run-cancel-error"]').exists()).toBe(false)
  })

  it('says there is no such run in this organization on a 404', async () => {
    on('GET /api/v1/runs/r1', {
      status: 404,
      body: { title: 'Not found', status: 404, detail: 'That run does not exist.' },
    })
    const wrapper = await mountRun()
    expect(wrapper.find('[data-testid="run-not-found"]').text()).toContain(
      'No such run in this organization',
    )
  })

  it('follows a live run, re-reading it on each status change until it ends', async () => {
    on(
      'GET /api/v1/runs/r1',
      {
        status: 200,
        body: run({ status: 'queued', startedAt: null, finishedAt: null, resultId: null }),
      },
      { status: 200, body: run({ status: 'running', finishedAt: null, resultId: null }) },
      { status: 200, body: run() },
    )
    const wrapper = await mountRun()
    const live = bus.handlers.get('sightline.run.r1')!
    expect(live).toBeDefined()
    expect(calls('GET /api/v1/runs/r1/events')).toBe(1)

    live({ runId: 'r1', status: 'running', at: 1, attempt: 1, runner: 'host-1' })
    await flushPromises()
    expect(wrapper.find('[data-testid="run-status"]').text()).toBe('running')
    expect(calls('GET /api/v1/runs/r1/events')).toBe(2)

    live({ runId: 'r1', status: 'running', at: 2, progress: true, rowCount: 5000 })
    await flushPromises()
    expect(wrapper.find('[data-testid="run-row-count"]').text()).toBe('5,000')
    expect(calls('GET /api/v1/runs/r1')).toBe(2)

    live({ runId: 'r1', status: 'succeeded', at: 3, rowCount: 1_234_567 })
    await flushPromises()
    expect(wrapper.find('[data-testid="run-status"]').text()).toBe('succeeded')
    expect(wrapper.find('[data-testid="run-row-count"]').text()).toBe('1,234,567')
    expect(wrapper.find('[data-testid="results-table"]').exists()).toBe(true)
    expect(bus.handlers.has('sightline.run.r1')).toBe(false)
  })
})
