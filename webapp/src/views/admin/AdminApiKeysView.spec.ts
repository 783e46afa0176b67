import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { ApiKey } from '@/api/apiKeys'
import type { Role } from '@/api/auth'
import { formatDate } from '@/lib/format'
import { useSessionStore } from '@/stores/session'
import { useFixedClock } from '@/testing/clock'
import { jsonResponse } from '@/testing/http'

import AdminApiKeysView from './AdminApiKeysView.vue'

const fetchMock = vi.fn<typeof fetch>()
/** The clock of every test: the list's relative times and expiry states are read against it. */
const NOW = new Date('2026-11-29T05:05:00Z')

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

const SECRET = 'sl_AbC123xyzXYZ0123456789abcdefghijklmnopqrstu'

const export_: ApiKey = {
  id: 'k1',
  name: 'grafana export',
  prefix: 'sl_Zz9Yy8',
  createdAt: '2026-11-20T10:00:00Z',
  lastUsedAt: '2026-11-29T03:05:00Z',
  expiresAt: null,
  owner: { id: 'u2', email: 'analyst@example.com' },
}

const cron: ApiKey = {
  id: 'k2',
  name: 'cron export',
  prefix: 'sl_Qq7Ww6',
  createdAt: '2026-11-21T10:00:00Z',
  lastUsedAt: null,
  expiresAt: '2027-02-27T05:05:00Z',
  owner: { id: 'u1', email: 'ops@example.com' },
}

const expired: ApiKey = {
  ...cron,
  id: 'k4',
  name: 'old sync',
  prefix: 'sl_Ee5Rr4',
  lastUsedAt: '2026-10-01T00:00:00Z',
  expiresAt: '2026-11-28T00:00:00Z',
}

const soon: ApiKey = { ...cron, id: 'k5', name: 'trial', expiresAt: '2026-12-02T05:05:00Z' }

async function mountView(options: { role?: Role; keys?: ApiKey[] | null } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
    role: options.role ?? 'admin',
    orgs: [],
  }
  if (options.keys !== null) respond(200, options.keys ?? [export_, cron])
  const wrapper = mount(AdminApiKeysView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountView>>

function row(wrapper: Wrapper, name: string) {
  const found = wrapper.findAll('[data-test="api-key-row"]').find((r) => r.text().includes(name))
  if (!found) throw new Error(`no row for ${name}`)
  return found
}

function button(wrapper: { findAll: Wrapper['findAll'] }, text: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === text)
  if (!found) throw new Error(`no button "${text}"`)
  return found
}

async function create(wrapper: Wrapper, name: string): Promise<void> {
  await wrapper.find('input[name="name"]').setValue(name)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

useFixedClock(NOW)

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  document.body.innerHTML = ''
})

describe('AdminApiKeysView list', () => {
  it('lists name, prefix, owner, created, last used and expiry', async () => {
    const wrapper = await mountView()

    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/api-keys')
    expect(wrapper.findAll('thead th').map((th) => th.text())).toEqual([
      'Name',
      'Key',
      'Owner',
      'Created',
      'Last used',
      'Expires',
      'Actions',
    ])
    const used = row(wrapper, 'grafana export')
    expect(used.text()).toContain('sl_Zz9Yy8…')
    expect(used.text()).toContain('analyst@example.com')
    expect(used.findAll('time').map((t) => t.attributes('datetime'))).toEqual([
      '2026-11-20T10:00:00Z',
      '2026-11-29T03:05:00Z',
    ])
    const lastUsed = used.find('[data-test="last-used"] time')
    expect(lastUsed.text()).toBe('2 h ago')
    expect(lastUsed.attributes('title')).toContain('2026')
    expect(used.find('[data-test="expires"]').text()).toBe('Never')

    const unused = row(wrapper, 'cron export')
    expect(unused.find('[data-test="last-used"]').text()).toBe('Never')
    const expires = unused.find('[data-test="expires"] time')
    expect(expires.attributes('datetime')).toBe('2027-02-27T05:05:00Z')
    expect(expires.text()).toBe(formatDate('2027-02-27T05:05:00Z'))
    expect(expires.attributes('title')).toContain('2027')
    expect(unused.classes()).not.toContain('is-expired')
  })

  it('marks an expired key, and one that expires within a week', async () => {
    const wrapper = await mountView({ keys: [expired, soon, cron] })

    const old = row(wrapper, 'old sync')
    expect(old.classes()).toContain('is-expired')
    expect(old.find('[data-test="expires"]').text()).toBe(
      `Expired ${formatDate(expired.expiresAt)}`,
    )
    const trial = row(wrapper, 'trial')
    expect(trial.classes()).not.toContain('is-expired')
    expect(trial.find('.admin-api-keys-expiry').classes()).toContain('is-soon')
    expect(trial.find('[data-test="expires"]').text()).toContain('(in 3 d)')
    expect(row(wrapper, 'cron export').find('.admin-api-keys-expiry').classes()).toContain('is-ok')
  })

  it('shows no owner column to a member who only sees their own keys', async () => {
    const wrapper = await mountView({ role: 'viewer', keys: [cron] })

    expect(wrapper.find('thead').text()).not.toContain('Owner')
    expect(wrapper.text()).toContain('You see your own keys.')
  })

  it('says when there are no keys', async () => {
    const wrapper = await mountView({ keys: [] })

    expect(wrapper.find('[data-test="empty"]').text()).toContain('No active API keys.')
  })

  it('shows a failed load in words', async () => {
    respond(503, { title: 'The server is unavailable', status: 503, detail: 'Try again shortly.' })
    const wrapper = await mountView({ keys: null })

    const alert = wrapper.find('[role="alert"]').text()
    expect(alert).toContain('Cannot load the API keys: The server is unavailable')
    expect(alert).toContain('Try again shortly.')
  })
})

describe('AdminApiKeysView create', () => {
  it('shows the new secret once with a warning, lists the key without it, then forgets it', async () => {
    const wrapper = await mountView({ keys: [export_] })
    respond(201, { ...cron, id: 'k3', name: 'nightly csv', prefix: 'sl_AbC123', key: SECRET })

    await create(wrapper, '  nightly csv ')

    const [url, init] = fetchMock.mock.calls[1]!
    expect([url, init?.method, init?.body]).toEqual([
      '/api/v1/api-keys',
      'POST',
      '{"name":"nightly csv","expiresAt":"2027-02-27T05:05:00.000Z"}',
    ])
    const secret = wrapper.find('[data-test="one-time-secret"]')
    expect(secret.text()).toContain('API key “nightly csv” created')
    expect(secret.text()).toContain('it will not be shown again')
    expect(secret.text()).toContain(`It stops working on ${formatDate(cron.expiresAt)}.`)
    expect((secret.find('[data-test="secret-value"]').element as HTMLInputElement).value).toBe(
      SECRET,
    )
    const rows = wrapper.findAll('[data-test="api-key-row"]')
    expect(rows.map((r) => r.find('td').text())).toEqual(['nightly csv', 'grafana export'])
    expect(rows[0]!.text()).not.toContain(SECRET)
    expect((wrapper.find('input[name="name"]').element as HTMLInputElement).value).toBe('')

    await button(wrapper, 'Done, I have copied it').trigger('click')

    expect(wrapper.find('[data-test="one-time-secret"]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain(SECRET)
  })

  it('asks for a name before sending anything', async () => {
    const wrapper = await mountView()

    await create(wrapper, '   ')

    const name = wrapper.find('input[name="name"]')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(name.attributes('aria-describedby')).toContain('api-key-name-error')
    expect(wrapper.find('#api-key-name-error').text()).toContain('Required')
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('shows a server field error inline', async () => {
    const wrapper = await mountView()
    respond(400, {
      title: 'Invalid request',
      status: 400,
      detail: 'Some fields are invalid.',
      errors: [{ field: '/name', message: 'must be at most 200 characters long' }],
    })

    await create(wrapper, 'x')

    expect(wrapper.find('#api-key-name-error').text()).toBe('Must be at most 200 characters long.')
    expect(wrapper.find('[data-test="form-problem"]').text()).toContain('Invalid request')
  })
})

describe('AdminApiKeysView revoke', () => {
  it('revokes a key only after confirming, and drops it from the list', async () => {
    const wrapper = await mountView()

    await button(row(wrapper, 'grafana export'), 'Revoke').trigger('click')
    const confirm = wrapper.find('[data-test="confirm"]')
    expect(confirm.text()).toContain('Revoke “grafana export” (sl_Zz9Yy8…)?')
    expect(confirm.text()).toContain('stops working at once')
    expect(fetchMock).toHaveBeenCalledTimes(1)

    respond(204)
    await button(confirm, 'Revoke key').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[1]!
    expect([url, init?.method]).toEqual(['/api/v1/api-keys/k1', 'DELETE'])
    expect(wrapper.findAll('[data-test="api-key-row"]').map((r) => r.find('td').text())).toEqual([
      'cron export',
    ])
    expect(wrapper.find('[data-test="notice"]').text()).toContain('Revoked “grafana export”')
  })

  it('keeps the key when the confirmation is cancelled', async () => {
    const wrapper = await mountView()

    await button(row(wrapper, 'grafana export'), 'Revoke').trigger('click')
    await wrapper.find('[data-test="confirm"]').trigger('keydown', { key: 'Escape' })

    expect(wrapper.find('[data-test="confirm"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-test="api-key-row"]')).toHaveLength(2)
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('shows a failed revoke in words', async () => {
    const wrapper = await mountView()
    respond(404, {
      title: 'Not found',
      status: 404,
      detail: 'That API key does not exist.',
    })

    await button(row(wrapper, 'grafana export'), 'Revoke').trigger('click')
    await button(wrapper.find('[data-test="confirm"]'), 'Revoke key').trigger('click')
    await flushPromises()

    const problem = wrapper.find('[data-test="action-problem"]').text()
    expect(problem).toContain('Cannot revoke “grafana export”: Not found')
    expect(problem).toContain('That API key does not exist.')
  })
})
