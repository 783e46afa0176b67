import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import { fetchReadiness, type Readiness } from '@/api/health'
import { ApiError } from '@/api/http'

import HomeServerStatusPanel from './HomeServerStatusPanel.vue'

vi.mock('@/api/health', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/health')>()),
  fetchReadiness: vi.fn(),
}))

const fetchReadinessMock = vi.mocked(fetchReadiness)

beforeEach(() => {
  fetchReadinessMock.mockReset()
})

const notReady: Readiness = {
  status: 'not_ready',
  checks: {
    cluster: { status: 'down', detail: 'joined 0 of 2 expected members' },
    database: { status: 'up', detail: 'PostgreSQL 17.2' },
    migrations: { status: 'up' },
  },
}

function rowTexts(wrapper: ReturnType<typeof mount>) {
  return wrapper.findAll('li[data-check]').map((row) => ({
    name: row.attributes('data-check'),
    label: row.find('.status-panel-label').text(),
    state: row.find('.status-panel-state').text(),
    detail: row.find('.status-panel-detail').exists()
      ? row.find('.status-panel-detail').text()
      : undefined,
  }))
}

describe('HomeServerStatusPanel', () => {
  it('renders every check with its state and detail, known checks in a fixed order', async () => {
    fetchReadinessMock.mockResolvedValue(notReady)

    const wrapper = mount(HomeServerStatusPanel)
    await flushPromises()

    expect(wrapper.find('[data-test="overall"]').text()).toBe('Not ready')
    expect(rowTexts(wrapper)).toEqual([
      { name: 'database', label: 'Database', state: 'Up', detail: 'PostgreSQL 17.2' },
      { name: 'migrations', label: 'Schema migrations', state: 'Up', detail: undefined },
      {
        name: 'cluster',
        label: 'Cluster',
        state: 'Down',
        detail: 'joined 0 of 2 expected members',
      },
    ])
    expect(wrapper.find('[data-test="error"]').exists()).toBe(false)
  })

  it('says it is checking while the first answer is pending', () => {
    fetchReadinessMock.mockReturnValue(new Promise(() => {}))

    const wrapper = mount(HomeServerStatusPanel)

    expect(wrapper.find('[role="status"]').text()).toBe('Checking the server…')
    expect(wrapper.find('button').attributes('disabled')).toBeDefined()
    expect(wrapper.findAll('li[data-check]')).toHaveLength(0)
  })

  it('renders the failure in words from the ApiError title and detail', async () => {
    fetchReadinessMock.mockRejectedValue(
      new ApiError({
        status: 0,
        title: 'Cannot reach the server',
        detail: 'GET /readyz got no answer.',
      }),
    )

    const wrapper = mount(HomeServerStatusPanel)
    await flushPromises()

    const alert = wrapper.find('[role="alert"]')
    expect(alert.find('.status-panel-error-title').text()).toBe('Cannot reach the server')
    expect(alert.text()).toContain('GET /readyz got no answer.')
    expect(alert.text()).not.toContain('[object')
    expect(wrapper.findAll('li[data-check]')).toHaveLength(0)
    expect(wrapper.find('[data-test="overall"]').exists()).toBe(false)
  })

  it('replaces the error with the checks when "Check again" succeeds', async () => {
    fetchReadinessMock
      .mockRejectedValueOnce(new ApiError({ status: 503, title: 'The server is unavailable' }))
      .mockResolvedValueOnce({
        status: 'ready',
        checks: { database: { status: 'up' }, migrations: { status: 'up' } },
      })

    const wrapper = mount(HomeServerStatusPanel)
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('The server is unavailable')

    await wrapper.find('button').trigger('click')
    await flushPromises()

    expect(fetchReadinessMock).toHaveBeenCalledTimes(2)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="overall"]').text()).toBe('Ready')
    expect(rowTexts(wrapper).map((row) => `${row.label}: ${row.state}`)).toEqual([
      'Database: Up',
      'Schema migrations: Up',
    ])
  })
})
