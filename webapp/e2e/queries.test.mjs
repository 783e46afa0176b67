import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { createPostgresDatasource, openSignedIn, runSql, setSql } from './workflow.mjs'

const TIMEOUT = 20_000

// The SQL workbench against the server's own embedded Postgres: a saved query with a date-range and an enum
// parameter, a long query cancelled, a SQL error marked in the editor, a CSV download and the run pages.
describe('queries', () => {
  let session
  let server
  let page
  let datasourceId
  let savedQueryUrl

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    datasourceId = await createPostgresDatasource(page, server, 'Ops metadata')
  })

  after(async () => {
    await session?.close()
  })

  const status = () => page.locator('[data-testid="run-state"] [data-testid="run-status"]')

  async function newQuery() {
    await page.goto(`${server.baseUrl}/queries/new`)
    await page.locator('[data-testid="datasource-select"]').selectOption(datasourceId)
  }

  it('writes a query with a date-range and an enum parameter, saves it, runs it and sees the rows', async () => {
    await newQuery()
    await page.locator('[data-testid="query-name"]').fill('Regions by day')
    await setSql(
      page,
      "select d::date as day, r as region from generate_series(date '2026-01-01', date '2026-01-31', " +
        "interval '1 day') d cross join unnest(array['north', 'south', 'east']) r " +
        'where d::date between {{period.start}} and {{period.end}} and r = {{region}} order by 1, 2',
    )

    // typing placeholders offers to declare them: a .start/.end pair becomes a date range
    await page.locator('[data-testid="declare-parameter"][data-name="period"]').click()
    await page.locator('[data-testid="declare-parameter"][data-name="region"]').click()
    const region = page.locator('[data-testid="parameter-declaration"][data-param="region"]')
    await region.getByLabel('Type').selectOption('enum')
    await region.getByLabel('Options').fill('north\nsouth\neast')
    const period = page.locator('[data-testid="parameter-declaration"][data-param="period"]')
    assert.equal(await period.getByLabel('Type').inputValue(), 'date_range')

    await page.locator('[data-testid="save-query"]').click()
    await page.waitForURL(/\/queries\/[0-9a-f-]{36}/).catch(async (e) => {
      await screenshot(page, 'debug-save')
      throw e
    })
    savedQueryUrl = page.url().split('?')[0]

    await page.locator('[name="param-period"]').selectOption('custom')
    await page.locator('[name="param-period.start"]').fill('2026-01-10')
    await page.locator('[name="param-period.end"]').fill('2026-01-12')
    await page.locator('[name="param-region"]').selectOption('east')
    await page.locator('[data-testid="run-query"]').click()

    await status()
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    const table = page.locator('[data-testid="results-table"]')
    await table.locator('[data-testid="results-rows"]').filter({ hasText: '3 rows' }).waitFor()
    const rows = table.locator('[role="row"]:has([role="cell"])')
    await rows.first().waitFor()
    const texts = await rows.allInnerTexts()
    assert.equal(texts.length, 3)
    assert.match(texts[0], /2026-01-10[\s\S]*east/)
    assert.match(texts[2], /2026-01-12[\s\S]*east/)
    // the values are in the link, so it reproduces the view
    const url = new URL(page.url())
    assert.equal(url.searchParams.get('p.period'), '2026-01-10..2026-01-12')
    assert.equal(url.searchParams.get('p.region'), 'east')
    await screenshot(page, 'query-parameters-rows')
  })

  it('downloads the result as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="download-csv"]').click(),
    ])
    assert.match(download.suggestedFilename(), /^regions-by-day-\d{8}-\d{4}\.csv$/)
    const csv = await readFile(await download.path(), 'utf8')
    assert.equal(csv, 'day,region\r\n2026-01-10,east\r\n2026-01-11,east\r\n2026-01-12,east\r\n')
  })

  it('lists the saved query and finds it by name', async () => {
    await page.goto(`${server.baseUrl}/queries`)
    await page.locator('[data-testid="queries-search"]').fill('regions')
    const row = page.locator('[data-testid="query-row"]', { hasText: 'Regions by day' })
    await row.waitFor()
    await page.waitForURL(/[?&]q=regions/)
    await screenshot(page, 'queries-list')
    assert.match(await row.innerText(), /Ops metadata/)
    await page.locator('[data-testid="queries-search"]').fill('no such query')
    await page.locator('[data-testid="queries-empty"]').waitFor()
  })

  it('reopens the link with the same parameter values', async () => {
    await page.goto(`${savedQueryUrl}?p.period=2026-01-01..2026-01-02&p.region=north`)
    assert.equal(await page.locator('[name="param-region"]').inputValue(), 'north')
    assert.equal(await page.locator('[name="param-period.start"]').inputValue(), '2026-01-01')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    await page.locator('[data-testid="results-rows"]').filter({ hasText: '2 rows' }).waitFor()
  })

  it('cancels select pg_sleep(30): cancelled, and Postgres no longer runs it', async () => {
    // the run state arrives live over the event-bus bridge (SockJS raw WebSocket), not only by polling
    const live = []
    page.on('websocket', (socket) => {
      if (!socket.url().includes('/eventbus')) return
      socket.on('framereceived', ({ payload }) => {
        const message = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'))
        if (message.type === 'rec') live.push(message.body)
      })
    })
    await newQuery()
    await setSql(page, 'select pg_sleep(30)')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^running$/ })
      .waitFor()
    await screenshot(page, 'query-running')
    const started = Date.now()
    await page.locator('[data-testid="cancel-run"]').click()
    await status()
      .filter({ hasText: /^cancelled$/ })
      .waitFor({ timeout: 10_000 })
    const cancelMs = Date.now() - started
    await screenshot(page, 'query-cancelled')
    assert.ok(cancelMs < 10_000, `cancelled after ${cancelMs} ms`)
    const runId = new URL(
      await page
        .locator('[data-testid="run-state"] a', { hasText: 'Run details' })
        .getAttribute('href'),
      server.baseUrl,
    ).pathname.split('/')[2]
    const statuses = live.filter((event) => event.runId === runId).map((event) => event.status)
    assert.ok(statuses.includes('running'), `live events for the run: ${statuses.join(', ')}`)
    assert.equal(statuses.at(-1), 'cancelled', `live events for the run: ${statuses.join(', ')}`)
    const [[stillRunning]] = await runSql(
      page,
      datasourceId,
      "select count(*)::int from pg_stat_activity where query like '%pg_sleep(30)%' " +
        "and application_name like 'sightline-run-%' and pid <> pg_backend_pid()",
    )
    assert.equal(stillRunning, 0)
  })

  it('shows a SQL error with its message and marks the position in the editor', async () => {
    await newQuery()
    await setSql(page, 'select relname, nosuchcolumn from pg_class')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^failed$/ })
      .waitFor()
    const error = page.locator('[data-testid="run-state"] [data-testid="run-error"]')
    assert.match(await error.innerText(), /column "nosuchcolumn" does not exist/)
    assert.match(await error.innerText(), /42703/)
    // Monaco draws the marker as a squiggle decoration: it must sit under the offending column name. Monaco redraws
    // its overlays at will, so both boxes are read in one go inside the page.
    const boxes = await page.waitForFunction(() => {
      const doc = globalThis.document
      const squiggle = doc.querySelector(
        '[data-testid="sql-editor"] .view-overlays .squiggly-error',
      )
      const line = doc.querySelector('[data-testid="sql-editor"] .view-line')
      if (!squiggle || !line) return null
      const walker = doc.createTreeWalker(line, 4 /* text nodes */)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf('nosuchcolumn')
        if (at < 0) continue
        const range = doc.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + 'nosuchcolumn'.length)
        const word = range.getBoundingClientRect()
        const marked = squiggle.getBoundingClientRect()
        if (marked.width === 0) return null
        return {
          marked: { x: marked.x, width: marked.width },
          word: { x: word.x, width: word.width },
        }
      }
      return null
    })
    const { marked, word } = await boxes.jsonValue()
    assert.ok(Math.abs(marked.x - word.x) < 3, `squiggle at ${marked.x}, word at ${word.x}`)
    assert.ok(
      Math.abs(marked.width - word.width) < 3,
      `squiggle ${marked.width} wide, word ${word.width}`,
    )
    await screenshot(page, 'query-sql-error')
  })

  it('lists the runs and opens the failed one with its error position and timeline', async () => {
    await page.goto(`${server.baseUrl}/runs?status=failed`)
    const row = page.locator('[data-testid="run-row"][data-status="failed"]').first()
    await row.waitFor()
    await screenshot(page, 'runs-history-failed')
    await row.locator('[data-testid="run-link"]').click()
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}/)
    assert.equal(await page.locator('[data-testid="run-status"]').first().innerText(), 'failed')
    assert.match(
      await page.locator('[data-testid="run-error-message"]').innerText(),
      /nosuchcolumn/,
    )
    assert.equal(await page.locator('[data-testid="run-error-position"]').innerText(), 'n')
    await page.locator('[data-testid="timeline-event"][data-kind="finished"]').waitFor()
    await screenshot(page, 'run-detail-failed')
  })

  it('follows the dark theme in the editor and remembers it', async () => {
    await page.goto(savedQueryUrl)
    await page.locator('[data-testid="sql-editor"] .monaco-editor').waitFor()
    await page.getByRole('button', { name: 'Dark theme' }).click()
    await page.locator('[data-testid="sql-editor"] .monaco-editor.vs-dark').waitFor()
    await page.reload()
    await page.locator('[data-testid="sql-editor"] .monaco-editor.vs-dark').waitFor()
    await page.locator('[name="param-period"]').selectOption('last_30d')
    await page.locator('[name="param-region"]').selectOption('south')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    await screenshot(page, 'query-dark-theme')
  })
})
