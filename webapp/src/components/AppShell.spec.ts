import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Me } from '@/api/auth'
import { useSessionStore } from '@/stores/session'
import { THEME_STORAGE_KEY } from '@/stores/theme'

import AppShell from './AppShell.vue'

const Blank = { template: '<p>page</p>' }

const signedIn: Me = {
  user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
  org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
  role: 'editor',
  orgs: [{ id: 'o1', name: 'Trading ops', slug: 'trading-ops', role: 'editor' }],
}

async function mountShell(path = '/', me: Me | null = null) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: Blank }],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  if (me) useSessionStore().me = me
  return mount(AppShell, {
    global: { plugins: [router, pinia] },
    slots: { default: '<p data-test="content">Area content</p>' },
  })
}

beforeEach(() => {
  localStorage.clear()
  document.documentElement.removeAttribute('data-theme')
})

describe('AppShell', () => {
  it('names the product and links the six areas in order', async () => {
    const wrapper = await mountShell()

    expect(wrapper.find('.app-shell-brand').text()).toBe('Sightline')
    const links = wrapper.findAll('nav[aria-label="Main"] a')
    expect(links.map((link) => [link.text(), link.attributes('href')])).toEqual([
      ['Queries', '/queries'],
      ['Dashboards', '/dashboards'],
      ['Schedules', '/schedules'],
      ['Runs', '/runs'],
      ['Datasources', '/datasources'],
      ['Admin', '/admin'],
    ])
  })

  it('marks the area of the current page as current', async () => {
    const wrapper = await mountShell('/runs')

    const current = wrapper.findAll('nav a[aria-current="page"]')
    expect(current.map((link) => link.text())).toEqual(['Runs'])
  })

  it('renders the page inside the main region', async () => {
    const wrapper = await mountShell()

    expect(wrapper.find('main [data-test="content"]').text()).toBe('Area content')
  })

  it('switches to the dark theme and remembers it', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light')
    const wrapper = await mountShell()
    const toggle = wrapper.find('button.app-shell-theme')
    expect(toggle.attributes('aria-pressed')).toBe('false')

    await toggle.trigger('click')

    expect(toggle.attributes('aria-pressed')).toBe('true')
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark')
  })

  it('shows who is signed in, with their role, and no org switcher for one org', async () => {
    const wrapper = await mountShell('/', signedIn)

    expect(wrapper.find('[data-test="user-email"]').text()).toBe('ops@example.com')
    expect(wrapper.find('[data-test="user-role"]').text()).toBe('editor')
    expect(wrapper.find('[data-test="org-switcher"]').exists()).toBe(false)
  })

  it('switches org through PUT /api/v1/me/org when the user has several', async () => {
    const fetchMock = vi.fn<typeof fetch>()
    vi.stubGlobal('fetch', fetchMock)
    const outages = { id: 'o2', name: 'Outages', slug: 'outages', role: 'viewer' as const }
    const wrapper = await mountShell('/runs', { ...signedIn, orgs: [...signedIn.orgs, outages] })
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          ...signedIn,
          org: { ...outages, timezone: 'UTC' },
          role: 'viewer',
          orgs: [...signedIn.orgs, outages],
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    )

    await wrapper.find('[data-test="org-switcher"]').setValue('o2')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect([url, init?.method, init?.body]).toEqual(['/api/v1/me/org', 'PUT', '{"orgId":"o2"}'])
    expect(wrapper.find('[data-test="user-role"]').text()).toBe('viewer')
  })

  it('shows no user menu when nobody is signed in', async () => {
    const wrapper = await mountShell()

    expect(wrapper.find('[data-test="user-email"]').exists()).toBe(false)
  })
})
