import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { ADMIN_EMAIL } from './server.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 15_000
const TERMINAL = ['succeeded', 'failed', 'cancelled', 'timed_out']

// The runs and datasources pages at 1280×800 (everything fits: no sideways scrolling, Rows/Bytes/the error in words
// visible) and at 800×900 (the sidebar is a rail of icons, lists are stacked rows, nothing is cut off).
describe('layout at 1280 and 800 px', () => {
  let session
  let server
  let page

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)

    const datasourceId = await createPostgresDatasource(page, server, 'Sightline metadata')
    const query = await api(page, 'POST', '/api/v1/queries', {
      name: 'Outages by region, with a long name that must not push the table wider',
      datasourceId,
      sql: 'select g as region, g * 3 as customers_out from generate_series(1, 2500) g',
      params: [],
    })
    await finished(await api(page, 'POST', `/api/v1/queries/${query.id}/runs`, {}))
    for (const sql of [
      'select region, count(*) from outagez group by region',
      "select 1 / 0 as this_fails_with_a_division_by_zero_and_a_message_long_enough, 'x'",
      `select ${'col_with_a_long_name + '.repeat(12)}1 as total`,
    ]) {
      await finished(await api(page, 'POST', '/api/v1/runs', { datasourceId, sql }))
    }
  })

  after(async () => {
    await session?.close()
  })

  async function finished(run) {
    const deadline = Date.now() + 30_000
    while (!TERMINAL.includes(run.status)) {
      if (Date.now() > deadline) throw new Error(`run ${run.id} still ${run.status} after 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      run = await api(page, 'GET', `/api/v1/runs/${run.id}`)
    }
    return run
  }

  /** Boxes of every element matching `selector`, with the viewport's width and the page's scroll width. */
  async function layout(selector) {
    return page.evaluate((selector) => {
      const boxes = [...globalThis.document.querySelectorAll(selector)].map((el) => {
        const r = el.getBoundingClientRect()
        return {
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
          width: r.width,
          scrollWidth: el.scrollWidth,
          clientWidth: el.clientWidth,
          visible:
            r.width > 0 && r.height > 0 && globalThis.getComputedStyle(el).visibility !== 'hidden',
          text: el.textContent.trim(),
        }
      })
      return {
        boxes,
        viewport: globalThis.document.documentElement.clientWidth,
        pageScrollWidth: globalThis.document.documentElement.scrollWidth,
      }
    }, selector)
  }

  function assertInside(found, what) {
    assert.ok(found.boxes.length > 0, `${what}: none found`)
    for (const box of found.boxes) {
      assert.ok(box.visible, `${what} "${box.text.slice(0, 40)}" is not visible`)
      assert.ok(
        box.left >= 0 && box.right <= found.viewport + 0.5,
        `${what} "${box.text.slice(0, 40)}" spans ${box.left}–${box.right} px, outside 0–${found.viewport}`,
      )
    }
  }

  async function assertTitleFits(title) {
    const h1 = await layout('main h1')
    assert.equal(h1.boxes[0].text, title)
    assertInside(h1, 'the page title')
    assert.ok(h1.boxes[0].scrollWidth <= h1.boxes[0].clientWidth, 'the page title is cut off')
    assert.ok(
      h1.pageScrollWidth <= h1.viewport,
      `the page scrolls sideways (${h1.pageScrollWidth} px)`,
    )
  }

  it('fits the runs table at 1280×800: Rows, Bytes and the error in words are on screen', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`${server.baseUrl}/runs`)
    await page.locator('[data-testid="run-row"]').nth(3).waitFor()

    const wrap = await layout('.runs-table-wrap')
    assert.ok(
      wrap.boxes[0].scrollWidth <= wrap.boxes[0].clientWidth,
      `the table is ${wrap.boxes[0].scrollWidth} px wide in ${wrap.boxes[0].clientWidth} px`,
    )
    await assertTitleFits('Runs')
    const headers = await layout('[data-testid="runs-table"] thead th')
    assert.deepEqual(
      headers.boxes.map((b) => b.text),
      ['Status', 'Query', 'Source', 'Created', 'Duration', 'Rows', 'Bytes'],
    )
    assertInside(headers, 'column header')
    const clipped = (await layout('[data-testid="runs-table"] :is(th, td.runs-num)')).boxes.filter(
      (b) => b.scrollWidth > b.clientWidth,
    )
    assert.deepEqual(
      clipped.map((b) => b.text),
      [],
      'headers and figures are shown whole',
    )
    assertInside(await layout('[data-testid="run-rows"]'), 'Rows cell')
    assertInside(await layout('[data-testid="run-bytes"]'), 'Bytes cell')
    const errors = await layout('.runs-what [data-testid="run-error-summary"]')
    assertInside(errors, 'error under the query')
    const words = errors.boxes.map((b) => b.text).join('\n')
    assert.match(words, /relation "outagez" does not exist/)
    assert.match(words, /division by zero/)
    const sidebar = await layout('[data-testid="app-shell-sidebar"]')
    assert.ok(sidebar.boxes[0].width > 200, 'the sidebar keeps its labels at 1280 px')
    await screenshot(page, 'runs-1280')
  })

  it('lines up the datasources list at 1280: the actions cell shares its row’s border', async () => {
    await page.goto(`${server.baseUrl}/datasources`)
    await page.locator('[data-test="datasource-row"]').first().waitFor()
    const cells = await layout('[data-test="datasource-row"] td')
    const bottoms = new Set(cells.boxes.map((b) => Math.round(b.bottom * 10) / 10))
    const tops = new Set(cells.boxes.map((b) => Math.round(b.top * 10) / 10))
    assert.equal(bottoms.size, 1, `cells end at ${[...bottoms].join(', ')} px`)
    assert.equal(tops.size, 1, `cells start at ${[...tops].join(', ')} px`)
    await screenshot(page, 'datasources-1280')
  })

  it('folds the sidebar and stacks the runs at 800×900, with nothing cut off', async () => {
    await page.setViewportSize({ width: 800, height: 900 })
    await page.goto(`${server.baseUrl}/runs`)
    await page.locator('[data-testid="run-row"]').nth(3).waitFor()

    const sidebar = await layout('[data-testid="app-shell-sidebar"]')
    assert.ok(sidebar.boxes[0].width <= 64, `the sidebar is ${sidebar.boxes[0].width} px wide`)
    assert.ok(await page.getByRole('button', { name: 'Menu' }).isVisible())
    assert.ok(await page.getByRole('link', { name: 'Datasources' }).isVisible(), 'icons stay')
    await assertTitleFits('Runs')

    assert.equal(await page.locator('[data-testid="runs-table"] thead').isVisible(), false)
    const rows = await layout('[data-testid="run-row"]')
    assertInside(rows, 'run row')
    for (const row of rows.boxes) {
      assert.ok(row.scrollWidth <= row.clientWidth + 1, `a row overflows: ${row.text.slice(0, 40)}`)
    }
    assertInside(await layout('[data-testid="run-rows"]'), 'Rows')
    assertInside(await layout('[data-testid="run-bytes"]'), 'Bytes')
    assertInside(await layout('[data-testid="run-link"]'), 'query name')
    assertInside(await layout('[data-testid="run-error-summary"]'), 'error in words')
    await screenshot(page, 'runs-800')

    await page.getByRole('button', { name: 'Menu' }).click()
    const open = await layout('[data-testid="app-shell-sidebar"]')
    assert.ok(open.boxes[0].width > 200, 'the opened menu shows its labels')
    assert.ok(await page.getByText(ADMIN_EMAIL).isVisible())
    await screenshot(page, 'shell-800-menu')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Menu' }).waitFor()
  })

  it('stacks the datasources list at 800×900', async () => {
    await page.goto(`${server.baseUrl}/datasources`)
    await page.locator('[data-test="datasource-row"]').first().waitFor()

    await assertTitleFits('Datasources')
    assert.equal(await page.locator('[data-test="datasources-table"] thead').isVisible(), false)
    const rows = await layout('[data-test="datasource-row"]')
    assertInside(rows, 'datasource row')
    assertInside(await layout('[data-test="datasource-row"] a'), 'Schema and Edit links')
    assertInside(await layout('.datasources-new'), '"New datasource"')
    await screenshot(page, 'datasources-800')
  })
})
