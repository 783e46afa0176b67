import { describe, expect, it } from 'vitest'

import type { Run } from '@/api/runs'

import { filtersFromQuery, filtersToApi, filtersToQuery, runMatches } from './runFilters'
import { isNewer } from './runMerge'

const base = {
  datasourceId: 'd1',
  queryId: null,
  trigger: 'manual',
  requestedBy: 'u1',
  status: 'queued',
  createdAt: '2026-11-29T03:00:00Z',
} as unknown as Run

describe('run filters', () => {
  it('round-trips through the URL, leaving out what is not set', () => {
    const state = filtersFromQuery({ status: 'failed,timed_out', range: 'custom', from: 'a' })
    expect(state.status).toEqual(['failed', 'timed_out'])
    expect(filtersToQuery(state)).toEqual({
      status: 'failed,timed_out',
      range: 'custom',
      from: 'a',
    })
    expect(filtersToQuery(filtersFromQuery({ from: 'a' }))).toEqual({})
  })

  it('resolves a relative range against the clock', () => {
    const now = Date.parse('2026-11-29T12:00:00Z')
    expect(filtersToApi(filtersFromQuery({ range: '24h' }), now).from).toBe(
      '2026-11-28T12:00:00.000Z',
    )
  })

  it('matches a live run against status, trigger, datasource, mine and the time range', () => {
    expect(runMatches(base, { status: ['queued'], datasourceId: 'd1' }, 'u1')).toBe(true)
    expect(runMatches(base, { status: ['failed'] }, 'u1')).toBe(false)
    expect(runMatches(base, { trigger: 'schedule' }, 'u1')).toBe(false)
    expect(runMatches(base, { requestedBy: 'me' }, 'u2')).toBe(false)
    expect(runMatches(base, { queryId: 'q1' }, 'u1')).toBe(false)
    expect(runMatches(base, { to: '2026-11-29T03:00:00Z' }, 'u1')).toBe(false)
    expect(runMatches(base, { from: '2026-11-29T03:00:00Z' }, 'u1')).toBe(true)
  })

  it('never lets an older read of a run overwrite a newer one', () => {
    expect(isNewer({ attempt: 1, status: 'running' }, { attempt: 1, status: 'succeeded' })).toBe(
      false,
    )
    expect(isNewer({ attempt: 1, status: 'failed' }, { attempt: 1, status: 'running' })).toBe(true)
    expect(isNewer({ attempt: 2, status: 'queued' }, { attempt: 1, status: 'running' })).toBe(true)
  })
})
