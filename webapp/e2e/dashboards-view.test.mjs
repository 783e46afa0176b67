import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 30_000

// Dashboards in view mode (issue 13), end to end against the real server: a line tile, a KPI tile and a text tile
// bound to one date range and one province enum, built through the API; the view follows parameter changes, its URL
// reproduces it in a new page, a run of the same query and values started elsewhere updates it by push, a hostile
// text tile stays inert, and kiosk mode drops the chrome.
describe('dashboards: view mode', () => {
  let session
  let server
  let page
  let slug
  let kpiQuery

  function psql(sql) {
    return execFileSync(
      'psql',
      ['-h', '127.0.0.1', '-p', String(server.pgPort), '-U', 'postgres', '-d', 'sightline'].concat([
        '-v',
        'ON_ERROR_STOP=1',
        '-X',
        '-q',
        '-At',
        '-c',
        sql,
      ]),
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: '' } },
    ).trim()
  }

  const total = (province, start, end) =>
    Number(
      psql(
        `select coalesce(sum(outages), 0) from dash_e2e.outages where province = '${province}' and day between '${start}' and '${end}'`,
      ),
    )

  const WHERE = `where day between {{period.start}} and {{period.end}} and province = {{province}}`
  const params = [
    { name: 'period', type: 'date_range', required: true },
    { name: 'province', type: 'enum', options: ['Ontario', 'Quebec', 'Manitoba'], required: true },
  ]

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    psql(`
      drop schema if exists dash_e2e cascade;
      create schema dash_e2e;
      create table dash_e2e.outages (day date, province text, outages int);
      insert into dash_e2e.outages
        select date '2026-11-01' + d, p.name, (d * 7 + p.i * 5) % 17 + 1
        from generate_series(0, 13) d, (values (0, 'Ontario'), (1, 'Quebec'), (2, 'Manitoba')) as p(i, name);
    `)
    const datasourceId = await createPostgresDatasource(page, server, 'Dashboards e2e')
    const lineQuery = await api(page, 'POST', '/api/v1/queries', {
      name: 'Outages per day',
      datasourceId,
      sql: `select day, sum(outages)::int as outages from dash_e2e.outages ${WHERE} group by day order by day`,
      params,
    })
    kpiQuery = await api(page, 'POST', '/api/v1/queries', {
      name: 'Outages in total',
      datasourceId,
      sql: `select coalesce(sum(outages), 0)::int as total from dash_e2e.outages ${WHERE}`,
      params,
    })
    const line = await api(page, 'POST', `/api/v1/queries/${lineQuery.id}/visualizations`, {
      name: 'Outages per day',
      kind: 'line',
      config: { x: { column: 'day' }, y: [{ column: 'outages' }] },
    })
    const kpi = await api(page, 'POST', `/api/v1/queries/${kpiQuery.id}/visualizations`, {
      name: 'Outages',
      kind: 'stat',
      config: { value: { column: 'total' } },
    })
    const barQuery = await api(page, 'POST', '/api/v1/queries', {
      name: 'Outages per province',
      datasourceId,
      sql: `select province, sum(outages)::int as outages from dash_e2e.outages where day between {{period.start}} and {{period.end}} group by province order by province`,
      params: [params[0]],
    })
    const bar = await api(page, 'POST', `/api/v1/queries/${barQuery.id}/visualizations`, {
      name: 'Outages per province',
      kind: 'bar',
      config: { x: { column: 'province', type: 'category' }, y: [{ column: 'outages' }] },
    })
    const bindings = {
      period: { from: 'dashboard', param: 'period' },
      province: { from: 'dashboard', param: 'province' },
    }
    const dashboard = await api(page, 'POST', '/api/v1/dashboards', {
      name: 'Outages <img src=x onerror="window.__pwned=1">',
      tags: ['e2e'],
      params: [
        { name: 'period', type: 'date_range', default: { start: '2026-11-01', end: '2026-11-07' } },
        {
          name: 'province',
          type: 'enum',
          options: ['Ontario', 'Quebec', 'Manitoba'],
          default: 'Ontario',
        },
      ],
      tiles: [
        { kind: 'viz', visualizationId: line.id, x: 0, y: 0, w: 16, h: 8, bindings },
        { kind: 'viz', visualizationId: kpi.id, x: 16, y: 0, w: 8, h: 4, bindings },
        {
          kind: 'viz',
          visualizationId: bar.id,
          x: 0,
          y: 8,
          w: 16,
          h: 6,
          bindings: { period: { from: 'dashboard', param: 'period' } },
          clickAction: { setParam: 'province', column: 'province' },
        },
        {
          kind: 'text',
          title: 'About <script>window.__pwned=2</script>',
          text:
            'Outages in **{{province}}** from {{period.start}} to {{period.end}}.\n\n' +
            '<script>window.__pwned=3</script> <img src=x onerror="window.__pwned=4"> ' +
            '[click me](javascript:window.__pwned=5) [docs](https://example.com/docs)',
          x: 16,
          y: 4,
          w: 8,
          h: 4,
        },
      ],
    })
    slug = dashboard.slug
  })

  after(async () => {
    await session?.close()
  })

  const tile = (p, kind) =>
    p.locator(`[data-testid="dash-tile"]`, {
      has: p.locator(kind === 'kpi' ? '[data-testid="viz-stat"]' : '[data-testid="viz-canvas"]'),
    })

  /** Waits until the KPI tile shows this number. */
  async function kpiShows(p, value) {
    await p.waitForFunction(
      (expected) => {
        const el = globalThis.document.querySelector('[data-testid="stat-value"]')
        return el && el.textContent.replace(/[^\d-]/g, '') === String(expected)
      },
      value,
      { timeout: TIMEOUT },
    )
  }

  it('shows every tile for the values in the URL, keeps hostile text inert, and follows a parameter change', async () => {
    await page.goto(
      `${server.baseUrl}/dashboards/${slug}?p.period=2026-11-01..2026-11-07&p.province=Ontario`,
    )
    await kpiShows(page, total('Ontario', '2026-11-01', '2026-11-07'))
    await tile(page, 'line').locator('canvas').first().waitFor()
    const text = page.locator('[data-testid="dash-text"]')
    assert.match(await text.innerText(), /Outages in Ontario from 2026-11-01 to 2026-11-07\./)
    // nothing hostile ran or survived
    assert.equal(await page.evaluate(() => globalThis.window.__pwned), undefined)
    assert.equal(await page.locator('[data-testid="dashboard-view"] script').count(), 0)
    assert.equal(await text.locator('img, [onerror]').count(), 0)
    assert.equal(
      await page.locator('[data-testid="dashboard-view"] a[href^="javascript"]').count(),
      0,
    )
    assert.equal(
      await text.locator('a[href="https://example.com/docs"]').getAttribute('rel'),
      'noopener noreferrer',
    )

    await page.locator('[data-param="province"] select').selectOption('Quebec')
    await page.locator('[data-testid="dash-apply"]').click()
    await page.waitForURL(/p\.province=Quebec/)
    await kpiShows(page, total('Quebec', '2026-11-01', '2026-11-07'))
    assert.match(await text.innerText(), /Outages in Quebec/)
  })

  it('reproduces the view from its URL in a new page', async () => {
    const url = page.url()
    const other = await session.browser.context.newPage()
    try {
      await other.goto(url)
      await kpiShows(other, total('Quebec', '2026-11-01', '2026-11-07'))
      assert.match(
        await other.locator('[data-testid="dash-text"]').innerText(),
        /Outages in Quebec/,
      )
      assert.equal(await other.locator('[data-param="province"] select').inputValue(), 'Quebec')
    } finally {
      await other.close()
    }
  })

  it('updates in place when the same query and values run elsewhere (push, no reload)', async () => {
    await page.evaluate(() => (globalThis.window.__sameDocument = true))
    const kpiTile = tile(page, 'kpi')
    const before = await kpiTile.getAttribute('data-result-id')
    psql(`insert into dash_e2e.outages values ('2026-11-03', 'Quebec', 1000)`)
    // what the workbench sends for a saved query run with these values
    await api(page, 'POST', `/api/v1/queries/${kpiQuery.id}/runs`, {
      params: { period: { start: '2026-11-01', end: '2026-11-07' }, province: 'Quebec' },
    })
    await kpiShows(page, total('Quebec', '2026-11-01', '2026-11-07'))
    assert.notEqual(await kpiTile.getAttribute('data-result-id'), before)
    assert.equal(await page.evaluate(() => globalThis.window.__sameDocument), true)
    assert.match(await kpiTile.locator('[data-testid="dash-tile-status"]').innerText(), /^Updated/)
  })

  it('click to filter: a bar sets the province, a second click clears it, the chip removes it', async () => {
    const barTile = page.locator('[data-testid="dash-tile"]', { hasText: 'Outages per province' })
    const canvas = barTile.locator('[data-testid="viz-canvas"]')
    await canvas.locator('canvas').first().waitFor()
    const manitoba = total('Manitoba', '2026-11-01', '2026-11-07')

    /** Clicks the middle of a province's bar, located through the chart's own coordinate system. */
    async function clickBar(province, value) {
      await canvas.scrollIntoViewIfNeeded()
      await page.waitForTimeout(1200) // the bars grow in
      const at = await canvas.evaluate(
        (el, [category, height]) =>
          el.__viz.chart.convertToPixel({ seriesIndex: 0 }, [category, height / 2]),
        [province, value],
      )
      const box = await canvas.boundingBox()
      await page.mouse.click(box.x + at[0], box.y + at[1])
    }

    await clickBar('Manitoba', manitoba)
    await page.waitForURL(/p\.province=Manitoba/)
    await kpiShows(page, manitoba)
    assert.match(
      await page.locator('[data-testid="dash-filter-chip"]').innerText(),
      /province: Manitoba/,
    )

    await clickBar('Manitoba', manitoba)
    await page.waitForURL((url) => url.searchParams.get('p.province') === '')
    assert.equal(await page.locator('[data-testid="dash-filter-chip"]').count(), 0)

    await clickBar('Manitoba', manitoba)
    await page.waitForURL(/p\.province=Manitoba/)
    await page.locator('[data-testid="dash-filter-remove"]').click()
    await page.waitForURL((url) => url.searchParams.get('p.province') === '')
    assert.equal(await page.locator('[data-testid="dash-filter-chip"]').count(), 0)
  })

  it('kiosk mode: no app chrome, dark theme, every tile drawn', async () => {
    await page.goto(
      `${server.baseUrl}/dashboards/${slug}?kiosk&p.province=Quebec&p.period=2026-11-01..2026-11-07`,
    )
    await kpiShows(page, total('Quebec', '2026-11-01', '2026-11-07'))
    await tile(page, 'line').locator('canvas').first().waitFor()
    assert.equal(await page.locator('[data-testid="app-shell"]').count(), 0)
    assert.equal(
      await page.evaluate(() => globalThis.document.documentElement.dataset.theme),
      'dark',
    )
    await page.waitForTimeout(1500) // the line's animation
    await screenshot(page, 'dashboard-kiosk')
    await page.goto(
      `${server.baseUrl}/dashboards/${slug}?kiosk=full&p.province=Quebec&p.period=2026-11-01..2026-11-07`,
    )
    await kpiShows(page, total('Quebec', '2026-11-01', '2026-11-07'))
    assert.equal(await page.locator('[data-testid="dash-params"]').count(), 0)
    await screenshot(page, 'dashboard-kiosk-full')
  })
})
