import { describe, expect, it } from 'vitest'

import type { RunRequestRecord } from '@/api/runs'
import { queuedRun } from '@/testing/runs'

import { mergeExecution, rowKey } from './runMerge'

const request = (id: string, withdrawnAt: string | null = null): RunRequestRecord => ({
  id,
  queryId: null,
  queryName: null,
  queryVersion: null,
  trigger: 'manual',
  requestedBy: null,
  requestedByEmail: null,
  requestedByName: null,
  requestedAt: '2026-11-29T10:00:00Z',
  withdrawnAt,
  withdrawnBy: null,
  withdrawnByEmail: null,
  withdrawnByName: null,
  sharedWith: 0,
})

describe('mergeExecution', () => {
  it("takes the execution's state but keeps the row's own request", () => {
    const row = queuedRun({
      id: 'r1',
      requestId: 'q2',
      queryId: 'Q2',
      requestedBy: 'her',
      sharedWith: 2,
    })
    const fresh = queuedRun({
      id: 'r1',
      status: 'running',
      requestId: 'q1',
      queryId: 'Q1',
      requestedBy: 'him',
      requests: [request('q1'), request('q2'), request('q3', '2026-11-29T10:00:05Z')],
    })
    const merged = mergeExecution(row, fresh)
    expect(merged).toMatchObject({
      status: 'running',
      requestId: 'q2',
      queryId: 'Q2',
      requestedBy: 'her',
    })
    expect(merged.sharedWith).toBe(1)
    expect(merged.requests).toBeUndefined()
    expect(rowKey(merged)).toBe('q2')
  })
})
