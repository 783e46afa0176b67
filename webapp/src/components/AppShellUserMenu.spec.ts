import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { useSessionStore } from '@/stores/session'
import { jsonResponse } from '@/testing/http'

import AppShellUserMenu from './AppShellUserMenu.vue'

const fetchMock = vi.fn<typeof fetch>()

async function mountMenu() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: { template: '<p>sign in</p>' } },
      { path: '/:any(.*)*', component: { template: '<p>page</p>' } },
    ],
  })
  await router.push('/runs')
  const pinia = createPinia()
  setActivePinia(pinia)
  const session = useSessionStore()
  session.me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
    role: 'editor',
    orgs: [{ id: 'o1', name: 'Trading ops', slug: 'trading-ops', role: 'editor' }],
  }
  const wrapper = mount(AppShellUserMenu, {
    global: { plugins: [router, pinia] },
    attachTo: document.body,
  })
  return { wrapper, router, session }
}

type Mounted = Awaited<ReturnType<typeof mountMenu>>

function button(wrapper: Mounted['wrapper'], text: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === text)
  if (!found) throw new Error(`no button "${text}"`)
  return found
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  document.body.innerHTML = ''
})

describe('AppShellUserMenu sign out everywhere', () => {
  it('asks first, saying what it ends and that API keys keep working', async () => {
    const { wrapper } = await mountMenu()

    await button(wrapper, 'Sign out everywhere…').trigger('click')

    const confirm = wrapper.find('[data-test="confirm"]')
    expect(confirm.text()).toContain('Sign out everywhere?')
    expect(confirm.text()).toContain('every device and browser')
    expect(confirm.text()).toContain('API keys keep working')
    expect(fetchMock).not.toHaveBeenCalled()

    await button(wrapper, 'Cancel').trigger('click')

    expect(wrapper.find('[data-test="confirm"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="sign-out-everywhere"]').exists()).toBe(true)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('ends every session through logout?everywhere=true and lands on sign-in', async () => {
    const { wrapper, router, session } = await mountMenu()
    fetchMock.mockResolvedValueOnce(jsonResponse(204))

    await button(wrapper, 'Sign out everywhere…').trigger('click')
    await button(wrapper, 'Sign out everywhere').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect([url, init?.method]).toEqual(['/api/v1/auth/logout?everywhere=true', 'POST'])
    expect(session.signedIn).toBe(false)
    expect(router.currentRoute.value.name).toBe('sign-in')
  })

  it('stays and says so when the server could not end the sessions', async () => {
    const { wrapper, router, session } = await mountMenu()
    fetchMock.mockResolvedValueOnce(
      jsonResponse(503, { title: 'The server is unavailable', status: 503, detail: 'Try again.' }),
    )

    await button(wrapper, 'Sign out everywhere…').trigger('click')
    await button(wrapper, 'Sign out everywhere').trigger('click')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').text()).toContain(
      'Could not sign out everywhere: The server is unavailable',
    )
    expect(session.signedIn).toBe(true)
    expect(router.currentRoute.value.path).toBe('/runs')
  })

  it('signs out of this session alone with the plain sign-out', async () => {
    const { wrapper, router } = await mountMenu()
    fetchMock.mockResolvedValueOnce(jsonResponse(204))

    await button(wrapper, 'Sign out').trigger('click')
    await flushPromises()

    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/auth/logout')
    expect(router.currentRoute.value.name).toBe('sign-in')
  })
})
