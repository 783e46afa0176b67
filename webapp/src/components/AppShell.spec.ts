import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Me } from '@/api/auth'
import { COMPACT_SHELL_QUERY } from '@/composables/useMediaQuery'
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

  describe('below ~1000 px', () => {
    /** A window whose width the test sets; `matchMedia` answers the shell's max-width query from it. */
    function windowOf(width: number) {
      const listeners = new Set<(event: MediaQueryListEvent) => void>()
      const state = { width }
      const matches = (query: string) => {
        const rem = /max-width:\s*([\d.]+)rem/.exec(query)
        return rem ? state.width <= Number(rem[1]) * 16 : false
      }
      vi.stubGlobal('matchMedia', (query: string) => ({
        get matches() {
          return matches(query)
        },
        media: query,
        addEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) =>
          listeners.add(listener),
        removeEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) =>
          listeners.delete(listener),
      }))
      return {
        resize(to: number) {
          state.width = to
          listeners.forEach((l) =>
            l({ matches: matches(COMPACT_SHELL_QUERY) } as MediaQueryListEvent),
          )
        },
      }
    }

    afterEach(() => vi.unstubAllGlobals())

    it('folds the sidebar to a rail of icons whose links keep their names', async () => {
      windowOf(800)
      const wrapper = await mountShell('/runs', signedIn)

      const shell = wrapper.find('[data-testid="app-shell"]')
      expect(shell.classes()).toContain('is-compact')
      expect(shell.classes()).not.toContain('is-open')
      const links = wrapper.findAll('nav[aria-label="Main"] a')
      expect(links.map((link) => [link.text(), link.attributes('title')])).toEqual([
        ['Queries', 'Queries'],
        ['Dashboards', 'Dashboards'],
        ['Schedules', 'Schedules'],
        ['Runs', 'Runs'],
        ['Datasources', 'Datasources'],
        ['Admin', 'Admin'],
      ])
      expect(wrapper.find('[data-test="user-email"]').exists()).toBe(false)
      expect(wrapper.find('[data-testid="app-shell-menu"]').attributes('aria-expanded')).toBe(
        'false',
      )
    })

    it('opens the whole menu, labels and user, from the menu button and closes it on navigation', async () => {
      windowOf(800)
      const wrapper = await mountShell('/runs', signedIn)
      const menu = wrapper.find('[data-testid="app-shell-menu"]')

      await menu.trigger('click')

      const shell = wrapper.find('[data-testid="app-shell"]')
      expect(shell.classes()).toEqual(expect.arrayContaining(['is-compact', 'is-open']))
      expect(menu.attributes('aria-expanded')).toBe('true')
      expect(wrapper.find('[data-test="user-email"]').text()).toBe('ops@example.com')
      expect(wrapper.find('nav a').attributes('title')).toBeUndefined()

      await wrapper.find('nav a[href="/queries"]').trigger('click')
      await flushPromises()

      expect(shell.classes()).not.toContain('is-open')
    })

    it('closes the open menu on Escape and on the backdrop', async () => {
      windowOf(800)
      const wrapper = await mountShell('/runs')
      const shell = wrapper.find('[data-testid="app-shell"]')

      await wrapper.find('[data-testid="app-shell-menu"]').trigger('click')
      await shell.trigger('keydown', { key: 'Escape' })
      expect(shell.classes()).not.toContain('is-open')

      await wrapper.find('[data-testid="app-shell-menu"]').trigger('click')
      await wrapper.find('[data-testid="app-shell-backdrop"]').trigger('click')
      expect(shell.classes()).not.toContain('is-open')
    })

    it('follows the window across the breakpoint', async () => {
      const window = windowOf(1280)
      const wrapper = await mountShell('/runs')
      const shell = wrapper.find('[data-testid="app-shell"]')
      expect(shell.classes()).not.toContain('is-compact')
      expect(wrapper.find('[data-testid="app-shell-menu"]').exists()).toBe(false)

      window.resize(999)
      await flushPromises()
      expect(shell.classes()).toContain('is-compact')

      window.resize(1001)
      await flushPromises()
      expect(shell.classes()).not.toContain('is-compact')
    })
  })
})
