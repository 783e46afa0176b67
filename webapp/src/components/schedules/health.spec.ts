import { describe, expect, it } from 'vitest'

import type { Schedule } from '@/api/schedules'

import { formatEvery, healthOf, kindLabel, lagSeconds, worstFirst } from './health'

function schedule(patch: Partial<Schedule>): Schedule {
  return {
    state: 'ok',
    consecutiveFailures: 0,
    brokenReason: null,
    lastError: null,
    endedAt: null,
    endsAt: null,
    ...patch,
  } as Schedule
}

describe('healthOf', () => {
  it('says ok / failing N / broken with the reason / paused / ended', () => {
    expect(healthOf(schedule({}))).toMatchObject({ label: 'ok', tone: 'good', detail: null })
    expect(
      healthOf(
        schedule({ state: 'failing', consecutiveFailures: 3, lastError: '42P01: no table' }),
      ),
    ).toMatchObject({ label: 'failing 3', tone: 'warn', detail: '42P01: no table' })
    expect(
      healthOf(
        schedule({
          state: 'broken',
          consecutiveFailures: 1,
          brokenReason: 'the query "Outages" was archived',
        }),
      ),
    ).toMatchObject({ label: 'broken', tone: 'bad', detail: 'the query "Outages" was archived' })
    expect(healthOf(schedule({ state: 'paused' }))).toMatchObject({
      label: 'paused',
      tone: 'muted',
    })
    expect(healthOf(schedule({ state: 'ended' }))).toMatchObject({ label: 'ended' })
  })

  it('orders a target’s schedules worst first', () => {
    const list = (['ok', 'paused', 'broken', 'failing', 'ended'] as const).map((state) =>
      schedule({ state }),
    )
    expect(worstFirst(list).map((s) => s.state)).toEqual([
      'broken',
      'failing',
      'paused',
      'ok',
      'ended',
    ])
  })
})

describe('small readings', () => {
  it('formats intervals in the largest whole unit', () => {
    expect(formatEvery(60)).toBe('1 minute')
    expect(formatEvery(900)).toBe('15 minutes')
    expect(formatEvery(7200)).toBe('2 hours')
    expect(formatEvery(86_400)).toBe('1 day')
    expect(formatEvery(90)).toBe('90 seconds')
    expect(kindLabel({ kind: 'cron', everySeconds: null, cron: '30 7 * * MON-FRI' })).toBe(
      'cron 30 7 * * MON-FRI',
    )
  })

  it('measures lag from the planned slot, never negative', () => {
    expect(lagSeconds('2026-03-09T11:30:00Z', '2026-03-09T11:30:01.500Z')).toBe(1.5)
    expect(lagSeconds('2026-03-09T11:30:00Z', '2026-03-09T11:29:59Z')).toBeNull()
    expect(lagSeconds(null, '2026-03-09T11:29:59Z')).toBeNull()
  })
})
