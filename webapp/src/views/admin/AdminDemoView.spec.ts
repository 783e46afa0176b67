import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { Role } from '@/api/auth'
import type { DemoStatus } from '@/api/demo'
import { useSessionStore } from '@/stores/session'
import { jsonResponse } from '@/testing/http'

import AdminDemoView from './AdminDemoView.vue'

const fetchMock = vi.fn<typeof fetch>()

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

const item = (id: string, name: string) => ({ id, name })

const installed: DemoStatus = {
  installed: true,
  installedAt: '2026-12-03T05:00:00Z',
  database: 'sightline_demo',
  seed: 1,
  datasources: [item('d1', 'Demo'), item('d2', 'Demo ticker')],
  queries: [item('q1', 'ohub · Top causes')],
  visualizations: [item('v1', 'Top causes')],
  dashboards: [{ id: 'b1', name: 'ohub — power outages across Canada', slug: 'demo-ohub' }],
  schedules: [item('s1', 'Demo tick')],
  dependents: [],
}

async function mountView(status: DemoStatus, role: Role = 'admin') {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Ops', slug: 'ops', timezone: 'UTC' },
    role,
    orgs: [],
  }
  respond(200, status)
  const wrapper = mount(AdminDemoView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('AdminDemoView', () => {
  it('lists what goes in the confirmation, removes the demo and says what happened to the database', async () => {
    const wrapper = await mountView(installed)
    expect(wrapper.text()).toContain('Demo ticker')
    await wrapper.get('[data-testid="demo-remove"]').trigger('click')
    const confirm = wrapper.get('[data-test="confirm"]')
    expect(confirm.text()).toContain(
      '1 dashboards, 1 schedules, 1 visualizations, 1 queries, 2 datasources',
    )
    respond(200, {
      removed: { schedules: 1, dashboards: 1, visualizations: 1, queries: 1, datasources: 2 },
      databaseDropped: true,
      databaseMessage: 'The demo database sightline_demo was dropped.',
    })
    respond(200, { installed: false, removedAt: '2026-12-03T06:00:00Z' })
    await confirm.get('button').trigger('click')
    await flushPromises()
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/v1/demo')
    expect((fetchMock.mock.calls[1]![1] as RequestInit).method).toBe('DELETE')
    expect(wrapper.get('[data-testid="demo-removed"]').text()).toContain(
      'sightline_demo was dropped',
    )
    expect(wrapper.get('[data-testid="demo-absent"]').text()).toContain('not installed again')
  })

  it('lists members’ objects that depend on the demo and waits for them to go', async () => {
    const wrapper = await mountView({
      ...installed,
      dependents: [{ kind: 'query', id: 'q9', name: 'My outage count' }],
    })
    expect(wrapper.get('[data-testid="demo-dependents"]').text()).toContain(
      'query “My outage count”',
    )
    expect(wrapper.get('[data-testid="demo-remove"]').attributes('disabled')).toBeDefined()
  })

  it('offers no removal to a viewer', async () => {
    const wrapper = await mountView(installed, 'viewer')
    expect(wrapper.find('[data-testid="demo-remove"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('Only an admin can remove the demo.')
  })
})
