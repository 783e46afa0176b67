// First run as a newcomer has it (issue 18, docs/benchmarks.md "First run"): a fresh clone of this repository with an
// empty Maven repository and an empty npm cache, then `./sightline` — the README's first command, which builds
// Sightline and starts it with the demo — until the ohub demo dashboard is drawn in headless Chromium (every tile: a
// chart canvas, a stat or a table). Then the server is stopped and `./sightline` started again over the same home:
// the later start, until the same dashboard is drawn. Prints one line per phase.
//
//   node bench/first_run.mjs [--warm-only]
//
// --warm-only skips the cold build (uses this checkout's existing jar). The newcomer's steps are timed as they are,
// except that the admin's email and password are given by SIGHTLINE_ADMIN_EMAIL/PASSWORD rather than read from the
// framed block, and the browser signs in by the sign-in page as a person would.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { launchBrowser } from '../webapp/e2e/browser.mjs'
import { repoRoot } from '../webapp/e2e/paths.mjs'
import { freePort } from '../webapp/e2e/server.mjs'
import { signIn } from '../webapp/e2e/workflow.mjs'

const EMAIL = 'first-run@example.com'
const PASSWORD = 'first-run-password-0001'
const warmOnly = process.argv.includes('--warm-only')
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

const work = mkdtempSync(join(tmpdir(), 'sightline-first-run-'))
let checkout = repoRoot
const env = { ...process.env }
if (!warmOnly) {
  checkout = join(work, 'clone')
  execFileSync('git', ['clone', '-q', repoRoot, checkout])
  env.MAVEN_OPTS = `${env.MAVEN_OPTS ?? ''} -Dmaven.repo.local=${join(work, 'm2')}`.trim()
  env.npm_config_cache = join(work, 'npm-cache')
}
const home = join(work, 'home')
const port = await freePort()
Object.assign(env, {
  SIGHTLINE_HOME: home,
  SIGHTLINE_HTTP_PORT: String(port),
  SIGHTLINE_EMBEDDED_PG_PORT: '0',
  SIGHTLINE_ADMIN_EMAIL: EMAIL,
  SIGHTLINE_ADMIN_PASSWORD: PASSWORD,
  SIGHTLINE_DEMO: 'true',
})
const baseUrl = `http://127.0.0.1:${port}`

/** `./sightline` until the ohub dashboard is drawn; answers the phases' times and the running process. */
async function startAndDraw(label) {
  const started = Date.now()
  const marks = {}
  const server = spawn(join(checkout, 'sightline'), [], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const watch = (chunk) => {
    output += chunk
    if (!marks.ready && /ready at http/.test(output)) marks.ready = Date.now() - started
  }
  server.stdout.on('data', watch)
  server.stderr.on('data', watch)
  const exited = new Promise((resolve) => server.on('exit', resolve))
  try {
    await drawn(started, marks, server, () => output)
  } catch (error) {
    server.kill('SIGTERM')
    await exited
    writeFileSync(join(work, `${label}.log`), output)
    throw error
  }
  console.log(
    `[first-run] ${label}: ready line ${seconds(marks.ready)}, demo dashboard drawn ${seconds(marks.drawn)}` +
      ` after ./sightline (load ${loadavg()[0].toFixed(2)})`,
  )
  return { server, exited, output }
}

/** Waits for the ready line, then signs in and waits until every tile of the ohub dashboard is drawn. */
async function drawn(started, marks, server, output) {
  while (!marks.ready) {
    if (server.exitCode !== null) throw new Error(`./sightline exited ${server.exitCode}:\n${output().slice(-3000)}`)
    if (Date.now() - started > 15 * 60_000) throw new Error(`not ready in 15 min:\n${output().slice(-3000)}`)
    await sleep(100)
  }
  const browser = await launchBrowser()
  try {

    const page = await browser.context.newPage()
    page.setDefaultTimeout(120_000)
    await page.setViewportSize({ width: 1440, height: 1000 })
    await signIn(page, baseUrl, EMAIL, PASSWORD)
    // the demo is installed in the background after the ready line: the home page links it once it is there
    await page.locator('[data-testid="home-demo-hint"] a[href="/dashboards/demo-ohub"]').click({ timeout: 120_000 })
    await page.waitForURL(/\/dashboards\/demo-ohub/)
    const tiles = page.locator('[data-testid="dash-tile"]:not([data-state="text"])')
    await tiles.first().waitFor()
    const count = await tiles.count()
    for (let i = 0; i < count; i++) {
      await tiles
        .nth(i)
        .locator('[data-testid="viz-canvas"] canvas, [data-testid="viz-stat"], [data-testid="viz-table"]')
        .first()
        .waitFor()
    }
    marks.drawn = Date.now() - started
  } finally {
    await browser.close()
  }
}

const cold = await startAndDraw(warmOnly ? 'start' : 'cold')
cold.server.kill('SIGTERM')
await cold.exited
if (!warmOnly) {
  const built = cold.output.match(/Built in (\d+) s/)
  if (built) console.log(`[first-run] cold: the build itself took ${built[1]} s`)
}
const warm = await startAndDraw('later start')
warm.server.kill('SIGTERM')
await warm.exited
