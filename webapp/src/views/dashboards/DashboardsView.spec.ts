import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Role } from '@/api/auth'
import * as dashboardsApi from '@/api/dashboards'
import type { DashboardListItem, DashboardListQuery } from '@/api/dashboards'
import { useSessionStore } from '@/stores/session'
import HomeRecentDashboards from '@/views/home/HomeRecentDashboards.vue'

import DashboardsView from './DashboardsView.vue'

enableAutoUnmount(afterEach)

function item(n: number, patch: Partial<DashboardListItem> = {}): DashboardListItem {
  return {
    id: `d${n}`,
    slug: `board-${n}`,
    name: `Board ${n}`,
    description: '',
    tags: ['ops'],
    tileCount: n,
    version: 1,
    ownerId: 'u1',
    owner: 'ops@example.com',
    updatedBy: 'ops@example.com',
    createdAt: '2026-11-29T09:00:00Z',
    updatedAt: '2026-11-29T09:00:00Z',
    lastViewedAt: n === 1 ? '2026-11-29T09:30:00Z' : null,
    ...patch,
  }
}

let queries: DashboardListQuery[] = []

async function mountPage(component: unknown, role: Role = 'editor', path = '/dashboards') {
  const Blank = { template: '<p>page</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/dashboards', name: 'dashboards', component: Blank },
      { path: '/dashboards/:idOrSlug', name: 'dashboard', component: Blank },
      { path: '/dashboards/:idOrSlug/edit', name: 'dashboard-edit', component: Blank },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
    role,
    orgs: [],
  }
  const wrapper = mount(component as never, { global: { plugins: [router, pinia] } })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  queries = []
  vi.spyOn(dashboardsApi, 'listDashboards').mockImplementation(async (query = {}) => {
    queries.push({ ...query })
    if (query.cursor) return { items: [item(3)], nextCursor: null }
    return {
      items: [item(1), item(2, { tags: ['trading'], description: '<b>not bold</b>' })],
      nextCursor: 'c1',
    }
  })
})

describe('DashboardsView', () => {
  it('lists dashboards with tags, tiles, owner and last viewed, and loads more by cursor', async () => {
    const { wrapper } = await mountPage(DashboardsView)
    const rows = wrapper.findAll('[data-testid="dashboard-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.find('a').attributes('href')).toBe('/dashboards/board-1')
    expect(rows[0]!.text()).toContain('ops@example.com')
    expect(rows[1]!.text()).toContain('never')
    expect(rows[1]!.text()).toContain('<b>not bold</b>')
    await wrapper.find('[data-testid="dashboards-more"]').trigger('click')
    await flushPromises()
    expect(queries.at(-1)).toMatchObject({ cursor: 'c1', limit: 50 })
    expect(wrapper.findAll('[data-testid="dashboard-row"]')).toHaveLength(3)
  })

  it('filters by recently viewed, owner and tag through the URL', async () => {
    const { wrapper, router } = await mountPage(DashboardsView)
    await wrapper.find('[data-testid="dashboards-recent"]').setValue(true)
    await flushPromises()
    expect(router.currentRoute.value.query.recent).toBe('true')
    expect(queries.at(-1)).toMatchObject({ recent: true })
    await wrapper.find('[data-testid="dashboards-owner"]').setValue('me')
    await flushPromises()
    expect(queries.at(-1)).toMatchObject({ recent: true, owner: 'me' })
    await wrapper.find('[data-testid="dashboards-tag"]').setValue('trading')
    await flushPromises()
    expect(queries.at(-1)).toMatchObject({ tag: 'trading' })
  })

  it('creates a dashboard from a name and opens its edit page (editors only)', async () => {
    const create = vi
      .spyOn(dashboardsApi, 'createDashboard')
      .mockResolvedValue({ id: 'new-id' } as dashboardsApi.Dashboard)
    const { wrapper, router } = await mountPage(DashboardsView)
    await wrapper.find('[data-testid="new-dashboard"]').trigger('click')
    await wrapper.find('[data-testid="new-dashboard-name"]').setValue('Wall screen')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(create).toHaveBeenCalledWith({ name: 'Wall screen' })
    expect(router.currentRoute.value.fullPath).toBe('/dashboards/new-id/edit')

    const viewer = await mountPage(DashboardsView, 'viewer')
    expect(viewer.wrapper.find('[data-testid="new-dashboard"]').exists()).toBe(false)
  })

  it('the home page lists the five dashboards opened last', async () => {
    const { wrapper } = await mountPage(HomeRecentDashboards, 'viewer', '/')
    expect(queries).toEqual([{ recent: true, limit: 5 }])
    expect(wrapper.findAll('[data-testid="recent-dashboards"] li')).toHaveLength(2)
    expect(wrapper.text()).toContain('viewed')
  })
})
