/* eslint-disable vue/one-component-per-file -- a stand-in for VizView and the routed page holding the area */
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, reactive } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'

import { ApiError } from '@/api/http'
import * as resultsApi from '@/api/results'
import * as vizApi from '@/api/visualizations'
import { succeededRun } from '@/testing/runs'
import type { Visualization } from '@/viz/types'

import QueryWorkbenchVisualizations from './QueryWorkbenchVisualizations.vue'

enableAutoUnmount(afterEach)

// The preview stands in for VizView (no ECharts, no shaping): it shows what it was asked to draw.
vi.mock('@/viz/VizView.vue', () => ({
  default: defineComponent({
    name: 'VizView',
    props: {
      run: { type: Object, required: true },
      kind: { type: String, required: true },
      config: { type: Object, required: true },
      name: { type: String, default: undefined },
    },
    setup: (props) => () =>
      h(
        'div',
        { 'data-testid': 'viz-view-stub', 'data-run': (props.run as { id: string }).id },
        JSON.stringify({ kind: props.kind, config: props.config, name: props.name }),
      ),
  }),
}))

const columns: resultsApi.ResultColumn[] = [
  { name: 'day', type: 'date', sourceType: 'date' },
  { name: 'province', type: 'text', sourceType: 'text' },
  { name: 'outages', type: 'integer', sourceType: 'int4' },
]
const rows = [
  ['2026-11-01', 'Ontario', 3],
  ['2026-11-01', 'Quebec', 5],
  ['2026-11-02', 'Ontario', 2],
  ['2026-11-02', 'Quebec', 7],
]

function aViz(patch: Partial<Visualization> = {}): Visualization {
  return {
    id: 'v1',
    queryId: 'q1',
    name: 'Outages',
    kind: 'line',
    config: { x: { column: 'day' }, y: [{ column: 'outages' }] },
    version: 1,
    createdBy: 'u1',
    updatedBy: 'u1',
    createdAt: '2026-11-29T09:00:00Z',
    updatedAt: '2026-11-29T09:00:00Z',
    ...patch,
  }
}

const state = reactive({
  queryId: 'q1' as string | null,
  canEdit: true,
  run: succeededRun() as ReturnType<typeof succeededRun> | null,
})
const saveQuery = vi.fn()

/** The area as the workbench holds it: inside a routed page, so its leave guard is live. */
async function mountArea() {
  const Page = defineComponent({
    setup: () => () =>
      h(QueryWorkbenchVisualizations, {
        queryId: state.queryId,
        canEdit: state.canEdit,
        run: state.run,
        onSaveQuery: saveQuery,
      }),
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/queries/:id', component: Page },
      { path: '/elsewhere', component: { render: () => h('p', 'elsewhere') } },
    ],
  })
  await router.push('/queries/q1')
  await router.isReady()
  const wrapper = mount(RouterView, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find('[data-testid="viz-area"]').exists()).toBe(true))
  return { wrapper, router }
}

const find = (w: ReturnType<typeof mount>, id: string) => w.find(`[data-testid="${id}"]`)
/** The config the preview was last asked to draw. */
const previewed = (w: ReturnType<typeof mount>) =>
  JSON.parse(find(w, 'viz-view-stub').text()) as { kind: string; config: Record<string, unknown> }

async function formReady(w: ReturnType<typeof mount>) {
  await vi.waitFor(() =>
    expect(w.find('[data-testid="viz-config-form"] fieldset').exists()).toBe(true),
  )
  await flushPromises()
}

let list: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  state.queryId = 'q1'
  state.canEdit = true
  state.run = succeededRun()
  saveQuery.mockReset()
  list = vi.spyOn(vizApi, 'listVisualizations').mockResolvedValue([])
  vi.spyOn(resultsApi, 'getResultPage').mockResolvedValue({
    resultId: 'res1',
    columns,
    offset: 0,
    limit: 200,
    totalRows: rows.length,
    truncated: false,
    truncatedReason: null,
    rows,
  })
})

describe('QueryWorkbenchVisualizations', () => {
  it('explains that an unsaved query cannot have visualizations and offers to save it', async () => {
    state.queryId = null
    const { wrapper } = await mountArea()
    expect(find(wrapper, 'viz-unsaved-query').text()).toMatch(/belong to a saved query/)
    await find(wrapper, 'viz-save-query').trigger('click')
    expect(saveQuery).toHaveBeenCalledOnce()
    expect(list).not.toHaveBeenCalled()
  })

  it("lists the query's visualizations and previews the first with the latest run, no re-run", async () => {
    list.mockResolvedValue([aViz(), aViz({ id: 'v2', name: 'Customers', kind: 'bar' })])
    const { wrapper } = await mountArea()
    expect(list).toHaveBeenCalledWith('q1')
    expect(wrapper.findAll('[data-testid="viz-item"]').map((b) => b.text())).toEqual([
      'Outages',
      'Customers',
    ])
    await vi.waitFor(() => expect(find(wrapper, 'viz-view-stub').exists()).toBe(true))
    expect(find(wrapper, 'viz-view-stub').attributes('data-run')).toBe('r1')
    expect(previewed(wrapper).kind).toBe('line')
    await wrapper.findAll('[data-testid="viz-item"]')[1]!.trigger('click')
    expect(previewed(wrapper).kind).toBe('bar')
  })

  it('adds one: kind picker, a mapping suggested from the result, live preview of edits, create then save with the version', async () => {
    const created = aViz({
      id: 'v9',
      name: 'Area',
      kind: 'area',
      config: {
        x: { column: 'day', type: 'time' },
        y: [{ column: 'outages' }],
        seriesBy: 'province',
        stacking: 'stacked',
      },
    })
    const create = vi.spyOn(vizApi, 'createVisualization').mockResolvedValue(created)
    const { wrapper } = await mountArea()
    expect(find(wrapper, 'viz-empty').exists()).toBe(true)
    await find(wrapper, 'viz-add').trigger('click')
    expect(find(wrapper, 'viz-kind-picker').text()).toContain('Area')
    await find(wrapper, 'viz-kind-area').trigger('click')
    await formReady(wrapper)
    await vi.waitFor(() => expect(find(wrapper, 'viz-view-stub').exists()).toBe(true))
    expect(previewed(wrapper)).toMatchObject({
      kind: 'area',
      config: {
        x: { column: 'day', type: 'time' },
        y: [{ column: 'outages' }],
        seriesBy: 'province',
        stacking: 'stacked',
      },
    })
    expect(find(wrapper, 'viz-unsaved').exists()).toBe(true)

    // an edit in the form re-draws the preview
    await wrapper.find('[name="/legend"]').setValue('top')
    expect(previewed(wrapper).config.legend).toBe('top')

    await find(wrapper, 'viz-name').setValue('Outages by province')
    await find(wrapper, 'viz-save').trigger('click')
    await flushPromises()
    expect(create).toHaveBeenCalledWith('q1', {
      name: 'Outages by province',
      kind: 'area',
      config: expect.objectContaining({ legend: 'top', seriesBy: 'province' }),
    })
    expect(wrapper.findAll('[data-testid="viz-item"]').map((b) => b.text())).toEqual(['Area'])
    expect(find(wrapper, 'viz-unsaved').exists()).toBe(false)

    const save = vi
      .spyOn(vizApi, 'saveVisualization')
      .mockResolvedValue({ ...created, version: 2, config: { ...created.config, legend: 'right' } })
    await wrapper.find('[name="/legend"]').setValue('right')
    expect(find(wrapper, 'viz-unsaved').exists()).toBe(true)
    await find(wrapper, 'viz-save').trigger('click')
    await flushPromises()
    expect(save).toHaveBeenCalledWith('v9', expect.objectContaining({ version: 1, kind: 'area' }))
    expect(find(wrapper, 'viz-unsaved').exists()).toBe(false)
  })

  it('a stale save is a 409 said in words, with "Reload latest" taking the saved version', async () => {
    list.mockResolvedValue([aViz()])
    vi.spyOn(vizApi, 'saveVisualization').mockRejectedValue(
      new ApiError({
        status: 409,
        title: 'Conflict',
        detail: 'ops@example.com saved version 2 at 10:02.',
      }),
    )
    const latest = aViz({ version: 2, name: 'Outages (theirs)' })
    const get = vi.spyOn(vizApi, 'getVisualization').mockResolvedValue(latest)
    const { wrapper } = await mountArea()
    await formReady(wrapper)
    await find(wrapper, 'viz-name').setValue('Mine')
    await find(wrapper, 'viz-save').trigger('click')
    await flushPromises()
    const problem = find(wrapper, 'viz-save-error')
    expect(problem.text()).toContain('Someone saved this visualization since you opened it.')
    expect(problem.text()).toContain('ops@example.com saved version 2')
    await find(wrapper, 'viz-reload-latest').trigger('click')
    await flushPromises()
    expect(get).toHaveBeenCalledWith('v1')
    expect((find(wrapper, 'viz-name').element as HTMLInputElement).value).toBe('Outages (theirs)')
    expect(find(wrapper, 'viz-save-error').exists()).toBe(false)
    expect(find(wrapper, 'viz-unsaved').exists()).toBe(false)
  })

  it('deletes after a confirmation; one a dashboard uses is refused naming the dashboards', async () => {
    list.mockResolvedValue([aViz(), aViz({ id: 'v2', name: 'Customers' })])
    const del = vi.spyOn(vizApi, 'deleteVisualization').mockRejectedValueOnce(
      new ApiError({
        status: 409,
        title: 'Visualization in use',
        type: 'https://sightline.dev/problems/visualization-in-use',
        extensions: {
          dashboards: [
            { id: 'd1', name: 'Grid ops' },
            { id: 'd2', name: 'Morning' },
          ],
        },
      }),
    )
    const { wrapper } = await mountArea()
    await formReady(wrapper)
    await find(wrapper, 'viz-delete').trigger('click')
    expect(find(wrapper, 'viz-delete-confirm').text()).toContain('Delete “Outages”?')
    await find(wrapper, 'viz-delete-confirm').find('button').trigger('click')
    await flushPromises()
    expect(find(wrapper, 'viz-delete-error').text()).toContain(
      'the dashboards “Grid ops”, “Morning” show it',
    )
    expect(wrapper.findAll('[data-testid="viz-item"]')).toHaveLength(2)

    del.mockResolvedValueOnce(undefined)
    await find(wrapper, 'viz-delete').trigger('click')
    await find(wrapper, 'viz-delete-confirm').find('button').trigger('click')
    await flushPromises()
    expect(del).toHaveBeenLastCalledWith('v1')
    expect(wrapper.findAll('[data-testid="viz-item"]').map((b) => b.text())).toEqual(['Customers'])
  })

  it('asks before switching visualization or leaving the page with unsaved changes', async () => {
    list.mockResolvedValue([aViz(), aViz({ id: 'v2', name: 'Customers' })])
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const { wrapper, router } = await mountArea()
    await formReady(wrapper)
    await find(wrapper, 'viz-name').setValue('Outages, edited')

    await wrapper.findAll('[data-testid="viz-item"]')[1]!.trigger('click')
    expect(confirm).toHaveBeenCalledWith('Discard your unsaved changes to this visualization?')
    expect((find(wrapper, 'viz-name').element as HTMLInputElement).value).toBe('Outages, edited')

    await router.push('/elsewhere')
    expect(router.currentRoute.value.path).toBe('/queries/q1')
    expect(confirm).toHaveBeenCalledTimes(2)

    confirm.mockReturnValue(true)
    await wrapper.findAll('[data-testid="viz-item"]')[1]!.trigger('click')
    expect((find(wrapper, 'viz-name').element as HTMLInputElement).value).toBe('Customers')
    // nothing unsaved any more: leaving does not ask
    confirm.mockClear()
    await router.push('/elsewhere')
    expect(confirm).not.toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/elsewhere')
  })

  it('shows viewers the visualizations read-only', async () => {
    state.canEdit = false
    list.mockResolvedValue([aViz()])
    const { wrapper } = await mountArea()
    await formReady(wrapper)
    expect(find(wrapper, 'viz-add').exists()).toBe(false)
    expect(find(wrapper, 'viz-save').exists()).toBe(false)
    expect(find(wrapper, 'viz-delete').exists()).toBe(false)
    expect(
      wrapper.find('[data-testid="viz-config-form"] fieldset').attributes('disabled'),
    ).toBeDefined()
    expect(find(wrapper, 'viz-name').attributes('readonly')).toBeDefined()
    await vi.waitFor(() => expect(find(wrapper, 'viz-view-stub').exists()).toBe(true))
  })

  it('without a succeeded run says how to get a preview', async () => {
    state.run = null
    list.mockResolvedValue([aViz()])
    const { wrapper } = await mountArea()
    expect(find(wrapper, 'viz-no-result').text()).toMatch(/Run the query/)
  })
})
