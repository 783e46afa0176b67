import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { ApiError } from '@/api/http'
import * as schedulesApi from '@/api/schedules'
import type { Schedule } from '@/api/schedules'
import { useSessionStore } from '@/stores/session'

import ScheduleForm from './ScheduleForm.vue'

enableAutoUnmount(afterEach)

const existing = {
  id: 's1',
  name: 'Mornings',
  queryId: 'q1',
  dashboardId: null,
  params: { region: 'north' },
  kind: 'cron',
  everySeconds: null,
  cron: '30 7 * * MON-FRI',
  timezone: 'America/Toronto',
  startsAt: null,
  endsAt: null,
  version: 3,
} as unknown as Schedule

beforeEach(() => {
  setActivePinia(createPinia())
  useSessionStore().me = {
    user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword: false },
    org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'Europe/Paris' },
    role: 'editor',
    orgs: [],
  }
  vi.spyOn(schedulesApi, 'previewSchedule').mockResolvedValue({
    description: 'x',
    timezone: 'UTC',
    times: [],
  })
})

afterEach(() => vi.restoreAllMocks())

const specs = [{ name: 'region', type: 'text' as const }]

describe('ScheduleForm', () => {
  it("creates with the org's zone by default and the parameter values", async () => {
    const create = vi
      .spyOn(schedulesApi, 'createSchedule')
      .mockResolvedValue({ id: 'new' } as Schedule)
    const wrapper = mount(ScheduleForm, { props: { queryId: 'q1', specs, defaultName: 'Refresh' } })
    expect(
      (wrapper.find('[data-testid="schedule-timezone"]').element as HTMLInputElement).value,
    ).toBe('Europe/Paris')
    await wrapper.find('[data-param="region"] input').setValue('south')
    await wrapper.find('[data-param="region"] input').trigger('change')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(create.mock.calls[0]![0]).toEqual({
      name: 'Refresh',
      queryId: 'q1',
      kind: 'interval',
      everySeconds: 3600,
      timezone: 'Europe/Paris',
      params: { region: 'south' },
      startsAt: null,
      endsAt: null,
      enabled: true,
    })
    expect(wrapper.emitted('saved')).toHaveLength(1)
  })

  it('puts a 400 on the fields it names, parameter values included', async () => {
    vi.spyOn(schedulesApi, 'saveSchedule').mockRejectedValue(
      new ApiError({
        status: 400,
        title: 'Invalid request',
        errors: [
          { path: '/params/region', message: 'must be one of north, south' },
          { path: '/endsAt', message: 'no time of the cron is left before endsAt' },
        ],
      }),
    )
    const wrapper = mount(ScheduleForm, { props: { schedule: existing, specs } })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-param="region"] .parameter-error').text()).toBe(
      'must be one of north, south',
    )
    expect(wrapper.text()).toContain('No time of the cron is left before endsAt.')
  })

  it('tells a stale save (409) in words, sends the version it started from, and reloads the latest', async () => {
    const save = vi.spyOn(schedulesApi, 'saveSchedule').mockRejectedValue(
      new ApiError({
        status: 409,
        title: 'Saved by someone else',
        type: 'urn:sightline:problem:stale-version',
        detail:
          'This schedule is at version 4 (saved by ana@example.com at 2026-11-29T10:00:00Z); your edit started from version 3. Reload it, then apply your change again.',
      }),
    )
    vi.spyOn(schedulesApi, 'getSchedule').mockResolvedValue({
      ...existing,
      name: 'Mornings (Ana)',
      version: 4,
    })
    const wrapper = mount(ScheduleForm, { props: { schedule: existing, specs } })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(save.mock.calls[0]![1]).toMatchObject({ version: 3, cron: '30 7 * * MON-FRI' })
    const stale = wrapper.find('[data-testid="schedule-stale"]')
    expect(stale.text()).toContain('ana@example.com saved version 4')
    await stale.find('button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="schedule-stale"]').exists()).toBe(false)
    expect((wrapper.find('[data-testid="schedule-name"]').element as HTMLInputElement).value).toBe(
      'Mornings (Ana)',
    )
  })
})
