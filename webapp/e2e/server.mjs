// Starts the real standalone server (api + runner + embedded Postgres in one JVM) for the browser tests.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { repoRoot, targetDir } from './paths.mjs'

export const ADMIN_EMAIL = 'e2e-admin@example.com'
export const ADMIN_PASSWORD = 'e2e-admin-password-0001'

const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000

/** A port nobody listens on right now (the OS picks it). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/**
 * `java -jar standalone/target/sightline.jar` on free ports with a fresh SIGHTLINE_HOME; resolves once
 * /readyz answers 200. The server's output goes to target/e2e-server.log. The demo is off (SIGHTLINE_DEMO=false)
 * unless `env` turns it on: only the demo's own scenario pays for it; so is the runner's JIT warm-up
 * (SIGHTLINE_RUNNER_WARMUP_ROWS=0), which would take cores from the browser. `env` adds to the server's environment, `jvmArgs`
 * to its JVM's options (e.g. a test-only system property).
 */
export async function startServer({ env = {}, jvmArgs = [] } = {}) {
  const jar = join(repoRoot, 'standalone', 'target', 'sightline.jar')
  if (!existsSync(jar)) {
    throw new Error(
      `${jar} is missing: build it first (mvn -DskipTests package), or run mvn verify`,
    )
  }
  const home = mkdtempSync(join(tmpdir(), 'sightline-e2e-'))
  const httpPort = await freePort()
  const pgPort = await freePort()
  const logPath = join(targetDir, 'e2e-server.log')
  const log = createWriteStream(logPath)
  // C1 only and the serial collector, as the JUnit suites' processes: a server here lives a minute or two and serves one
  // browser, and C2's compilations and G1's threads would take the cores the process tests beside it need
  const child = spawn(
    'java',
    ['-Xmx512m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', ...jvmArgs, '-jar', jar],
    {
      cwd: home,
      env: {
        ...process.env,
        SIGHTLINE_HOME: home,
        SIGHTLINE_HTTP_PORT: String(httpPort),
        SIGHTLINE_EMBEDDED_PG_PORT: String(pgPort),
        SIGHTLINE_ADMIN_EMAIL: ADMIN_EMAIL,
        SIGHTLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        SIGHTLINE_DEMO: 'false',
        SIGHTLINE_RUNNER_WARMUP_ROWS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exit = null
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      resolve(exit)
    }),
  )

  const baseUrl = `http://127.0.0.1:${httpPort}`
  const server = {
    baseUrl,
    /** The embedded Postgres (the metadata database `sightline`, user `postgres`, no password). */
    pgPort,
    async stop() {
      if (exit === null) {
        child.kill('SIGTERM')
        const stopped = await Promise.race([exited, sleep(STOP_TIMEOUT_MS, null, { ref: false })])
        if (stopped === null) {
          child.kill('SIGKILL')
          await exited
        }
      }
      log.end()
      rmSync(home, { recursive: true, force: true })
    },
  }

  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exit !== null) {
      await server.stop()
      throw new Error(
        `the server exited (${JSON.stringify(exit)}) before it was ready; see ${logPath}`,
      )
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })
      if (response.status === 200) return server
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  await server.stop()
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logPath}`)
}
