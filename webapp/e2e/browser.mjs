// Debian's Chromium driven by playwright-core (Playwright's own browser downloads are not available here).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { chromium } from 'playwright-core'

import { screenshotDir } from './paths.mjs'

export const CHROMIUM = '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * A headless Chromium with a new, empty profile; `close()` removes the profile. Every page's Content-Security-Policy
 * violations are collected (`cspViolations`), and `close()` fails when the app caused any: the server's policy must
 * hold for everything the suite does (Monaco's workers, charts, Markdown, the event bus).
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    // Never skip: a missing browser must not look like a passing suite.
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it with: apt-get install -y chromium`,
    )
  }
  const profile = mkdtempSync(join(tmpdir(), 'sightline-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  })
  const cspViolations = []
  const watch = (page) =>
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        cspViolations.push(`${page.url()}: ${message.text()}`)
    })
  context.pages().forEach(watch)
  context.on('page', watch)
  return {
    context,
    cspViolations,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
      if (cspViolations.length > 0) {
        throw new Error(`Content-Security-Policy violations:\n${cspViolations.join('\n')}`)
      }
    },
  }
}

export async function screenshot(page, name) {
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
