import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'

import type { LiveRunEvent, Run } from '@/api/runs'
import { useSessionStore } from '@/stores/session'

import RunsView from './RunsView.vue'
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
const DS2 = 'dddddddd-0000-0000-0000-000000000002'
const Q = 'qqqqqqqq-0000-0000-0000-000000000001'

const run = (overrides: Partial<Run> = {}): Run => succeededRun({ datasourceId: DS, ...overrides })

type Answer = { status: number; body: unknown }
const fetchMock = vi.fn<typeof fetch>()
/** Answers for `GET /api/v1/runs` in order; other paths answer from `fixed`. */
let pages: (Answer | Promise<Answer>)[] = []
let fixed: Record<string, Answer> = {}

const json = ({ status, body }: Answer): Response => jsonResponse(status, body)

function runsCalls(): URL[] {
  return fetchMock.mock.calls
    .map(([url]) => new URL(String(url), 'http://x'))
    .filter((url) => url.pathname === '/api/v1/runs')
}

beforeEach(() => {
  bus.handlers.clear()
  pages = []
  fixed = {
    '/api/v1/datasources': {
      status: 200,
      body: [
        { id: DS, name: 'Replica' },
        { id: DS2, name: 'Warehouse' },
      ],
    },
    '/api/v1/queries': {
      status: 200,
      body: { items: [{ id: Q, name: 'Outages by region' }], nextCursor: null },
    },
  }
  fetchMock.mockReset()
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://x')
    if (url.pathname === '/api/v1/runs') {
      return json(await (pages.shift() ?? { status: 200, body: { items: [], nextCursor: null } }))
    }
    return json(fixed[url.pathname] ?? { status: 404, body: { title: 'Not found', status: 404 } })
  })
  vi.stubGlobal('fetch', fetchMock)
})

async function mountAt(
  path: string,
): Promise<{ wrapper: ReturnType<typeof mount>; router: Router }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/runs', component: RunsView },
      { path: '/runs/:id', component: { template: '<p>run</p>' } },
    ],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role: 'viewer',
    orgs: [],
  }
  const wrapper = mount(RunsView, { global: { plugins: [router, pinia] } })
  await flushPromises()
  return { wrapper, router }
}

describe('RunsView', () => {
  it('lists runs newest first with names, exact rows, readable bytes and error codes', async () => {
    pages.push({
      status: 200,
      body: {
        items: [
          run({ id: 'r2', queryId: Q, queryVersion: 3, trigger: 'schedule' }),
          run({
            id: 'r1',
            status: 'failed',
            rowCount: null,
            byteCount: null,
            resultId: null,
            error: { code: '42P01', message: 'relation "outage" does not exist', position: 15 },
          }),
        ],
        nextCursor: null,
      },
    })
    const { wrapper } = await mountAt('/runs')

    const rows = wrapper.findAll('[data-testid="run-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('succeeded')
    expect(rows[0]!.text()).toContain('Outages by region')
    expect(rows[0]!.text()).toContain('Replica')
    expect(rows[0]!.text()).toContain('schedule')
    expect(rows[0]!.find('[data-testid="run-rows"]').text()).toBe('1,234,567')
    expect(rows[0]!.find('[data-testid="run-bytes"]').text()).toBe('46.9 KiB')
    expect(rows[0]!.find('[data-testid="run-bytes"]').attributes('title')).toBe('48,000 bytes')
    expect(rows[0]!.text()).toContain('1.2 s')
    expect(rows[0]!.find('a').attributes('href')).toBe('/runs/r2')

    expect(rows[1]!.text()).toContain('Ad-hoc SQL')
    expect(rows[1]!.text()).toContain('select region, count(*)')
    expect(rows[1]!.text()).not.toContain('from outages')
    expect(rows[1]!.text()).toContain('42P01')
    expect(rows[1]!.find('time').attributes('datetime')).toBe('2026-11-29T03:00:00Z')
  })

  it('fits the width with seven columns: no Error column, the error in words under the query', async () => {
    const long = `canceling statement due to statement timeout${' while reading the outages table'.repeat(8)}`
    pages.push({
      status: 200,
      body: {
        items: [
          run({
            id: 'r3',
            status: 'failed',
            error: { code: '57014', message: long, position: null },
          }),
          run({
            id: 'r2',
            status: 'failed',
            queryId: Q,
            error: { code: '42P01', message: 'relation "outage" does not exist', position: 15 },
          }),
          run({
            id: 'r1',
            status: 'failed',
            error: { code: 'error', message: null, position: null },
          }),
        ],
        nextCursor: null,
      },
    })
    const { wrapper } = await mountAt('/runs')

    expect(wrapper.findAll('thead th').map((th) => th.text())).toEqual([
      'Status',
      'Query',
      'Source',
      'Created',
      'Duration',
      'Rows',
      'Bytes',
    ])
    const rows = wrapper.findAll('[data-testid="run-row"]')
    const under = rows.map((row) => row.find('.runs-what [data-testid="run-error-summary"]'))
    expect(under.every((summary) => summary.exists())).toBe(true)
    expect(under[1]!.text()).toBe('relation "outage" does not exist42P01')
    expect(under[1]!.find('code').text()).toBe('42P01')
    expect(under[1]!.attributes('title')).toBe(
      'relation "outage" does not exist\nSQLSTATE 42P01 (undefined table)',
    )
    expect(under[0]!.text()).toMatch(
      /^canceling statement due to statement timeout while .*…57014$/,
    )
    expect(under[0]!.text().length).toBeLessThan(160)
    expect(under[0]!.attributes('title')).toContain(long)
    expect(under[2]!.text()).toBe('The run failed.')
    expect(rows[1]!.findAll('td')).toHaveLength(7)
  })

  it('sends the filters of the URL as query parameters', async () => {
    await mountAt(`/runs?status=failed,timed_out&trigger=schedule&datasourceId=${DS}`)
    const url = runsCalls()[0]!
    expect(url.searchParams.get('status')).toBe('failed,timed_out')
    expect(url.searchParams.get('trigger')).toBe('schedule')
    expect(url.searchParams.get('datasourceId')).toBe(DS)
    expect(url.searchParams.get('limit')).toBe('50')
  })

  it('writes changed filters to the URL and reads the runs again with them', async () => {
    const { wrapper, router } = await mountAt('/runs?status=failed')

    await wrapper.find('[data-testid="filter-status-timed_out"]').setValue(true)
    await flushPromises()
    expect(router.currentRoute.value.query.status).toBe('failed,timed_out')
    expect(runsCalls().at(-1)!.searchParams.get('status')).toBe('failed,timed_out')

    await wrapper.find('[data-testid="filter-datasource"]').setValue(DS2)
    await flushPromises()
    expect(router.currentRoute.value.query.datasourceId).toBe(DS2)
    expect(runsCalls().at(-1)!.searchParams.get('datasourceId')).toBe(DS2)

    await wrapper.find('[data-testid="filter-query"]').setValue(Q)
    await wrapper.find('[data-testid="filter-trigger"]').setValue('dashboard')
    await wrapper.find('[data-testid="filter-mine"]').setValue(true)
    await flushPromises()
    expect(router.currentRoute.value.query).toMatchObject({
      queryId: Q,
      trigger: 'dashboard',
      requestedBy: 'me',
    })
    const last = runsCalls().at(-1)!
    expect(last.searchParams.get('queryId')).toBe(Q)
    expect(last.searchParams.get('trigger')).toBe('dashboard')
    expect(last.searchParams.get('requestedBy')).toBe('me')
  })

  it('keeps a relative time range in the URL and sends it resolved to a timestamp', async () => {
    const { wrapper, router } = await mountAt('/runs')
    const before = Date.now()
    await wrapper.find('[data-testid="filter-range"]').setValue('1h')
    await flushPromises()
    expect(router.currentRoute.value.query.range).toBe('1h')
    const from = Date.parse(runsCalls().at(-1)!.searchParams.get('from')!)
    expect(Math.abs(from - (before - 3_600_000))).toBeLessThan(5_000)
    expect(runsCalls().at(-1)!.searchParams.has('to')).toBe(false)
  })

  it('sends a custom range as given in the URL', async () => {
    await mountAt('/runs?range=custom&from=2026-11-28T00:00:00.000Z&to=2026-11-29T00:00:00.000Z')
    const url = runsCalls()[0]!
    expect(url.searchParams.get('from')).toBe('2026-11-28T00:00:00.000Z')
    expect(url.searchParams.get('to')).toBe('2026-11-29T00:00:00.000Z')
  })

  it('loads the next page with the cursor and appends it', async () => {
    pages.push({ status: 200, body: { items: [run({ id: 'r2' })], nextCursor: 'c1' } })
    pages.push({ status: 200, body: { items: [run({ id: 'r1' })], nextCursor: null } })
    const { wrapper } = await mountAt('/runs?trigger=api')

    await wrapper.find('[data-testid="runs-load-more"]').trigger('click')
    await flushPromises()

    const next = runsCalls().at(-1)!
    expect(next.searchParams.get('cursor')).toBe('c1')
    expect(next.searchParams.get('trigger')).toBe('api')
    expect(
      wrapper.findAll('[data-testid="run-row"]').map((r) => r.attributes('data-run-id')),
    ).toEqual(['r2', 'r1'])
    expect(wrapper.find('[data-testid="runs-load-more"]').exists()).toBe(false)
  })

  it('says no runs match and clears the filters on request', async () => {
    const { wrapper, router } = await mountAt('/runs?status=cancelled')
    expect(wrapper.find('[data-testid="runs-empty"]').text()).toContain(
      'No runs match these filters',
    )

    await wrapper.find('[data-testid="runs-empty"] button').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/runs')
    expect(runsCalls().at(-1)!.searchParams.has('status')).toBe(false)
  })

  it('explains a filter the API rejects', async () => {
    pages.push({
      status: 400,
      body: {
        type: 'validation',
        title: 'Invalid request',
        status: 400,
        detail: 'Some fields are invalid.',
        errors: [{ field: '?status', message: 'must be among [queued, running]' }],
      },
    })
    const { wrapper } = await mountAt('/runs?status=bogus')
    const alert = wrapper.find('[data-testid="runs-error"]').text()
    expect(alert).toContain('These filters are not valid')
    expect(alert).toContain('status: must be among [queued, running]')
    expect(alert).toContain('Clear filters')
  })

  it('shows a failed load in words', async () => {
    pages.push({
      status: 500,
      body: { title: 'Internal error', status: 500, detail: 'The database is down.' },
    })
    const { wrapper } = await mountAt('/runs')
    const alert = wrapper.find('[role="alert"]').text()
    expect(alert).toContain('Cannot load the runs: Internal error')
    expect(alert).toContain('The database is down.')
  })

  it('updates a shown run in place from the org feed', async () => {
    pages.push({
      status: 200,
      body: {
        items: [run({ status: 'running', execMs: null, rowCount: null, byteCount: null })],
        nextCursor: null,
      },
    })
    fixed['/api/v1/runs/r1'] = { status: 200, body: run({ rowCount: 10, byteCount: 100 }) }
    const { wrapper } = await mountAt('/runs')
    const feed = bus.handlers.get('sightline.org.o1.runs')!

    feed({ runId: 'r1', status: 'running', at: 1, progress: true, rowCount: 4000, byteCount: 2048 })
    await flushPromises()
    const row = wrapper.find('[data-testid="run-row"]')
    expect(row.find('[data-testid="run-rows"]').text()).toBe('4,000')
    expect(row.find('[data-testid="run-bytes"]').text()).toBe('2 KiB')

    feed({ runId: 'r1', status: 'succeeded', at: 2, rowCount: 10, byteCount: 100 })
    await flushPromises()
    expect(row.attributes('data-status')).toBe('succeeded')
    expect(row.find('[data-testid="run-rows"]').text()).toBe('10')
    // the terminal event's re-read is asynchronous: wait for it rather than race it on a loaded machine
    await vi.waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => url === '/api/v1/runs/r1')).toBe(true),
    )
  })

  it('adds a new run that matches the filters at the top, and not one that does not', async () => {
    pages.push({ status: 200, body: { items: [run({ id: 'r1' })], nextCursor: null } })
    fixed['/api/v1/runs/r9'] = {
      status: 200,
      body: run({ id: 'r9', status: 'queued', createdAt: '2026-11-29T04:00:00Z' }),
    }
    fixed['/api/v1/runs/r8'] = {
      status: 200,
      body: run({
        id: 'r8',
        status: 'queued',
        datasourceId: DS2,
        createdAt: '2026-11-29T04:01:00Z',
      }),
    }
    const { wrapper } = await mountAt(`/runs?datasourceId=${DS}`)
    const feed = bus.handlers.get('sightline.org.o1.runs')!

    feed({ runId: 'r9', status: 'queued', at: 1 })
    feed({ runId: 'r8', status: 'queued', at: 1 })

    await vi.waitFor(() =>
      expect(
        wrapper.findAll('[data-testid="run-row"]').map((r) => r.attributes('data-run-id')),
      ).toEqual(['r9', 'r1']),
    )
  })

  it('reads a burst of new runs (a busy org) with one list request, not a request per run', async () => {
    pages.push({ status: 200, body: { items: [run({ id: 'r1' })], nextCursor: null } })
    const burst = Array.from({ length: 30 }, (_, i) =>
      run({
        id: `n${i}`,
        status: 'queued',
        createdAt: `2026-11-29T05:00:${String(i).padStart(2, '0')}Z`,
      }),
    )
    pages.push({ status: 200, body: { items: [...burst].reverse(), nextCursor: null } })
    const { wrapper } = await mountAt('/runs')
    const feed = bus.handlers.get('sightline.org.o1.runs')!
    const before = fetchMock.mock.calls.length

    for (const r of burst) feed({ runId: r.id, status: 'queued', at: 1 })

    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="run-row"]')).toHaveLength(31))
    const after = fetchMock.mock.calls
      .slice(before)
      .map(([url]) => new URL(String(url), 'http://x'))
    expect(after.filter((url) => url.pathname === '/api/v1/runs')).toHaveLength(1)
    expect(after.filter((url) => url.pathname.startsWith('/api/v1/runs/'))).toHaveLength(0)
  })

  it('applies live events that arrive while the list is still being read', async () => {
    let answer!: (value: Answer) => void
    pages.push(new Promise<Answer>((resolve) => (answer = resolve)))
    fixed['/api/v1/runs/r1'] = { status: 200, body: run({ status: 'failed' }) }
    const { wrapper } = await mountAt('/runs')
    expect(wrapper.find('[role="status"]').text()).toBe('Loading runs…')

    bus.handlers.get('sightline.org.o1.runs')!({ runId: 'r1', status: 'failed', at: 1 })
    answer({ status: 200, body: { items: [run({ status: 'running' })], nextCursor: null } })
    await flushPromises()

    expect(wrapper.find('[data-testid="run-row"]').attributes('data-status')).toBe('failed')
  })

  it('lists each request of a shared run with its requester, and moves them together', async () => {
    const shared = { id: 'r9', status: 'running' as const, rowCount: null, finishedAt: null }
    pages.push({
      status: 200,
      body: {
        items: [
          run({
            ...shared,
            requestId: 'q2',
            queryId: Q,
            requestedBy: 'u2',
            requestedByName: 'Vera',
            sharedWith: 1,
          }),
          run({
            ...shared,
            requestId: 'q1',
            requestedBy: 'u1',
            requestedByEmail: 'ops@example.com',
            sharedWith: 1,
          }),
        ],
        nextCursor: null,
      },
    })
    const { wrapper } = await mountAt('/runs')

    const rows = wrapper.findAll('[data-testid="run-row"]')
    expect(rows).toHaveLength(2)
    expect(rows.map((r) => r.get('[data-testid="run-requester"]').text())).toEqual([
      'Vera',
      'ops@example.com',
    ])
    expect(rows.map((r) => r.get('[data-testid="run-shared"]').text())).toEqual([
      'shared ×2',
      'shared ×2',
    ])

    bus.handlers.get('sightline.org.o1.runs')!({ runId: 'r9', status: 'cancelled', at: 1 })
    await flushPromises()
    expect(
      wrapper.findAll('[data-testid="run-row"]').map((r) => r.attributes('data-status')),
    ).toEqual(['cancelled', 'cancelled'])
  })
})
