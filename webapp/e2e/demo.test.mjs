import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'

import { repoRoot, screenshotDir } from './paths.mjs'
import { api, openSignedIn } from './workflow.mjs'

// SIGHTLINE_SCREENSHOTS=docs (npm run screenshots) writes the README's pictures from the full demo; otherwise they go
// under target/ from a twentieth of its rows
const docs = process.env.SIGHTLINE_SCREENSHOTS === 'docs'
const pictures = docs ? join(repoRoot, 'docs', 'images') : screenshotDir
// the full demo database takes about 10-20 s to build on 2 busy cores, its metadata a few seconds more
const TIMEOUT = docs ? 180_000 : 60_000
const WIDTH = 1440

/**
 * The trading session's opening hour for the README's picture of Trad: 09:15–10:15 America/Toronto (the last minutes
 * before the open, then its burst) on the latest weekday whose hour is over. The demo's own default, the last hour,
 * shows overnight futures only when the pictures are taken at night in Toronto.
 */
function openingHour(now = new Date()) {
  for (let back = 0; back < 10; back++) {
    const day = new Date(now.getTime() - back * 86_400_000)
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/Toronto',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        weekday: 'short',
        timeZoneName: 'longOffset',
      })
        .formatToParts(day)
        .map((p) => [p.type, p.value]),
    )
    if (parts.weekday === 'Sat' || parts.weekday === 'Sun') continue
    const offset = parts.timeZoneName.replace('GMT', '') || '+00:00'
    const date = `${parts.year}-${parts.month}-${parts.day}`
    const [start, end] = [`${date}T09:15:00${offset}`, `${date}T10:15:00${offset}`]
    if (new Date(end).getTime() <= now.getTime()) return `${start}..${end}`
  }
  throw new Error('no weekday in the last ten days')
}

// The demo a fresh start installs (issue 18, docs/demo.md): both dashboards open from the home page's hint and every
// tile draws — a chart, a single stat or a table, never an error — and the pictures of them are saved.
describe('demo: the first start shows live dashboards', () => {
  let session
  let page

  before(async () => {
    session = await openSignedIn({
      timeout: TIMEOUT,
      viewport: { width: WIDTH, height: 1000 },
      env: { SIGHTLINE_DEMO: 'true' },
      jvmArgs: docs ? [] : ['-Dsightline.demo.scale=0.05'],
    })
    page = session.page
    const deadline = Date.now() + TIMEOUT
    while (!(await api(page, 'GET', '/api/v1/demo')).installed) {
      if (Date.now() > deadline) throw new Error('the demo was not installed in time')
      await sleep(500)
    }
    mkdirSync(pictures, { recursive: true })
  })

  after(async () => {
    await session?.close()
  })

  for (const [slug, picture, period] of [
    ['demo-ohub', 'demo-ohub.png', null],
    ['demo-trad', 'demo-trad.png', docs ? openingHour() : null],
  ]) {
    it(`draws every tile of ${slug}`, async () => {
      await page.setViewportSize({ width: WIDTH, height: 1000 })
      await page.goto(new URL('/', page.url()).href)
      await page.locator(`[data-testid="home-demo-hint"] a[href="/dashboards/${slug}"]`).click()
      await page.waitForURL(new RegExp(`/dashboards/${slug}`))
      if (period) {
        // the picture's period, through the URL as a user would share it; no auto refresh while it is taken
        const url = new URL(page.url())
        url.searchParams.set('p.period', period)
        url.searchParams.set('refresh', 'off')
        await page.goto(url.href)
      }
      const tiles = page.locator('[data-testid="dash-tile"]')
      await tiles.first().waitFor()
      assert.equal(await tiles.count(), 5)
      assert.match(await page.locator('[data-testid="dash-text"]').innerText(), /synthetic data/)
      const vizTiles = page.locator('[data-testid="dash-tile"]:not([data-state="text"])')
      for (let i = 0; i < 4; i++) {
        const tile = vizTiles.nth(i)
        await tile.scrollIntoViewIfNeeded()
        await tile
          .locator(
            '[data-testid="viz-canvas"] canvas, [data-testid="viz-stat"], [data-testid="viz-table"]',
          )
          .first()
          .waitFor()
        assert.equal(await tile.getAttribute('data-state'), 'succeeded')
        assert.equal(await tile.locator('[data-testid="viz-problem"]').count(), 0)
        assert.equal(await tile.locator('.dash-tile-status.is-bad').count(), 0)
      }
      // the whole page in the viewport (a full-page capture resizes it, and the tiles would draw again), every tile
      // drawn, chart animations settled
      await page.evaluate(() => globalThis.scrollTo(0, 0))
      const height = await page.evaluate(() => globalThis.document.documentElement.scrollHeight)
      await page.setViewportSize({ width: WIDTH, height })
      await page.waitForFunction(
        () =>
          globalThis.document.querySelectorAll('[data-testid="viz-view"][data-state="ready"]')
            .length === 4 && !globalThis.document.querySelector('.viz-note[role="status"]'),
        null,
        { timeout: TIMEOUT },
      )
      await sleep(1_500)
      await page.screenshot({ path: join(pictures, picture) })
    })
  }
})
