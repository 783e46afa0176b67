import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { succeededRun } from '@/testing/runs'
import { kpi } from '@/testing/viz'

import { vizTheme } from '../chart/theme'
import { vizFormats } from '../format'
import StatView from './StatView.vue'

afterEach(() => vi.useRealTimers())

describe('StatView', () => {
  it('refreshes the result’s age each minute; no sparkline when the config turns it off', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    vi.setSystemTime(Date.parse('2026-11-03T10:00:00Z'))
    const view = mount(StatView, {
      props: {
        kind: 'stat',
        run: succeededRun({ finishedAt: '2026-11-03T09:58:00Z' }),
        shaped: kpi({ exact: '1234.50' }),
        config: { value: { column: 'load' }, sparkline: false },
        formats: vizFormats({}, 'UTC'),
        theme: vizTheme('light'),
      },
    })
    const updated = () => view.get('[data-testid="stat-updated"]').text()
    expect(updated()).toContain('Updated 2 min ago')
    vi.advanceTimersByTime(3 * 60_000)
    await view.vm.$nextTick()
    expect(updated()).toContain('Updated 5 min ago')
    expect(view.find('[data-testid="stat-sparkline"]').exists()).toBe(false)
    expect(view.get('[data-testid="stat-value"]').text()).toBe('1,234.50')
    expect(view.get('[data-testid="stat-value"]').attributes('title')).toBe('Exact value: 1234.50')
    view.unmount()
  })
})
