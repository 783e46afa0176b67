import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { screenshot } from './browser.mjs'
import { api, createPostgresDatasource, openSignedIn, setSql } from './workflow.mjs'

const TIMEOUT = 20_000

// How the workbench runs and edits (issue 11): the statement under the cursor, parameters of an unsaved query,
// completion keys, errors in words, and the diff of two versions.
describe('workbench flow', () => {
  let session
  let server
  let page
  let datasourceId

  before(async () => {
    session = await openSignedIn({ timeout: TIMEOUT })
    ;({ server, page } = session)
    datasourceId = await createPostgresDatasource(page, server, 'Flow metadata')
  })

  after(async () => {
    await session?.close()
  })

  const status = () => page.locator('[data-testid="run-state"] [data-testid="run-status"]')
  /** The editor's lines, top to bottom (Monaco renders each as a positioned .view-line). */
  const editorLines = () =>
    page.locator('[data-testid="sql-editor"] .view-line').evaluateAll((lines) =>
      lines
        .map((line) => ({ top: parseFloat(line.style.top), text: line.textContent }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text.replace(/\u00a0/g, ' ')),
    )

  // Monaco draws its lines on the next animation frames: after a key press, read until they show what is expected
  // (or 5 s have passed), then assert on what they show
  async function settledLines(expected) {
    const deadline = Date.now() + 5000
    let lines = await editorLines()
    while (!expected(lines) && Date.now() < deadline) {
      await page.waitForTimeout(50)
      lines = await editorLines()
    }
    return lines
  }

  async function newQuery() {
    await page.goto(`${server.baseUrl}/queries/new`)
    await page.locator('[data-testid="datasource-select"]').selectOption(datasourceId)
  }

  it('runs only the statement under the cursor with Ctrl+Enter; the whole text is a 400 in words', async () => {
    await newQuery()
    await setSql(page, 'select 1 as first;\nselect 2 as second;\nselect 3 as third')
    await page.locator('[data-testid="sql-editor"] .view-line', { hasText: 'second' }).click()
    assert.equal(await page.locator('[data-testid="run-query"]').innerText(), 'Run statement')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    const table = page.locator('[data-testid="results-table"]')
    await table.locator('[data-testid="results-rows"]').filter({ hasText: '1 row' }).waitFor()
    const cells = table.locator('[role="cell"]')
    await cells.first().waitFor()
    assert.deepEqual(
      (await cells.allInnerTexts()).map((t) => t.trim()),
      ['2'],
    )
    const headers = (await table.locator('[role="columnheader"]').allInnerTexts()).join(' ')
    assert.match(headers, /second/)
    assert.doesNotMatch(headers, /first|third/)
    await screenshot(page, 'workbench-statement-under-cursor')

    await page.locator('[data-testid="run-scope"]').selectOption('all')
    await page.locator('[data-testid="run-query"]').click()
    const problem = page.locator('[data-testid="run-enqueue-error"]')
    await problem.waitFor()
    assert.match(await problem.innerText(), /more than one statement[\s\S]*line 2, column 1/)
    await screenshot(page, 'workbench-two-statements-400')
    await page.locator('[data-testid="run-scope"]').selectOption('statement')
  })

  it('runs an unsaved query with a parameter, bound by the server', async () => {
    await newQuery()
    await setSql(page, 'select {{n}}::int * 2 as doubled')
    await page.locator('[data-testid="declare-parameter"][data-name="n"]').click()
    await page.locator('[name="param-n"]').fill('21')
    await page.locator('[data-testid="run-query"]').click()
    await status()
      .filter({ hasText: /^succeeded$/ })
      .waitFor()
    const cell = page.locator('[data-testid="results-table"] [role="cell"]').first()
    await cell.waitFor()
    assert.equal((await cell.innerText()).trim(), '42')
  })

  it('says where an error is in line and column', async () => {
    await newQuery()
    await setSql(page, 'select 1,\n  nosuchcolumn')
    await page.keyboard.press('Control+Enter')
    await status()
      .filter({ hasText: /^failed$/ })
      .waitFor()
    assert.equal(
      await page.locator('[data-testid="run-error-at"]').innerText(),
      'at line 2, column 3',
    )
  })

  it('Enter ends the line instead of accepting a completion; Tab or a picked suggestion accepts', async () => {
    await newQuery()
    await setSql(page, 'select 1 as x\n')
    const widget = page.locator('[data-testid="sql-editor"] .suggest-widget.visible')

    await page.keyboard.type('fro')
    await widget.waitFor()
    await page.keyboard.press('Enter')
    await widget.waitFor({ state: 'hidden' })
    assert.deepEqual(await editorLines(), ['select 1 as x', 'fro', ''])

    await page.keyboard.type('sel')
    await widget.waitFor()
    await page.keyboard.press('Tab')
    const selected = await settledLines((lines) => lines.at(-1).trim().toLowerCase() === 'select')
    assert.equal(selected.at(-1).trim().toLowerCase(), 'select')

    await page.keyboard.press('Enter')
    await page.keyboard.type('s')
    await widget.waitFor()
    // the list must have loaded (not "Loading…") with more than one entry before moving through it
    const rows = widget.locator('.monaco-list-row')
    await rows.nth(1).waitFor()
    await page.keyboard.press('ArrowDown')
    await widget.locator('.monaco-list-row.focused[data-index="1"]').waitFor()
    await page.keyboard.press('Enter')
    await widget.waitFor({ state: 'hidden' })
    const lines = await settledLines((l) => l.length !== 4 || l[3].trim().length > 1)
    assert.equal(
      lines.length,
      4,
      `Enter on a picked suggestion adds no line: ${JSON.stringify(lines)}`,
    )
    assert.ok(lines[3].trim().length > 1, `picked a suggestion: "${lines[3]}"`)
  })

  it('compares two versions side by side before restoring', async () => {
    const base = { name: 'Versions', datasourceId, params: [] }
    const created = await api(page, 'POST', '/api/v1/queries', { ...base, sql: 'select 1 as a' })
    await api(page, 'PUT', `/api/v1/queries/${created.id}`, {
      ...base,
      sql: 'select 1 as a,\n  2 as b',
      version: 1,
    })
    await page.goto(`${server.baseUrl}/queries/${created.id}`)
    await page.locator('[data-testid="toggle-versions"]').click()
    await page.locator('[data-version="1"] [data-testid="compare-version"]').click()
    const diff = page.locator('[data-testid="version-diff"]')
    await diff
      .locator('[data-testid="sql-diff"][data-engine="monaco"] .monaco-diff-editor')
      .waitFor()
    await diff.locator('.line-insert, .char-insert').first().waitFor()
    await screenshot(page, 'workbench-version-diff')
    await diff.locator('[data-testid="version-diff-restore"]').click()
    await diff.waitFor({ state: 'hidden' })
    await page.locator('[data-testid="query-version-label"]', { hasText: 'v3' }).waitFor()
  })
})
