// Chart time in the browser (issue 12), measured in headless Debian Chromium against the real standalone server:
// a saved query of 1,000,000 rows in 3 series (long format: at, series, value) with a line visualization, open in the
// workbench's Visualizations tab at a 1,200 px plot; each repeat clicks Run and measures from the run turning
// `succeeded` in the page (the header's Cancel button giving way to Run again) to the new chart drawn (its canvas
// holding more than 2 % non-background pixels, for the new run's result). Budget ≤ 1 s (p50).
//
// Usage (after `mvn -q -DskipTests package`, which builds standalone/target/sightline.jar with the web app):
//   node bench/viz_chart_time.mjs [repeats=5]
// It reuses the browser e2e harness (webapp/e2e), so playwright-core resolves from webapp/node_modules.
import { launchBrowser } from '../webapp/e2e/browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from '../webapp/e2e/server.mjs'
import { api, signIn } from '../webapp/e2e/workflow.mjs'

const repeats = Number(process.argv[2] ?? 5)
const ROWS = 1_000_000
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]

// One row per (second, series): 333,334 seconds × 3 series = 1,000,000 rows.
const SQL = `select timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second' as at,
       (array['north', 'south', 'west'])[g % 3 + 1] as series,
       sin(g / 3000.0) * 100 + (g % 3) * 50 + random() as value
from generate_series(0, ${ROWS - 1}) g`

const server = await startServer()
const browser = await launchBrowser()
try {
  const page = await browser.context.newPage()
  page.setDefaultTimeout(120_000)
  // a plot of 1,200 px: the config panel (24rem) and paddings beside it
  await page.setViewportSize({ width: 1_950, height: 1_000 })
  await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  const datasource = await api(page, 'POST', '/api/v1/datasources', {
    name: 'bench metadata',
    host: '127.0.0.1',
    port: server.pgPort,
    database: 'sightline',
    user: 'postgres',
    sslMode: 'disable',
    defaultMaxRows: ROWS,
    maxRowsLimit: ROWS,
    defaultMaxBytes: 512 * 1024 * 1024,
    maxBytesLimit: 512 * 1024 * 1024,
    defaultTimeoutMs: 120_000,
    maxTimeoutMs: 300_000,
  })
  const query = await api(page, 'POST', '/api/v1/queries', {
    name: 'A million points',
    datasourceId: datasource.id,
    sql: SQL,
    params: [],
  })
  await api(page, 'POST', `/api/v1/queries/${query.id}/visualizations`, {
    name: 'Three series',
    kind: 'line',
    config: { x: { column: 'at' }, y: [{ column: 'value' }], seriesBy: 'series' },
  })

  // the schema panel closed: the chart takes the width beside the config panel
  await page.evaluate(() =>
    globalThis.localStorage.setItem('sightline.workbench.schemaOpen', 'false'),
  )
  await page.goto(`${server.baseUrl}/queries/${query.id}`)
  await page.locator('[data-testid="tab-visualizations"]').click()
  await page.locator('[data-testid="viz-editor"]').waitFor()

  const times = []
  const widths = []
  const shapes = []
  let sampled = null
  for (let i = 0; i <= repeats; i++) {
    await page.evaluate(() => {
      const old = globalThis.document.querySelector(
        '[data-testid="viz-preview"] [data-testid="viz-canvas"]',
      )
      const bench = { old, live: false, succeeded: 0, drawn: 0 }
      globalThis.__bench = bench
      const observer = new globalThis.MutationObserver(() => {
        const doc = globalThis.document
        if (!bench.live && doc.querySelector('[data-testid="cancel-run-header"]')) bench.live = true
        if (bench.live && !bench.succeeded && doc.querySelector('[data-testid="run-query"]')) {
          bench.succeeded = globalThis.performance.now()
          observer.disconnect()
          const poll = () => {
            const el = doc.querySelector('[data-testid="viz-preview"] [data-testid="viz-canvas"]')
            const canvas = el && el !== bench.old ? el.querySelector('canvas') : null
            if (canvas && canvas.width > 0 && el.__viz?.chart) {
              const data = canvas
                .getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data
              let differing = 0
              for (let p = 0; p < data.length; p += 4) {
                if (
                  data[p] !== data[0] ||
                  data[p + 1] !== data[1] ||
                  data[p + 2] !== data[2] ||
                  data[p + 3] !== data[3]
                )
                  differing++
              }
              if (differing > canvas.width * canvas.height * 0.02) {
                bench.drawn = globalThis.performance.now()
                bench.width = el.clientWidth
                return
              }
            }
            globalThis.requestAnimationFrame(poll)
          }
          globalThis.requestAnimationFrame(poll)
        }
      })
      observer.observe(globalThis.document.body, { childList: true, subtree: true })
    })
    await page.locator('[data-testid="run-query"]').click()
    await page.waitForFunction(() => globalThis.__bench.drawn > 0, null, {
      timeout: 180_000,
      polling: 100,
    })
    const { ms, width, badge, shape } = await page.evaluate(() => ({
      ms: globalThis.__bench.drawn - globalThis.__bench.succeeded,
      width: globalThis.__bench.width,
      // the shaping request of this drawing: when it left (after succeeded) and how long the server took
      shape: globalThis.performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/series') && e.startTime >= globalThis.__bench.succeeded)
        .map((e) => ({
          sent: e.startTime - globalThis.__bench.succeeded,
          took: e.responseEnd - e.startTime,
          bytes: e.encodedBodySize,
        }))[0],
      badge: globalThis.document.querySelector(
        '[data-testid="viz-preview"] [data-testid="viz-badge-sampled"]',
      )?.textContent,
    }))
    if (i === 0) {
      console.log(`first run (chart chunk loads, JIT cold): ${ms.toFixed(0)} ms`)
      continue
    }
    times.push(ms)
    widths.push(width)
    shapes.push(shape)
    sampled = badge ?? sampled
  }
  console.log(
    `${ROWS.toLocaleString('en-US')} rows, 3 series, line chart ${Math.min(...widths)}–${Math.max(...widths)} px wide: ` +
      `succeeded → chart drawn p50 ${percentile(times, 0.5).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms ` +
      `of ${times.length} (${times.map((t) => t.toFixed(0)).join(', ')}) (budget 1000 ms); badge: ${sampled ?? 'none'}`,
  )
  const known = shapes.filter(Boolean)
  if (known.length > 0) {
    console.log(
      `  of which POST …/series: sent ${percentile(
        known.map((s) => s.sent),
        0.5,
      ).toFixed(0)} ms after succeeded, ` +
        `answered in p50 ${percentile(
          known.map((s) => s.took),
          0.5,
        ).toFixed(0)} ms ` +
        `(${known.map((s) => s.took.toFixed(0)).join(', ')}), ${(known[0].bytes / 1024).toFixed(0)} KiB`,
    )
  }
} finally {
  await browser.close()
  await server.stop()
}
