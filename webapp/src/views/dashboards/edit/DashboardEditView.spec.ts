import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, type PropType } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'

import type { Role } from '@/api/auth'
import * as dashboardsApi from '@/api/dashboards'
import type { Dashboard } from '@/api/dashboards'
import { ApiError } from '@/api/http'
import * as queriesApi from '@/api/queries'
import * as vizApi from '@/api/visualizations'
import { useSessionStore } from '@/stores/session'

import DashboardEditView from './DashboardEditView.vue'
import type { DraftTile } from './draft'
import { VIEW_ONLY_NOTICE } from './editorOnly'

enableAutoUnmount(afterEach)

// grid-layout-plus measures the page: a plain list of the tiles with the same contract (slot `tile`, `place`).
const GridStub = defineComponent({
  name: 'DashboardEditGrid',
  props: { tiles: { type: Array as PropType<DraftTile[]>, required: true } },
  emits: ['place', 'menu'],
  setup(props, { emit, slots }) {
    return () =>
      h(
        'div',
        { 'data-testid': 'edit-grid' },
        props.tiles.map((tile) =>
          h('article', { 'data-testid': 'edit-tile', 'data-tile': tile.key, key: tile.key }, [
            h('button', {
              'data-testid': 'tile-menu-button',
              onClick: () => emit('menu', tile.key),
            }),
            h(
              'button',
              {
                'data-testid': 'drag',
                onClick: () =>
                  emit(
                    'place',
                    [{ key: tile.key, x: tile.x, y: tile.y + 2, w: tile.w, h: tile.h }],
                    true,
                  ),
              },
              'drag',
            ),
            slots.tile?.({ tile }),
          ]),
        ),
      )
  },
})

function aDashboard(patch: Partial<Dashboard> = {}): Dashboard {
  return {
    id: 'd1',
    slug: 'outages',
    name: 'Outages',
    description: '',
    tags: [],
    params: [{ name: 'period', type: 'date_range', default: 'last_7d' }],
    refreshSeconds: null,
    version: 3,
    createdBy: 'ana@example.com',
    updatedBy: 'ana@example.com',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    lastViewedAt: null,
    tiles: [
      {
        id: 't1',
        kind: 'viz',
        visualizationId: 'v1',
        title: null,
        text: null,
        x: 0,
        y: 0,
        w: 12,
        h: 8,
        bindings: {},
        clickAction: null,
        visualization: {
          id: 'v1',
          name: 'By day',
          kind: 'line',
          config: { x: { column: 'day' }, y: [] },
          version: 1,
          queryId: 'q1',
        },
        query: {
          id: 'q1',
          name: 'Outages by day',
          params: [{ name: 'period', type: 'date_range', required: true }],
        },
      },
    ],
    ...patch,
  }
}

async function mountEdit(
  options: { role?: Role; onNavigate?: (state: Record<string, unknown> | undefined) => void } = {},
) {
  const Blank = { template: '<p data-testid="other-page">page</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/dashboards', name: 'dashboards', component: Blank },
      { path: '/dashboards/:idOrSlug', name: 'dashboard', component: Blank },
      {
        path: '/dashboards/:idOrSlug/edit',
        name: 'dashboard-edit',
        component: DashboardEditView,
        props: true,
      },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  router.afterEach(() =>
    options.onNavigate?.(router.options.history.state as Record<string, unknown>),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ed@example.com', displayName: 'Ed', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role: options.role ?? 'editor',
    orgs: [],
  }
  await router.push('/dashboards/outages/edit?p.period=last_24h')
  const wrapper = mount(RouterView, {
    global: {
      plugins: [router, pinia],
      stubs: { DashboardEditGrid: GridStub, DashboardEditTilePreview: true },
    },
  })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.spyOn(dashboardsApi, 'getDashboard').mockResolvedValue(aDashboard())
})

describe('DashboardEditView', () => {
  it('sends a viewer to view mode with a notice, without loading the dashboard for editing', async () => {
    const notices: unknown[] = []
    const { wrapper, router } = await mountEdit({
      role: 'viewer',
      onNavigate: (state) => notices.push(state?.dashboardNotice),
    })
    expect(router.currentRoute.value.fullPath).toBe('/dashboards/outages?p.period=last_24h')
    expect(notices.at(-1)).toBe(VIEW_ONLY_NOTICE)
    expect(dashboardsApi.getDashboard).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="save-dashboard"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="other-page"]').exists()).toBe(true)
  })

  it('saves the whole dashboard with the version it started from, then is clean at the new version', async () => {
    const save = vi
      .spyOn(dashboardsApi, 'saveDashboard')
      .mockResolvedValue(aDashboard({ version: 4, name: 'Outages (ops)' }))
    const { wrapper } = await mountEdit()
    const saveButton = wrapper.get('[data-testid="save-dashboard"]')
    expect(saveButton.attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="dashboard-name"]').setValue('Outages (ops)')
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(true)
    await saveButton.trigger('click')
    await flushPromises()
    expect(save).toHaveBeenCalledWith(
      'd1',
      expect.objectContaining({
        name: 'Outages (ops)',
        version: 3,
        tiles: [expect.objectContaining({ id: 't1' })],
      }),
    )
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="saved"]').text()).toBe('Saved as version 4')
  })

  it('says in words who saved when on a stale save, reloads the latest on request and keeps the draft to copy', async () => {
    vi.spyOn(dashboardsApi, 'saveDashboard').mockRejectedValue(
      new ApiError({
        status: 409,
        type: 'urn:sightline:problem:stale-version',
        title: 'Saved by someone else',
        detail:
          'This dashboard is at version 4 (saved by ana@example.com at 2026-03-02T14:05:09Z); your edit started from version 3. Reload it, then apply your change again.',
      }),
    )
    const { wrapper } = await mountEdit()
    await wrapper.get('[data-testid="dashboard-name"]').setValue('Mine')
    await wrapper.get('[data-testid="save-dashboard"]').trigger('click')
    await flushPromises()
    const problem = wrapper.get('[data-testid="save-error"]')
    expect(problem.text()).toContain('Someone saved this dashboard since you opened it.')
    expect(wrapper.get('[data-testid="stale-text"]').text()).toMatch(
      /^ana@example\.com saved version 4 at .*2026.*; your edit started from version 3\./,
    )
    vi.mocked(dashboardsApi.getDashboard).mockResolvedValue(
      aDashboard({ version: 4, name: 'Theirs' }),
    )
    await wrapper.get('[data-testid="reload-latest"]').trigger('click')
    await flushPromises()
    expect((wrapper.get('[data-testid="dashboard-name"]').element as HTMLInputElement).value).toBe(
      'Theirs',
    )
    expect(wrapper.get('[data-testid="dashboard-version"]').text()).toBe('v4')
    expect(
      wrapper.get('[data-testid="kept-draft"] textarea').element.getAttribute('value') ??
        (wrapper.get('[data-testid="kept-draft"] textarea').element as HTMLTextAreaElement).value,
    ).toContain('"name": "Mine"')
  })

  it('shows a refused binding on its cell of the matrix', async () => {
    vi.spyOn(dashboardsApi, 'saveDashboard').mockRejectedValue(
      new ApiError({
        status: 400,
        title: 'Invalid request',
        errors: [
          {
            path: '/tiles/0/bindings/period',
            message: "is required by the tile's query and has no default",
          },
        ],
      }),
    )
    const { wrapper } = await mountEdit()
    await wrapper.get('[data-testid="dashboard-name"]').setValue('x')
    await wrapper.get('[data-testid="save-dashboard"]').trigger('click')
    await flushPromises()
    const cell = wrapper.get('[data-testid="bindings-matrix"] td[data-param="period"]')
    expect(cell.get('[data-testid="binding-error"]').text()).toBe(
      "Is required by the tile's query and has no default.",
    )
    expect(cell.find('[data-testid="binding-required"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="save-error"]').text()).toContain('1 binding is refused')
    // binding it clears the cell's message and the flag
    await cell.get('select').setValue('param:period')
    expect(cell.find('[data-testid="binding-error"]').exists()).toBe(false)
    expect(cell.find('[data-testid="binding-required"]').exists()).toBe(false)
  })

  it('adds a visualization with its parameters bound by name, and undoes and redoes it with the keys', async () => {
    vi.spyOn(queriesApi, 'listQueries').mockResolvedValue({
      items: [
        {
          id: 'q2',
          name: 'Customers out',
          description: null,
          datasourceId: 'ds',
          version: 1,
          params: [
            { name: 'period', type: 'date_range' },
            { name: 'limit', type: 'integer' },
          ],
          createdAt: '',
          createdBy: null,
          updatedAt: '',
          updatedBy: null,
        },
      ],
      nextCursor: null,
    })
    vi.spyOn(vizApi, 'listVisualizations').mockResolvedValue([
      {
        id: 'v2',
        queryId: 'q2',
        name: 'Now',
        kind: 'stat',
        config: { value: { column: 'n' } },
        version: 1,
        createdBy: null,
        updatedBy: null,
        createdAt: '',
        updatedAt: '',
      },
    ])
    vi.useFakeTimers()
    const { wrapper } = await mountEdit()
    await wrapper.get('[data-testid="add-viz-button"]').trigger('click')
    await vi.runAllTimersAsync()
    vi.useRealTimers()
    await flushPromises()
    await wrapper.get('[data-testid="add-viz-search"]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(2)
    expect(wrapper.get('[data-testid="added-note"]').text()).toBe(
      "Added “Now”: period bound to the dashboard's parameters; limit on the query's default.",
    )
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }))
    await flushPromises()
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(1)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Z', ctrlKey: true, shiftKey: true }))
    await flushPromises()
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(2)
    await wrapper.get('[data-testid="undo"]').trigger('click')
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(1)
  })

  it('a drag is one undo step; leaving with unsaved changes asks first', async () => {
    const { wrapper, router } = await mountEdit()
    await wrapper.get('[data-testid="drag"]').trigger('click')
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(true)
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    await wrapper.get('[data-testid="cancel-edit"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(router.currentRoute.value.path).toBe('/dashboards/outages/edit')
    const unload = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(unload)
    expect(unload.defaultPrevented).toBe(true)
    await wrapper.get('[data-testid="undo"]').trigger('click')
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(false)
    await wrapper.get('[data-testid="cancel-edit"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(router.currentRoute.value.fullPath).toBe('/dashboards/outages?p.period=last_24h')
  })

  it('removing a dashboard parameter says which bindings went back to the query default', async () => {
    vi.mocked(dashboardsApi.getDashboard).mockResolvedValue(
      aDashboard({
        tiles: aDashboard().tiles.map((t) => ({
          ...t,
          bindings: { period: { from: 'dashboard', param: 'period' } },
        })),
      }),
    )
    const { wrapper } = await mountEdit()
    await wrapper.get('[data-testid="params-button"]').trigger('click')
    await wrapper.get('[data-testid="dashboard-param"] .param-decl-remove').trigger('click')
    expect(wrapper.get('[data-testid="param-notes"]').text()).toBe(
      "“By day”: period now takes the query's default.",
    )
    expect(wrapper.findAll('[data-testid="dashboard-param"]')).toHaveLength(0)
  })
  it('edits a tile from its menu: title override, click action from the viz columns, duplicate, remove', async () => {
    const save = vi
      .spyOn(dashboardsApi, 'saveDashboard')
      .mockResolvedValue(aDashboard({ version: 4 }))
    const { wrapper } = await mountEdit()
    await wrapper.get('[data-testid="tile-menu-button"]').trigger('click')
    const menu = wrapper.get('[data-testid="tile-panel"]')
    await menu.get('[data-testid="tile-title"]').setValue('Daily outages')
    await menu.get('[data-testid="click-set-param"]').setValue('period')
    const columns = menu.findAll('[data-testid="click-column"] option').map((o) => o.text())
    expect(columns).toEqual(['Choose a column', 'day'])
    await menu.get('[data-testid="click-column"]').setValue('day')
    await menu.get('[data-testid="tile-duplicate"]').trigger('click')
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(2)
    await menu.get('[data-testid="tile-remove"]').trigger('click')
    expect(wrapper.findAll('[data-testid="edit-tile"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="tile-panel"]').exists()).toBe(false)
    await wrapper.get('[data-testid="save-dashboard"]').trigger('click')
    await flushPromises()
    const sent = save.mock.calls[0]![1].tiles!
    expect(sent).toHaveLength(1)
    // the copy stays, as a new tile (no id), with the original's title and click action
    expect(sent[0]).not.toHaveProperty('id')
    expect(sent[0]).toMatchObject({
      title: 'Daily outages',
      clickAction: { setParam: 'period', column: 'day' },
      y: 8,
    })
  })
})
