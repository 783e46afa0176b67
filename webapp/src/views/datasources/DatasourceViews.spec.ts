import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { Role } from '@/api/auth'
import { useSessionStore } from '@/stores/session'

import DatasourceSchemaView from './DatasourceSchemaView.vue'
import DatasourcesView from './DatasourcesView.vue'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<p>page</p>' }

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

async function mountView(
  component: object,
  role: Role,
  props: Record<string, unknown> = {},
  path = '/datasources',
) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: Blank }],
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
  const wrapper = mount(component, { props, global: { plugins: [router, pinia] } })
  await flushPromises()
  return Object.assign(wrapper, { router })
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('DatasourcesView', () => {
  it('says there are none yet and offers "New datasource" to admins', async () => {
    respond(200, [])
    const wrapper = await mountView(DatasourcesView, 'admin')
    expect(wrapper.find('[data-test="empty"]').text()).toContain('No datasources yet.')
    expect(wrapper.text()).toContain('New datasource')
  })

  it('lists name, kind and read-only without connection details or "New" for viewers', async () => {
    respond(200, [{ id: 'd1', name: 'Replica', kind: 'postgres', readOnly: true }])
    const wrapper = await mountView(DatasourcesView, 'viewer')
    const row = wrapper.find('[data-test="datasource-row"]').text()
    expect(row).toContain('Replica')
    expect(row).toContain('read-only')
    expect(wrapper.text()).not.toContain('New datasource')
    expect(wrapper.text()).not.toContain('Host / database')
  })

  const replica = { id: 'd1', name: 'Replica', kind: 'postgres', readOnly: true }

  it('has no Actions column for a viewer, who has no action on a datasource', async () => {
    respond(200, [replica])
    const wrapper = await mountView(DatasourcesView, 'viewer')

    expect(wrapper.findAll('thead th').map((th) => th.text())).toEqual(['Name', 'Kind'])
    expect(wrapper.findAll('[data-test="datasource-row"] td')).toHaveLength(2)
    expect(wrapper.find('.datasources-actions').exists()).toBe(false)
  })

  it('gives an admin one cell per column, the links laid out inside a real table cell', async () => {
    respond(200, [{ ...replica, host: 'db', port: 5432, database: 'outages' }])
    const wrapper = await mountView(DatasourcesView, 'admin')

    const headers = wrapper.findAll('thead th')
    const cells = wrapper.findAll('[data-test="datasource-row"] td')
    expect(cells).toHaveLength(headers.length)
    const actions = cells[cells.length - 1]!
    expect(actions.classes()).toContain('datasources-actions')
    expect(
      actions.findAll('.datasources-actions-links > a').map((a) => a.attributes('href')),
    ).toEqual(['/datasources/d1/schema', '/datasources/d1/edit'])
    respond(200, [replica])
    const editor = await mountView(DatasourcesView, 'editor')
    expect(editor.findAll('thead th')).toHaveLength(3)
    expect(editor.findAll('.datasources-actions-links > a').map((a) => a.text())).toEqual([
      'Schema',
    ])
  })

  it('confirms a new datasource with a link to write its first query', async () => {
    respond(200, [replica, { ...replica, id: 'd2', name: 'Order book' }])
    const wrapper = await mountView(DatasourcesView, 'admin', {}, '/datasources?created=d2')

    const created = wrapper.find('[data-test="created"]')
    expect(created.text()).toContain('“Order book” is connected.')
    const link = created.find('[data-test="first-query"]')
    expect(link.attributes('href')).toBe('/queries/new?datasourceId=d2')

    await created
      .findAll('button')
      .find((b) => b.text() === 'Dismiss')!
      .trigger('click')
    await flushPromises()
    expect(wrapper.router.currentRoute.value.fullPath).toBe('/datasources')
    expect(wrapper.find('[data-test="created"]').exists()).toBe(false)
  })

  it('shows a failed load in words', async () => {
    respond(500, { title: 'Internal error', status: 500, detail: 'The database is down.' })
    const wrapper = await mountView(DatasourcesView, 'admin')
    expect(wrapper.find('[role="alert"]').text()).toContain(
      'Cannot load the datasources: Internal error',
    )
    expect(wrapper.find('[role="alert"]').text()).toContain('The database is down.')
  })
})

describe('DatasourceSchemaView', () => {
  const catalog = {
    refreshedAt: '2026-11-29T03:00:00Z',
    truncated: false,
    schemas: [
      {
        name: 'public',
        relations: [
          {
            name: 'runs',
            kind: 'table',
            columns: [
              { name: 'id', type: 'uuid', nullable: false },
              { name: 'status', type: 'text', nullable: false },
            ],
          },
          {
            name: 'orgs',
            kind: 'table',
            columns: [{ name: 'slug', type: 'text', nullable: true }],
          },
        ],
      },
    ],
  }

  it('shows relations with typed columns and filters them by the search box', async () => {
    respond(200, { id: 'd1', name: 'Replica' })
    respond(200, catalog)
    const wrapper = await mountView(DatasourceSchemaView, 'editor', { id: 'd1' })

    expect(wrapper.find('h1').text()).toBe('Schema of Replica')
    expect(wrapper.find('[data-relation="public.runs"]').text()).toMatch(/id\s*uuid not null/)
    expect(wrapper.find('[data-test="refreshed-at"]').exists()).toBe(true)

    await wrapper.find('input[type="search"]').setValue('slug')
    expect(wrapper.find('[data-relation="public.runs"]').exists()).toBe(false)
    expect(wrapper.find('[data-relation="public.orgs"]').text()).toMatch(/slug\s*text/)

    await wrapper.find('input[type="search"]').setValue('nothing-like-this')
    expect(wrapper.find('[data-test="schema-empty"]').text()).toContain('Nothing matches')
  })

  it('refreshes through the refresh endpoint', async () => {
    respond(200, { id: 'd1', name: 'Replica' })
    respond(200, catalog)
    const wrapper = await mountView(DatasourceSchemaView, 'admin', { id: 'd1' })
    respond(200, { ...catalog, refreshedAt: '2026-11-29T04:00:00Z' })

    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Refresh')!
      .trigger('click')
    await flushPromises()

    expect(fetchMock.mock.calls[2]![0]).toBe('/api/v1/datasources/d1/schema/refresh')
    expect(fetchMock.mock.calls[2]![1]!.method).toBe('POST')
  })

  it('tells a viewer it needs the editor role', async () => {
    const wrapper = await mountView(DatasourceSchemaView, 'viewer', { id: 'd1' })
    expect(wrapper.find('[role="alert"]').text()).toContain('needs the editor role')
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
