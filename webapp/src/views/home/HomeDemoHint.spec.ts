import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { demoApi, type DemoStatus } from '@/api/demo'

import HomeDemoHint from './HomeDemoHint.vue'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

function mountWith(statuses: DemoStatus[]) {
  const status = vi.spyOn(demoApi, 'status')
  for (const s of statuses) status.mockResolvedValueOnce(s)
  status.mockResolvedValue(statuses[statuses.length - 1]!)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { template: '<p />' } }],
  })
  return { wrapper: mount(HomeDemoHint, { global: { plugins: [router] } }), status }
}

const installed: DemoStatus = {
  installed: true,
  dashboards: [
    { id: 'd1', name: 'ohub — power outages across Canada', slug: 'demo-ohub' },
    { id: 'd2', name: 'Trad — order flow', slug: 'demo-trad' },
  ],
}

describe('HomeDemoHint', () => {
  it('links to the demo dashboards once installed', async () => {
    const { wrapper } = mountWith([installed])
    await flushPromises()
    const links = wrapper.findAll('[data-testid="home-demo-hint"] a')
    expect(links.map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['ohub — power outages across Canada', '/dashboards/demo-ohub'],
      ['Trad — order flow', '/dashboards/demo-trad'],
      ['Admin → Demo', '/admin/demo'],
    ])
  })

  it('says the demo is on its way while a first start installs it, then shows it without a reload', async () => {
    vi.useFakeTimers()
    const { wrapper, status } = mountWith([
      { installed: false, installing: true },
      { installed: false, installing: true },
      installed,
    ])
    await flushPromises()
    expect(wrapper.find('[data-testid="home-demo-installing"]').text()).toContain(
      'Preparing the live demo',
    )
    await vi.advanceTimersByTimeAsync(3000)
    expect(wrapper.find('[data-testid="home-demo-installing"]').exists()).toBe(true)
    await vi.advanceTimersByTimeAsync(3000)
    await flushPromises()
    expect(wrapper.find('[data-testid="home-demo-installing"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="home-demo-hint"] a')).toHaveLength(3)
    expect(status).toHaveBeenCalledTimes(3)
    // installed: no more polling
    await vi.advanceTimersByTimeAsync(10_000)
    expect(status).toHaveBeenCalledTimes(3)
  })

  it('shows nothing without a demo, and does not poll', async () => {
    vi.useFakeTimers()
    const { wrapper, status } = mountWith([{ installed: false, installing: false }])
    await flushPromises()
    expect(wrapper.html()).not.toContain('demo')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(status).toHaveBeenCalledTimes(1)
  })
})
