/* eslint-disable vue/one-component-per-file -- stand-ins for the editor and the parameter panel */
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Role } from '@/api/auth'
import { datasourcesApi } from '@/api/datasources'
import { ApiError } from '@/api/http'
import type { ParamValue } from '@/api/parameters'
import * as queriesApi from '@/api/queries'
import type { Query } from '@/api/queries'
import * as runsApi from '@/api/runs'
import * as schedulesApi from '@/api/schedules'
import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { resetEventBus, setEventBusSocketFactory } from '@/composables/useEventBus'
import { useSessionStore } from '@/stores/session'

import QueryWorkbenchView from './QueryWorkbenchView.vue'
import { queuedRun, succeededRun } from '@/testing/runs'

// A workbench left mounted would answer the next test's parameter values with calls of its own.
enableAutoUnmount(afterEach)

const paramValues = ref<Record<string, ParamValue>>({})
vi.mock('@/composables/useParamsInUrl', () => ({
  useParamsInUrl: () => ({ values: paramValues }),
}))

// Monaco takes seconds to import in happy-dom: a plain stand-in with the same contract.
const editorCalls = { markError: vi.fn(), clearError: vi.fn(), insertText: vi.fn() }
const SqlEditorStub = defineComponent({
  name: 'SqlEditor',
  props: { modelValue: { type: String, required: true } },
  emits: ['update:modelValue', 'run', 'save', 'selection'],
  setup(props, { emit, expose }) {
    expose({
      markError: (...args: unknown[]) => editorCalls.markError(...args),
      clearError: () => editorCalls.clearError(),
      insertText: (text: string) => editorCalls.insertText(text),
      focus: () => undefined,
      selection: () => null,
      runRequest: () => ({ sql: props.modelValue, offset: 0, selection: false }),
    })
    return () =>
      h('textarea', {
        'data-testid': 'sql-editor',
        value: props.modelValue,
        onInput: (e: Event) => emit('update:modelValue', (e.target as HTMLTextAreaElement).value),
      })
  },
})

const ParameterPanelStub = defineComponent({
  name: 'ParameterPanel',
  props: {
    specs: { type: Array, default: () => [] },
    modelValue: { type: Object, default: () => ({}) },
    queryId: { type: String, default: undefined },
    errors: { type: Object, default: () => ({}) },
  },
  setup: (props) => () =>
    h('div', { 'data-testid': 'parameter-panel' }, JSON.stringify(props.errors ?? {})),
})

const aRun = queuedRun

function aQuery(patch: Partial<Query> = {}): Query {
  return {
    id: 'q1',
    name: 'Orders by region',
    description: null,
    datasourceId: 'd1',
    version: 3,
    params: [],
    createdAt: '2026-11-29T09:00:00Z',
    createdBy: 'ops@example.com',
    updatedAt: '2026-11-29T09:30:00Z',
    updatedBy: 'ops@example.com',
    sql: 'select 1',
    runOptions: null,
    ...patch,
  }
}

async function mountWorkbench(options: { id?: string; role?: Role; search?: string } = {}) {
  const Blank = { template: '<p>page</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/queries/new', name: 'query-new', component: Blank },
      { path: '/queries/:id', name: 'query', component: Blank },
      { path: '/runs/:id', name: 'run', component: Blank },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  await router.push(
    (options.id ? `/queries/${options.id}` : '/queries/new') + (options.search ?? ''),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role: options.role ?? 'editor',
    orgs: [],
  }
  const wrapper = mount(QueryWorkbenchView, {
    props: options.id ? { id: options.id } : {},
    global: {
      plugins: [router, pinia],
      stubs: {
        SqlEditor: SqlEditorStub,
        ParameterPanel: ParameterPanelStub,
        ResultsTable: { template: '<div data-testid="results-table"></div>' },
        SchemaBrowser: true,
        QueryWorkbenchHistory: true,
      },
    },
  })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  paramValues.value = {}
  vi.spyOn(schedulesApi, 'listSchedules').mockResolvedValue({ items: [], nextCursor: null })
  Object.values(editorCalls).forEach((fn) => fn.mockReset())
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
  vi.spyOn(datasourcesApi, 'list').mockResolvedValue([
    {
      id: 'd1',
      name: 'Replica',
      kind: 'postgres',
      readOnly: true,
      maxConcurrency: 4,
      defaultTimeoutMs: 30_000,
      maxTimeoutMs: 300_000,
      defaultMaxRows: 100_000,
      maxRowsLimit: 1_000_000,
      defaultMaxBytes: 1 << 26,
      maxBytesLimit: 1 << 30,
      createdAt: '2026-11-29T00:00:00Z',
      updatedAt: '2026-11-29T00:00:00Z',
    },
  ])
  vi.spyOn(datasourcesApi, 'schema').mockResolvedValue({
    refreshedAt: '2026-11-29T00:00:00Z',
    truncated: false,
    schemas: [],
  })
  vi.spyOn(runsApi, 'getRun').mockImplementation(async (id) => aRun({ id }))
  vi.spyOn(queriesApi, 'latestQueryResult').mockRejectedValue(noResult())
})

function noResult(): ApiError {
  return new ApiError({ status: 404, title: 'No result yet', type: 'no-result' })
}

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
})

describe('QueryWorkbenchView', () => {
  it('runs a new query ad hoc against the chosen datasource and shows it queued', async () => {
    const createRun = vi
      .spyOn(runsApi, 'createRun')
      .mockResolvedValue(
        aRun({ sql: 'select now()', queue: { ahead: 3, running: 2, maxConcurrency: 2 } }),
      )
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select now()')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith({
      datasourceId: 'd1',
      sql: 'select now()',
      declarations: [],
      params: {},
    })
    expect(wrapper.get('[data-testid="run-status"]').text()).toBe('queued')
    expect(wrapper.get('[data-testid="run-queue"]').text()).toBe(
      '3 runs ahead · datasource busy: 2 of 2 running',
    )
    expect(wrapper.find('[data-testid="cancel-run"]').exists()).toBe(true)
  })

  it('a new query opened from a datasource (?datasourceId=) starts on that datasource', async () => {
    const [replica] = await datasourcesApi.list()
    vi.mocked(datasourcesApi.list).mockResolvedValue([
      replica,
      { ...replica, id: 'd2', name: 'Order book' },
    ])
    const createRun = vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun())
    const { wrapper } = await mountWorkbench({ search: '?datasourceId=d2' })
    expect(
      (wrapper.get('[data-testid="datasource-select"]').element as HTMLSelectElement).value,
    ).toBe('d2')
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 1')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith(expect.objectContaining({ datasourceId: 'd2' }))
  })

  it('runs the selection the editor asks for', async () => {
    const createRun = vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun())
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 1;\nselect 2;')
    wrapper
      .getComponent(SqlEditorStub)
      .vm.$emit('run', { sql: 'select 2;', offset: 10, selection: true })
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith(
      expect.objectContaining({ datasourceId: 'd1', sql: 'select 2;' }),
    )
  })

  it('runs a saved, unchanged query as itself with the parameter values', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(
      aQuery({
        sql: 'select * from orders where region = {{region}}',
        params: [{ name: 'region', type: 'text' }],
      }),
    )
    const runQuery = vi
      .spyOn(queriesApi, 'runQuery')
      .mockResolvedValue(aRun({ queryId: 'q1', queryVersion: 3 }))
    const createRun = vi.spyOn(runsApi, 'createRun')
    paramValues.value = { region: 'North' }
    const { wrapper } = await mountWorkbench({ id: 'q1', role: 'viewer' })
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(runQuery).toHaveBeenCalledWith('q1', { params: { region: 'North' } })
    expect(createRun).not.toHaveBeenCalled()
  })

  it('shows a failed run’s message and SQLSTATE in words and marks the position in the editor', async () => {
    const sql = 'select nope from orders'
    vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun({ sql }))
    vi.spyOn(runsApi, 'getRun').mockResolvedValue(
      aRun({
        sql,
        status: 'failed',
        error: { code: '42703', message: 'column "nope" does not exist', position: 8 },
      }),
    )
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue(sql)
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    FakeEventBusSocket.last.open() // connected: the run is read again and has failed
    await flushPromises()
    expect(wrapper.get('[data-testid="run-status"]').text()).toBe('failed')
    const error = wrapper.get('[data-testid="run-error"]').text()
    expect(error).toContain('column "nope" does not exist')
    expect(error).toContain('SQLSTATE 42703 (undefined column)')
    expect(editorCalls.markError).toHaveBeenCalledWith(8, 'column "nope" does not exist')
  })

  it('maps an error position in a saved query’s bound SQL back onto its placeholders', async () => {
    const template = 'select {{n}} + nope'
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(
      aQuery({ sql: template, params: [{ name: 'n', type: 'integer' }] }),
    )
    const bound = 'select $1::text::bigint + nope'
    vi.spyOn(queriesApi, 'runQuery').mockResolvedValue(
      aRun({
        sql: bound,
        status: 'failed',
        error: { code: '42703', message: 'column "nope" does not exist', position: 27 },
      }),
    )
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(editorCalls.markError).toHaveBeenCalledWith(
      template.indexOf('nope') + 1,
      'column "nope" does not exist',
    )
  })

  it('routes 400 errors about parameter values to the parameter panel', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(
      aQuery({ sql: 'select {{limit}}', params: [{ name: 'limit', type: 'integer' }] }),
    )
    vi.spyOn(queriesApi, 'runQuery').mockRejectedValue(
      new ApiError({
        status: 400,
        title: 'Invalid parameters',
        errors: [{ path: '/params/limit', message: 'must be an integer' }],
      }),
    )
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(JSON.parse(wrapper.get('[data-testid="parameter-panel"]').text())).toEqual({
      limit: 'must be an integer',
    })
    expect(wrapper.get('[data-testid="run-enqueue-error"]').text()).toContain('Invalid parameters')
  })

  it('runs unsaved SQL with placeholders ad hoc, with its declarations and values', async () => {
    const createRun = vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun())
    paramValues.value = { x: 'North' }
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select {{x}}')
    await flushPromises()
    await wrapper.get('[data-testid="declare-parameter"][data-name="x"]').trigger('click')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith({
      datasourceId: 'd1',
      sql: 'select {{x}}',
      declarations: [expect.objectContaining({ name: 'x', type: 'text' })],
      params: { x: 'North' },
    })
    expect(wrapper.find('[data-testid="run-notice"]').exists()).toBe(false)
  })

  it('sends only the declarations and values the statement that runs uses', async () => {
    const createRun = vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun())
    paramValues.value = { a: '1', b: '' }
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select {{a}};\nselect {{b}}')
    await flushPromises()
    await wrapper.get('[data-testid="declare-parameter"][data-name="a"]').trigger('click')
    await wrapper.get('[data-testid="declare-parameter"][data-name="b"]').trigger('click')
    wrapper
      .getComponent(SqlEditorStub)
      .vm.$emit('run', { sql: 'select {{a}}', offset: 0, selection: true })
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith(
      expect.objectContaining({
        sql: 'select {{a}}',
        declarations: [expect.objectContaining({ name: 'a' })],
        params: { a: '1' },
      }),
    )
  })

  it('maps an error in an ad-hoc run with parameters back onto the template, with line and column', async () => {
    const template = 'select {{n}},\n  nope'
    const bound = 'select $1::text,\n  nope'
    vi.spyOn(runsApi, 'createRun').mockResolvedValue(
      aRun({
        sql: bound,
        status: 'failed',
        error: { code: '42703', message: 'column "nope" does not exist', position: 20 },
      }),
    )
    paramValues.value = { n: 'a' }
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue(template)
    await flushPromises()
    await wrapper.get('[data-testid="declare-parameter"][data-name="n"]').trigger('click')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(editorCalls.markError).toHaveBeenCalledWith(
      template.indexOf('nope') + 1,
      'column "nope" does not exist',
    )
    expect(wrapper.get('[data-testid="run-error-at"]').text()).toBe('at line 2, column 3')
  })

  it('sends the row limit and timeout chosen for the run, within the datasource’s maxima', async () => {
    const createRun = vi.spyOn(runsApi, 'createRun').mockResolvedValue(aRun())
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 1')
    expect(wrapper.get('[data-testid="run-limit-maxima"]').text()).toContain(
      'up to 1,000,000 rows and 5 min per run',
    )
    await wrapper.get('[data-testid="run-limit-rows"]').setValue('2000000')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(createRun).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid="run-limit-problem"]').text()).toContain(
      'at most 1,000,000 rows',
    )
    await wrapper.get('[data-testid="run-limit-rows"]').setValue('500000')
    await wrapper.get('[data-testid="run-limit-timeout"]').setValue('120')
    expect(wrapper.get('[data-testid="run-limits-summary"]').text()).toBe('500,000 rows · 2 min')
    await wrapper.get('[data-testid="run-query"]').trigger('click')
    await flushPromises()
    expect(createRun).toHaveBeenCalledWith(
      expect.objectContaining({ options: { maxRows: 500_000, timeoutMs: 120_000 } }),
    )
  })

  it('labels Run by what it runs and offers to run the whole text when there are several statements', async () => {
    const { wrapper } = await mountWorkbench()
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 1')
    expect(wrapper.find('[data-testid="run-scope"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="run-query"]').text()).toBe('Run')
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 1; select 2')
    expect(wrapper.get('[data-testid="run-query"]').text()).toBe('Run statement')
    await wrapper.get('[data-testid="run-scope"]').setValue('all')
    expect(wrapper.get('[data-testid="run-query"]').text()).toBe('Run')
    expect(wrapper.getComponent(SqlEditorStub).attributes('run-scope')).toBe('all')
    await wrapper.get('[data-testid="run-scope"]').setValue('statement')
  })

  it('hides the save shortcut from viewers, who cannot save', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(aQuery())
    const viewer = await mountWorkbench({ id: 'q1', role: 'viewer' })
    expect(viewer.wrapper.get('[data-testid="editor-keys"]').text()).toBe('Ctrl/Cmd+Enter runs')
    const editor = await mountWorkbench({ id: 'q1', role: 'editor' })
    expect(editor.wrapper.get('[data-testid="editor-keys"]').text()).toBe(
      'Ctrl/Cmd+Enter runs · Ctrl/Cmd+S saves',
    )
  })

  it('creates a query on first save and moves to its address', async () => {
    const createQuery = vi
      .spyOn(queriesApi, 'createQuery')
      .mockResolvedValue(aQuery({ id: 'q9', name: 'Counts', sql: 'select 2', version: 1 }))
    const { wrapper, router } = await mountWorkbench()
    await wrapper.get('[data-testid="query-name"]').setValue('Counts')
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 2')
    await wrapper.get('[data-testid="save-query"]').trigger('click')
    await flushPromises()
    expect(createQuery).toHaveBeenCalledWith({
      name: 'Counts',
      datasourceId: 'd1',
      sql: 'select 2',
      params: [],
    })
    expect(router.currentRoute.value.fullPath).toBe('/queries/q9')
  })

  it('takes the server’s normalised declarations as saved: no unsaved mark, no leave prompt', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const createQuery = vi.spyOn(queriesApi, 'createQuery').mockImplementation(async (body) =>
      aQuery({
        id: 'q9',
        name: body.name,
        sql: body.sql,
        version: 1,
        // the server's own key order, with the flags it always writes
        params: (body.params ?? []).map(({ name, type, ...rest }) => ({
          type,
          required: false,
          ...rest,
          name,
        })),
      }),
    )
    const { wrapper, router } = await mountWorkbench()
    await wrapper.get('[data-testid="query-name"]').setValue('Who')
    await wrapper.get('[data-testid="sql-editor"]').setValue('select {{who}}')
    await flushPromises()
    await wrapper.get('[data-testid="declare-parameter"][data-name="who"]').trigger('click')
    await wrapper.get('[data-testid="save-query"]').trigger('click')
    await flushPromises()
    expect(createQuery).toHaveBeenCalledOnce()
    expect(router.currentRoute.value.fullPath).toBe('/queries/q9')
    expect(confirm).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(false)
  })

  it('opens the version a run page links to in the versions panel', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(aQuery({ version: 3 }))
    vi.spyOn(queriesApi, 'listQueryVersions').mockResolvedValue([
      { version: 3, name: 'Orders by region', savedAt: '2026-11-29T09:30:00Z', savedBy: null },
      { version: 1, name: 'Orders by region', savedAt: '2026-11-29T09:00:00Z', savedBy: null },
    ])
    const getVersion = vi.spyOn(queriesApi, 'getQueryVersion').mockResolvedValue({
      id: 'q1',
      version: 1,
      name: 'Orders by region',
      sql: 'select 1 as first_version',
      params: [],
      runOptions: null,
      savedAt: '2026-11-29T09:00:00Z',
      savedBy: null,
    })
    const { wrapper } = await mountWorkbench({ id: 'q1', search: '?version=1' })
    expect(getVersion).toHaveBeenCalledWith('q1', 1)
    expect(wrapper.get('[data-testid="query-versions"]').text()).toContain(
      'select 1 as first_version',
    )
  })

  it('says in words when someone saved in between, and offers to reload the latest', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(aQuery())
    vi.spyOn(queriesApi, 'saveQuery').mockRejectedValue(
      new ApiError({
        status: 409,
        title: 'Saved by someone else',
        detail: 'Version 4 was saved by ana@example.com.',
      }),
    )
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    await wrapper.get('[data-testid="sql-editor"]').setValue('select 2')
    await wrapper.get('[data-testid="save-query"]').trigger('click')
    await flushPromises()
    const problem = wrapper.get('[data-testid="save-error"]').text()
    expect(problem).toContain('Someone saved this query since you opened it.')
    expect(problem).toContain('Version 4 was saved by ana@example.com.')
    expect(wrapper.find('[data-testid="reload-latest"]').exists()).toBe(true)
  })
})

describe('QueryWorkbenchView on opening a saved query', () => {
  const withRegion = () =>
    aQuery({
      sql: 'select * from orders where region = {{region}}',
      params: [{ name: 'region', type: 'text' }],
    })

  it('shows the latest stored result for the link’s values with its age, without running', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(withRegion())
    const latest = vi
      .spyOn(queriesApi, 'latestQueryResult')
      .mockResolvedValue(
        succeededRun({ id: 'r9', finishedAt: new Date(Date.now() - 12 * 60_000).toISOString() }),
      )
    const runQuery = vi.spyOn(queriesApi, 'runQuery').mockResolvedValue(aRun({ queryId: 'q1' }))
    const createRun = vi.spyOn(runsApi, 'createRun')
    paramValues.value = { region: 'North' }
    const { wrapper } = await mountWorkbench({
      id: 'q1',
      role: 'viewer',
      search: '?p.region=North',
    })

    expect(latest).toHaveBeenCalledTimes(1)
    expect(latest).toHaveBeenCalledWith('q1', { params: { region: 'North' } })
    expect(wrapper.get('[data-testid="latest-result"]').text()).toMatch(
      /^Latest stored result, from 12 min ago\s*—\s*Run again$/,
    )
    expect(wrapper.find('[data-testid="results-table"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="run-state"]').exists()).toBe(false)
    expect(runQuery).not.toHaveBeenCalled()
    expect(createRun).not.toHaveBeenCalled()

    // "Run again" runs it with the same values; the run replaces the stored result
    await wrapper.get('[data-testid="latest-result-run"]').trigger('click')
    await flushPromises()
    expect(runQuery).toHaveBeenCalledWith('q1', { params: { region: 'North' } })
    expect(wrapper.find('[data-testid="latest-result"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="run-state"]').exists()).toBe(true)
  })

  it('asks again for other values, and shows nothing when there is no stored result (404)', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(withRegion())
    const latest = vi
      .spyOn(queriesApi, 'latestQueryResult')
      .mockResolvedValueOnce(succeededRun({ finishedAt: new Date().toISOString() }))
      .mockRejectedValueOnce(noResult())
    paramValues.value = { region: 'North' }
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    expect(wrapper.get('[data-testid="latest-result-age"]').text()).toBe('a moment ago')

    paramValues.value = { region: 'South' }
    await flushPromises()
    expect(latest).toHaveBeenLastCalledWith('q1', { params: { region: 'South' } })
    expect(wrapper.find('[data-testid="latest-result"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="results-table"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('Run the query to see its results here.')
  })

  it('does not ask for a new, unsaved query', async () => {
    const latest = vi.spyOn(queriesApi, 'latestQueryResult')
    await mountWorkbench()
    expect(latest).not.toHaveBeenCalled()
  })
})

describe('QueryWorkbenchView layout', () => {
  beforeEach(() => localStorage.clear())

  it('sizes the editor by its text, and the splitter sets (and remembers) its height', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(
      aQuery({ sql: 'select a,\n  b,\n  c\nfrom t\nwhere a > 1' }),
    )
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    const box = () => wrapper.get('.wb-editor').element as HTMLElement
    const auto = parseInt(box().style.height)
    expect(auto).toBeGreaterThanOrEqual(96)
    expect(auto).toBeLessThan(200)

    // the parameters bar (when there is one) sits above the editor, the splitter between editor and results
    const order = [...wrapper.get('.wb-main').element.children].map((el) => el.className)
    expect(order.indexOf('wb-editor')).toBeLessThan(
      order.findIndex((c) => c.includes('wb-splitter')),
    )
    expect(order.findIndex((c) => c.includes('wb-splitter'))).toBeLessThan(
      order.findIndex((c) => c.includes('wb-output')),
    )

    const splitter = wrapper.get('[data-testid="workbench-splitter"]').element
    splitter.dispatchEvent(new PointerEvent('pointerdown', { clientY: 200, button: 0 }))
    window.dispatchEvent(new PointerEvent('pointermove', { clientY: 300 }))
    window.dispatchEvent(new PointerEvent('pointerup', { clientY: 300 }))
    await flushPromises()
    expect(box().style.height).toBe(`${auto + 100}px`)
    wrapper.unmount()

    const again = await mountWorkbench({ id: 'q1' })
    expect((again.wrapper.get('.wb-editor').element as HTMLElement).style.height).toBe(
      `${auto + 100}px`,
    )
  })

  it('puts the parameter values in a bar above the editor', async () => {
    vi.spyOn(queriesApi, 'getQuery').mockResolvedValue(
      aQuery({ sql: 'select {{n}}', params: [{ name: 'n', type: 'integer' }] }),
    )
    const { wrapper } = await mountWorkbench({ id: 'q1' })
    const order = [...wrapper.get('.wb-main').element.children].map((el) => el.className)
    expect(order.indexOf('wb-params')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('wb-params')).toBeLessThan(order.indexOf('wb-editor'))
  })
})
