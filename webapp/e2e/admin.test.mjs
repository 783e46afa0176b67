import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 15_000
const VIEWER_EMAIL = 'night-shift@example.com'

// Admin pages: invite a member (one-time password shown once, changed at first sign-in), API keys (secret shown
// once, works as a bearer token, revoked at once), and what a viewer sees of the admin area.
describe('admin', () => {
  let session
  let server
  let page
  let oneTimePassword
  let queryId

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
  })

  after(async () => {
    await session?.close()
  })

  const bearer = (key) =>
    fetch(`${server.baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${key}` } })

  it('invites a viewer and shows the one-time password once', async () => {
    await page.goto(`${server.baseUrl}/admin`)
    await page.waitForURL(/\/admin\/users$/)
    await page.getByRole('button', { name: 'Invite member' }).click()
    await page.getByLabel('Email', { exact: true }).fill(VIEWER_EMAIL)
    await page.getByLabel('Role', { exact: true }).selectOption('viewer')
    await page.getByRole('button', { name: 'Invite', exact: true }).click()

    const secret = page.locator('[data-test="secret-value"]')
    await secret.waitFor()
    oneTimePassword = (await secret.inputValue()).trim()
    assert.ok(oneTimePassword.length >= 12, 'a one-time password of some length')
    await screenshot(page, 'admin-invite-one-time-password')
    await page.getByRole('button', { name: 'Done, I have copied it' }).click()
    assert.equal(await secret.count(), 0)
    assert.equal(
      await page.evaluate(
        (text) => globalThis.document.body.innerHTML.includes(text),
        oneTimePassword,
      ),
      false,
      'gone from the page',
    )
    const row = page.locator('tr', { hasText: VIEWER_EMAIL })
    await row.waitFor()
    assert.match(await row.innerText(), /one-time password/i)
  })

  it('creates an API key shown once, which works until it is revoked', async () => {
    await page.goto(`${server.baseUrl}/admin/api-keys`)
    await page.getByLabel('Name', { exact: true }).fill('cron export')
    await page.getByRole('button', { name: 'Create key' }).click()
    const secret = page.locator('[data-test="secret-value"]')
    await secret.waitFor()
    const key = (await secret.inputValue()).trim()
    await screenshot(page, 'admin-api-key-created')
    assert.equal((await bearer(key)).status, 200)
    // 90 days unless chosen otherwise: the list says when
    const expires = page
      .locator('[data-test="api-key-row"]', { hasText: 'cron export' })
      .locator('[data-test="expires"] time')
    const days = (Date.parse(await expires.getAttribute('datetime')) - Date.now()) / 86_400_000
    assert.ok(days > 89.9 && days <= 90, `expires in ${days} days`)

    await page.getByRole('button', { name: 'Done, I have copied it' }).click()
    assert.equal(
      await page.evaluate((text) => globalThis.document.body.innerHTML.includes(text), key),
      false,
      'the secret is not shown again',
    )
    await page.getByRole('button', { name: 'Revoke cron export' }).click()
    await page.getByRole('button', { name: 'Revoke key' }).click()
    await page.locator('[data-test="api-key-row"]', { hasText: 'cron export' }).waitFor({
      state: 'detached',
    })
    assert.equal((await bearer(key)).status, 401)
  })

  it('makes the new member change the one-time password, and shows a viewer no user admin', async () => {
    // something for the viewer to run later: a saved query with a parameter
    const datasourceId = await createPostgresDatasource(page, server, 'Ops metadata')
    queryId = (
      await api(page, 'POST', '/api/v1/queries', {
        name: 'Counting',
        datasourceId,
        sql: 'select g from generate_series(1, {{n}}) g',
        params: [{ name: 'n', type: 'integer', required: true, default: 3, min: 1, max: 100 }],
      })
    ).id
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL(/\/sign-in/)
    await page.getByLabel('Email').fill(VIEWER_EMAIL)
    await page.getByLabel('Password').fill(oneTimePassword)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/change-password/)
    await page.getByLabel('Current password').fill(oneTimePassword)
    await page.getByLabel('New password', { exact: true }).fill('night-shift-password-0001')
    await page.getByLabel('Confirm new password').fill('night-shift-password-0001')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/change-password'))

    await page.goto(`${server.baseUrl}/admin/users`)
    const refused = page.locator('[data-test="not-admin"]')
    await refused.waitFor()
    assert.match(await refused.innerText(), /Only admins can manage users/)
    await screenshot(page, 'admin-viewer-refused')
  })

  it('lets the viewer run a saved query with their own values, but not edit or save it', async () => {
    await page.goto(`${server.baseUrl}/queries/${queryId}?p.n=5`)
    await page.locator('[data-testid="sql-editor"][data-engine="monaco"]').waitFor()
    assert.equal(await page.locator('[data-testid="save-query"]').count(), 0)
    assert.equal(await page.locator('[name="param-n"]').inputValue(), '5')
    await page.locator('[data-testid="run-query"]').click()
    await page
      .locator('[data-testid="run-state"] [data-testid="run-status"]')
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    await page.locator('[data-testid="results-rows"]').filter({ hasText: '5 rows' }).waitFor()
    // the editor does not take typing
    await page.locator('[data-testid="sql-editor"] .view-lines').click()
    await page.keyboard.type('drop table x; ')
    assert.doesNotMatch(
      await page.locator('[data-testid="sql-editor"] .view-lines').innerText(),
      /drop/,
    )
    await screenshot(page, 'query-viewer-runs-saved')
  })
})
