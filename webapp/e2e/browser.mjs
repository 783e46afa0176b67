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

/** A headless Chromium with a new, empty profile; `close()` removes the profile. */
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
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export async function screenshot(page, name) {
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
