// Web app performance budgets (issue 6), measured in headless Debian Chromium against the real standalone server:
//   1. initial JavaScript (the entry script + its modulepreloads), gzipped  — budget ≤ 350 KB
//   2. workbench interactive after navigation (Monaco editor ready and typing works)  — budget ≤ 1.5 s
//   3. a 100,000-row result: first page rendered after the run succeeds  — budget ≤ 500 ms; rows in the DOM
//      while scrolled to the top, middle and bottom (must stay < 200)
//
// Usage (after `mvn -q -DskipTests package`, which builds standalone/target/sightline.jar with the web app):
//   node bench/web_budgets.mjs [repeats=5]
// It reuses the browser e2e harness (webapp/e2e), so playwright-core resolves from webapp/node_modules.
import { gzipSync } from 'node:zlib'

import { launchBrowser } from '../webapp/e2e/browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from '../webapp/e2e/server.mjs'
import { createPostgresDatasource, signIn } from '../webapp/e2e/workflow.mjs'

const repeats = Number(process.argv[2] ?? 5)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

const server = await startServer()
const browser = await launchBrowser()
try {
  // 1. initial JavaScript: what index.html loads before any route code
  const html = await (
    await fetch(`${server.baseUrl}/`, { headers: { Accept: 'text/html' } })
  ).text()
  const urls = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1])
  let raw = 0
  let gzipped = 0
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(new URL(url, server.baseUrl))).arrayBuffer())
    raw += body.length
    gzipped += gzipSync(body, { level: 9 }).length
  }
  console.log(
    `initial JS: ${urls.length} files, ${kb(raw)} raw, ${kb(gzipped)} gzip -9 (budget 350 KB)`,
  )

  const page = await browser.context.newPage()
  page.setDefaultTimeout(30_000)
  await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  const datasourceId = await createPostgresDatasource(page, server, 'bench metadata')

  // 2. workbench interactive: a full navigation to /queries/new, until the editor takes a keystroke
  const interactive = []
  let cold = 0
  for (let i = 0; i <= repeats; i++) {
    await page.goto(`${server.baseUrl}/queries/new?datasourceId=${datasourceId}`)
    await page.locator('[data-testid="sql-editor"] .monaco-editor .view-lines').waitFor()
    await page.locator('[data-testid="sql-editor"] .monaco-editor').click()
    await page.keyboard.type('s')
    await page.locator('[data-testid="sql-editor"] .view-lines', { hasText: 's' }).waitFor()
    const ms = await page.evaluate(() => performance.now())
    if (i === 0)
      cold = ms // the first visit loads Monaco over the network; later ones from the browser's cache
    else interactive.push(ms)
  }
  console.log(
    `workbench interactive: median ${median(interactive).toFixed(0)} ms of ${repeats} ` +
      `(${interactive.map((x) => x.toFixed(0)).join(', ')}), first visit with an empty cache ` +
      `${cold.toFixed(0)} ms (budget 1500 ms)`,
  )

  // 2b. the usual way in on a first visit: the queries list (which fetches the editor while idle), then "New query";
  //     a fresh browser profile, so nothing is cached
  const fresh = await launchBrowser()
  try {
    const listPage = await fresh.context.newPage()
    listPage.setDefaultTimeout(30_000)
    await signIn(listPage, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    await listPage.goto(`${server.baseUrl}/queries`)
    await listPage.locator('[data-testid="new-query"]').waitFor()
    await listPage.waitForTimeout(3_000) // the user reads the list; the browser is idle
    const clicked = await listPage.evaluate(() => performance.now())
    await listPage.locator('[data-testid="new-query"]').click()
    await listPage.locator('[data-testid="sql-editor"] .monaco-editor .view-lines').click()
    await listPage.keyboard.type('s')
    await listPage.locator('[data-testid="sql-editor"] .view-lines', { hasText: 's' }).waitFor()
    const ready = await listPage.evaluate(() => performance.now())
    console.log(
      `workbench from the queries list, first visit (empty cache): ${(ready - clicked).toFixed(0)} ms ` +
        'from the click on "New query" (budget 1500 ms)',
    )
  } finally {
    await fresh.close()
  }

  // 3. 100,000 rows: time from the status turning "succeeded" to the first data row in the table
  const firstPage = []
  const domRows = []
  for (let i = 0; i < repeats; i++) {
    await page.goto(`${server.baseUrl}/queries/new?datasourceId=${datasourceId}`)
    const editor = page.locator('[data-testid="sql-editor"] .monaco-editor')
    await editor.waitFor()
    await editor.click()
    // a different literal each time so no identical live run or stored result is shared
    await page.keyboard.type(
      `select g, md5(g::text) as label, g * 1.5 as amount, now() as at, ${i} as pass from generate_series(1, 100000) g`,
    )
    await page.evaluate(() => {
      window.__bench = {}
      const observer = new MutationObserver(() => {
        const status = document.querySelector('[data-testid="run-status"]')
        if (!window.__bench.succeeded && status?.textContent?.trim() === 'succeeded') {
          window.__bench.succeeded = performance.now()
        }
        if (
          window.__bench.succeeded &&
          !window.__bench.rendered &&
          document.querySelector('[data-testid="results-table"] [role="row"] [role="cell"]')
        ) {
          window.__bench.rendered = performance.now()
          observer.disconnect()
        }
      })
      observer.observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      })
    })
    await page.keyboard.press('Control+Enter')
    await page.waitForFunction(() => window.__bench.rendered, null, {
      timeout: 60_000,
    })
    const t = await page.evaluate(() => window.__bench.rendered - window.__bench.succeeded)
    firstPage.push(t)
    const counts = []
    for (const fraction of [0, 0.5, 1]) {
      await page.evaluate((f) => {
        const scroller = document.querySelector('[data-testid="results-table"] .results-scroller')
        scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * f
      }, fraction)
      await page.waitForTimeout(400)
      counts.push(await page.locator('[data-testid="results-table"] [role="row"]').count())
    }
    domRows.push(Math.max(...counts))
  }
  console.log(
    `100k rows, first page after succeeded: median ${median(firstPage).toFixed(0)} ms ` +
      `(${firstPage.map((x) => x.toFixed(0)).join(', ')}) (budget 500 ms); ` +
      `row elements in the DOM at most ${Math.max(...domRows)} (budget < 200)`,
  )
} finally {
  await browser.close()
  await server.stop()
}
