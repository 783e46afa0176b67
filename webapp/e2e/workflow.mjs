// Steps several browser scenarios share. Set-up that is not under test goes through the API from inside the page
// (same session cookie and CSRF token as the app), so each scenario exercises only the UI it is about.
import { launchBrowser } from './browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from './server.mjs'

/**
 * What most scenarios start from: a fresh server, a browser and a page signed in as the first admin (optionally at a
 * viewport size; `env` adds to the server's environment, `jvmArgs` to its JVM options). `close()` ends both; a failure while opening leaves nothing
 * running.
 */
export async function openSignedIn({ timeout = 20_000, viewport, env, jvmArgs } = {}) {
  const browser = await launchBrowser()
  let server
  try {
    server = await startServer({ env, jvmArgs })
    const page = await browser.context.newPage()
    page.setDefaultTimeout(timeout)
    if (viewport) await page.setViewportSize(viewport)
    await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    return {
      browser,
      server,
      page,
      async close() {
        try {
          await browser.close()
        } finally {
          await server.stop()
        }
      },
    }
  } catch (error) {
    await browser.close()
    await server?.stop()
    throw error
  }
}

/** Signs in through the sign-in page and waits for the app shell. */
export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

/** A JSON API call made by the page itself; throws with the problem text on a non-2xx answer. */
export async function api(page, method, path, body) {
  const answer = await page.evaluate(
    async ({ method, path, body }) => {
      const token = globalThis.document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/)?.[1]
      const response = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(token ? { 'X-XSRF-TOKEN': decodeURIComponent(token) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, text: await response.text() }
    },
    { method, path, body },
  )
  if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status}: ${answer.text}`)
  return answer.text ? JSON.parse(answer.text) : undefined
}

/** The server's own embedded Postgres (database `sightline`) as a datasource; answers its id. */
export async function createPostgresDatasource(page, server, name) {
  const created = await api(page, 'POST', '/api/v1/datasources', {
    name,
    host: '127.0.0.1',
    port: server.pgPort,
    database: 'sightline',
    user: 'postgres',
    sslMode: 'disable',
  })
  return created.id
}

const TERMINAL = ['succeeded', 'failed', 'cancelled', 'timed_out']

/** Runs ad-hoc SQL through the API and answers the first page of its rows (for checks outside the UI). */
export async function runSql(page, datasourceId, sql) {
  let run = await api(page, 'POST', '/api/v1/runs', { datasourceId, sql })
  const deadline = Date.now() + 30_000
  while (!TERMINAL.includes(run.status)) {
    if (Date.now() > deadline) throw new Error(`run ${run.id} still ${run.status} after 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    run = await api(page, 'GET', `/api/v1/runs/${run.id}`)
  }
  if (run.status !== 'succeeded')
    throw new Error(`${sql} → ${run.status}: ${JSON.stringify(run.error)}`)
  return (await api(page, 'GET', `/api/v1/results/${run.resultId}`)).rows
}

/** Replaces the workbench editor's text (Monaco): select all, then insert as one edit (no auto-closing). */
export async function setSql(page, sql) {
  const editor = page.locator('[data-testid="sql-editor"][data-engine="monaco"] .monaco-editor')
  await editor.waitFor()
  await editor.locator('.view-lines').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.insertText(sql)
}
