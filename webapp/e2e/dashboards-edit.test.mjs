import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { launchBrowser, screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn, signIn } from './workflow.mjs'

const TIMEOUT = 30_000
const EDITOR_EMAIL = 'e2e-dash-editor@example.com'
const VIEWER_EMAIL = 'e2e-dash-viewer@example.com'
const PASSWORD = 'e2e-dash-password-0001'

// Dashboards edit mode (issue 13), end to end against the real server: an editor builds a dashboard from an empty one
// in the UI (a line tile and a text tile, a date range parameter bound in the matrix, a tile dragged, saved as a
// version); two editors saving the same version → the second is told who saved when; a viewer cannot enter edit mode.
describe('dashboards edit mode', () => {
  let session
  let server
  let page
  let dashboard

  /** A second signed-in browser (its own cookies) for another member. */
  async function openAs(email) {
    const browser = await launchBrowser()
    const other = await browser.context.newPage()
    other.setDefaultTimeout(TIMEOUT)
    await signIn(other, server.baseUrl, email, PASSWORD)
    return { browser, page: other }
  }

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    const datasourceId = await createPostgresDatasource(page, server, 'Dashboard metadata')
    const query = await api(page, 'POST', '/api/v1/queries', {
      name: 'Outages by day',
      datasourceId,
      sql: `select d::date as day, (extract(day from d)::int * 7) % 11 + 1 as outages
            from generate_series({{window.start}}::date, {{window.end}}::date, interval '1 day') d`,
      params: [{ name: 'window', type: 'date_range', required: true }],
    })
    await api(page, 'POST', `/api/v1/queries/${query.id}/visualizations`, {
      name: 'Outages per day',
      kind: 'line',
      config: { x: { column: 'day' }, y: [{ column: 'outages' }] },
    })
    dashboard = await api(page, 'POST', '/api/v1/dashboards', { name: 'Ops desk', tiles: [] })
    await api(page, 'POST', '/api/v1/users', {
      email: EDITOR_EMAIL,
      role: 'editor',
      password: PASSWORD,
    })
    await api(page, 'POST', '/api/v1/users', {
      email: VIEWER_EMAIL,
      role: 'viewer',
      password: PASSWORD,
    })
  })

  after(async () => {
    await session?.close()
  })

  it('builds a dashboard from scratch: a line tile, a text tile, a bound date range, a drag, a save', async () => {
    await page.goto(`${server.baseUrl}/dashboards/${dashboard.slug}/edit`)
    await page.locator('[data-testid="dashboard-edit"] [data-testid="dashboard-name"]').waitFor()

    // a date range parameter
    await page.getByTestId('params-button').click()
    await page.getByTestId('add-param').click()
    const param = page.getByTestId('dashboard-param').first()
    await param.getByLabel('Name').fill('period')
    await param.getByLabel('Name').press('Tab')
    await param.getByLabel('Type').selectOption('date_range')

    // the line visualization, found by searching its query; keyboard only
    await page.getByTestId('add-viz-button').click()
    await page.getByTestId('add-viz-search').fill('outages')
    await page.locator('[data-testid="add-viz-option"]', { hasText: 'Outages per day' }).waitFor()
    await page.getByTestId('add-viz-search').press('Enter')
    await page.locator('[data-testid="edit-tile"]', { hasText: 'Outages per day' }).waitFor()
    // `window` is not named like the dashboard's `period`: left unbound (and flagged, being required)
    assert.match(
      await page.getByTestId('added-note').innerText(),
      /no parameter bound; window on the query's default/,
    )

    // a text tile with a placeholder
    await page.getByTestId('add-text-button').click()
    await page.getByTestId('text-tile-markdown').fill('Outages over ')
    await page.getByTestId('insert-placeholder').first().click()
    await page.getByTestId('add-text-confirm').click()
    // rendered as view mode renders it: the placeholder shows the parameter's value (none yet)
    const textTile = page.locator('[data-testid="edit-tile"]', { hasText: 'Outages over' })
    await textTile.waitFor()
    assert.doesNotMatch(await textTile.innerText(), /\{\{period\}\}/)

    // bind window ← period in the matrix
    await page.getByTestId('bindings-button').click()
    const cell = page.locator('[data-testid="binding-cell"][data-param="window"]')
    await cell.getByTestId('binding-required').waitFor()
    await cell.locator('select').selectOption('param:period')
    assert.equal(await cell.getByTestId('binding-required').count(), 0)
    await page.getByTestId('bindings-button').click()

    // drag the text tile up beside the line tile (right half), once the grid has stopped moving it (grid-layout-plus
    // animates a new tile into place; a drag that starts mid-animation misses its target on a loaded machine)
    const bar = textTile.locator('.dash-edit-tile-bar')
    let from = await bar.boundingBox()
    for (let settled = 0; settled < 3;) {
      await page.waitForTimeout(150)
      const now = await bar.boundingBox()
      settled = now.x === from.x && now.y === from.y ? settled + 1 : 0
      from = now
    }
    const grid = await page.getByTestId('edit-grid').boundingBox()
    await page.mouse.move(from.x + 40, from.y + 10)
    await page.mouse.down()
    for (let step = 1; step <= 10; step++) {
      await page.mouse.move(
        from.x + 40 + ((grid.x + grid.width * 0.55 - from.x) * step) / 10,
        from.y + 10 + ((grid.y + 12 - from.y) * step) / 10,
      )
      await page.waitForTimeout(20)
    }
    await page.mouse.up()
    await page.waitForFunction(() => {
      const tiles = [...globalThis.document.querySelectorAll('[data-testid="edit-tile"]')]
      const [line, text] = tiles.map((t) => t.getBoundingClientRect())
      return tiles.length === 2 && text.left > line.left + 100 && Math.abs(text.top - line.top) < 10
    })
    await screenshot(page, 'dashboard-edit-built')

    await page.getByTestId('save-dashboard').click()
    await page.getByTestId('saved').waitFor()
    assert.equal(await page.getByTestId('saved').innerText(), 'Saved as version 2')

    const saved = await api(page, 'GET', `/api/v1/dashboards/${dashboard.id}`)
    assert.equal(saved.version, 2)
    assert.deepEqual(
      saved.params.map((p) => [p.name, p.type]),
      [['period', 'date_range']],
    )
    const viz = saved.tiles.find((t) => t.kind === 'viz')
    const text = saved.tiles.find((t) => t.kind === 'text')
    assert.deepEqual(viz.bindings, { window: { from: 'dashboard', param: 'period' } })
    assert.equal(text.text, 'Outages over {{period}}')
    assert.equal(text.y, 0, 'the dragged text tile sits on the first row')
    assert.ok(text.x >= 12, `the dragged text tile is on the right half (x = ${text.x})`)
    assert.equal(viz.w + text.w <= 24 || viz.x + viz.w <= text.x, true)
  })

  it('tells the second of two editors saving the same version who saved when, and reloads the latest', async () => {
    const other = await openAs(EDITOR_EMAIL)
    try {
      for (const p of [page, other.page]) {
        await p.goto(`${server.baseUrl}/dashboards/${dashboard.slug}/edit`)
        await p.getByTestId('dashboard-name').waitFor()
      }
      await page.getByTestId('dashboard-name').fill('Ops desk (admin)')
      await page.getByTestId('save-dashboard').click()
      await page.getByTestId('saved').waitFor()

      await other.page.getByTestId('dashboard-name').fill('Ops desk (editor)')
      await other.page.getByTestId('save-dashboard').click()
      const problem = other.page.getByTestId('save-error')
      await problem.waitFor()
      assert.match(await problem.innerText(), /Someone saved this dashboard since you opened it\./)
      assert.match(
        await other.page.getByTestId('stale-text').innerText(),
        /^e2e-admin@example\.com saved version 3 at .+; your edit started from version 2\./,
      )
      await screenshot(other.page, 'dashboard-edit-stale-409')

      await other.page.getByTestId('reload-latest').click()
      await other.page.getByTestId('kept-draft').waitFor()
      assert.equal(await other.page.getByTestId('dashboard-version').innerText(), 'v3')
      assert.equal(await other.page.getByTestId('dashboard-name').inputValue(), 'Ops desk (admin)')
      await other.page.getByTestId('kept-draft').locator('summary').click()
      assert.match(
        await other.page.getByTestId('kept-draft').locator('textarea').inputValue(),
        /"name": "Ops desk \(editor\)"/,
      )
    } finally {
      await other.browser.close()
    }
  })

  it('sends a viewer who opens edit mode to view mode', async () => {
    const viewer = await openAs(VIEWER_EMAIL)
    try {
      await viewer.page.goto(`${server.baseUrl}/dashboards/${dashboard.slug}/edit?p.period=last_7d`)
      await viewer.page.waitForURL((url) => !url.pathname.endsWith('/edit'))
      assert.equal(new URL(viewer.page.url()).pathname, `/dashboards/${dashboard.slug}`)
      assert.equal(new URL(viewer.page.url()).search, '?p.period=last_7d')
      assert.equal(await viewer.page.getByTestId('save-dashboard').count(), 0)
      await screenshot(viewer.page, 'dashboard-edit-viewer-redirected')
      // and the server refuses a viewer's save
      const refused = await viewer.page.evaluate(async (id) => {
        const token = globalThis.document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/)?.[1]
        const r = await fetch(`/api/v1/dashboards/${id}`, {
          method: 'PUT',
          headers: {
            'Content-Type': 'application/json',
            'X-XSRF-TOKEN': decodeURIComponent(token ?? ''),
          },
          body: JSON.stringify({ name: 'Mine', version: 3 }),
        })
        return r.status
      }, dashboard.id)
      assert.equal(refused, 403)
    } finally {
      await viewer.browser.close()
    }
  })
})
