import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'

import type { Role } from '@/api/auth'
import * as dashboardsApi from '@/api/dashboards'
import type { Dashboard, DashboardRunRequest, Tile } from '@/api/dashboards'
import * as schedulesApi from '@/api/schedules'
import App from '@/App.vue'
import { resetEventBus, setEventBusSocketFactory } from '@/composables/useEventBus'
import { useSessionStore } from '@/stores/session'
import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { preloadViz } from '@/viz/preload'

import DashboardView from './DashboardView.vue'

enableAutoUnmount(afterEach)

vi.mock('@/viz/preload', () => ({ preloadViz: vi.fn() }))

// The chart stand-in: says which result it draws; a click on it is a click on the bar of province "Limpopo".
const VizStub = defineComponent({
  name: 'VizView',
  props: { run: { type: Object, required: true } },
  emits: ['select'],
  setup(props, { emit }) {
    return () =>
      h('button', {
        'data-testid': 'viz-stub',
        'data-result': (props.run as { resultId: string }).resultId,
        onClick: () => emit('select', { province: 'Limpopo', day: '2026-01-02T00:00:00.000Z' }),
      })
  },
})

function tile(patch: Partial<Tile> & { id: string }): Tile {
  return {
    kind: 'viz',
    visualizationId: 'v1',
    title: null,
    text: null,
    x: 0,
    y: 0,
    w: 12,
    h: 6,
    bindings: {},
    clickAction: null,
    visualization: {
      id: 'v1',
      name: 'Outages per day',
      kind: 'bar',
      config: { x: { column: 'province' }, y: [{ column: 'outages' }] },
      version: 1,
      queryId: 'q1',
    },
    ...patch,
  }
}

const dashboard: Dashboard = {
  id: 'd1',
  slug: 'outages',
  name: 'Outages <img src=x onerror=alert(1)>',
  description: '',
  tags: ['ops'],
  params: [
    { name: 'period', type: 'date_range', default: 'last_7d' },
    { name: 'province', type: 'text' },
  ],
  refreshSeconds: 300,
  version: 1,
  createdBy: null,
  updatedBy: null,
  createdAt: '2026-11-29T09:00:00Z',
  updatedAt: '2026-11-29T09:00:00Z',
  lastViewedAt: null,
  tiles: [
    tile({
      id: 'bar',
      x: 12,
      y: 0,
      bindings: {
        period: { from: 'dashboard', param: 'period' },
      },
      clickAction: { setParam: 'province', column: 'province' },
    }),
    tile({
      id: 'line',
      x: 0,
      y: 0,
      bindings: {
        period: { from: 'dashboard', param: 'period' },
        province: { from: 'dashboard', param: 'province' },
      },
    }),
    tile({
      id: 'note',
      kind: 'text',
      visualizationId: null,
      visualization: undefined,
      text: 'Province: **{{province}}**',
      y: 6,
      w: 24,
      h: 2,
    }),
  ],
}

let calls: DashboardRunRequest[] = []

async function open(search = '', role: Role = 'viewer') {
  const Blank = { template: '<p>page</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/dashboards/:idOrSlug',
        name: 'dashboard',
        component: DashboardView,
        props: true,
        meta: { kiosk: true },
      },
      { path: '/dashboards/:idOrSlug/edit', name: 'dashboard-edit', component: Blank },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  await router.push(`/dashboards/outages${search}`)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role,
    orgs: [],
  }
  const wrapper = mount(App, {
    global: { plugins: [router, pinia], stubs: { VizView: VizStub } },
    attachTo: document.body,
  })
  await settle()
  return { wrapper, router }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await vi.advanceTimersByTimeAsync(50)
    await flushPromises()
    await vi.dynamicImportSettled()
  }
}

function query(router: Router) {
  return router.currentRoute.value.query
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(schedulesApi, 'listSchedules').mockResolvedValue({ items: [], nextCursor: null })
  vi.mocked(preloadViz).mockClear()
  calls = []
  document.documentElement.removeAttribute('data-theme')
  // no IntersectionObserver: every tile counts as seen
  vi.stubGlobal('IntersectionObserver', undefined)
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
  vi.spyOn(dashboardsApi, 'getDashboard').mockResolvedValue(structuredClone(dashboard))
  vi.spyOn(dashboardsApi, 'runDashboard').mockImplementation(async (_id, body) => {
    calls.push(structuredClone(body))
    return {
      tiles: (body.tileIds ?? []).map((tileId) => ({
        tileId,
        queryId: 'q1',
        runId: `run-${calls.length}`,
        resultId: `res-${tileId}-${calls.length}`,
        status: 'succeeded' as const,
        reused: true,
        fingerprint: `fp-${tileId}`,
        finishedAt: new Date(Date.now() - 120_000).toISOString(),
      })),
    }
  })
})

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
  vi.useRealTimers()
})

describe('DashboardView', () => {
  it('lays the tiles out on the grid in reading order and asks for every viz tile in one request', async () => {
    const { wrapper } = await open()
    const tiles = wrapper.findAll('[data-testid="dash-tile"]')
    expect(tiles.map((t) => t.attributes('data-tile-id'))).toEqual(['line', 'bar', 'note'])
    expect(tiles[1]!.attributes('style')).toContain('grid-column: 13 / span 12')
    expect(tiles[2]!.attributes('style')).toContain('grid-row: 7 / span 2')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.tileIds).toEqual(['line', 'bar'])
    expect(wrapper.find('[data-tile-id="bar"] [data-testid="dash-tile-status"]').text()).toBe(
      'Updated 2 min ago',
    )
    // the chart code was asked for with the dashboard, before any tile had a result to draw
    expect(preloadViz).toHaveBeenCalledTimes(1)
    expect([...vi.mocked(preloadViz).mock.calls[0]![0]]).toEqual(['bar', 'bar'])
    // the name is text, never markup
    expect(wrapper.find('[data-testid="dashboard-name"]').text()).toContain('<img')
    expect(wrapper.find('[data-testid="dashboard-view"] img').exists()).toBe(false)
  })

  it('takes the values from the URL (p.<name>), and Apply writes them back and runs what changed', async () => {
    const { wrapper, router } = await open('?p.period=2026-01-01..2026-01-31&p.province=Gauteng')
    expect(calls[0]!.params).toEqual({
      period: { start: '2026-01-01', end: '2026-01-31' },
      province: 'Gauteng',
    })
    expect(wrapper.find('[data-testid="dash-text"]').text()).toBe('Province: Gauteng')

    const input = wrapper.find('[data-param="province"] input')
    await input.setValue('Limpopo')
    await input.trigger('change')
    expect(calls).toHaveLength(1) // nothing runs before Apply
    await wrapper.find('[data-testid="dash-apply"]').trigger('click')
    await settle()
    expect(query(router)['p.province']).toBe('Limpopo')
    expect(query(router)['p.period']).toBe('2026-01-01..2026-01-31')
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatchObject({ tileIds: ['line'], params: { province: 'Limpopo' } })
    expect(wrapper.find('[data-testid="dash-text"]').text()).toBe('Province: Limpopo')
    // the previous drawing of the tile was replaced by the new result, the other tile kept its own
    expect(
      wrapper.find('[data-tile-id="line"] [data-testid="viz-stub"]').attributes('data-result'),
    ).toBe('res-line-2')
    expect(
      wrapper.find('[data-tile-id="bar"] [data-testid="viz-stub"]').attributes('data-result'),
    ).toBe('res-bar-1')
  })

  it('click to filter: sets the parameter, shows a removable chip, and clears it on a second click', async () => {
    const { wrapper, router } = await open()
    console.log(
      wrapper.find('[data-tile-id="line"] .dash-tile-body').html(),
      wrapper.find('[data-tile-id="bar"] .dash-tile-body').html(),
    )
    await wrapper.find('[data-tile-id="bar"] [data-testid="viz-stub"]').trigger('click')
    await settle()
    expect(query(router)['p.province']).toBe('Limpopo')
    expect(wrapper.find('[data-testid="dash-filter-chip"]').text()).toContain('province: Limpopo')
    expect(calls.at(-1)).toMatchObject({ tileIds: ['line'], params: { province: 'Limpopo' } })

    await wrapper.find('[data-tile-id="bar"] [data-testid="viz-stub"]').trigger('click')
    await settle()
    expect(query(router)['p.province']).toBeUndefined()
    expect(wrapper.find('[data-testid="dash-filter-chip"]').exists()).toBe(false)

    await wrapper.find('[data-tile-id="bar"] [data-testid="viz-stub"]').trigger('click')
    await settle()
    await wrapper.find('[data-testid="dash-filter-remove"]').trigger('click')
    await settle()
    expect(query(router)['p.province']).toBeUndefined()
    expect(wrapper.find('[data-testid="dash-filter-chip"]').exists()).toBe(false)
  })

  it('a tile without a click action ignores clicks', async () => {
    const { wrapper, router } = await open()
    await wrapper.find('[data-tile-id="line"] [data-testid="viz-stub"]').trigger('click')
    await settle()
    expect(query(router)['p.province']).toBeUndefined()
  })

  it('refresh: the interval in the URL, Refresh asks for every tile with age 0, a tile’s button for itself', async () => {
    const { wrapper, router } = await open('?refresh=30')
    const select = wrapper.find('[data-testid="dash-refresh-interval"]')
    expect((select.element as HTMLSelectElement).value).toBe('30')
    await select.setValue('')
    await settle()
    expect(query(router).refresh).toBe('off')
    await select.setValue('300')
    await settle()
    expect(query(router).refresh).toBeUndefined() // the dashboard's own
    await wrapper.find('[data-testid="dash-refresh"]').trigger('click')
    await settle()
    expect(calls.at(-1)).toMatchObject({ tileIds: ['line', 'bar'], maxAgeSeconds: 0 })
    await wrapper.find('[data-tile-id="bar"] [data-testid="dash-tile-refresh"]').trigger('click')
    await settle()
    expect(calls.at(-1)).toMatchObject({ tileIds: ['bar'], maxAgeSeconds: 0 })
  })

  it('shows Edit to editors only', async () => {
    const viewer = await open('', 'viewer')
    expect(viewer.wrapper.find('[data-testid="dashboard-edit"]').exists()).toBe(false)
    viewer.wrapper.unmount()
    const editor = await open('', 'editor')
    expect(editor.wrapper.find('[data-testid="dashboard-edit"]').attributes('href')).toBe(
      '/dashboards/outages/edit',
    )
  })

  it('kiosk: no app chrome, dark theme; kiosk=full hides the parameter bar too', async () => {
    const normal = await open('', 'editor')
    expect(normal.wrapper.find('[data-testid="app-shell"]').exists()).toBe(true)
    expect(normal.wrapper.find('[data-testid="dash-params"]').exists()).toBe(true)
    normal.wrapper.unmount()

    const kiosk = await open('?kiosk', 'editor')
    expect(kiosk.wrapper.find('[data-testid="app-shell"]').exists()).toBe(false)
    expect(kiosk.wrapper.find('[data-testid="dashboard-view"]').attributes('data-kiosk')).toBe('on')
    expect(kiosk.wrapper.find('[data-testid="dash-params"]').exists()).toBe(true)
    expect(kiosk.wrapper.find('[data-testid="dashboard-edit"]').exists()).toBe(false)
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    kiosk.wrapper.unmount()

    const full = await open('?kiosk=full')
    expect(full.wrapper.find('[data-testid="app-shell"]').exists()).toBe(false)
    expect(full.wrapper.find('[data-testid="dash-params"]').exists()).toBe(false)
    expect(full.wrapper.findAll('[data-testid="dash-tile"]')).toHaveLength(3)
  })

  it('kiosk: a discreet banner while the live bridge is down, gone once it is back', async () => {
    const { wrapper } = await open('?kiosk')
    FakeEventBusSocket.last.open()
    await settle()
    expect(wrapper.find('[data-testid="dash-reconnecting"]').exists()).toBe(false)
    FakeEventBusSocket.last.drop()
    await flushPromises()
    expect(wrapper.find('[data-testid="dash-reconnecting"]').text()).toMatch(
      /^Reconnecting — data from \d{2}:\d{2}/,
    )
    await settle() // the bus reconnects after 500 ms
    await vi.advanceTimersByTimeAsync(600)
    FakeEventBusSocket.last.open()
    await settle()
    expect(wrapper.find('[data-testid="dash-reconnecting"]').exists()).toBe(false)
    expect(calls).toHaveLength(2) // asked again after the reconnect
  })
})
