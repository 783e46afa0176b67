import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'

import { repoRoot, screenshotDir } from './paths.mjs'
import { api, openSignedIn } from './workflow.mjs'

const TIMEOUT = 60_000
// SIGHTLINE_SCREENSHOTS=docs (npm run screenshots) writes the README's pictures; otherwise they go under target/.
const pictures =
  process.env.SIGHTLINE_SCREENSHOTS === 'docs' ? join(repoRoot, 'docs', 'images') : screenshotDir

// The demo a fresh start installs (issue 18, docs/demo.md): both dashboards open from the home page's hint and every
// tile draws — a chart, a single stat or a table, never an error — and the pictures of them are saved.
describe('demo: the first start shows live dashboards', () => {
  let session
  let page

  before(async () => {
    session = await openSignedIn({
      timeout: TIMEOUT,
      viewport: { width: 1440, height: 1000 },
      env: { SIGHTLINE_DEMO: 'true' },
      // the suite draws the demo at a twentieth of its rows (a full demo database takes ~20 s of Postgres CPU);
      // the pictures for the docs (SIGHTLINE_SCREENSHOTS=docs, npm run screenshots) show the full demo
      jvmArgs: process.env.SIGHTLINE_SCREENSHOTS === 'docs' ? [] : ['-Dsightline.demo.scale=0.05'],
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

  for (const [slug, picture] of [
    ['demo-ohub', 'demo-ohub.png'],
    ['demo-trad', 'demo-trad.png'],
  ]) {
    it(`draws every tile of ${slug}`, async () => {
      await page.goto(new URL('/', page.url()).href)
      await page.locator(`[data-testid="home-demo-hint"] a[href="/dashboards/${slug}"]`).click()
      await page.waitForURL(new RegExp(`/dashboards/${slug}`))
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
      await page.evaluate(() => globalThis.scrollTo(0, 0))
      await sleep(1_000) // chart animations settle
      await page.screenshot({ path: join(pictures, picture), fullPage: true })
    })
  }
})
