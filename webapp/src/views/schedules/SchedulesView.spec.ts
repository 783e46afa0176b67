import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as schedulesApi from '@/api/schedules'
import type { Schedule, ScheduleListQuery } from '@/api/schedules'
import { resetEventBus, setEventBusSocketFactory } from '@/composables/useEventBus'
import { useSessionStore } from '@/stores/session'
import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'

import SchedulesView from './SchedulesView.vue'

enableAutoUnmount(afterEach)

function schedule(n: number, patch: Partial<Schedule> = {}): Schedule {
  return {
    id: `s${n}`,
    name: `Schedule ${n}`,
    queryId: 'q1',
    queryName: 'Outages',
    dashboardId: null,
    dashboardName: null,
    params: {},
    kind: 'interval',
    everySeconds: 900,
    cron: null,
    timezone: 'UTC',
    description: 'every 15 minutes (UTC)',
    startsAt: null,
    endsAt: null,
    enabled: true,
    state: 'ok',
    nextRunAt: new Date(Date.now() + 60_000).toISOString(),
    lastFiredAt: null,
    lastRunId: null,
    consecutiveFailures: 0,
    lastError: null,
    brokenReason: null,
    backoffUntil: null,
    endedAt: null,
    version: 1,
    createdAt: '2026-11-29T09:00:00Z',
    createdBy: null,
    updatedAt: '2026-11-29T09:00:00Z',
    updatedBy: null,
    ...patch,
  }
}

let queries: ScheduleListQuery[] = []

beforeEach(() => {
  queries = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
})

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
  vi.restoreAllMocks()
})

async function mountPage(path = '/schedules') {
  const Blank = { template: '<p>page</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/schedules', component: SchedulesView },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role: 'viewer',
    orgs: [],
  }
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router, pinia] } })
  await flushPromises()
  return { wrapper, router }
}

describe('SchedulesView', () => {
  it('lists target, reading, health with the broken reason; filters by state through the URL', async () => {
    vi.spyOn(schedulesApi, 'listSchedules').mockImplementation(async (query = {}) => {
      queries.push(query)
      if (query.state === 'broken') {
        return {
          items: [
            schedule(2, {
              state: 'broken',
              consecutiveFailures: 1,
              brokenReason: 'the query "Outages" was archived',
            }),
          ],
          nextCursor: null,
        }
      }
      return {
        items: [schedule(1), schedule(3, { state: 'failing', consecutiveFailures: 4 })],
        nextCursor: null,
      }
    })
    const { wrapper, router } = await mountPage()
    const rows = () => wrapper.findAll('[data-testid="schedules-row"]')
    expect(rows()).toHaveLength(2)
    expect(rows()[0]!.text()).toContain('every 15 minutes (UTC)')
    expect(rows()[0]!.find('a[href="/queries/q1"]').text()).toBe('Outages')
    expect(rows()[1]!.find('[data-testid="schedule-health"]').text()).toBe('failing 4')
    expect(queries[0]).toMatchObject({ state: undefined })

    await wrapper.find('[data-testid="schedules-filter-broken"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ state: 'broken' })
    expect(queries.at(-1)).toMatchObject({ state: 'broken' })
    expect(rows()).toHaveLength(1)
    expect(rows()[0]!.text()).toContain('broken')
    expect(rows()[0]!.text()).toContain('the query "Outages" was archived')
    expect(wrapper.find('[data-testid="schedules-filter-broken"]').attributes('aria-pressed')).toBe(
      'true',
    )
  })

  it('pages on with the cursor ("Load more") and says when a filter matches nothing', async () => {
    vi.spyOn(schedulesApi, 'listSchedules').mockImplementation(async (query = {}) => {
      queries.push(query)
      if (query.state === 'paused') return { items: [], nextCursor: null }
      return query.cursor
        ? { items: [schedule(3)], nextCursor: null }
        : { items: [schedule(1), schedule(2)], nextCursor: 'c1' }
    })
    const { wrapper } = await mountPage()
    await wrapper.find('[data-testid="schedules-more"]').trigger('click')
    await flushPromises()
    expect(queries.at(-1)).toMatchObject({ cursor: 'c1' })
    expect(
      wrapper.findAll('[data-testid="schedules-row"]').map((r) => r.attributes('data-schedule-id')),
    ).toEqual(['s1', 's2', 's3'])
    expect(wrapper.find('[data-testid="schedules-more"]').exists()).toBe(false)

    await wrapper.find('[data-testid="schedules-filter-paused"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="schedules-empty"]').text()).toBe('No schedule is paused.')
  })
})
