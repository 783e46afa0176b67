import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import AppShell from '@/components/AppShell.vue'
import router from '@/router'

import AdminView from './AdminView.vue'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  setActivePinia(createPinia())
})

describe('Admin routes', () => {
  it('opens the users section at /admin and links each section by its own address', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    respond(200, {
      user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
      org: { id: 'o1', name: 'Trading ops', slug: 'trading-ops', timezone: 'UTC' },
      role: 'admin',
      orgs: [],
    })
    await router.push('/admin')
    expect(router.currentRoute.value.fullPath).toBe('/admin/users')

    respond(200, [])
    const wrapper = mount(
      { components: { AppShell, AdminView }, template: '<AppShell><AdminView /></AppShell>' },
      { global: { plugins: [router, pinia] } },
    )
    await flushPromises()

    const sections = wrapper.find('nav[aria-label="Admin sections"]')
    expect(sections.findAll('a').map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['Users', '/admin/users'],
      ['API keys', '/admin/api-keys'],
      ['Demo', '/admin/demo'],
      ['Audit', '/admin/audit'],
    ])
    expect(sections.find('a[aria-current="page"]').text()).toBe('Users')
    expect(wrapper.find('h2').text()).toBe('Members')
    expect(wrapper.find('nav[aria-label="Main"] .router-link-active').text()).toBe('Admin')

    respond(200, [])
    await router.push('/admin/api-keys')
    await flushPromises()

    expect(sections.find('a[aria-current="page"]').text()).toBe('API keys')
    expect(wrapper.find('[data-test="empty"]').text()).toContain('No active API keys.')
    expect(wrapper.find('nav[aria-label="Main"] .router-link-active').text()).toBe('Admin')
    expect(document.title).toBe('API keys · Admin · Sightline')
  })
})
