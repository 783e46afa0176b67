import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 20_000

/**
 * A hostile string per field: each tries to run `window.__xss = <field>` as an element (<script>, <img onerror>,
 * <svg onload>) and as a javascript: link. Rendered inert, it shows as text and adds no such element.
 */
const hostile = (field) =>
  `${field} <script>window.__xss='${field}'</script><img src=x onerror="window.__xss='${field}'">` +
  `<svg onload="window.__xss='${field}'"></svg><a href="javascript:window.__xss='${field}'">go</a>`

/** Elements or attributes a payload would have added had it been parsed as HTML. */
const INJECTED =
  'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:" i], script:not([src])'

// Objects whose names, descriptions, SQL, parameter labels, errors from Postgres, titles and Markdown carry script
// payloads, created through the API; then every page that shows user text: no payload runs (the canary
// window.__xss stays undefined, no dialog opens, no injected element or javascript: link exists, and the strict CSP
// reports nothing), and the text is shown literally.
describe('user text is inert', () => {
  let session
  let server
  let page
  const dialogs = []
  const ids = {}

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    ids.datasource = await createPostgresDatasource(page, server, hostile('datasource'))
    const query = await api(page, 'POST', '/api/v1/queries', {
      name: hostile('query'),
      description: hostile('description'),
      datasourceId: ids.datasource,
      sql: `select '${hostile('cell').replaceAll("'", "''")}' as "${hostile('column').replaceAll('"', '""')}",\n  {{region}} as region -- ${hostile('sql')}`,
      params: [
        { name: 'region', label: hostile('label'), type: 'text', default: hostile('default') },
      ],
    })
    ids.query = query.id
    const failing = await api(page, 'POST', '/api/v1/queries', {
      name: 'Failing one',
      datasourceId: ids.datasource,
      sql: `select cast('${hostile('pgerror').replaceAll("'", "''")}' as integer)`,
    })
    ids.failing = failing.id
    ids.run = (await api(page, 'POST', `/api/v1/queries/${ids.query}/runs`, { params: {} })).id
    ids.failedRun = (
      await api(page, 'POST', `/api/v1/queries/${ids.failing}/runs`, { params: {} })
    ).id
    const viz = await api(page, 'POST', `/api/v1/queries/${ids.query}/visualizations`, {
      name: hostile('viz'),
      kind: 'table',
      config: {},
    })
    const dashboard = await api(page, 'POST', '/api/v1/dashboards', {
      name: hostile('dashboard'),
      description: hostile('dashdesc'),
      tiles: [
        { kind: 'viz', visualizationId: viz.id, title: hostile('title'), x: 0, y: 0, w: 12, h: 8 },
        {
          kind: 'text',
          text: `# Notes\n\n${hostile('markdown')}\n\n[click](javascript:window.__xss='mdlink')\n\n<svg onload="window.__xss='mdsvg'">`,
          x: 12,
          y: 0,
          w: 12,
          h: 8,
        },
      ],
    })
    ids.dashboard = dashboard.id
    const schedule = await api(page, 'POST', '/api/v1/schedules', {
      name: hostile('schedule'),
      queryId: ids.failing,
      kind: 'interval',
      everySeconds: 3600,
      timezone: 'UTC',
    })
    ids.schedule = schedule.id
    await api(page, 'POST', '/api/v1/users', {
      email: 'xss@example.com',
      displayName: hostile('member'),
      role: 'viewer',
    })
    await api(page, 'POST', '/api/v1/api-keys', { name: hostile('apikey') })
    // both runs are over before the pages are visited
    for (const run of [ids.run, ids.failedRun]) {
      const deadline = Date.now() + 30_000
      while (
        !['succeeded', 'failed'].includes((await api(page, 'GET', `/api/v1/runs/${run}`)).status)
      ) {
        if (Date.now() > deadline) throw new Error(`run ${run} did not end`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  })

  after(async () => {
    await session?.close()
  })

  /** Visits `path`, waits for each of `shown` as literal text, then checks nothing ran or was injected. */
  async function inert(name, path, shown) {
    await page.goto(`${server.baseUrl}${path}`)
    for (const field of shown) {
      await page
        .getByText(`${field} <script>window.__xss='${field}'</script>`, { exact: false })
        .first()
        .waitFor()
    }
    await page.waitForLoadState('networkidle')
    await screenshot(page, `xss-${name}`)
    const state = await page.evaluate(
      (selector) => ({
        canary: globalThis.__xss,
        injected: [...globalThis.document.querySelectorAll(selector)].map((e) =>
          e.outerHTML.slice(0, 200),
        ),
      }),
      INJECTED,
    )
    assert.equal(state.canary, undefined, `${path}: a payload ran (window.__xss = ${state.canary})`)
    assert.deepEqual(state.injected, [], `${path}: payload elements in the page`)
    assert.deepEqual(dialogs, [], `${path}: a dialog opened`)
  }

  it('home', async () => inert('home', '/', []))
  it('queries list', async () => inert('queries', '/queries', ['query']))
  it('workbench: name, SQL, parameter label, result cells and columns', async () => {
    await inert('workbench', `/queries/${ids.query}`, ['label'])
    // the SQL is in Monaco (text, not markup); the run's result shows the cell and the column name as text
    await page.getByRole('button', { name: /^Run/ }).first().click()
    await page.getByText(`cell <script>`, { exact: false }).first().waitFor()
    await inert('workbench-result', `/queries/${ids.query}`, ['label'])
  })
  it('run page of a failed run shows the Postgres error as text', async () =>
    inert('run-failed', `/runs/${ids.failedRun}`, ['pgerror']))
  it('run page of a succeeded run', async () => inert('run', `/runs/${ids.run}`, []))
  it('runs list', async () => inert('runs', '/runs', []))
  it('dashboards list', async () => inert('dashboards', '/dashboards', ['dashboard']))
  it('dashboard view: title, tile title, Markdown', async () => {
    await inert('dashboard', `/dashboards/${ids.dashboard}`, ['dashboard', 'title'])
    const links = await page.evaluate(() =>
      [...globalThis.document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
    )
    assert.ok(
      links.every((href) => !/^\s*javascript:/i.test(href)),
      links.join(', '),
    )
  })
  it('dashboard edit', async () =>
    inert('dashboard-edit', `/dashboards/${ids.dashboard}/edit`, ['title']))
  it('schedules list and page', async () => {
    await inert('schedules', '/schedules', ['schedule'])
    await inert('schedule', `/schedules/${ids.schedule}`, ['schedule'])
  })
  it('datasources', async () => inert('datasources', '/datasources', ['datasource']))
  it('admin members and API keys', async () => {
    await inert('members', '/admin/users', ['member'])
    await inert('api-keys', '/admin/api-keys', ['apikey'])
  })
})
