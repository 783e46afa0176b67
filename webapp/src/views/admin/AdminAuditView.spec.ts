import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as auditApi from '@/api/audit'
import type { AuditEvent, AuditFilter } from '@/api/audit'
import { ApiError } from '@/api/http'
import { formatDateTime } from '@/lib/format'

import AdminAuditView from './AdminAuditView.vue'

afterEach(() => {
  vi.restoreAllMocks()
})

// one instant for the whole file: two calls of event(n) must give the same time (a second boundary between them made
// the absolute time differ once in CI)
const NOW = Date.now()

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `e${n}`,
    at: new Date(NOW - n * 60_000 * 5).toISOString(),
    action: 'datasource.updated',
    actor: { userId: 'u1', email: 'ops@example.com', apiKeyId: null },
    target: { kind: 'datasource', id: `d${n}`, name: `Grid ${n}` },
    ip: '10.0.0.7',
    requestId: `req-${n}`,
    details: { fields: ['password', 'port'] },
    ...overrides,
  }
}

async function mountPage(path = '/admin/audit') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/admin/audit', component: AdminAuditView }],
  })
  await router.push(path)
  setActivePinia(createPinia())
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, router }
}

describe('AdminAuditView', () => {
  it('shows each event with relative and absolute time, actor, target and details', async () => {
    const hostile = '<img src=x onerror="alert(1)">'
    vi.spyOn(auditApi, 'listAuditEvents').mockResolvedValue({
      items: [
        event(1),
        event(2, {
          action: 'auth.password_reset',
          actor: { userId: null, email: null, apiKeyId: null },
          target: { kind: 'user', id: 'u9', name: 'admin@localhost' },
          ip: null,
          requestId: null,
          details: { via: 'command line' },
        }),
        event(3, { target: { kind: 'api_key', id: 'k1', name: hostile }, details: {} }),
      ],
      nextCursor: null,
    })
    const { wrapper } = await mountPage()
    const rows = wrapper.findAll('[data-test="audit-row"]')
    expect(rows).toHaveLength(3)
    const first = rows[0]!
    expect(first.find('time').text()).toBe('5 min ago')
    expect(first.text()).toContain(formatDateTime(event(1).at))
    expect(first.find('[data-action]').text()).toBe('datasource · updated')
    expect(first.text()).toContain('ops@example.com')
    expect(first.text()).toContain('Grid 1')
    expect(first.text()).toContain('fields: ["password","port"]')
    expect(first.text()).toContain('req-1')
    expect(rows[1]!.text()).toContain('command line')
    expect(rows[1]!.text()).toContain('via: command line')
    // a hostile name is text, never markup
    expect(rows[2]!.text()).toContain(hostile)
    expect(rows[2]!.find('img').exists()).toBe(false)
  })

  it('filters through the address and pages with the cursor', async () => {
    const calls: AuditFilter[] = []
    vi.spyOn(auditApi, 'listAuditEvents').mockImplementation(async (filter = {}) => {
      calls.push(filter)
      if (filter.cursor === 'c1') return { items: [event(9)], nextCursor: null }
      return { items: [event(1), event(2)], nextCursor: 'c1' }
    })
    const { wrapper, router } = await mountPage('/admin/audit?targetKind=datasource')
    expect(calls[0]).toMatchObject({ targetKind: 'datasource', limit: 50 })
    expect((wrapper.find('select[name="targetKind"]').element as HTMLSelectElement).value).toBe(
      'datasource',
    )

    await wrapper.find('select[name="action"]').setValue('auth')
    await flushPromises()
    expect(router.currentRoute.value.query).toMatchObject({
      action: 'auth',
      targetKind: 'datasource',
    })
    expect(calls.at(-1)).toMatchObject({ action: 'auth', targetKind: 'datasource' })

    await wrapper.find('input[name="actor"]').setValue('ops@example.com')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)).toMatchObject({ actor: 'ops@example.com', action: 'auth' })

    await wrapper.find('input[name="from"]').setValue('2026-11-28T08:00')
    await flushPromises()
    expect(calls.at(-1)!.from).toBe(new Date('2026-11-28T08:00').toISOString())

    expect(wrapper.findAll('[data-test="audit-row"]')).toHaveLength(2)
    await wrapper.find('.admin-audit-more').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toMatchObject({ cursor: 'c1', action: 'auth' })
    expect(wrapper.findAll('[data-test="audit-row"]')).toHaveLength(3)
    expect(wrapper.find('.admin-audit-more').exists()).toBe(false)

    await wrapper.find('button.button[type="button"]').trigger('click') // Clear filters
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({})
  })

  it('says what the server refused', async () => {
    vi.spyOn(auditApi, 'listAuditEvents').mockRejectedValue(
      new ApiError({
        status: 400,
        title: 'Invalid request',
        detail: 'Some fields are invalid.',
        errors: [{ path: '?actor', message: 'must be a user id or an email' }],
      }),
    )
    const { wrapper } = await mountPage('/admin/audit?actor=nobody')
    expect(wrapper.text()).toContain('Cannot load the audit log')
    expect(wrapper.text()).toContain('actor must be a user id or an email')
    expect(wrapper.findAll('[data-test="audit-row"]')).toHaveLength(0)
  })
})
