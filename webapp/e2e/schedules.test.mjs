import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn } from './workflow.mjs'

const TIMEOUT = 30_000
/** A 1-minute interval fires on the minute: the first slot is at most a minute away, plus the run. */
const SLOT_TIMEOUT = 100_000

// Schedules (issue 14) end to end against the real server and its runner: a schedule made in the query workbench's
// Schedule panel (preview, a cron error on its field, a parameter widget) fires on its first real 1-minute slot —
// the firing and its run show in the schedule's history, and it pauses; a dashboard open in another page updates by
// push when its own scheduled refresh (the dashboard's defaults) lands; a schedule whose query was archived shows
// broken with the reason on its page, in the Schedules list filtered by state, and in the home banner.
describe('schedules', () => {
  let session
  let server
  let page
  let datasourceId
  let query
  let dashboard
  let querySchedule

  function psql(sql) {
    return execFileSync(
      'psql',
      ['-h', '127.0.0.1', '-p', String(server.pgPort), '-U', 'postgres', '-d', 'sightline'].concat([
        '-v',
        'ON_ERROR_STOP=1',
        '-X',
        '-q',
        '-At',
        '-c',
        sql,
      ]),
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: '' } },
    ).trim()
  }

  const count = (kind) =>
    Number(psql(`select count(*) from sched_e2e.events where kind = '${kind}'`))

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT, viewport: { width: 1280, height: 1500 } })
    ;({ server, page } = session)
    psql(`
      drop schema if exists sched_e2e cascade;
      create schema sched_e2e;
      create table sched_e2e.events (kind text);
      insert into sched_e2e.events select case when i % 3 = 0 then 'b' else 'a' end from generate_series(1, 10) i;
    `)
    datasourceId = await createPostgresDatasource(page, server, 'Schedules e2e')
    const kindParam = { name: 'kind', type: 'enum', options: ['a', 'b'], default: 'a' }
    query = await api(page, 'POST', '/api/v1/queries', {
      name: 'Events of a kind',
      datasourceId,
      sql: 'select count(*)::int as total from sched_e2e.events where kind = {{kind}}',
      params: [kindParam],
    })
    const kpi = await api(page, 'POST', `/api/v1/queries/${query.id}/visualizations`, {
      name: 'Events',
      kind: 'stat',
      config: { value: { column: 'total' } },
    })
    dashboard = await api(page, 'POST', '/api/v1/dashboards', {
      name: 'Scheduled events',
      params: [kindParam],
      tiles: [
        {
          kind: 'viz',
          visualizationId: kpi.id,
          x: 0,
          y: 0,
          w: 8,
          h: 4,
          bindings: { kind: { from: 'dashboard', param: 'kind' } },
        },
      ],
    })
  })

  after(async () => {
    await session?.close()
  })

  it('creates a 1-minute schedule in the workbench panel: reading, next firings, a cron error on its field', async () => {
    await page.goto(`${server.baseUrl}/queries/${query.id}`)
    await page.locator('[data-testid="tab-schedules"]').click()
    const panel = page.locator('[data-testid="schedule-panel"]')
    await panel.getByText('Not scheduled.').waitFor()
    await panel.locator('[data-testid="schedule-new"]').click()
    const form = panel.locator('[data-testid="schedule-form"]')

    // a cron the server refuses: its message on the cron field, from the preview, before any save
    await form.locator('[data-testid="schedule-kind-cron"]').check()
    await form.locator('[data-testid="schedule-cron"]').fill('61 * * * *')
    await form.locator('.base-form-field-error', { hasText: /cron/i }).waitFor()
    assert.equal(
      await form.locator('[data-testid="schedule-cron"]').getAttribute('aria-invalid'),
      'true',
    )

    await form.locator('[data-testid="schedule-kind-interval"]').check()
    await form.locator('[data-testid="schedule-every"]').fill('1')
    await form.locator('[data-testid="schedule-every-unit"]').selectOption('60')
    await form.locator('[data-testid="schedule-name"]').fill('Kind b every minute')
    // the dashboard refreshes kind a: this schedule's runs must not be what updates it
    await form.locator('[data-param="kind"] select').selectOption('b')
    await form.locator('[data-testid="schedule-reading"]', { hasText: /minute/ }).waitFor()
    assert.equal(await form.locator('[data-testid="schedule-preview"] li').count(), 5)
    // the zone defaults to the org's
    const me = await api(page, 'GET', '/api/v1/me')
    assert.equal(
      await form.locator('[data-testid="schedule-timezone"]').inputValue(),
      me.org.timezone,
    )
    await screenshot(page, 'schedule-panel')

    await form.locator('[data-testid="schedule-save"]').click()
    const item = panel.locator('[data-testid="schedule-item"]')
    await item.waitFor()
    assert.equal(
      await item.locator('[data-testid="schedule-health"]').getAttribute('data-state'),
      'ok',
    )
    querySchedule = await item.getAttribute('data-schedule-id')
    const saved = await api(page, 'GET', `/api/v1/schedules/${querySchedule}`)
    assert.deepEqual(
      [saved.kind, saved.everySeconds, saved.params, saved.timezone],
      ['interval', 60, { kind: 'b' }, me.org.timezone],
    )
    // the health beside the title
    await page.locator('[data-testid="target-schedule-health"]', { hasText: 'ok' }).waitFor()
  })

  it('updates a dashboard open in another page when its scheduled refresh lands (push, defaults)', async () => {
    const other = await session.browser.context.newPage()
    try {
      await other.goto(`${server.baseUrl}/dashboards/${dashboard.slug}`)
      const stat = other.locator('[data-testid="stat-value"]')
      await other.waitForFunction(
        (n) =>
          globalThis.document
            .querySelector('[data-testid="stat-value"]')
            ?.textContent.replace(/[^\d-]/g, '') === String(n),
        count('a'),
      )
      await other.evaluate(() => (globalThis.window.__sameDocument = true))
      psql(`insert into sched_e2e.events select 'a' from generate_series(1, 5)`)
      const expected = count('a')
      await api(other, 'POST', '/api/v1/schedules', {
        name: 'Dashboard every minute',
        dashboardId: dashboard.id,
        kind: 'interval',
        everySeconds: 60,
      })
      await other.waitForFunction(
        (n) =>
          globalThis.document
            .querySelector('[data-testid="stat-value"]')
            ?.textContent.replace(/[^\d-]/g, '') === String(n),
        expected,
        { timeout: SLOT_TIMEOUT },
      )
      assert.equal((await stat.innerText()).replace(/[^\d-]/g, ''), String(expected))
      assert.equal(await other.evaluate(() => globalThis.window.__sameDocument), true)
      // the header shows the dashboard's schedule health
      await other.locator('[data-testid="target-schedule-health"]').waitFor()
    } finally {
      await other.close()
    }
  })

  it("shows the query schedule's real firing and its run in the history, its runs, and pauses it", async () => {
    await page.goto(`${server.baseUrl}/schedules/${querySchedule}`)
    await page
      .locator('[data-testid="schedule-title"]', { hasText: 'Kind b every minute' })
      .waitFor()
    // a slot (not a run-now) whose run succeeded, with its rows
    const firing = page.locator('[data-testid="firing-row"][data-manual="false"]').first()
    await firing.waitFor({ timeout: SLOT_TIMEOUT })
    await firing.locator('[data-testid="firing-run-link"]', { hasText: 'succeeded' }).waitFor({
      timeout: SLOT_TIMEOUT,
    })
    assert.equal(await firing.getAttribute('data-outcome'), 'enqueued')
    assert.match(await firing.innerText(), /\b1 row\b/)
    await screenshot(page, 'schedule-page')

    const runHref = await firing
      .locator('[data-testid="firing-run-link"]')
      .first()
      .getAttribute('href')
    const runId = runHref.split('/').pop()
    const run = await api(page, 'GET', `/api/v1/runs/${runId}`)
    assert.equal(run.trigger, 'schedule')
    assert.equal(run.scheduleId, querySchedule)

    await page.locator('[data-testid="schedule-runs-link"]').click()
    await page.waitForURL(/\/runs\?scheduleId=/)
    await page.locator('[data-testid="filter-schedule"]').waitFor()
    await page.locator(`a[href="/runs/${runId}"]`).first().waitFor()

    await page.goBack()
    await page.locator('[data-testid="schedule-pause"]').click()
    await page
      .locator('[data-testid="schedule-page"] [data-testid="schedule-health"][data-state="paused"]')
      .first()
      .waitFor()
    await page.locator('[data-testid="schedule-resume"]').waitFor()
    assert.equal((await api(page, 'GET', `/api/v1/schedules/${querySchedule}`)).enabled, false)
  })

  it('shows a schedule whose query was archived as broken with the reason: page, list filter, home banner', async () => {
    const doomed = await api(page, 'POST', '/api/v1/queries', {
      name: 'Soon archived',
      datasourceId,
      sql: 'select 1 as one',
    })
    const schedule = await api(page, 'POST', '/api/v1/schedules', {
      name: 'Hourly, soon broken',
      queryId: doomed.id,
      kind: 'cron',
      cron: '0 * * * *',
    })
    // a query that schedules refer to is archived, not deleted
    await api(page, 'DELETE', `/api/v1/queries/${doomed.id}`)

    await page.goto(`${server.baseUrl}/schedules/${schedule.id}`)
    await page.locator('[data-testid="schedule-run-now"]').click()
    const broken = page.locator('[data-testid="schedule-broken"]')
    await broken.waitFor()
    assert.match(await broken.innerText(), /archived/)
    await page.locator('[data-testid="firing-row"][data-outcome="failed_to_enqueue"]').waitFor()

    await page.goto(`${server.baseUrl}/`)
    const banner = page.locator('[data-testid="home-schedule-banner"]')
    await banner.waitFor()
    await banner.locator('[data-testid="home-schedules-broken"]').click()
    await page.waitForURL(/\/schedules\?state=broken/)
    const rows = page.locator('[data-testid="schedules-row"]')
    await rows.first().waitFor()
    assert.equal(await rows.count(), 1)
    assert.equal(await rows.first().getAttribute('data-schedule-id'), schedule.id)
    assert.match(await rows.first().innerText(), /archived/)

    await page.locator('[data-testid="schedules-filter-all"]').click()
    await page.waitForURL((url) => !url.search.includes('state='))
    await page
      .locator(`[data-testid="schedules-row"][data-schedule-id="${querySchedule}"]`)
      .waitFor()
    assert.equal(await rows.count(), 3)
    await screenshot(page, 'schedules-list')
  })
})
