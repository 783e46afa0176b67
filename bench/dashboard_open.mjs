// Dashboards in the browser (issue 13), measured in headless Debian Chromium against the real standalone server.
//
//   1. A 20-tile dashboard (line, bar, stat and table tiles, each over its own saved query on the server's embedded
//      Postgres; every result made once before, so all are fresh): from navigation to every tile drawn — a chart's
//      canvas holding drawn pixels, a stat's value text, a table's first data cell. Measured in kiosk mode (every tile
//      loads) and in the normal view (the tiles on the first screen of 1280×800; the rest load as they scroll in):
//      the first visit with an empty browser cache and a cold shaping cache, then p50/max of warm repeats.
//      Budget ≤ 1.5 s, goal 1.0 s. The requests the page makes are counted: POST …/runs (budget: one for the tiles in
//      sight), POST …/series and GET result pages per tile.
//   2. A 100-tile dashboard in the normal view: main-thread long tasks while it opens (a PerformanceObserver
//      'longtask' installed before navigation), then scrolled to the bottom in steps, at each step the chart canvases
//      mounted against the tiles in sight, and the run requests made. Target: no task over 200 ms; charts alive at
//      most those in sight plus the look-ahead margin. For comparison the same dashboard opened in kiosk mode.
//
// Usage (after `mvn -q -DskipTests package`, which builds standalone/target/sightline.jar with the web app):
//   node bench/dashboard_open.mjs [repeats=5] [parts=20,100]
// With DASH_BENCH_PROFILE=1 it also records a CPU profile (CDP Profiler) of one warm kiosk load of the 20 tiles and
// prints where the main thread spent its time (self time by function and by script), and the series requests' waits.
// It reuses the browser e2e harness (webapp/e2e), so playwright-core resolves from webapp/node_modules.
import { execFileSync } from 'node:child_process'

import { CHROMIUM, launchBrowser } from '../webapp/e2e/browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from '../webapp/e2e/server.mjs'
import { api, createPostgresDatasource, signIn } from '../webapp/e2e/workflow.mjs'

const repeats = Number(process.argv[2] ?? 5)
const parts = (process.argv[3] ?? '20,100').split(',')
const VIEWPORT = { width: 1280, height: 800 }
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]
const ms = (x) => `${Math.round(x)} ms`

// ---------------------------------------------------------------------------------------------- what the tiles show

/** The kinds in a cycle of ten tiles: 4 line, 3 bar, 2 stat, 1 table. */
const CYCLE = ['line', 'bar', 'stat', 'line', 'table', 'line', 'bar', 'stat', 'line', 'bar']

/** Each tile its own query (a distinct literal, so no two share a run or a stored result) and visualization. */
function tileQuery(kind, i) {
  switch (kind) {
    case 'line': // 90 days × 3 regions
      return {
        sql: `select date '2026-01-01' + d as day, (array['north', 'south', 'west'])[k] as region,
                     sin(d / 7.0 + k + ${i}) * 50 + 100 + k * 20 as sales
              from generate_series(0, 89) d, generate_series(1, 3) k order by 1, 2`,
        viz: {
          kind: 'line',
          config: { x: { column: 'day' }, y: [{ column: 'sales' }], seriesBy: 'region' },
        },
      }
    case 'bar': // 12 categories
      return {
        sql: `select 'category ' || lpad(c::text, 2, '0') as category, (c * 37 + ${i}) % 100 + 10 as amount
              from generate_series(1, 12) c`,
        viz: {
          kind: 'bar',
          config: { x: { column: 'category', type: 'category' }, y: [{ column: 'amount' }] },
        },
      }
    case 'stat':
      return {
        sql: `select 12345 + ${i} as total`,
        viz: { kind: 'stat', config: { value: { column: 'total' } } },
      }
    default: // 500 orders
      return {
        sql: `select o as order_id, 'customer ' || (o % 97) as customer, (o * 13.7 + ${i})::numeric(10, 2) as amount,
                     timestamptz '2026-01-01 00:00:00+00' + o * interval '1 hour' as placed_at
              from generate_series(1, 500) o`,
        viz: { kind: 'table', config: {} },
      }
  }
}

/** A dashboard of n tiles, `perRow` to a row of the 24-column grid, each `h` rows high; answers it with its kinds. */
async function buildDashboard(page, datasourceId, name, n, perRow, h) {
  const w = 24 / perRow
  const tiles = []
  const kinds = {}
  for (let i = 0; i < n; i++) {
    const kind = CYCLE[i % CYCLE.length]
    const { sql, viz } = tileQuery(kind, i)
    const query = await api(page, 'POST', '/api/v1/queries', {
      name: `${name} ${i + 1} (${kind})`,
      datasourceId,
      sql,
      params: [],
    })
    const saved = await api(page, 'POST', `/api/v1/queries/${query.id}/visualizations`, {
      name: `${kind} ${i + 1}`,
      ...viz,
    })
    tiles.push({
      kind: 'viz',
      visualizationId: saved.id,
      x: (i % perRow) * w,
      y: Math.floor(i / perRow) * h,
      w,
      h,
    })
  }
  const dashboard = await api(page, 'POST', '/api/v1/dashboards', { name, tiles })
  for (const tile of dashboard.tiles) kinds[tile.id] = tile.visualization.kind
  return { dashboard, kinds }
}

/** Runs every tile once (the results the page will find fresh) and waits until all succeeded. */
async function makeFresh(page, dashboard) {
  const deadline = Date.now() + 180_000
  for (;;) {
    const answer = await api(page, 'POST', `/api/v1/dashboards/${dashboard.id}/runs`, {
      params: {},
    })
    const bad = answer.tiles.filter((t) => t.status === 'error')
    if (bad.length > 0) throw new Error(`tiles cannot run: ${JSON.stringify(bad[0])}`)
    if (answer.tiles.every((t) => t.status === 'succeeded')) return
    if (Date.now() > deadline) throw new Error('the tiles did not all succeed in 180 s')
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

// ---------------------------------------------------------------------------------------------- in the page

/**
 * Installed before every navigation: records long tasks, and from the first frame on polls each tile until it is
 * drawn (`__bench.drawn[tileId]` = performance.now()): a chart when its canvas, scaled down to a thumbnail, has more
 * than 2 % of its pixels unlike the corner; a stat when its value has text; a table when its first data cell exists.
 * Checks are cheap (one 64×40 thumbnail per pending chart per frame) so they barely compete with the page.
 */
function instrument() {
  const bench = { long: [], drawn: {} }
  globalThis.__bench = bench
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        bench.long.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    bench.long = null
  }
  let thumb = null
  const hasPixels = (canvas) => {
    if (canvas.width === 0 || canvas.height === 0) return false
    thumb ??= document.createElement('canvas')
    thumb.width = 64
    thumb.height = 40
    const ctx = thumb.getContext('2d', { willReadFrequently: true })
    ctx.clearRect(0, 0, 64, 40)
    ctx.drawImage(canvas, 0, 0, 64, 40)
    const data = ctx.getImageData(0, 0, 64, 40).data
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
    return differing > 64 * 40 * 0.02
  }
  const poll = () => {
    for (const tile of document.querySelectorAll('[data-testid="dash-tile"][data-tile-id]')) {
      const id = tile.getAttribute('data-tile-id')
      if (bench.drawn[id]) continue
      const stat = tile.querySelector('[data-testid="stat-value"]')
      const cell = tile.querySelector(
        '[data-testid="viz-table"] [role="cell"]:not(.results-td-pending)',
      )
      const canvas = tile.querySelector('[data-testid="viz-canvas"] canvas')
      if ((stat && stat.textContent.trim() !== '') || cell || (canvas && hasPixels(canvas)))
        bench.drawn[id] = performance.now()
    }
    requestAnimationFrame(poll)
  }
  requestAnimationFrame(poll)
}

/** The page's API requests by kind, from the moment `start()` is called. */
function requestLog(page) {
  let log = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (!url.pathname.startsWith('/api/')) return
    const method = request.method()
    let kind = 'other'
    if (method === 'POST' && /^\/api\/v1\/dashboards\/[^/]+\/runs$/.test(url.pathname))
      kind = 'runs'
    else if (method === 'POST' && /^\/api\/v1\/results\/[^/]+\/series$/.test(url.pathname))
      kind = 'series'
    else if (method === 'GET' && /^\/api\/v1\/results\/[^/.]+$/.test(url.pathname)) kind = 'page'
    else if (method === 'GET' && /^\/api\/v1\/runs\/[^/]+$/.test(url.pathname)) kind = 'run'
    else if (method === 'GET' && /^\/api\/v1\/dashboards\/[^/]+$/.test(url.pathname))
      kind = 'dashboard'
    let tileIds = null
    if (kind === 'runs') {
      try {
        tileIds = JSON.parse(request.postData() ?? '{}').tileIds?.length ?? 'all'
      } catch {
        tileIds = '?'
      }
    }
    log.push({ kind, method, path: url.pathname, tileIds })
  })
  return {
    start() {
      log = []
    },
    take() {
      const taken = log
      log = []
      return taken
    },
  }
}

const count = (log, kind) => log.filter((r) => r.kind === kind).length

/**
 * Navigates to the dashboard and waits until the tiles that should draw did: all of them (kiosk) or those in the
 * viewport. Answers the time to the last of them, the tiles waited for, and the requests made (after a quiet second).
 */
async function open(page, requests, url, { all, tileCount }) {
  requests.start()
  await page.goto(url)
  await page
    .waitForFunction(
      ([all, tileCount]) => {
        const tiles = document.querySelectorAll('[data-testid="dash-tile"][data-tile-id]')
        if (tiles.length !== tileCount) return false
        const wanted = []
        for (const tile of tiles) {
          const r = tile.getBoundingClientRect()
          if (all || (r.bottom > 0 && r.top < innerHeight))
            wanted.push(tile.getAttribute('data-tile-id'))
        }
        return wanted.length > 0 && wanted.every((id) => globalThis.__bench.drawn[id])
      },
      [all, tileCount],
      { timeout: 60_000, polling: 50 },
    )
    .catch(async (error) => {
      const state = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="dash-tile"]')].map((t) => ({
          id: t.getAttribute('data-tile-id'),
          state: t.getAttribute('data-state'),
          drawn: globalThis.__bench.drawn[t.getAttribute('data-tile-id')] ?? null,
          html: t.querySelector('.dash-tile-body')?.innerHTML.slice(0, 300),
        })),
      )
      console.error(JSON.stringify(state, null, 1))
      throw error
    })
  const { drawnAt, waited, timeline } = await page.evaluate((all) => {
    const ids = []
    for (const tile of document.querySelectorAll('[data-testid="dash-tile"][data-tile-id]')) {
      const r = tile.getBoundingClientRect()
      if (all || (r.bottom > 0 && r.top < innerHeight)) ids.push(tile.getAttribute('data-tile-id'))
    }
    // where the time went: the API calls and scripts of this navigation, by their resource timing
    const entries = performance.getEntriesByType('resource')
    const span = (test) => {
      const hits = entries.filter((e) => test(new URL(e.name).pathname))
      if (hits.length === 0) return '—'
      const from = Math.min(...hits.map((e) => e.startTime))
      const to = Math.max(...hits.map((e) => e.responseEnd))
      return `${Math.round(from)}–${Math.round(to)}${hits.length > 1 ? ` (×${hits.length})` : ''}`
    }
    const drawn = ids.map((id) => globalThis.__bench.drawn[id])
    // the shaping requests: how long each waited for a connection (the browser's six per host) and for its answer
    const series = entries.filter((e) => e.name.endsWith('/series'))
    const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0
    const waitedFor = series.map((e) => e.requestStart - e.startTime)
    const answered = series.map((e) => e.responseStart - e.requestStart)
    const timeline =
      `scripts ${span((p) => p.endsWith('.js'))}, GET dashboard ${span((p) => /^\/api\/v1\/dashboards\/[^/]+$/.test(p))}, ` +
      `POST runs ${span((p) => p.endsWith('/runs'))}, POST series ${span((p) => p.endsWith('/series'))}, ` +
      `GET pages ${span((p) => /^\/api\/v1\/results\/[^/.]+$/.test(p))}, ` +
      `tiles drawn ${Math.round(Math.min(...drawn))}–${Math.round(Math.max(...drawn))} ms; ` +
      `series waited for a connection p50 ${Math.round(mid(waitedFor))} max ${Math.round(Math.max(0, ...waitedFor))} ms, ` +
      `server answered p50 ${Math.round(mid(answered))} max ${Math.round(Math.max(0, ...answered))} ms`
    const kinds = {}
    for (const id of ids) {
      const kind =
        document
          .querySelector(`[data-tile-id="${id}"] [data-testid="viz-view"]`)
          ?.className.match(/viz-view-(\w+)/)?.[1] ?? '?'
      kinds[kind] = Math.max(kinds[kind] ?? 0, globalThis.__bench.drawn[id])
    }
    const lastByKind = Object.entries(kinds)
      .map(([k, t]) => `${k} ${Math.round(t)}`)
      .join(', ')
    return {
      drawnAt: Math.max(...drawn),
      waited: ids,
      timeline: `${timeline}; last drawn by kind: ${lastByKind} ms`,
    }
  }, all)
  await page.waitForTimeout(1_000)
  const log = requests.take()
  const long = await page.evaluate(() => globalThis.__bench.long)
  return { drawnAt, waited, log, long, timeline }
}

async function newPage(browser) {
  const page = await browser.context.newPage()
  page.setDefaultTimeout(60_000)
  await page.setViewportSize(VIEWPORT)
  await page.addInitScript(instrument)
  return page
}

function describeRequests(log, kinds, waited) {
  const kindsWaited = waited.map((id) => kinds[id])
  const runs = log.filter((r) => r.kind === 'runs')
  const other = log.filter((r) => r.kind === 'other').map((r) => `${r.method} ${r.path}`)
  return (
    `POST …/runs ×${runs.length} (tiles asked for: ${runs.map((r) => r.tileIds).join(', ') || '—'}); ` +
    `POST …/series ×${count(log, 'series')} for ${kindsWaited.length} tiles drawn ` +
    `(${['line', 'bar', 'stat', 'table'].map((k) => `${kindsWaited.filter((x) => x === k).length} ${k}`).join(', ')}); ` +
    `GET result pages ×${count(log, 'page')}; GET runs ×${count(log, 'run')}; GET dashboard ×${count(log, 'dashboard')}` +
    (other.length ? `; other: ${[...new Set(other)].join(', ')}` : '')
  )
}

function longTaskSummary(long) {
  if (long === null) return 'long tasks: not observable in this browser'
  const longest = long.reduce((m, t) => Math.max(m, t.duration), 0)
  return (
    `long tasks: ${long.length} over 50 ms, longest ${ms(longest)}, over 200 ms: ${long.filter((t) => t.duration > 200).length}` +
    (long.length ? ` (${long.map((t) => `${ms(t.duration)} at ${ms(t.start)}`).join(', ')})` : '')
  )
}

/** One warm load under the CDP sampling profiler: self time by function and by script, and the series' waits. */
async function profileLoad(page, requests, url, tileCount) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  const r = await open(page, requests, url, { all: true, tileCount })
  const { profile } = await cdp.send('Profiler.stop')
  await cdp.detach()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const frame = (n) =>
    `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`
  const chains = new Map()
  const self = new Map()
  const byScript = new Map()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    const f = node.callFrame
    const script = f.url ? f.url.replace(/^.*\//, '') : `(${f.functionName || 'native'})`
    const key = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + dt)
    byScript.set(script, (byScript.get(script) ?? 0) + dt)
    if (f.url) {
      const chain = []
      for (let at = id; at !== undefined && chain.length < 6; at = parent.get(at))
        chain.push(frame(byId.get(at)))
      const k = chain.join(' < ')
      chains.set(k, (chains.get(k) ?? 0) + dt)
    }
  })
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${ms(v).padStart(7)}  ${k}`)
      .join('\n')
  const waits = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/series'))
      .map((e) => [e.startTime, e.requestStart, e.responseStart, e.responseEnd].map(Math.round)),
  )
  console.log(
    `profile of one warm kiosk load (${ms(r.drawnAt)}):\n  self time by script:\n${top(byScript, 10)}` +
      `\n  self time by function:\n${top(self, 25)}` +
      `\n  heaviest stacks (self < callers):\n${top(chains, 8)}` +
      `\n  series requests [queued, sent, first byte, done] ms: ${waits.map((w) => w.join('/')).join(' ')}`,
  )
}

// ---------------------------------------------------------------------------------------------- the run

const server = await startServer()
const browser = await launchBrowser()
try {
  const setup = await newPage(browser)
  await signIn(setup, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  const datasourceId = await createPostgresDatasource(setup, server, 'bench metadata')
  const twenty = await buildDashboard(setup, datasourceId, 'Twenty tiles', 20, 3, 6)
  await makeFresh(setup, twenty.dashboard)
  const hundred = parts.includes('100')
    ? await buildDashboard(setup, datasourceId, 'A hundred tiles', 100, 4, 5)
    : null
  if (hundred) await makeFresh(setup, hundred.dashboard)
  await setup.close()
  console.log(
    `${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()} headless, viewport ${VIEWPORT.width}×${VIEWPORT.height}; ` +
      `20 tiles: ${Object.values(twenty.kinds).join(' ')}`,
  )

  const url20 = `${server.baseUrl}/dashboards/${twenty.dashboard.slug}`
  const kiosk20 = `${url20}?kiosk`

  // ---- 1. cold: a fresh browser profile (only the sign-in page seen), shaping cache never asked for these results
  for (const [label, url, all] of [
    ['kiosk, every tile', kiosk20, true],
    ['normal view, first screen', url20, false],
  ]) {
    const fresh = await launchBrowser()
    try {
      const page = await newPage(fresh)
      const requests = requestLog(page)
      await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
      const r = await open(page, requests, url, { all, tileCount: 20 })
      console.log(
        `20 tiles, first visit (empty cache), ${label}: ${r.waited.length} tiles drawn at ${ms(r.drawnAt)} ` +
          `after navigation (budget 1500 ms, goal 1000 ms)\n  requests: ${describeRequests(r.log, twenty.kinds, r.waited)}` +
          `\n  ${longTaskSummary(r.long)}\n  timeline: ${r.timeline}`,
      )
    } finally {
      await fresh.close()
    }
  }

  // ---- 1. warm: the same page navigated again
  const page = await newPage(browser)
  const requests = requestLog(page)
  await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  for (const [label, url, all] of [
    ['kiosk, every tile', kiosk20, true],
    ['normal view, first screen', url20, false],
  ]) {
    await open(page, requests, url, { all, tileCount: 20 }) // warms this mode's chunks
    const times = []
    let last = null
    let worstLong = 0
    for (let i = 0; i < repeats; i++) {
      last = await open(page, requests, url, { all, tileCount: 20 })
      times.push(last.drawnAt)
      worstLong = Math.max(worstLong, ...last.long.map((t) => t.duration))
    }
    console.log(
      `20 tiles, warm, ${label}: ${last.waited.length} tiles drawn p50 ${ms(percentile(times, 0.5))}, ` +
        `max ${ms(Math.max(...times))} of ${repeats} (${times.map((t) => Math.round(t)).join(', ')}) ` +
        `(budget 1500 ms, goal 1000 ms); longest task ${ms(worstLong)}` +
        `\n  requests (last repeat): ${describeRequests(last.log, twenty.kinds, last.waited)}` +
        `\n  timeline (last repeat): ${last.timeline}`,
    )
  }

  if (process.env.DASH_BENCH_PROFILE) await profileLoad(page, requests, kiosk20, 20)

  // ---- 2. a hundred tiles: open, then scroll to the bottom in steps
  if (hundred) {
    const url100 = `${server.baseUrl}/dashboards/${hundred.dashboard.slug}`
    await open(page, requests, url100, { all: false, tileCount: 100 }) // chunks and shaping warm
    const opened = await open(page, requests, url100, { all: false, tileCount: 100 })
    console.log(
      `100 tiles, normal view: first screen (${opened.waited.length} tiles) drawn at ${ms(opened.drawnAt)}; ` +
        `${longTaskSummary(opened.long)}\n  requests: ${describeRequests(opened.log, hundred.kinds, opened.waited)}`,
    )
    const steps = []
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2)
    const longBefore = opened.long.length
    for (let step = 1; step <= 60; step++) {
      await page.mouse.wheel(0, 600)
      // until the tiles in the viewport drew (or 5 s)
      await page
        .waitForFunction(
          () => {
            const ids = []
            for (const tile of document.querySelectorAll(
              '[data-testid="dash-tile"][data-tile-id]',
            )) {
              const r = tile.getBoundingClientRect()
              if (r.bottom > 0 && r.top < innerHeight) ids.push(tile.getAttribute('data-tile-id'))
            }
            return ids.every((id) => globalThis.__bench.drawn[id])
          },
          null,
          { timeout: 5_000, polling: 50 },
        )
        .catch(() => {})
      await page.waitForTimeout(300)
      const state = await page.evaluate(() => {
        /** Tiles at least partly inside the viewport (grown by `margin` px). */
        const sight = (margin) =>
          [...document.querySelectorAll('[data-testid="dash-tile"][data-tile-id]')].filter(
            (tile) => {
              const r = tile.getBoundingClientRect()
              return r.bottom > -margin && r.top < innerHeight + margin
            },
          )
        return {
          scrollY: Math.round(scrollY),
          bottom: Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 2,
          visible: sight(0).length,
          nearby: sight(200).length,
          charts: document.querySelectorAll('[data-testid="dash-grid"] [data-testid="viz-canvas"]')
            .length,
          canvases: document.querySelectorAll('[data-testid="dash-grid"] canvas').length,
          vizViews: document.querySelectorAll('[data-testid="dash-grid"] [data-testid="viz-view"]')
            .length,
        }
      })
      const log = requests.take()
      steps.push({
        step,
        ...state,
        runs: log.filter((r) => r.kind === 'runs').map((r) => r.tileIds),
        log,
      })
      if (state.bottom) break
    }
    const allLong = await page.evaluate(() => globalThis.__bench.long)
    const scrollLong = allLong.slice(longBefore)
    console.log(
      '100 tiles, scrolled 600 px a step (viewport 800 px; tiles in sight, within 200 px, viz views mounted, ' +
        'chart canvases, run requests with their tile counts):',
    )
    for (const s of steps) {
      console.log(
        `  step ${String(s.step).padStart(2)} y=${String(s.scrollY).padStart(5)}: in sight ${s.visible}, ` +
          `near ${s.nearby}, viz views ${s.vizViews}, chart canvases ${s.charts} (${s.canvases} <canvas>), ` +
          `POST …/runs ${s.runs.length ? s.runs.join('+') + ' tiles' : '—'}, series ×${count(s.log, 'series')}`,
      )
    }
    const runRequests = steps.flatMap((s) => s.runs)
    console.log(
      `  while scrolling: ${runRequests.length} run requests for ${runRequests.reduce((a, b) => a + b, 0)} tiles; ` +
        `most chart canvases at once ${Math.max(...steps.map((s) => s.charts))} ` +
        `(most tiles near sight ${Math.max(...steps.map((s) => s.nearby))}); ${longTaskSummary(scrollLong)}`,
    )

    // the same hundred tiles on a wall screen: every chart mounted
    const wall = await open(page, requests, `${url100}?kiosk`, { all: true, tileCount: 100 })
    console.log(
      `100 tiles, kiosk (every tile loaded and mounted): all drawn at ${ms(wall.drawnAt)}; ${longTaskSummary(wall.long)}` +
        `\n  requests: ${describeRequests(wall.log, hundred.kinds, wall.waited)}`,
    )
  }
} finally {
  await browser.close()
  await server.stop()
}
