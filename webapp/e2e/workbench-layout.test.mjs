import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 20_000
const VIEWPORT = { width: 1280, height: 800 }

// A saved five-line query at 1280×800: its first result row is on screen without scrolling (the page itself never
// scrolls; the table does), and reopening it shows the latest stored result with its age instead of running again.
describe('workbench layout', () => {
  let session
  let server
  let page
  let queryUrl
  let queryId

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT, viewport: VIEWPORT })
    ;({ server, page } = session)
    const datasourceId = await createPostgresDatasource(page, server, 'Layout metadata')
    const query = await api(page, 'POST', '/api/v1/queries', {
      name: 'Five lines',
      datasourceId,
      sql: [
        'select g as n,',
        '       g * {{factor}} as scaled,',
        '       md5(g::text) as hash',
        'from generate_series(1, 300) g',
        'order by g',
      ].join('\n'),
      params: [{ name: 'factor', type: 'integer', default: 2 }],
    })
    queryId = query.id
    queryUrl = `${server.baseUrl}/queries/${queryId}`
  })

  after(async () => {
    await session?.close()
  })

  const firstRow = () =>
    page.locator('[data-testid="results-table"] [role="row"]:has([role="cell"])').first()
  const runCount = async () =>
    (await api(page, 'GET', `/api/v1/runs?queryId=${queryId}&limit=100`)).items.length

  /** The element's box lies wholly inside the viewport, and the page has not scrolled (and cannot). */
  async function assertOnScreenWithoutScrolling(locator, what) {
    const box = await locator.boundingBox()
    assert.ok(box, `${what} has no box`)
    assert.ok(
      box.x >= 0 &&
        box.y >= 0 &&
        box.x + box.width <= VIEWPORT.width &&
        box.y + box.height <= VIEWPORT.height,
      `${what} is not wholly in the ${VIEWPORT.width}×${VIEWPORT.height} viewport: ${JSON.stringify(box)}`,
    )
    const page_ = await page.evaluate(() => ({
      scrollY: globalThis.scrollY,
      scrollHeight: globalThis.document.scrollingElement.scrollHeight,
      innerHeight: globalThis.innerHeight,
    }))
    assert.equal(page_.scrollY, 0)
    assert.ok(
      page_.scrollHeight <= page_.innerHeight,
      `the page scrolls: ${page_.scrollHeight} px in a ${page_.innerHeight} px window`,
    )
  }

  it('shows the first result row of a 5-line query without scrolling; only the table scrolls', async () => {
    await page.goto(queryUrl)
    await page.locator('[data-testid="sql-editor"][data-engine="monaco"] .monaco-editor').waitFor()
    // never run: nothing stored to show
    await page.getByText('Run the query to see its results here.').waitFor()
    assert.equal(await page.locator('[data-testid="latest-result"]').count(), 0)

    await page.locator('[data-testid="run-query"]').click()
    await page
      .locator('[data-testid="run-state"] [data-testid="run-status"]')
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    await firstRow().waitFor()
    await assertOnScreenWithoutScrolling(firstRow(), 'the first result row')
    assert.equal(await firstRow().locator('[role="cell"]').first().innerText(), '1')
    // the table is the one scroll container: it holds more rows than it shows
    const scroller = await page
      .locator('.results-scroller')
      .evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }))
    assert.ok(scroller.scrollHeight > scroller.clientHeight, JSON.stringify(scroller))
    await screenshot(page, 'workbench-1280x800')
  })

  it('reopens with the latest stored result and its age, without running again', async () => {
    const before = await runCount()
    assert.equal(before, 1)
    assert.match(page.url(), /[?&]p\.factor=2\b/)

    await page.reload()
    const latest = page.locator('[data-testid="latest-result"]')
    await latest.waitFor()
    assert.match(
      (await latest.innerText()).replace(/\s+/g, ' '),
      /^Latest stored result, from (a moment ago|\d+ min ago) — Run again$/,
    )
    await firstRow().waitFor()
    await assertOnScreenWithoutScrolling(firstRow(), 'the first stored row')
    assert.equal(await firstRow().locator('[role="cell"]').nth(1).innerText(), '2')
    assert.equal(await page.locator('[data-testid="run-state"]').count(), 0)
    await page.waitForTimeout(1_000)
    assert.equal(await runCount(), before, 'opening the query started a run')
    await screenshot(page, 'workbench-latest-result-1280x800')

    // a shared link with other values: nothing stored for them, so nothing shown (and nothing run)
    await page.goto(`${queryUrl}?p.factor=3`)
    await page.getByText('Run the query to see its results here.').waitFor()
    await page.waitForTimeout(500)
    assert.equal(await latest.count(), 0)
    assert.equal(await runCount(), before)
  })

  it('remembers where the splitter was dragged', async () => {
    await page.goto(`${queryUrl}?p.factor=2`)
    await page.locator('[data-testid="latest-result"]').waitFor()
    const editor = page.locator('.wb-editor')
    // the layout settles as the latest result arrives: measured before that, a loaded CI read 109 px and not the 169
    // the drag went from
    const start = await settledHeight(editor)
    const grip = await page.locator('[data-testid="workbench-splitter"]').boundingBox()
    const x = grip.x + grip.width / 2
    const y = grip.y + grip.height / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y + 60, { steps: 5 })
    await page.mouse.up()
    const dragged = await settledHeight(editor)
    assert.ok(Math.abs(dragged - (start + 60)) <= 2, `editor ${start} → ${dragged} px`)

    await page.reload()
    await page.locator('[data-testid="latest-result"]').waitFor()
    assert.ok(Math.abs((await settledHeight(editor)) - dragged) <= 1)
    await screenshot(page, 'workbench-splitter-dragged-1280x800')
  })

  it('at 800 px the open schema panel sits above the editor and the results, never over them', async () => {
    await page.setViewportSize({ width: 800, height: 900 })
    try {
      await page.goto(`${queryUrl}?p.factor=2`)
      await page.locator('[data-testid="latest-result"]').waitFor()
      const schema = page.locator('aside.wb-schema')
      if (!(await schema.isVisible())) await page.locator('[data-testid="toggle-schema"]').click()
      const label = schema.locator('text=public').first()
      await label.waitFor()
      const panel = await schema.boundingBox()
      const labelBox = await label.boundingBox()
      assert.ok(
        labelBox.y + labelBox.height <= panel.y + panel.height,
        `the schema list spills out of its panel (label at ${labelBox.y} px, panel ends ${panel.y + panel.height} px)`,
      )
      const editor = await page.locator('.wb-editor').boundingBox()
      assert.ok(
        panel.y + panel.height <= editor.y,
        `schema panel ends at ${panel.y + panel.height} px, the editor starts at ${editor.y} px`,
      )
      await screenshot(page, 'workbench-800x900')
    } finally {
      await page.setViewportSize(VIEWPORT)
    }
  })
})

/** The element's height once two reads 100 ms apart agree (for up to 5 s): the layout has settled. */
async function settledHeight(locator) {
  let last = (await locator.boundingBox()).height
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = (await locator.boundingBox()).height
    if (now === last) return now
    last = now
  }
  return last
}
