// Screenshots of the pages whose layout matters at common widths, for before/after reviews of layout work.
// Run from a checkout whose jar is built (mvn -DskipTests package):  node bench/layout_shots.mjs <output dir>
// It uses that checkout's e2e helpers (webapp/e2e) and jar, so copying this file into an older checkout and running it
// there gives the "before" set. Not a test: it asserts nothing and is not part of the suite.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

import { api, createPostgresDatasource, openSignedIn, runSql } from '../webapp/e2e/workflow.mjs'

const out = resolve(process.argv[2] ?? 'layout-shots')
mkdirSync(out, { recursive: true })

const FIVE_LINES = [
  'select g as n,',
  "       'feeder-' || (g % 40) as feeder,",
  '       md5(g::text) as hash',
  'from generate_series(1, 300) g',
  'order by g',
].join('\n')

const session = await openSignedIn({ timeout: 30_000, viewport: { width: 1280, height: 800 } })
const { server, page } = session
try {
  const datasourceId = await createPostgresDatasource(page, server, 'Metadata')
  const query = await api(page, 'POST', '/api/v1/queries', {
    name: 'Five lines',
    datasourceId,
    sql: FIVE_LINES,
    params: [],
  })
  // some history for the runs list: a success and a failure with a long message
  await runSql(page, datasourceId, FIVE_LINES)
  await api(page, 'POST', '/api/v1/runs', { datasourceId, sql: 'select * from outages_by_province_per_hour' })

  const shot = async (name) => {
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(out, `${name}.png`) })
  }
  for (const [width, height] of [
    [1280, 800],
    [800, 900],
  ]) {
    await page.setViewportSize({ width, height })
    await page.goto(`${server.baseUrl}/queries/${query.id}`)
    await page.locator('[data-testid="sql-editor"]').waitFor()
    await page.locator('[data-testid="sql-editor"]').click()
    await page.keyboard.press('Control+Enter')
    await page.locator('[data-testid="results-rows"]').waitFor().catch(() => {})
    await shot(`workbench-${width}`)
    await page.goto(`${server.baseUrl}/runs`)
    await page.locator('table, [role="table"], ul').first().waitFor()
    await shot(`runs-${width}`)
    await page.goto(`${server.baseUrl}/datasources`)
    await shot(`datasources-${width}`)
  }
  console.log(`screenshots in ${out}`)
} finally {
  await session.close()
}
