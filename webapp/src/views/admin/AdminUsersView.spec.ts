import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { Role } from '@/api/auth'
import type { Member } from '@/api/users'
import { useSessionStore } from '@/stores/session'

import AdminUsersView from './AdminUsersView.vue'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

const me: Member = {
  id: 'u1',
  email: 'ops@example.com',
  displayName: 'Ops lead',
  role: 'admin',
  disabled: false,
  mustChangePassword: false,
  lastLoginAt: '2026-11-29T03:00:00Z',
  memberSince: '2026-11-01T00:00:00Z',
}

const analyst: Member = {
  id: 'u2',
  email: 'analyst@example.com',
  displayName: '',
  role: 'viewer',
  disabled: false,
  mustChangePassword: false,
  lastLoginAt: null,
  memberSince: '2026-11-02T00:00:00Z',
}

const lastAdmin = {
  type: 'urn:sightline:problem:conflict',
  title: 'An org needs an admin',
  status: 409,
  detail: "This is the org's last active admin. Make another member admin first.",
}

async function mountView(options: { role?: Role; members?: Member[] } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const role = options.role ?? 'admin'
  useSessionStore().me = {
    user: { id: 'u1', email: me.email, displayName: me.displayName, mustChangePassword: false },
    org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
    role,
    orgs: [],
  }
  if (role === 'admin') respond(200, options.members ?? [me, analyst])
  const wrapper = mount(AdminUsersView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountView>>

function row(wrapper: Wrapper, email: string) {
  const found = wrapper.findAll('[data-test="member-row"]').find((r) => r.text().includes(email))
  if (!found) throw new Error(`no row for ${email}`)
  return found
}

function button(wrapper: { findAll: Wrapper['findAll'] }, text: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === text)
  if (!found) throw new Error(`no button "${text}"`)
  return found
}

function sent(call: number): { url: unknown; method?: string; body: unknown } {
  const [url, init] = fetchMock.mock.calls[call]!
  return { url, method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined }
}

async function invite(wrapper: Wrapper, email: string, role: Role): Promise<void> {
  await button(wrapper, 'Invite member').trigger('click')
  await wrapper.find('input[name="email"]').setValue(email)
  await wrapper.find('select[name="role"]').setValue(role)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  document.body.innerHTML = ''
})

describe('AdminUsersView list', () => {
  it('lists each member with name, role, status and last sign-in', async () => {
    const wrapper = await mountView()

    expect(sent(0)).toMatchObject({ url: '/api/v1/users', method: 'GET' })
    const mine = row(wrapper, 'ops@example.com')
    expect(mine.text()).toContain('Ops lead')
    expect(mine.text()).toContain('you')
    expect((mine.find('select').element as HTMLSelectElement).value).toBe('admin')
    expect(mine.find('[data-test="member-status"]').text()).toBe('Active')
    expect(mine.find('time').attributes('datetime')).toBe('2026-11-29T03:00:00Z')

    const other = row(wrapper, 'analyst@example.com')
    expect((other.find('select').element as HTMLSelectElement).value).toBe('viewer')
    expect(other.text()).toContain('Never')
    expect(other.text()).toContain('Disable')
    expect(other.text()).toContain('Reset password')
  })

  it('offers no way to disable or reset oneself', async () => {
    const wrapper = await mountView()

    expect(row(wrapper, 'ops@example.com').findAll('button')).toHaveLength(0)
  })

  it('shows a disabled member as disabled, with Enable', async () => {
    const wrapper = await mountView({ members: [me, { ...analyst, disabled: true }] })

    const other = row(wrapper, 'analyst@example.com')
    expect(other.find('[data-test="member-status"]').text()).toBe('Disabled')
    expect(other.text()).toContain('Enable')
  })

  it('shows a failed load in words, with a retry', async () => {
    respond(500, { title: 'Internal error', status: 500, detail: 'The database is down.' })
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().me = {
      user: { id: 'u1', email: me.email, displayName: '', mustChangePassword: false },
      org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
      role: 'admin',
      orgs: [],
    }
    const wrapper = mount(AdminUsersView, { global: { plugins: [pinia] } })
    await flushPromises()

    const alert = wrapper.find('[role="alert"]').text()
    expect(alert).toContain('Cannot load the members: Internal error')
    expect(alert).toContain('The database is down.')

    respond(200, [me])
    await button(wrapper, 'Try again').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-test="member-row"]')).toHaveLength(1)
  })

  it('says so when there are no members', async () => {
    const wrapper = await mountView({ members: [] })

    expect(wrapper.find('[data-test="empty"]').text()).toContain('No members yet.')
  })

  it('tells a non-admin that only admins can manage users, without asking the server', async () => {
    const wrapper = await mountView({ role: 'editor' })

    expect(wrapper.find('[data-test="not-admin"]').text()).toContain(
      'Only admins can manage users.',
    )
    expect(wrapper.find('table').exists()).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows the same state when the server answers 403', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().me = {
      user: { id: 'u1', email: me.email, displayName: '', mustChangePassword: false },
      org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
      role: 'admin',
      orgs: [],
    }
    respond(403, { title: 'Not allowed', status: 403, detail: 'This needs the admin role.' })
    const wrapper = mount(AdminUsersView, { global: { plugins: [pinia] } })
    await flushPromises()

    const refused = wrapper.find('[data-test="not-admin"]').text()
    expect(refused).toContain('Only admins can manage users.')
    expect(refused).toContain('This needs the admin role.')
  })
})

describe('AdminUsersView invite', () => {
  it('shows the one-time password once, and forgets it when done', async () => {
    const wrapper = await mountView()
    respond(201, {
      ...analyst,
      id: 'u3',
      email: 'new@example.com',
      role: 'editor',
      mustChangePassword: true,
      existingAccount: false,
      oneTimePassword: 'abcde-fghjk-mnpqr-stuvw',
    })

    await invite(wrapper, ' new@example.com ', 'editor')

    expect(sent(1)).toEqual({
      url: '/api/v1/users',
      method: 'POST',
      body: { email: 'new@example.com', role: 'editor' },
    })
    const secret = wrapper.find('[data-test="one-time-secret"]')
    expect(secret.text()).toContain('new@example.com was invited as editor')
    expect(secret.text()).toContain('shown only this once')
    expect(secret.text()).toContain('must change it when they first sign in')
    expect((secret.find('[data-test="secret-value"]').element as HTMLInputElement).value).toBe(
      'abcde-fghjk-mnpqr-stuvw',
    )
    expect(row(wrapper, 'new@example.com').text()).toContain('one-time password')
    expect(wrapper.find('form').exists()).toBe(false)

    await button(wrapper, 'Done, I have copied it').trigger('click')

    expect(wrapper.find('[data-test="one-time-secret"]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain('abcde-fghjk-mnpqr-stuvw')
  })

  it('copies the one-time password to the clipboard', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = await mountView()
    respond(201, {
      ...analyst,
      id: 'u3',
      email: 'new@example.com',
      existingAccount: false,
      oneTimePassword: 'abcde-fghjk-mnpqr-stuvw',
    })
    await invite(wrapper, 'new@example.com', 'viewer')

    await button(wrapper, 'Copy').trigger('click')
    await flushPromises()

    expect(writeText).toHaveBeenCalledWith('abcde-fghjk-mnpqr-stuvw')
    expect(wrapper.find('[data-test="one-time-secret"]').text()).toContain(
      'Copied to the clipboard.',
    )
  })

  it('says an existing account joins with its own password, and shows no password', async () => {
    const wrapper = await mountView()
    respond(201, { ...analyst, id: 'u4', email: 'known@example.com', existingAccount: true })

    await invite(wrapper, 'known@example.com', 'viewer')

    expect(wrapper.find('[data-test="one-time-secret"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="notice"]').text()).toContain(
      'known@example.com already had a Sightline account',
    )
  })

  it('checks the email before sending anything', async () => {
    const wrapper = await mountView()

    await invite(wrapper, 'not an email', 'viewer')

    const email = wrapper.find('input[name="email"]')
    expect(email.attributes('aria-invalid')).toBe('true')
    expect(wrapper.find(`#${email.attributes('aria-describedby')}`).text()).toContain(
      'Enter an email address',
    )
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('shows server field errors inline and a 409 in words', async () => {
    const wrapper = await mountView()
    respond(400, {
      title: 'Invalid request',
      status: 400,
      detail: 'Some fields are invalid.',
      errors: [{ field: '/email', message: 'must match the pattern' }],
    })

    await invite(wrapper, 'x@y', 'viewer')

    expect(wrapper.find('#invite-email-error').text()).toBe('Must match the pattern.')

    respond(409, {
      title: 'Already a member',
      status: 409,
      detail: 'analyst@example.com is already a member of this org.',
    })
    await wrapper.find('input[name="email"]').setValue('analyst@example.com')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const problem = wrapper.find('[data-test="form-problem"]').text()
    expect(problem).toContain('Already a member')
    expect(problem).toContain('analyst@example.com is already a member of this org.')
    expect(wrapper.find('#invite-email-error').exists()).toBe(false)
  })
})

describe('AdminUsersView role and access', () => {
  it('changes a role through PATCH', async () => {
    const wrapper = await mountView()
    respond(200, { ...analyst, role: 'editor' })

    await row(wrapper, 'analyst@example.com').find('select').setValue('editor')
    await flushPromises()

    expect(sent(1)).toEqual({
      url: '/api/v1/users/u2',
      method: 'PATCH',
      body: { role: 'editor' },
    })
    expect(wrapper.find('[data-test="notice"]').text()).toBe('analyst@example.com is now editor.')
  })

  it('explains the last-admin 409 in words and puts the role back', async () => {
    const wrapper = await mountView()
    respond(409, lastAdmin)

    const select = row(wrapper, 'ops@example.com').find('select')
    await select.setValue('viewer')
    await flushPromises()

    const problem = wrapper.find('[data-test="action-problem"]').text()
    expect(problem).toContain('Cannot change the role of ops@example.com: An org needs an admin')
    expect(problem).toContain(
      "This is the org's last active admin. Make another member admin first.",
    )
    expect((select.element as HTMLSelectElement).value).toBe('admin')
  })

  it('re-reads the session after demoting oneself, and then says only admins manage users', async () => {
    const wrapper = await mountView()
    respond(200, { ...me, role: 'editor' })
    respond(200, {
      user: { id: 'u1', email: me.email, displayName: me.displayName, mustChangePassword: false },
      org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
      role: 'editor',
      orgs: [],
    })

    await row(wrapper, 'ops@example.com').find('select').setValue('editor')
    await flushPromises()

    expect(sent(2)).toMatchObject({ url: '/api/v1/me', method: 'GET' })
    expect(wrapper.find('[data-test="not-admin"]').text()).toContain(
      'Only admins can manage users.',
    )
  })

  it('disables a member only after confirming', async () => {
    const wrapper = await mountView()

    await button(row(wrapper, 'analyst@example.com'), 'Disable').trigger('click')
    const confirm = wrapper.find('[data-test="confirm"]')
    expect(confirm.text()).toContain('Disable analyst@example.com?')
    expect(confirm.text()).toContain('sessions and API keys here stop working')
    expect(fetchMock).toHaveBeenCalledTimes(1)

    respond(200, { ...analyst, disabled: true })
    await button(confirm, 'Disable access').trigger('click')
    await flushPromises()

    expect(sent(1)).toEqual({
      url: '/api/v1/users/u2',
      method: 'PATCH',
      body: { disabled: true },
    })
    expect(row(wrapper, 'analyst@example.com').find('[data-test="member-status"]').text()).toBe(
      'Disabled',
    )
    expect(wrapper.find('[data-test="confirm"]').exists()).toBe(false)
  })

  it('sends nothing when the confirmation is cancelled', async () => {
    const wrapper = await mountView()

    await button(row(wrapper, 'analyst@example.com'), 'Disable').trigger('click')
    await button(wrapper.find('[data-test="confirm"]'), 'Cancel').trigger('click')

    expect(wrapper.find('[data-test="confirm"]').exists()).toBe(false)
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('enables a disabled member after confirming', async () => {
    const wrapper = await mountView({ members: [me, { ...analyst, disabled: true }] })
    respond(200, analyst)

    await button(row(wrapper, 'analyst@example.com'), 'Enable').trigger('click')
    await button(wrapper.find('[data-test="confirm"]'), 'Enable access').trigger('click')
    await flushPromises()

    expect(sent(1).body).toEqual({ disabled: false })
    expect(row(wrapper, 'analyst@example.com').find('[data-test="member-status"]').text()).toBe(
      'Active',
    )
  })

  it('resets a password after confirming and shows the new one-time password once', async () => {
    const wrapper = await mountView()
    respond(200, { oneTimePassword: 'zyxwv-utsrq-ponmk-jhgfe' })

    await button(row(wrapper, 'analyst@example.com'), 'Reset password').trigger('click')
    await button(wrapper.find('[data-test="confirm"]'), 'Reset password').trigger('click')
    await flushPromises()

    expect(sent(1)).toMatchObject({ url: '/api/v1/users/u2/password-reset', method: 'POST' })
    const secret = wrapper.find('[data-test="one-time-secret"]')
    expect(secret.text()).toContain('New one-time password for analyst@example.com')
    expect((secret.find('[data-test="secret-value"]').element as HTMLInputElement).value).toBe(
      'zyxwv-utsrq-ponmk-jhgfe',
    )

    await button(wrapper, 'Done, I have copied it').trigger('click')
    expect(wrapper.html()).not.toContain('zyxwv-utsrq-ponmk-jhgfe')
  })

  it('shows a refused password reset in words', async () => {
    const wrapper = await mountView()
    respond(403, {
      title: 'Not allowed',
      status: 403,
      detail: 'This user also belongs to orgs you do not administer.',
    })

    await button(row(wrapper, 'analyst@example.com'), 'Reset password').trigger('click')
    await button(wrapper.find('[data-test="confirm"]'), 'Reset password').trigger('click')
    await flushPromises()

    const problem = wrapper.find('[data-test="action-problem"]').text()
    expect(problem).toContain('Cannot reset the password of analyst@example.com: Not allowed')
    expect(problem).toContain('This user also belongs to orgs you do not administer.')
    expect(wrapper.find('[data-test="one-time-secret"]').exists()).toBe(false)
  })
})
