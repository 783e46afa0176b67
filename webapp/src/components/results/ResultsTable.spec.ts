import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { Cell, ResultColumn, ResultPage } from '@/api/results'
import type { Run } from '@/api/runs'

import ResultsTable from './ResultsTable.vue'
import { resetThousandsSeparatorsForTests, THOUSANDS_STORAGE_KEY } from './useThousandsSeparators'
import { succeededRun } from '@/testing/runs'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()

const columns: ResultColumn[] = [
  { name: 'id', type: 'bigint', sourceType: 'int8' },
  { name: 'at', type: 'timestamptz', sourceType: 'timestamptz' },
  { name: 'price', type: 'decimal', sourceType: 'numeric' },
  { name: 'note', type: 'text', sourceType: 'text' },
  { name: 'ok', type: 'boolean', sourceType: 'bool' },
  { name: 'doc', type: 'json', sourceType: 'jsonb' },
]

// the figures the meta line shows
const run = (overrides: Partial<Run> = {}): Run =>
  succeededRun({
    sql: 'select 1',
    requestedBy: null,
    runner: 'n1',
    queueMs: 12,
    execMs: 1234,
    persistMs: 40,
    rowCount: 2,
    byteCount: 1_500_000,
    resultId: 'res-1',
    ...overrides,
  })

function page(
  rows: Cell[][],
  totalRows = rows.length,
  extra: Partial<ResultPage> = {},
): ResultPage {
  return {
    resultId: 'res-1',
    columns,
    offset: 0,
    limit: 500,
    totalRows,
    truncated: false,
    truncatedReason: null,
    rows,
    ...extra,
  }
}

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

/** Answers every page request with generated rows (the offset/limit of the URL). */
function serveRows(totalRows: number): void {
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://localhost')
    const offset = Number(url.searchParams.get('offset'))
    const limit = Number(url.searchParams.get('limit'))
    const rows: Cell[][] = []
    for (let i = offset; i < Math.min(totalRows, offset + limit); i++) {
      rows.push([i, '2026-01-01T00:00:00Z', '1.5', `row ${i}`, true, null])
    }
    return new Response(JSON.stringify(page(rows, totalRows, { offset, limit })), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  })
}

let wrapper: VueWrapper | undefined

async function mountTable(r: Run = run()) {
  wrapper = mount(ResultsTable, {
    props: { run: r, timeZone: 'Europe/Berlin' },
    attachTo: document.body,
  })
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 0))
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  // happy-dom does no layout: give the scroll viewport a size so the virtualizer has rows to show.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000)
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

describe('ResultsTable', () => {
  it('shows typed headers and cells: numbers right-aligned, big integers exact, NULL distinct, instants zoned', async () => {
    respond(
      200,
      page([
        [
          '9007199254740993',
          '2026-01-01T00:00:37.123456Z',
          '12345678901234567890.01',
          null,
          true,
          { k: [1, 2] },
        ],
        [1, '2026-07-01T12:00:00Z', 2.5, 'plain', false, null],
      ]),
    )
    const table = await mountTable()

    const headers = table.findAll('[role="columnheader"]')
    expect(
      headers.map((h) => h.find('.results-th-name').exists() && h.find('.results-th-name').text()),
    ).toEqual([false, 'id', 'at', 'price', 'note', 'ok', 'doc'])
    expect(headers[1]!.text()).toContain('int8')
    expect(headers[2]!.attributes('title')).toContain('Europe/Berlin')

    const rows = table.findAll('.results-body [role="row"]')
    expect(rows).toHaveLength(2)
    const first = rows[0]!.findAll('[role="cell"]')
    expect(first[0]!.text()).toBe('9007199254740993')
    expect(first[0]!.classes()).toContain('results-numeric')
    expect(first[1]!.text()).toBe('2026-01-01 01:00:37.123456+01')
    expect(first[2]!.text()).toBe('12345678901234567890.01')
    expect(first[3]!.find('.cell-null').exists() || first[3]!.classes().includes('cell-null')).toBe(
      true,
    )
    expect(first[3]!.text()).toBe('NULL')
    expect(first[4]!.text()).toBe('true')
    expect(first[5]!.text()).toBe('{"k":[1,2]}')
    expect(first[3]!.classes()).not.toContain('results-numeric')
    // Summer time in Berlin.
    expect(rows[1]!.findAll('[role="cell"]')[1]!.text()).toBe('2026-07-01 14:00:00+02')
  })

  it('keeps fewer than 200 row elements for 100,000 rows, before and after scrolling', async () => {
    serveRows(100_000)
    const table = await mountTable(run({ rowCount: 100_000 }))
    const scroller = table.find('.results-scroller').element as HTMLElement

    const before = table.findAll('[role="row"]').length
    expect(before).toBeGreaterThan(10)
    expect(before).toBeLessThan(200)
    expect(table.find('.results-body').attributes('style')).toContain(`height: ${100_000 * 28}px`)

    for (const top of [20_000, 1_400_000, 100_000 * 28 + 32 - 600]) {
      scroller.scrollTop = top
      scroller.dispatchEvent(new Event('scroll'))
      await flushPromises()
      expect(table.findAll('[role="row"]').length).toBeLessThan(200)
    }
    const last = table.findAll('.results-body [role="row"]').at(-1)!
    expect(last.attributes('aria-rowindex')).toBe(String(100_000 + 1))

    // Rows of the page near the viewport arrive after the settle pause, never the whole result.
    await new Promise((resolve) => setTimeout(resolve, 120))
    await flushPromises()
    expect(last.findAll('[role="cell"]')[3]!.text()).toBe('row 99999')
    const offsets = fetchMock.mock.calls.map((call) =>
      Number(new URL(String(call[0]), 'http://localhost').searchParams.get('offset')),
    )
    expect(offsets.length).toBeLessThan(6)
    expect(offsets).toContain(99_500)
  })

  it('scrolls through at most 500,000 rows of a larger result and says the downloads hold them all', async () => {
    serveRows(1_200_000)
    const table = await mountTable(run({ rowCount: 1_200_000 }))
    expect(table.find('.results-body').attributes('style')).toContain(`height: ${500_000 * 28}px`)
    expect(table.get('[data-testid="results-capped"]').text()).toBe(
      'The table shows the first 500,000 of 1,200,000 rows; the CSV and JSON downloads hold all of them.',
    )
    expect(table.findAll('[role="row"]').length).toBeLessThan(200)
  })

  it('ends the scroll of a longer result with a row that says where it stops and offers every row', async () => {
    serveRows(1_200_000)
    const table = await mountTable(run({ rowCount: 1_200_000, resultId: 'res-1' }))
    const scroller = table.get('.results-scroller')
    // inside the scroll, right after the last row: where the user is when they reach the end
    const end = scroller.get('[data-testid="results-end"]')
    expect(end.element.previousElementSibling?.classList.contains('results-body')).toBe(true)
    expect(end.text()).toContain('The table stops here, at row 500,000 of 1,200,000.')
    expect(end.text()).toContain('Download all 1,200,000 rows: CSV · JSON')
    expect(end.get('[data-testid="results-end-csv"]').attributes('href')).toBe(
      '/api/v1/results/res-1.csv',
    )
    expect(end.get('[data-testid="results-end-json"]').attributes('href')).toBe(
      '/api/v1/results/res-1.json',
    )
    expect(end.get('[data-testid="results-end-csv"]').attributes()).toHaveProperty('download')
  })

  it('shows every row of a result within the limit, without the note', async () => {
    serveRows(100)
    const table = await mountTable(run({ rowCount: 100 }))
    expect(table.find('[data-testid="results-capped"]').exists()).toBe(false)
    expect(table.find('[data-testid="results-end"]').exists()).toBe(false)
  })

  it('names the truncation reason and limit', async () => {
    respond(
      200,
      page([[1, null, null, null, null, null]], 1000, {
        truncated: true,
        truncatedReason: 'max_rows',
      }),
    )
    const table = await mountTable(
      run({
        rowCount: 1000,
        truncated: true,
        truncatedReason: 'max_rows',
        options: { maxRows: 1000 },
      }),
    )
    expect(table.find('[data-testid="results-truncated"]').text()).toBe(
      'Truncated: stopped at the row limit of 1,000 rows.',
    )
  })

  it('says when the size limit cut the result', async () => {
    respond(200, page([[1, null, null, null, null, null]], 1))
    const table = await mountTable(
      run({
        truncated: true,
        truncatedReason: 'max_bytes',
        options: { maxBytes: 10 * 1024 * 1024 },
      }),
    )
    expect(table.find('[data-testid="results-truncated"]').text()).toBe(
      'Truncated: stopped at the size limit of 10 MiB.',
    )
  })

  it('shows rows, bytes, timings and download links', async () => {
    respond(200, page([], 0))
    const table = await mountTable(run({ rowCount: 12_345 }))
    expect(table.find('[data-testid="results-rows"]').text()).toBe('12,345 rows')
    expect(table.find('[data-testid="results-bytes"]').text()).toBe('1.4 MiB')
    expect(table.find('[data-testid="results-bytes"]').attributes('title')).toBe('1,500,000 bytes')
    expect(table.find('[data-testid="results-timings"]').text()).toMatch(
      /queue 12 ms\s*execution 1.2 s\s*persist 40 ms/,
    )
    const csv = table.find('[data-testid="download-csv"]')
    expect(csv.attributes('href')).toBe('/api/v1/results/res-1.csv')
    expect(csv.attributes('download')).toBeDefined()
    expect(table.find('[data-testid="download-json"]').attributes('href')).toBe(
      '/api/v1/results/res-1.json',
    )
  })

  it('shows an empty result with its columns', async () => {
    respond(200, page([], 0))
    const table = await mountTable(run({ rowCount: 0 }))
    expect(table.find('[data-testid="results-empty"]').text()).toBe('The query returned no rows.')
    expect(table.findAll('[role="columnheader"]')).toHaveLength(columns.length + 1)
  })

  it('shows a failed load in words and retries', async () => {
    respond(404, { title: 'Result not found', status: 404, detail: 'It expired on 2026-01-02.' })
    const table = await mountTable()
    const alert = table.find('[role="alert"]')
    expect(alert.text()).toContain('Cannot load the result: Result not found')
    expect(alert.text()).toContain('It expired on 2026-01-02.')

    respond(200, page([[1, null, null, 'back', null, null]]))
    await alert.find('button').trigger('click')
    await flushPromises()
    expect(table.find('[role="alert"]').exists()).toBe(false)
    expect(table.text()).toContain('back')
  })

  it('copies the selected cell with Ctrl+C and its row as tab-separated text with Ctrl+Shift+C', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    respond(200, page([['9007199254740993', null, '1.5', 'a\tb', true, { k: 1 }]]))
    const table = await mountTable()

    await table.findAll('[role="cell"]')[0]!.trigger('click')
    const scroller = table.find('.results-scroller')
    await scroller.trigger('keydown', { key: 'c', ctrlKey: true })
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('9007199254740993')
    expect(table.text()).toContain('Copied value')

    await scroller.trigger('keydown', { key: 'C', ctrlKey: true, shiftKey: true })
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('9007199254740993\t\t1.5\t"a\tb"\ttrue\t"{""k"":1}"')
  })

  it('emits the clicked row’s values by column name (click to filter on dashboards)', async () => {
    respond(200, page([[7, '2026-01-01T00:00:00Z', '1.5', 'Gauteng', true, null]]))
    const table = await mountTable()
    await table.findAll('[role="cell"]')[3]!.trigger('click')
    expect(table.emitted('rowClick')).toEqual([
      [{ id: 7, at: '2026-01-01T00:00:00Z', price: '1.5', note: 'Gauteng', ok: true, doc: null }],
    ])
  })

  it('groups digits when the thousands toggle is on, remembers it, and never copies separators', async () => {
    localStorage.removeItem(THOUSANDS_STORAGE_KEY)
    resetThousandsSeparatorsForTests()
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    respond(200, page([['9007199254740993', null, '165633142430.817900', 'x', true, 'null']]))
    const table = await mountTable()
    const cells = () => table.findAll('[role="cell"]')
    expect(cells()[0]!.text()).toBe('9007199254740993')
    // A JSON null document is not SQL NULL.
    expect(cells()[5]!.text()).toBe('null')
    expect(cells()[5]!.classes()).not.toContain('cell-null')
    expect(cells()[1]!.text()).toBe('NULL')

    await table.find('[data-testid="thousands-toggle"]').setValue(true)
    expect(cells()[0]!.text()).toBe('9,007,199,254,740,993')
    expect(cells()[2]!.text()).toBe('165,633,142,430.817900')
    expect(localStorage.getItem(THOUSANDS_STORAGE_KEY)).toBe('true')

    await cells()[2]!.trigger('click')
    await table.find('.results-scroller').trigger('keydown', { key: 'c', ctrlKey: true })
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('165633142430.817900')

    await table.find('[data-testid="thousands-toggle"]').setValue(false)
    expect(cells()[2]!.text()).toBe('165633142430.817900')
    expect(localStorage.getItem(THOUSANDS_STORAGE_KEY)).toBe('false')
  })

  it('with a table config: shown columns in order with labels, widths and alignment; copies follow them; totals stay exact', async () => {
    respond(200, page([['9007199254740993', '2026-01-01T00:00:37Z', '1.5', 'x', true, null]]))
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    wrapper = mount(ResultsTable, {
      props: {
        run: run(),
        timeZone: 'UTC',
        tableConfig: {
          columns: [
            { column: 'price', label: 'Price', width: 150, align: 'left' },
            { column: 'id', label: 'ID' },
            { column: 'at', visible: false },
            { column: 'doc', visible: false },
          ],
          totals: true,
        },
        totals: { price: '18014398509481986.5', id: '1' },
      },
      attachTo: document.body,
    })
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await flushPromises()

    expect(wrapper.findAll('.results-th-name').map((h) => h.text())).toEqual([
      'Price',
      'ID',
      'note',
      'ok',
    ])
    const headers = wrapper.findAll('.results-th')
    expect(headers[1]!.attributes('style')).toContain('width: 150px')
    const cells = wrapper.findAll('.results-body [role="cell"]')
    expect(cells.map((c) => c.text())).toEqual(['1.5', '9,007,199,254,740,993', 'x', 'true'])
    expect(cells[0]!.classes()).toContain('results-align-left')
    expect(cells[1]!.classes()).toContain('results-align-right')

    await cells[1]!.trigger('click')
    await wrapper.find('.results-scroller').trigger('keydown', { key: 'c', ctrlKey: true })
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('9007199254740993')
    await wrapper
      .find('.results-scroller')
      .trigger('keydown', { key: 'c', ctrlKey: true, shiftKey: true })
    await flushPromises()
    expect(writeText).toHaveBeenLastCalledWith('1.5\t9007199254740993\tx\ttrue')

    const totals = wrapper.get('[data-testid="results-totals"]').findAll('[role="cell"]')
    expect(totals.map((c) => c.text())).toEqual(['18,014,398,509,481,986.5', '1', '', ''])
  })
})
