import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Role } from '@/api/auth'
import { useSessionStore } from '@/stores/session'

import DatasourceFormView from './DatasourceFormView.vue'
import { formFrom, toBody } from './datasourceForm'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<p>page</p>' }

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

const stored = {
  id: 'd1',
  name: 'Outages replica',
  kind: 'postgres',
  host: 'db.internal',
  port: 5432,
  database: 'outages',
  user: 'reader',
  sslMode: 'require' as const,
  searchPath: 'public',
  passwordSet: true,
  readOnly: true,
  maxConcurrency: 3,
  defaultTimeoutMs: 30000,
  maxTimeoutMs: 300000,
  defaultMaxRows: 100000,
  maxRowsLimit: 1000000,
  defaultMaxBytes: 67108864,
  maxBytesLimit: 536870912,
  createdAt: '2026-11-29T03:00:00Z',
  updatedAt: '2026-11-29T03:00:00Z',
}

async function mountForm(options: { id?: string; role?: Role } = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/datasources', component: Blank },
      { path: '/datasources/new', component: DatasourceFormView },
      { path: '/datasources/:id/edit', component: DatasourceFormView, props: true },
      { path: '/queries/:id', component: Blank },
    ],
  })
  await router.push(options.id ? `/datasources/${options.id}/edit` : '/datasources/new')
  const pinia = createPinia()
  setActivePinia(pinia)
  const session = useSessionStore()
  session.me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role: options.role ?? 'admin',
    orgs: [],
  }
  if (options.id) respond(200, stored)
  const wrapper = mount(DatasourceFormView, {
    props: options.id ? { id: options.id } : {},
    global: { plugins: [router, pinia] },
  })
  await flushPromises()
  return { wrapper, router }
}

type Wrapper = Awaited<ReturnType<typeof mountForm>>['wrapper']

async function fillConnection(wrapper: Wrapper): Promise<void> {
  await wrapper.find('input[name="name"]').setValue('Metadata')
  await wrapper.find('input[name="host"]').setValue('127.0.0.1')
  await wrapper.find('input[name="port"]').setValue('5433')
  await wrapper.find('input[name="database"]').setValue('sightline')
  await wrapper.find('input[name="user"]').setValue('postgres')
  await wrapper.find('select[name="sslMode"]').setValue('disable')
}

function errorOf(wrapper: Wrapper, field: string): string | undefined {
  const error = wrapper.find(`#datasource-${field}-error`)
  return error.exists() ? error.text() : undefined
}

function sentBody(call = 0): Record<string, unknown> {
  return JSON.parse(String(fetchMock.mock.calls[call]![1]!.body)) as Record<string, unknown>
}

async function pressTest(wrapper: Wrapper): Promise<string> {
  const button = wrapper.findAll('button').find((b) => b.text() === 'Test connection')!
  await button.trigger('click')
  await flushPromises()
  return wrapper.find('[data-test="test-result"]').text()
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('DatasourceFormView validation', () => {
  it('names every missing required field and sends nothing', async () => {
    const { wrapper } = await mountForm()

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    for (const field of ['name', 'host', 'database', 'user']) {
      expect(errorOf(wrapper, field)).toBe('Required.')
    }
    const host = wrapper.find('input[name="host"]')
    expect(host.attributes('aria-invalid')).toBe('true')
    expect(host.attributes('aria-describedby')).toBe('datasource-host-error')
    expect(wrapper.find(`label[for="${host.attributes('id')}"]`).text()).toBe('Host')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('checks the port range, whole numbers and each default against its maximum', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    await wrapper.find('input[name="port"]').setValue('70000')
    await wrapper.find('input[name="maxConcurrency"]').setValue('3.5')
    await wrapper.find('input[name="defaultMaxRows"]').setValue('2000')
    await wrapper.find('input[name="maxRowsLimit"]').setValue('1000')
    await wrapper.find('input[name="maxTimeoutMs"]').setValue('')

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(errorOf(wrapper, 'port')).toBe('Must be between 1 and 65,535.')
    expect(errorOf(wrapper, 'maxConcurrency')).toBe('Enter a whole number.')
    expect(errorOf(wrapper, 'defaultMaxRows')).toBe(
      'Must not exceed the maximum (maximum row limit).',
    )
    expect(errorOf(wrapper, 'maxTimeoutMs')).toBe('Required.')
    expect(errorOf(wrapper, 'defaultTimeoutMs')).toBeUndefined()
    expect(errorOf(wrapper, 'name')).toBeUndefined()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('creates with typed numbers and goes back to the list', async () => {
    const { wrapper, router } = await mountForm()
    await fillConnection(wrapper)
    respond(201, { ...stored, id: 'd2' })

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/datasources')
    expect(init!.method).toBe('POST')
    expect(sentBody()).toMatchObject({
      name: 'Metadata',
      host: '127.0.0.1',
      port: 5433,
      database: 'sightline',
      user: 'postgres',
      sslMode: 'disable',
      maxConcurrency: 3,
      readOnly: true,
    })
    expect(sentBody()).not.toHaveProperty('password')
    expect(sentBody()).toMatchObject({
      defaultMaxBytes: 64 * 1024 ** 2,
      maxBytesLimit: 512 * 1024 ** 2,
    })
    expect(router.currentRoute.value.fullPath).toBe('/datasources?created=d2')
  })

  it('shows the server field errors inline from their JSON pointers', async () => {
    const { wrapper, router } = await mountForm()
    await fillConnection(wrapper)
    respond(400, {
      type: 'urn:sightline:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'Some fields are invalid.',
      errors: [
        { field: '/host', message: 'must match the pattern' },
        { field: '/defaultMaxBytes', message: 'must not exceed maxBytesLimit (1024)' },
        { field: '/kind', message: 'must be one of postgres' },
      ],
    })

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(errorOf(wrapper, 'host')).toBe('Must match the pattern.')
    expect(errorOf(wrapper, 'defaultMaxBytes')).toBe('Must not exceed maxBytesLimit (1024).')
    const problem = wrapper.find('[data-test="form-problem"]').text()
    expect(problem).toContain('Invalid request')
    expect(problem).toContain('/kind: must be one of postgres')
    expect(router.currentRoute.value.path).toBe('/datasources/new')
  })

  it('reads time limits in units people think in', async () => {
    const { wrapper } = await mountForm()
    expect(wrapper.get('#datasource-maxTimeoutMs-hint').text()).toBe('= 5 min')
    expect(wrapper.find('#datasource-maxConcurrency-hint').exists()).toBe(false)
  })

  it('takes byte limits in MiB or GiB and sends bytes', async () => {
    const { wrapper } = await mountForm()
    expect((wrapper.get('[name="defaultMaxBytes"]').element as HTMLInputElement).value).toBe('64')
    expect((wrapper.get('[name="defaultMaxBytesUnit"]').element as HTMLSelectElement).value).toBe(
      'MiB',
    )
    expect(wrapper.get('[name="maxBytesLimitUnit"]').attributes('aria-label')).toBe(
      'Unit of the maximum byte limit',
    )
    expect(wrapper.find('#datasource-defaultMaxBytes-hint').exists()).toBe(false)
    await fillConnection(wrapper)
    await wrapper.get('[name="defaultMaxBytes"]').setValue('1536')
    expect(wrapper.get('#datasource-defaultMaxBytes-hint').text()).toBe('= 1.5 GiB')
    await wrapper.get('[name="maxBytesLimit"]').setValue('2.5')
    await wrapper.get('[name="maxBytesLimitUnit"]').setValue('GiB')
    respond(201, { ...stored, id: 'd2' })

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(sentBody()).toMatchObject({
      defaultMaxBytes: 1536 * 1024 ** 2,
      maxBytesLimit: 2.5 * 1024 ** 3,
    })
  })

  it('checks byte limits in their units, against the range and each other', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    await wrapper.get('[name="maxBytesLimit"]').setValue('65')
    await wrapper.get('[name="maxBytesLimitUnit"]').setValue('GiB')
    await wrapper.get('[name="defaultMaxBytes"]').setValue('64 MB')

    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(errorOf(wrapper, 'maxBytesLimit')).toBe('Must be between 1 KiB and 64 GiB.')
    expect(errorOf(wrapper, 'defaultMaxBytes')).toBe('Enter a number, such as 64 or 1.5.')

    await wrapper.get('[name="maxBytesLimit"]').setValue('1')
    await wrapper.get('[name="defaultMaxBytes"]').setValue('2048')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(errorOf(wrapper, 'defaultMaxBytes')).toBe(
      'Must not exceed the maximum (maximum byte limit).',
    )
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows a 409 in words', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    respond(409, {
      title: 'Name taken',
      status: 409,
      detail: 'A datasource named "Metadata" already exists in this org.',
    })

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[data-test="form-problem"]').text()).toContain(
      'A datasource named "Metadata" already exists in this org.',
    )
  })
})

describe('DatasourceFormView editing', () => {
  it('keeps the stored password unless one is typed, and can clear it', async () => {
    const { wrapper } = await mountForm({ id: 'd1' })
    const password = wrapper.find('input[name="password"]')
    expect(password.attributes('placeholder')).toBe('set — leave empty to keep')
    expect((wrapper.find('input[name="host"]').element as HTMLInputElement).value).toBe(
      'db.internal',
    )

    respond(200, stored)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/v1/datasources/d1')
    expect(fetchMock.mock.calls[1]![1]!.method).toBe('PATCH')
    expect(sentBody(1)).not.toHaveProperty('password')

    await wrapper.find('input[name="clearPassword"]').setValue(true)
    respond(200, stored)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sentBody(2).password).toBeNull()
  })

  it('shows stored byte limits in GiB when whole, else in MiB, and sends them back unchanged', () => {
    const form = formFrom({ ...stored, maxBytesLimit: 2 * 1024 ** 3, defaultMaxBytes: 1536 * 1024 })
    expect([form.maxBytesLimit, form.units.maxBytesLimit]).toEqual(['2', 'GiB'])
    expect([form.defaultMaxBytes, form.units.defaultMaxBytes]).toEqual(['1.5', 'MiB'])
    const odd = formFrom({ ...stored, defaultMaxBytes: 1000 })
    expect(toBody(odd, 'edit')).toMatchObject({ defaultMaxBytes: 1000, maxBytesLimit: 536870912 })
  })

  it('deletes a datasource no query uses after a confirmation', async () => {
    const { wrapper, router } = await mountForm({ id: 'd1' })
    await wrapper.get('[data-test="delete"]').trigger('click')
    expect(wrapper.get('[data-test="confirm"]').text()).toContain('Delete “Outages replica”?')
    respond(204)

    await wrapper
      .findAll('[data-test="confirm"] button')
      .find((b) => b.text() === 'Delete datasource')!
      .trigger('click')
    await flushPromises()

    expect(fetchMock.mock.calls[1]![0]).toBe('/api/v1/datasources/d1')
    expect(fetchMock.mock.calls[1]![1]!.method).toBe('DELETE')
    expect(router.currentRoute.value.path).toBe('/datasources')
  })

  it('lists the queries that keep a datasource in use, each a link', async () => {
    const { wrapper, router } = await mountForm({ id: 'd1' })
    await wrapper.get('[data-test="delete"]').trigger('click')
    respond(409, {
      type: 'urn:sightline:problem:datasource-in-use',
      title: 'Datasource in use',
      status: 409,
      detail: '2 saved queries use "Outages replica": "Daily", "Sleepy". Move them …',
      queryCount: 2,
      queries: [
        { id: 'q1', name: 'Daily' },
        { id: 'q2', name: 'Sleepy' },
      ],
    })

    await wrapper
      .findAll('[data-test="confirm"] button')
      .find((b) => b.text() === 'Delete datasource')!
      .trigger('click')
    await flushPromises()

    const problem = wrapper.get('[data-test="delete-problem"]')
    expect(problem.text()).toContain('Cannot delete the datasource: Datasource in use')
    expect(problem.text()).toContain('2 saved queries use "Outages replica"')
    expect(problem.findAll('li a').map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['Daily', '/queries/q1'],
      ['Sleepy', '/queries/q2'],
    ])
    expect(router.currentRoute.value.path).toBe('/datasources/d1/edit')
    expect(wrapper.find('[data-test="confirm"]').exists()).toBe(false)
  })

  it('tells a non-admin that only admins can change datasources', async () => {
    const { wrapper } = await mountForm({ role: 'editor' })
    expect(wrapper.find('[data-test="not-admin"]').text()).toContain(
      'Only admins can add or change datasources.',
    )
    expect(wrapper.find('form').exists()).toBe(false)
  })
})

describe('DatasourceFormView test connection', () => {
  it('posts the unsaved form and shows the server version and latency', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    respond(200, { ok: true, serverVersion: 'PostgreSQL 17.2', latencyMs: 12 })

    const text = await pressTest(wrapper)

    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/datasources/test')
    expect(sentBody()).toMatchObject({ host: '127.0.0.1', port: 5433, user: 'postgres' })
    expect(text).toBe('Connected — PostgreSQL 17.2 in 12 ms')
    expect(wrapper.find('[data-test="test-result"]').classes()).toContain('is-ok')
  })

  it('shows the failure code in words with the runner message', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    respond(200, {
      ok: false,
      code: 'connection_refused',
      message: 'Connection refused: 127.0.0.1:5433',
    })

    const text = await pressTest(wrapper)

    expect(text).toContain('Connection refused')
    expect(text).toContain('Connection refused: 127.0.0.1:5433')
    expect(wrapper.find('[data-test="test-result"]').classes()).toContain('is-bad')
  })

  it('says that no runner is available on a 503', async () => {
    const { wrapper } = await mountForm()
    await fillConnection(wrapper)
    respond(503, {
      type: 'urn:sightline:problem:no-runner',
      title: 'No runner available',
      status: 503,
      detail: 'No runner answered within 10 s.',
    })

    const text = await pressTest(wrapper)

    expect(text).toContain('No runner is available to test the connection')
    expect(text).toContain('No runner answered within 10 s.')
  })

  it('reuses the stored password on edit by sending the datasource id', async () => {
    const { wrapper } = await mountForm({ id: 'd1' })
    respond(200, { ok: false, code: 'authentication_failed', message: 'password rejected' })

    const text = await pressTest(wrapper)

    expect(sentBody(1)).toMatchObject({ datasourceId: 'd1', host: 'db.internal' })
    expect(sentBody(1)).not.toHaveProperty('password')
    expect(text).toContain('Authentication failed')
  })

  it('does not test without the connection fields', async () => {
    const { wrapper } = await mountForm()

    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Test connection')!
      .trigger('click')
    await flushPromises()

    expect(errorOf(wrapper, 'host')).toBe('Required.')
    expect(errorOf(wrapper, 'name')).toBeUndefined()
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
