import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is webapp/e2e/paths.mjs). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
/** standalone/target: next to the jar under test; screenshots and the server log go here. */
export const targetDir = fileURLToPath(new URL('../../standalone/target/', import.meta.url))
export const screenshotDir = fileURLToPath(
  new URL('../../standalone/target/e2e-screenshots/', import.meta.url),
)

mkdirSync(screenshotDir, { recursive: true })
