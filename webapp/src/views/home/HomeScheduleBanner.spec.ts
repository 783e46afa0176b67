import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as schedulesApi from '@/api/schedules'
import type { Schedule, SchedulePage } from '@/api/schedules'

import HomeScheduleBanner from './HomeScheduleBanner.vue'

afterEach(() => vi.restoreAllMocks())

const one = { id: 's1' } as Schedule

async function mountWith(pages: Record<string, SchedulePage>) {
  const list = vi
    .spyOn(schedulesApi, 'listSchedules')
    .mockImplementation(
      async (query = {}) => pages[query.state!] ?? { items: [], nextCursor: null },
    )
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { template: '<p />' } }],
  })
  const wrapper = mount(HomeScheduleBanner, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, list }
}

describe('HomeScheduleBanner', () => {
  it('is absent when nothing fails, asking one item per state', async () => {
    const { wrapper, list } = await mountWith({})
    expect(wrapper.find('[data-testid="home-schedule-banner"]').exists()).toBe(false)
    expect(list.mock.calls.map(([q]) => q)).toEqual([
      { state: 'failing', limit: 1 },
      { state: 'broken', limit: 1 },
    ])
  })

  it('counts 1 or "some" and links each to the filtered Schedules page', async () => {
    const { wrapper } = await mountWith({
      broken: { items: [one], nextCursor: null },
      failing: { items: [one], nextCursor: 'more' },
    })
    const broken = wrapper.find('[data-testid="home-schedules-broken"]')
    const failing = wrapper.find('[data-testid="home-schedules-failing"]')
    expect(broken.text()).toBe('1 schedule is broken')
    expect(broken.attributes('href')).toBe('/schedules?state=broken')
    expect(failing.text()).toBe('Some schedules are failing')
    expect(failing.attributes('href')).toBe('/schedules?state=failing')
  })

  it('stays quiet when the read fails', async () => {
    vi.spyOn(schedulesApi, 'listSchedules').mockRejectedValue(new Error('down'))
    const wrapper = mount(HomeScheduleBanner, {
      global: {
        plugins: [
          createRouter({
            history: createMemoryHistory(),
            routes: [{ path: '/', component: { template: '<p />' } }],
          }),
        ],
      },
    })
    await flushPromises()
    expect(wrapper.find('[data-testid="home-schedule-banner"]').exists()).toBe(false)
  })
})
