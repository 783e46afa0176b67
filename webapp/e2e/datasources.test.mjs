import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { launchBrowser, screenshot } from './browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, freePort, startServer } from './server.mjs'

const TIMEOUT = 15_000

// One scenario in steps that build on each other: the admin connects the server's own metadata
// database (the embedded Postgres) as a datasource, tests it, saves it and browses its schema.
describe('datasources', () => {
  let server
  let browser
  let page
  let editUrl

  before(async () => {
    browser = await launchBrowser()
    server = await startServer()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  // By name: a field's label also holds its inline error once one is shown.
  const field = (name) => page.locator(`[name="${name}"]`)
  const testResult = () => page.locator('[data-test="test-result"]')

  async function pressTest(expected) {
    await page.getByRole('button', { name: 'Test connection' }).click()
    await testResult().filter({ hasText: expected }).waitFor()
    return testResult().innerText()
  }

  it('signs in and shows the empty list with "New datasource"', async () => {
    await page.goto(`${server.baseUrl}/datasources`)
    await page.waitForURL(/\/sign-in\?/)
    await page.getByLabel('Email').fill(ADMIN_EMAIL)
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.waitForURL(`${server.baseUrl}/datasources`)
    await page.locator('[data-test="empty"]').waitFor()
    await screenshot(page, 'datasource-list-empty')
    assert.match(await page.locator('[data-test="empty"]').innerText(), /No datasources yet/)
  })

  it('creates a datasource through the form and tests it: Connected', async () => {
    await page.getByRole('link', { name: 'New datasource' }).click()
    await page.waitForURL(/\/datasources\/new$/)

    await page.getByRole('button', { name: 'Create datasource' }).click()
    await page.locator('#datasource-host-error').waitFor()
    await screenshot(page, 'datasource-form-required')
    assert.equal(await page.locator('#datasource-name-error').innerText(), 'Required.')

    await field('name').fill('Sightline metadata')
    await field('host').fill('127.0.0.1')
    await field('port').fill(String(server.pgPort))
    await field('database').fill('sightline')
    await field('user').fill('postgres')
    await field('sslMode').selectOption('disable')

    const text = await pressTest('Connected')
    await screenshot(page, 'datasource-test-connected')
    assert.match(text, /^Connected — PostgreSQL \d+[\s\S]* in \d+ ms$/)
  })

  it('saves it, confirms it with a link to the first query, and lists it with its address', async () => {
    await page.getByRole('button', { name: 'Create datasource' }).click()
    await page.waitForURL(/\/datasources\?created=[0-9a-f-]{36}$/)
    const created = page.locator('[data-test="created"]')
    await created.waitFor()
    assert.match(await created.innerText(), /“Sightline metadata” is connected\./)
    const id = new URL(page.url()).searchParams.get('created')
    assert.equal(
      await created.getByRole('link', { name: 'Write the first query' }).getAttribute('href'),
      `/queries/new?datasourceId=${id}`,
    )
    const row = page.locator('[data-test="datasource-row"]', { hasText: 'Sightline metadata' })
    await row.waitFor()
    await screenshot(page, 'datasource-list-saved')
    const text = await row.innerText()
    assert.match(text, /read-only/)
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${server.pgPort}/sightline`))
    editUrl = await row.getByRole('link', { name: 'Edit' }).getAttribute('href')
  })

  it('opens its schema and finds the runs table of the metadata schema', async () => {
    const row = page.locator('[data-test="datasource-row"]', { hasText: 'Sightline metadata' })
    await row.getByRole('link', { name: 'Schema' }).click()
    await page.waitForURL(/\/datasources\/[^/]+\/schema$/)

    const runs = page.locator('[data-relation="public.runs"]')
    await runs.waitFor()
    await page.locator('[data-test="refreshed-at"]').waitFor()
    await page.getByLabel('Search tables and columns').fill('runs')
    await runs.locator('li', { hasText: 'status' }).first().waitFor()
    await screenshot(page, 'datasource-schema-runs')
    assert.match(await runs.innerText(), /runs\s*table/)
    assert.match(await runs.innerText(), /\bid\s*uuid not null/)

    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByRole('button', { name: 'Refresh' }).and(page.locator(':enabled')).waitFor()
    assert.ok(await runs.isVisible())
  })

  it('takes byte limits in GiB and keeps them', async () => {
    await page.goto(`${server.baseUrl}${editUrl}`)
    await field('maxBytesLimit').waitFor()
    assert.equal(await field('maxBytesLimit').inputValue(), '512')
    assert.equal(await field('maxBytesLimitUnit').inputValue(), 'MiB')
    await field('maxBytesLimit').fill('2')
    await field('maxBytesLimitUnit').selectOption('GiB')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(`${server.baseUrl}/datasources`)

    await page.goto(`${server.baseUrl}${editUrl}`)
    await field('maxBytesLimit').waitFor()
    assert.equal(await field('maxBytesLimit').inputValue(), '2')
    assert.equal(await field('maxBytesLimitUnit').inputValue(), 'GiB')
    await screenshot(page, 'datasource-form-gib')
  })

  it('shows "connection refused" for a port nobody listens on', async () => {
    await page.goto(`${server.baseUrl}${editUrl}`)
    await field('host').waitFor()
    assert.equal(await field('host').inputValue(), '127.0.0.1')

    await field('port').fill(String(await freePort()))
    const text = await pressTest('Connection refused')
    await screenshot(page, 'datasource-test-refused')
    assert.match(text, /Connection refused by 127\.0\.0\.1:\d+/)
  })
})
