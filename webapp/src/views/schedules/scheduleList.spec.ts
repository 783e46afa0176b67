import { describe, expect, it } from 'vitest'

import type { Schedule } from '@/api/schedules'

import { lastRunStatus, overdueSeconds, stateFromQuery, targetOf } from './scheduleList'

describe('scheduleList', () => {
  it('reads the state filter from the URL, ignoring unknown values', () => {
    expect(stateFromQuery({ state: 'broken' })).toBe('broken')
    expect(stateFromQuery({ state: ['failing'] })).toBe('failing')
    expect(stateFromQuery({ state: 'exploded' })).toBe('')
    expect(stateFromQuery({})).toBe('')
  })

  it('links the target', () => {
    expect(
      targetOf({ queryId: 'q1', queryName: 'Outages', dashboardId: null, dashboardName: null }),
    ).toEqual({ kind: 'query', to: '/queries/q1', name: 'Outages' })
    expect(
      targetOf({ queryId: null, queryName: null, dashboardId: 'd1', dashboardName: 'Ops' }),
    ).toEqual({ kind: 'dashboard', to: '/dashboards/d1', name: 'Ops' })
  })

  it('tells the last run from the failure state', () => {
    const base = { lastFiredAt: '2026-03-09T11:30:00Z', consecutiveFailures: 0, brokenReason: null }
    expect(lastRunStatus({ ...base, lastFiredAt: null })).toBe('never')
    expect(lastRunStatus(base)).toBe('succeeded')
    expect(lastRunStatus({ ...base, consecutiveFailures: 2 })).toBe('failed')
    expect(lastRunStatus({ ...base, consecutiveFailures: 1, brokenReason: 'archived' })).toBe(
      'could not run',
    )
  })

  it('says how late an enabled schedule is, past a grace period', () => {
    const now = Date.parse('2026-03-09T11:35:00Z')
    const s = (patch: Partial<Schedule>) =>
      ({ enabled: true, state: 'ok', nextRunAt: '2026-03-09T11:30:00Z', ...patch }) as Schedule
    expect(overdueSeconds(s({}), now)).toBe(300)
    expect(overdueSeconds(s({ nextRunAt: '2026-03-09T11:34:50Z' }), now)).toBeNull()
    expect(overdueSeconds(s({ enabled: false, state: 'paused' }), now)).toBeNull()
  })
})
