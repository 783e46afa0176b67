import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'

import type { ResultPage } from '@/api/results'
import { jsonResponse } from '@/testing/http'
import { succeededRun } from '@/testing/runs'
import { kpi, meta, outagesByProvince } from '@/testing/viz'

import type { Shaped, VizConfig, VizKind } from './types'
import VizView from './VizView.vue'

// happy-dom has no canvas: ECharts is stubbed (STACK.md); the stub shows the option it was given.
vi.mock('./chart/echarts', () => ({}))
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    name: 'VChartStub',
    props: {
      option: { type: Object, default: null },
      initOptions: { type: Object, default: null },
      autoresize: Boolean,
    },
    setup(props, { expose }) {
      expose({ chart: { getDataURL: () => 'data:image/png;base64,AAAA' } })
      return () =>
        h('div', {
          class: 'vchart-stub',
          'data-series': String((props.option as { series?: unknown[] })?.series?.length ?? 0),
        })
    },
  }),
}))

/* eslint-disable @typescript-eslint/no-explicit-any -- reading back what the chart element exposes */

const fetchMock = vi.fn<typeof fetch>()
const run = succeededRun({
  resultId: 'res-1',
  finishedAt: new Date(Date.now() - 4 * 60_000).toISOString(),
})
const lineConfig: VizConfig = {
  x: { column: 'day' },
  y: [{ column: 'outages' }],
  seriesBy: 'province',
}

let wrapper: VueWrapper | undefined

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await vi.dynamicImportSettled()
  }
}

async function mountView(kind: VizKind, config: VizConfig, name = 'outages per province') {
  wrapper = mount(VizView, {
    props: { run, kind, config, name, timeZone: 'UTC' },
    attachTo: document.body,
  })
  await settle()
  return wrapper
}

function shapeCalls() {
  return fetchMock.mock.calls.filter(([url]) => String(url).includes('/series'))
}

function answerShape(shaped: Shaped | ((body: any) => Shaped)): void {
  fetchMock.mockImplementation(async (input, init) => {
    const body = JSON.parse(String(init?.body ?? '{}'))
    return jsonResponse(200, typeof shaped === 'function' ? shaped(body) : shaped)
  })
}

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(730)
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400)
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('VizView', () => {
  it('shapes the result at its width rounded up to 100 px and draws the chart with a description', async () => {
    answerShape(outagesByProvince())
    const view = await mountView('area', { ...lineConfig, stacking: 'stacked' })

    expect(shapeCalls()).toHaveLength(1)
    const [url, init] = shapeCalls()[0]!
    expect(String(url)).toBe('/api/v1/results/res-1/series')
    expect(init?.method).toBe('POST')
    expect(JSON.parse(String(init?.body))).toEqual({
      kind: 'area',
      config: { ...lineConfig, stacking: 'stacked' },
      width: 800,
    })

    const canvas = view.get('[data-testid="viz-canvas"]')
    expect(canvas.attributes('role')).toBe('img')
    expect(canvas.attributes('aria-label')).toBe(
      'Stacked area chart of 3 series (Gauteng, Limpopo, Other), outages per province, from 1 Nov 2026 to 3 Nov 2026',
    )
    expect(canvas.get('.vchart-stub').attributes('data-series')).toBe('3')
    const handle = (canvas.element as any).__viz
    expect(handle.option.series.map((s: any) => s.stack)).toEqual([
      'left-line',
      'left-line',
      'left-line',
    ])
    expect(handle.texts.series[0]).toEqual({
      key: 'Gauteng',
      name: 'Gauteng',
      values: ['12', '9', '30'],
    })
    expect(handle.texts.x).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    expect(view.get('[data-testid="viz-view"]').attributes('data-state')).toBe('ready')
    expect(view.find('[data-testid="viz-save-png"]').exists()).toBe(true)
  })

  it('saves the chart as a PNG from ECharts’ data URL, named after the visualization', async () => {
    answerShape(outagesByProvince())
    const view = await mountView('line', lineConfig, 'Outages: per/province')
    const clicked: HTMLAnchorElement[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this)
    })
    await view.get('[data-testid="viz-save-png"]').trigger('click')
    expect(clicked.map((a) => [a.href, a.download])).toEqual([
      ['data:image/png;base64,AAAA', 'Outages_ per_province.png'],
    ])
  })

  it('waits for a width before shaping, and shapes once the container has one', async () => {
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(0)
    answerShape(outagesByProvince())
    const observers: ResizeObserverCallback[] = []
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: ResizeObserverCallback) {
          observers.push(callback)
        }
        observe() {}
        disconnect() {}
      },
    )
    const view = await mountView('line', lineConfig)
    expect(shapeCalls()).toHaveLength(0)
    observers[0]!([{ contentRect: { width: 64 } } as ResizeObserverEntry], {} as ResizeObserver)
    await settle()
    expect(shapeCalls()).toHaveLength(1)
    expect(JSON.parse(String(shapeCalls()[0]![1]?.body)).width).toBe(100)
    expect(view.find('[data-testid="viz-canvas"]').exists()).toBe(true)
  })

  it('a run without a stored result says so and asks nothing', async () => {
    wrapper = mount(VizView, {
      props: { run: { ...run, resultId: null }, kind: 'line', config: lineConfig },
    })
    await settle()
    expect(wrapper.get('[data-testid="viz-no-result"]').text()).toBe(
      'This run has no stored result to draw.',
    )
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows what the shaper reported as badges', async () => {
    answerShape(
      outagesByProvince({
        meta: meta({
          sampled: true,
          points: 2400,
          sourceRows: 1_000_000,
          seriesTruncated: true,
          otherSeries: 12,
          resultTruncated: true,
          resultTruncatedReason: 'max_bytes',
        }),
      }),
    )
    const view = await mountView('line', lineConfig)
    expect(view.get('[data-testid="viz-badge-sampled"]').text()).toBe(
      'Sampled: 2,400 of 1,000,000 points',
    )
    expect(view.get('[data-testid="viz-badge-series-truncated"]').text()).toBe('12 series in Other')
    expect(view.get('[data-testid="viz-badge-result-truncated"]').text()).toBe(
      'Result cut by the size limit',
    )
  })

  it('a 400 is shown in place and emitted; the next good config clears it', async () => {
    const problem = {
      type: 'https://sightline.dev/problems/validation',
      title: 'Invalid visualization config',
      status: 400,
      detail: 'no column "dy" in this result; it has: day, province, outages',
      errors: [{ path: '/config/x/column', message: 'no column "dy" in this result' }],
    }
    fetchMock.mockResolvedValueOnce(jsonResponse(400, problem))
    const view = await mountView('line', { ...lineConfig, x: { column: 'dy' } })

    const shown = view.get('[data-testid="viz-problem"]')
    expect(shown.text()).toContain('Cannot draw this visualization: Invalid visualization config')
    expect(shown.text()).toContain('/config/x/column')
    const emitted = view.emitted('problem')!
    expect(emitted).toHaveLength(1)
    expect(emitted[0]![0]).toMatchObject({ status: 400, errors: [{ path: '/config/x/column' }] })

    answerShape(outagesByProvince())
    await view.setProps({ config: lineConfig })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await settle()
    expect(view.find('[data-testid="viz-problem"]').exists()).toBe(false)
    expect(view.emitted('problem')!.at(-1)).toEqual([null])
    expect(view.find('[data-testid="viz-canvas"]').exists()).toBe(true)
  })

  it('config edits are debounced (one request for a burst) and a stale request is aborted', async () => {
    answerShape(outagesByProvince())
    const view = await mountView('line', lineConfig)
    expect(shapeCalls()).toHaveLength(1)

    vi.useFakeTimers()
    await view.setProps({ config: { ...lineConfig, stacking: 'stacked' } })
    vi.advanceTimersByTime(100)
    await view.setProps({ config: { ...lineConfig, stacking: 'percent' } })
    vi.advanceTimersByTime(100)
    expect(shapeCalls()).toHaveLength(1)
    let stale: AbortSignal | undefined
    fetchMock.mockImplementationOnce((_, init) => {
      stale = init?.signal ?? undefined
      return new Promise(() => {}) // never answers
    })
    vi.advanceTimersByTime(60)
    expect(shapeCalls()).toHaveLength(2)
    expect(JSON.parse(String(shapeCalls()[1]![1]?.body)).config.stacking).toBe('percent')

    await view.setProps({ config: { ...lineConfig, stacking: 'none' } })
    vi.advanceTimersByTime(160)
    expect(shapeCalls()).toHaveLength(3)
    expect(stale?.aborted).toBe(true)
    vi.useRealTimers()
    await settle()
    expect(view.get('[data-testid="viz-view"]').attributes('data-state')).toBe('ready')
  })

  it('stat: the number in its threshold colour, comparisons by tone, the result’s age', async () => {
    answerShape(kpi())
    const view = await mountView(
      'stat',
      { value: { column: 'load' }, unit: 'MW', time: { column: 'day' } },
      'Load',
    )
    const value = view.get('[data-testid="stat-value"]')
    expect(value.text()).toBe('1,234.5')
    expect(value.attributes('data-color')).toBe('#cf222e')
    const comparisons = view.findAll('[data-testid="stat-comparison"]')
    expect(
      comparisons.map((c) => [c.text().replace(/\s+/g, ' '), c.attributes('data-tone')]),
    ).toEqual([
      ['▲ +23 % vs yesterday', 'bad'],
      ['▼ −265.5 MW vs target', 'good'],
    ])
    expect(view.get('[data-testid="stat-updated"]').text()).toContain('Updated 4 min ago')
    expect(view.get('[data-testid="stat-updated"]').text()).toContain('Latest data: 2026-11-03')
    expect(view.find('[data-testid="stat-sparkline-canvas"]').exists()).toBe(true)
    expect(view.get('[data-testid="viz-stat"]').attributes('aria-label')).toBe(
      'Load: 1,234.5 MW, +23 % vs yesterday (bad), −265.5 MW vs target (good)',
    )
  })

  it('table: the result’s rows through the table config, with the totals row', async () => {
    const page: ResultPage = {
      resultId: 'res-1',
      columns: [
        { name: 'province', type: 'text', sourceType: 'text' },
        { name: 'outages', type: 'bigint', sourceType: 'int8' },
      ],
      offset: 0,
      limit: 500,
      totalRows: 2,
      truncated: false,
      truncatedReason: null,
      rows: [
        ['Gauteng', '12'],
        ['Limpopo', '3'],
      ],
    }
    fetchMock.mockImplementation(async (input) =>
      String(input).includes('/series')
        ? jsonResponse(200, { kind: 'table', totals: { outages: '15' }, meta: meta() })
        : jsonResponse(200, page),
    )
    const view = await mountView('table', {
      totals: true,
      columns: [
        { column: 'outages', label: 'Outages', thresholds: [{ from: 10, color: '#cf222e' }] },
        { column: 'province', link: 'https://grid.example/p/{{province}}' },
      ],
    })
    await new Promise((resolve) => setTimeout(resolve, 0))
    await settle()
    const headers = view.findAll('.results-th-name').map((h) => h.text())
    expect(headers).toEqual(['Outages', 'province'])
    const cells = view.findAll('.results-body [role="row"]')[0]!.findAll('[role="cell"]')
    expect(cells[0]!.text()).toBe('12')
    expect(cells[0]!.attributes('style')).toContain('color: #cf222e')
    const link = cells[1]!.get('a')
    expect(link.attributes()).toMatchObject({
      href: 'https://grid.example/p/Gauteng',
      rel: 'noopener noreferrer',
      target: '_blank',
    })
    const totals = view.get('[data-testid="results-totals"]')
    expect(totals.findAll('[role="cell"]').map((c) => c.text())).toEqual(['15', ''])
    // the first page left beside the shaping request (not after its answer) and was asked for once
    const urls = fetchMock.mock.calls.map(([input]) => String(input))
    expect(urls.filter((u) => !u.includes('/series'))).toHaveLength(1)
    expect(urls.findIndex((u) => !u.includes('/series'))).toBeLessThan(
      urls.findIndex((u) => u.includes('/series')),
    )
  })
})
