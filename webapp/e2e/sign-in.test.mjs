import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'

import { launchBrowser, screenshot } from './browser.mjs'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from './server.mjs'
import { signIn } from './workflow.mjs'

const TIMEOUT = 10_000

describe('sign-in', () => {
  let server
  let browser
  let page

  before(async () => {
    // The browser first: a missing Chromium fails at once, before the server's few seconds of start-up.
    browser = await launchBrowser()
    server = await startServer()
  })

  after(async () => {
    try {
      await browser?.close()
    } finally {
      await server?.stop()
    }
  })

  beforeEach(async () => {
    await browser.context.clearCookies()
    for (const open of browser.context.pages()) await open.close()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
  })

  async function fillSignIn(password) {
    await page.getByLabel('Email').fill(ADMIN_EMAIL)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('serves a Content-Security-Policy that blocks an injected inline script, and the suite hears of it', async () => {
    const response = await page.goto(`${server.baseUrl}/sign-in`)
    assert.match(response.headers()['content-security-policy'], /script-src 'self'; /)
    const ran = await page.evaluate(async () => {
      const script = globalThis.document.createElement('script')
      script.textContent = 'window.__injected = true'
      globalThis.document.head.append(script)
      await new Promise((resolve) => setTimeout(resolve, 100))
      return globalThis.__injected === true
    })
    assert.equal(ran, false)
    await page.waitForTimeout(100)
    assert.equal(browser.cspViolations.length, 1, browser.cspViolations.join('\n'))
    assert.match(browser.cspViolations[0], /script-src/)
    browser.cspViolations.length = 0 // expected here; any other violation fails the suite at close
  })

  it('shows the error in words for a wrong password', async () => {
    await page.goto(`${server.baseUrl}/sign-in`)

    await fillSignIn('not-the-password')

    const alert = page.getByRole('alert')
    await alert.waitFor()
    const text = await alert.innerText()
    await screenshot(page, 'sign-in-wrong-password')
    assert.match(text, /Sign-in failed/)
    assert.match(text, /The email or password is incorrect\./)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
  })

  it('signs the admin in and shows the app shell with their email', async () => {
    await page.goto(`${server.baseUrl}/`)
    await page.waitForURL(/\/sign-in$/)

    await fillSignIn(ADMIN_PASSWORD)

    await page.waitForURL(`${server.baseUrl}/`)
    const email = page.locator('[data-test="user-email"]')
    await email.waitFor()
    await screenshot(page, 'sign-in-app-shell')
    assert.equal(await email.innerText(), ADMIN_EMAIL)
    assert.equal(await page.locator('[data-test="user-role"]').textContent(), 'admin')
    assert.ok(await page.getByRole('navigation', { name: 'Main' }).isVisible())
  })

  it('sends a signed-out deep link to sign-in and back to it afterwards', async () => {
    await page.goto(`${server.baseUrl}/runs?status=failed`)

    await page.waitForURL(/\/sign-in\?/)
    assert.equal(new URL(page.url()).searchParams.get('next'), '/runs?status=failed')
    await screenshot(page, 'sign-in-deep-link-redirect')
    await fillSignIn(ADMIN_PASSWORD)

    await page.waitForURL(`${server.baseUrl}/runs?status=failed`)
    await page.locator('[data-test="user-email"]').waitFor()
    await screenshot(page, 'sign-in-deep-link-back')
    assert.equal(await page.title(), 'Runs · Sightline')
  })

  it('signs out everywhere: another browser of the same user lands on sign-in at its next request', async () => {
    // a second Chromium, with its own profile and cookies: another device
    const other = await launchBrowser()
    try {
      const otherPage = await other.context.newPage()
      otherPage.setDefaultTimeout(TIMEOUT)
      await signIn(otherPage, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
      await signIn(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)

      await page.getByRole('button', { name: 'Sign out everywhere…' }).click()
      const confirm = page.locator('[data-test="confirm"]')
      assert.match(await confirm.innerText(), /every device and browser/)
      await screenshot(page, 'sign-out-everywhere-confirm')
      await confirm.getByRole('button', { name: 'Sign out everywhere', exact: true }).click()
      await page.waitForURL(/\/sign-in/)

      await otherPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Runs' })
        .click()
      await otherPage.waitForURL(/\/sign-in\?/)
      assert.equal(new URL(otherPage.url()).searchParams.get('next'), '/runs')
      await otherPage.getByLabel('Email').waitFor()
    } finally {
      await other.close()
    }
  })
})
