import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 20_000

// Values in the results table exactly as Postgres prints them (issue 11, bug 3): numerics with their scale and in plain
// notation, timestamp and timestamptz in one layout (the latter with its offset), a JSON null apart from SQL NULL, and
// thousands separators as a remembered display choice.
describe('values', () => {
  let session
  let server
  let page
  let datasourceId

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    datasourceId = await createPostgresDatasource(page, server, 'Values')
  })

  after(async () => {
    await session?.close()
  })

  async function runToEnd(sql) {
    let run = await api(page, 'POST', '/api/v1/runs', { datasourceId, sql })
    const deadline = Date.now() + 30_000
    while (!['succeeded', 'failed', 'cancelled', 'timed_out'].includes(run.status)) {
      if (Date.now() > deadline) throw new Error(`run ${run.id} still ${run.status}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      run = await api(page, 'GET', `/api/v1/runs/${run.id}`)
    }
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error))
    return run
  }

  const cells = (row) =>
    page.locator(`.results-body [role="row"][aria-rowindex="${row + 2}"] [role="cell"]`)

  it('shows numerics, timestamps and JSON null exactly, and groups thousands on request', async () => {
    const run = await runToEnd(
      "select -0.000000000000000001::numeric as tiny, n::numeric(24,6) as notional, timestamp '2026-03-08 02:30:00'" +
        " as local_at, timestamptz '2026-03-08 07:30:00Z' as at, 'null'::jsonb as json_null," +
        ` null::jsonb as sql_null, '{"a": 1}'::jsonb as doc` +
        ' from (values (1, 165633142430.8179), (2, 25837.2352)) t(i, n) order by i',
    )
    await page.goto(`${server.baseUrl}/runs/${run.id}`)
    await cells(0).first().waitFor()
    const first = await cells(0).allInnerTexts()
    assert.equal(first[0], '-0.000000000000000001')
    assert.equal(first[1], '165633142430.817900')
    assert.equal(first[2], '2026-03-08 02:30:00')
    assert.match(first[3], /^2026-03-08 \d\d:\d\d:00[+-]\d\d(:\d\d)?$/)
    assert.equal(first[4], 'null')
    assert.equal(first[5], 'NULL')
    assert.equal(first[6], '{"a":1}')
    assert.equal((await cells(1).allInnerTexts())[1], '25837.235200')
    await screenshot(page, 'values-exact')

    await page.locator('[data-testid="thousands-toggle"]').check()
    assert.equal((await cells(0).allInnerTexts())[1], '165,633,142,430.817900')
    await page.reload()
    await cells(0).first().waitFor()
    assert.equal(await page.locator('[data-testid="thousands-toggle"]').isChecked(), true)
    assert.equal((await cells(0).allInnerTexts())[1], '165,633,142,430.817900')
    assert.equal((await cells(1).allInnerTexts())[1], '25,837.235200')
    await screenshot(page, 'values-thousands')
  })
})
