import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 30_000

// Visualizations in the workbench (issue 12), end to end: built in the form, drawn by ECharts from the server's
// shaped data, saved, still there after a reload, and the numbers shown equal what psql computes from the same tables
// (in the server's embedded Postgres).
describe('visualizations', () => {
  let session
  let server
  let page
  let datasourceId

  /** psql against the server's embedded Postgres: rows of tab-separated fields. */
  function psql(sql) {
    const out = execFileSync(
      'psql',
      ['-h', '127.0.0.1', '-p', String(server.pgPort), '-U', 'postgres', '-d', 'sightline'].concat([
        '-v',
        'ON_ERROR_STOP=1',
        '-X',
        '-q',
        '-At',
        '-F',
        '\t',
        '-c',
        sql,
      ]),
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: '' } },
    )
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'))
  }

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    datasourceId = await createPostgresDatasource(page, server, 'Viz metadata')
    // the schema panel closed, so the config and the preview have the width
    await page.evaluate(() =>
      globalThis.localStorage.setItem('sightline.workbench.schemaOpen', 'false'),
    )
    // Outages per province per day (a spike in the last three days) and a morning of order flow per desk and venue.
    psql(`
      drop schema if exists viz_e2e cascade;
      create schema viz_e2e;
      create table viz_e2e.outages (day date, province text, outages int, customers int);
      insert into viz_e2e.outages
        select date '2026-11-01' + d, p.name, ((d * 7 + p.i * 13) % 23) + p.i * 3 + 1 + case when d >= 11 then 20 else 0 end,
               (((d * 7 + p.i * 13) % 23) + 1) * 137 + d * 11
        from generate_series(0, 13) d,
             (values (0, 'Alberta'), (1, 'Manitoba'), (2, 'Ontario'), (3, 'Quebec')) as p(i, name);
      create table viz_e2e.order_flow (at timestamptz, desk text, venue text, orders int, notional numeric(14, 2));
      insert into viz_e2e.order_flow
        select timestamptz '2026-11-14 09:00:00+00' + g * interval '1 minute',
               (array['Rates', 'FX', 'Equities'])[g % 3 + 1], (array['LSE', 'XETRA', 'NYSE', 'TSX', 'CBOE'])[g % 5 + 1],
               (g * 37 % 41) + 1, ((g * 7919) % 100000) / 100.0 + 1000
        from generate_series(1, 200) g;
    `)
  })

  after(async () => {
    await session?.close()
  })

  // ---- steps

  /** A saved query, opened in the workbench and run once (its stored result is what the previews draw). */
  async function openRunQuery(name, sql) {
    const query = await api(page, 'POST', '/api/v1/queries', {
      name,
      datasourceId,
      sql,
      params: [],
    })
    await page.goto(`${server.baseUrl}/queries/${query.id}`)
    await page.locator('[data-testid="run-query"]').click()
    await page
      .locator('[data-testid="run-state"] [data-testid="run-status"]')
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    await page.locator('[data-testid="tab-visualizations"]').click()
    return query
  }

  const form = () => page.locator('[data-testid="viz-config-form"]')
  const control = (path) => form().locator(`[name="${path}"]`)

  /** Opens a collapsed group of the form (optional objects and lists start closed). */
  async function openGroup(path) {
    const group = form().locator(`details[data-field="${path}"]`)
    if ((await group.getAttribute('open')) === null) await group.locator('> summary').click()
    return group
  }

  async function addItem(path) {
    const group = await openGroup(path)
    await group.locator('> [data-action="add"]').click()
  }

  async function addVisualization(kind) {
    await page.locator('[data-testid="viz-add"]').click()
    await page.locator(`[data-testid="viz-kind-${kind}"]`).click()
    await form().locator('fieldset').waitFor()
  }

  async function saveAndReload(name) {
    await page.locator('[data-testid="viz-name"]').fill(name)
    await page.locator('[data-testid="viz-save"]').click()
    await page.locator('[data-testid="viz-item"]', { hasText: name }).waitFor()
    await page.locator('[data-testid="viz-unsaved"]').waitFor({ state: 'detached' })
    await page.reload()
    await page.locator('[data-testid="tab-visualizations"]').click()
    await page.locator('[data-testid="viz-item"]', { hasText: name }).click()
    assert.equal(await page.locator('[data-testid="viz-name"]').inputValue(), name)
  }

  /**
   * Waits until the chart's canvas has drawn (more than 2 % of its pixels differ from its corner's), and answers the
   * count and what the chart put on its element for tests (`__viz`: the texts its labels and tooltips show).
   */
  async function drawn(testid = 'viz-canvas') {
    const host = page.locator(`[data-testid="viz-preview"] [data-testid="${testid}"]`)
    await host.locator('canvas').first().waitFor()
    const handle = await page.waitForFunction(
      (id) => {
        const el = globalThis.document.querySelector(
          `[data-testid="viz-preview"] [data-testid="${id}"]`,
        )
        const canvas = el?.querySelector('canvas')
        if (!canvas || canvas.width === 0 || canvas.height === 0) return null
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
        let differing = 0
        for (let i = 0; i < data.length; i += 4) {
          if (
            data[i] !== data[0] ||
            data[i + 1] !== data[1] ||
            data[i + 2] !== data[2] ||
            data[i + 3] !== data[3]
          )
            differing++
        }
        const total = canvas.width * canvas.height
        if (differing < total * 0.02) return null
        return { differing, total, texts: el.__viz?.texts ?? null }
      },
      testid,
      { timeout: TIMEOUT, polling: 200 },
    )
    return handle.jsonValue()
  }

  /** The text of the ECharts tooltip after showing it for one point. */
  async function tooltipAt(seriesIndex, dataIndex) {
    return page.evaluate(
      async ({ seriesIndex, dataIndex }) => {
        const el = globalThis.document.querySelector(
          '[data-testid="viz-preview"] [data-testid="viz-canvas"]',
        )
        const chart = el.__viz.chart
        chart.dispatchAction({ type: 'showTip', seriesIndex, dataIndex })
        await new Promise((resolve) => setTimeout(resolve, 300))
        const tips = [...chart.getDom().querySelectorAll('div')].filter(
          (d) =>
            !d.querySelector('canvas') &&
            d.innerText.trim() !== '' &&
            d.style.position === 'absolute',
        )
        return tips.map((d) => d.innerText).join('\n')
      },
      { seriesIndex, dataIndex },
    )
  }

  const number = (text) =>
    Number(
      String(text)
        .replace(/[,\s\u202f\u00a0]/g, '')
        .replace('−', '-'),
    )
  const withThousands = (n) => n.toLocaleString('en-US')

  // ---- scenarios

  let outagesQuery

  it('(a) a stacked area chart of outages per day by province', async () => {
    outagesQuery = await openRunQuery(
      'Outages per day',
      'select day, province, outages, customers from viz_e2e.outages order by day, province',
    )
    await addVisualization('area')
    await control('/x/column').selectOption('day')
    await control('/y/0/column').selectOption('outages')
    await control('/seriesBy').selectOption('province')
    await control('/stacking').selectOption('stacked')
    await drawn()
    await saveAndReload('Outages by province')

    const { differing, total, texts } = await drawn()
    assert.ok(differing > total * 0.02, `${differing} of ${total} pixels drawn`)
    const expected = new Map()
    for (const [province, , outages] of psql(
      'select province, day, sum(outages) from viz_e2e.outages group by 1, 2 order by 1, 2',
    )) {
      if (!expected.has(province)) expected.set(province, [])
      expected.get(province).push(Number(outages))
    }
    assert.deepEqual(
      texts.series.map((s) => s.key).sort(),
      [...expected.keys()].sort(),
      'one series per province',
    )
    for (const s of texts.series) {
      assert.deepEqual(s.values.map(number), expected.get(s.key), `the outages of ${s.key} per day`)
    }
    assert.equal(texts.x.length, 14)
    const stacked = await page.evaluate(() => {
      const option = globalThis.document.querySelector(
        '[data-testid="viz-preview"] [data-testid="viz-canvas"]',
      ).__viz.option
      return option.series.map((s) => ({ stack: s.stack ?? null, area: !!s.areaStyle }))
    })
    assert.ok(
      stacked.every((s) => s.stack && s.area),
      JSON.stringify(stacked),
    )

    // the tooltip of the last day shows each province's number as psql has it
    const tip = await tooltipAt(0, 13)
    const lastDay = psql(
      "select province, sum(outages) from viz_e2e.outages where day = date '2026-11-14' group by 1 order by 1",
    )
    for (const [province, outages] of lastDay) {
      assert.match(tip, new RegExp(`${province}[\\s\\S]*?${outages}`), `tooltip: ${tip}`)
    }
    await screenshot(page, 'viz-stacked-area')
  })

  it('(b) a horizontal bar with value labels', async () => {
    await openRunQuery(
      'Orders per venue',
      'select venue, sum(orders) as orders from viz_e2e.order_flow group by venue order by venue',
    )
    await addVisualization('bar')
    await control('/x/column').selectOption('venue')
    await control('/x/type').selectOption('category')
    await control('/y/0/column').selectOption('orders')
    await control('/orientation').selectOption('horizontal')
    await control('/valueLabels').check()
    await drawn()
    await saveAndReload('Orders per venue')

    const { texts } = await drawn()
    const expected = Object.fromEntries(
      psql('select venue, sum(orders) from viz_e2e.order_flow group by 1').map(([v, n]) => [
        v,
        Number(n),
      ]),
    )
    const shown = Object.fromEntries(
      texts.x.map((venue, i) => [venue, number(texts.series[0].values[i])]),
    )
    assert.deepEqual(shown, expected)
    const option = await page.evaluate(() => {
      const o = globalThis.document.querySelector(
        '[data-testid="viz-preview"] [data-testid="viz-canvas"]',
      ).__viz.option
      const axis = (a) => (Array.isArray(a) ? a[0] : a)
      return { yType: axis(o.yAxis).type, label: o.series[0].label?.show === true }
    })
    assert.deepEqual(option, { yType: 'category', label: true })
    await screenshot(page, 'viz-horizontal-bar')
  })

  it('(c) a KPI compared with the previous period that turns red past a threshold', async () => {
    await openRunQuery(
      'Outages per day (total)',
      'select day, sum(outages)::int as outages from viz_e2e.outages group by day order by day',
    )
    // the last three days and the three before them, as the stat's period of 259,200 s counts them
    const [[current, previous]] = psql(`
      select sum(outages) filter (where day > date '2026-11-14' - 3),
             sum(outages) filter (where day <= date '2026-11-14' - 3 and day > date '2026-11-14' - 6)
      from viz_e2e.outages`).map((r) => r.map(Number))
    assert.ok(current > previous)

    await addVisualization('stat')
    await control('/value/column').selectOption('outages')
    await control('/value/reducer').selectOption('sum')
    await control('/time').selectOption('day')
    await control('/periodSeconds').fill('259200')
    await addItem('/comparisons')
    await control('/comparisons/0/against').selectOption('previous-period')
    await control('/comparisons/0/display').selectOption('absolute')
    await control('/comparisons/0/better').selectOption('lower')
    await addItem('/thresholds')
    await control('/thresholds/0/from').fill('0')
    await control('/thresholds/0/color').fill('#1a7f37')
    await addItem('/thresholds')
    await control('/thresholds/1/from').fill(String(current + 1))
    await control('/thresholds/1/color').fill('#cf222e')

    const value = page.locator('[data-testid="viz-preview"] [data-testid="stat-value"]')
    // below the threshold: green (the preview re-draws once the edits settle)
    await page
      .locator('[data-testid="viz-preview"] [data-testid="stat-value"][data-color="#1a7f37"]')
      .waitFor()
    assert.equal((await value.innerText()).trim(), withThousands(current))
    // the line moves below the value: the live preview turns red
    await control('/thresholds/1/from').fill(String(current - 1))
    await page
      .locator('[data-testid="viz-preview"] [data-testid="stat-value"][data-color="#cf222e"]')
      .waitFor()

    await saveAndReload('Outages, last 3 days')
    await value.filter({ hasText: withThousands(current) }).waitFor()
    assert.equal((await value.innerText()).trim(), withThousands(current))
    assert.equal(await value.getAttribute('data-color'), '#cf222e')
    assert.equal(
      await value.evaluate((el) => globalThis.getComputedStyle(el).color),
      'rgb(207, 34, 46)',
      'shown in red',
    )
    const comparison = page.locator('[data-testid="viz-preview"] [data-testid="stat-comparison"]')
    assert.equal(await comparison.getAttribute('data-tone'), 'bad', 'more outages is worse')
    const text = await comparison.innerText()
    assert.match(text, /vs previous period/)
    assert.equal(number(/[+−-]\s*([\d,]+)/.exec(text)?.[0] ?? 'NaN'), current - previous, text)
    await drawn('stat-sparkline-canvas')
    await screenshot(page, 'viz-kpi')
  })

  it('(d) a table with conditional colour', async () => {
    await openRunQuery(
      'Order flow',
      'select desk, venue, orders, notional from viz_e2e.order_flow order by at',
    )
    await addVisualization('table')
    // suggested: every result column in result order; orders is moved up to the first place
    const columns = await openGroup('/columns')
    assert.deepEqual(
      await columns.locator('> ol > li > details > summary > span:first-child').allInnerTexts(),
      ['Column 1: desk', 'Column 2: venue', 'Column 3: orders', 'Column 4: notional'],
    )
    for (const at of [2, 1]) {
      await columns.locator(`> ol > li[data-item="${at}"] [data-action="up"]`).first().click()
    }
    assert.equal(await control('/columns/0/column').inputValue(), 'orders')
    await control('/columns/0/colorMode').selectOption('background')
    await addItem('/columns/0/thresholds')
    await control('/columns/0/thresholds/0/from').fill('0')
    await control('/columns/0/thresholds/0/color').fill('#1a7f37')
    await addItem('/columns/0/thresholds')
    await control('/columns/0/thresholds/1/from').fill('30')
    await control('/columns/0/thresholds/1/color').fill('#cf222e')
    await saveAndReload('Order flow, big orders in red')

    const table = page.locator('[data-testid="viz-preview"] [data-testid="viz-table"]')
    await table.locator('.results-td-coloured').first().waitFor()
    const shown = await table.locator('[role="row"][aria-rowindex]').evaluateAll((rows) =>
      rows
        .filter((r) => r.querySelector('[role="cell"]'))
        .map((r) => ({
          index: Number(r.getAttribute('aria-rowindex')) - 2,
          cells: [...r.querySelectorAll('[role="cell"]')].map((c) => ({
            text: c.innerText.trim(),
            background: globalThis.getComputedStyle(c).backgroundColor,
          })),
        }))
        .sort((a, b) => a.index - b.index),
    )
    assert.ok(shown.length >= 5, `${shown.length} rows shown`)
    // the configured column first, the rest in result order
    const headers = (await table.locator('[role="columnheader"]').allInnerTexts())
      .map((h) => h.trim())
      .filter((h) => h !== '#') // the row-number gutter
    assert.deepEqual(
      headers.slice(0, 4).map((h) => h.split(/\s/)[0]),
      ['orders', 'desk', 'venue', 'notional'],
    )
    const expected = psql(
      'select orders, desk, venue, notional from viz_e2e.order_flow order by at',
    )
    let red = 0
    for (const row of shown) {
      const [orders, desk, venue] = expected[row.index]
      assert.deepEqual(
        row.cells.slice(0, 3).map((c) => c.text),
        [orders, desk, venue],
        `row ${row.index + 1}`,
      )
      const big = Number(orders) >= 30
      if (big) red++
      assert.equal(
        row.cells[0].background,
        big ? 'rgb(207, 34, 46)' : 'rgb(26, 127, 55)',
        `row ${row.index + 1}: ${orders} orders`,
      )
    }
    assert.ok(red > 0 && red < shown.length, 'both bands appear')
    await screenshot(page, 'viz-table-colours')
  })

  it('(e) at 800 px the preview sits above the config and nothing runs off the side', async () => {
    assert.ok(outagesQuery, 'scenario (a) saved a query')
    await page.setViewportSize({ width: 800, height: 900 })
    try {
      await page.goto(`${server.baseUrl}/queries/${outagesQuery.id}`)
      await page.locator('[data-testid="tab-visualizations"]').click()
      await drawn()
      const config = await form().boundingBox()
      const preview = await page.locator('[data-testid="viz-preview"]').boundingBox()
      assert.ok(
        preview.y + preview.height <= config.y,
        `the preview ends at ${preview.y + preview.height} px, the config starts at ${config.y} px`,
      )
      assert.ok(preview.width > 500, `the preview takes the width (${preview.width} px)`)
      const overflow = await page.evaluate(
        () => globalThis.document.documentElement.scrollWidth - globalThis.innerWidth,
      )
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`)
      await screenshot(page, 'viz-800x900')
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })
})
