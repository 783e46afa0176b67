import { beforeEach, describe, expect, it, vi } from 'vitest'

import { jsonResponse } from '@/testing/http'

import { getResultPage, prefetchResultPage, type ResultPage } from './results'

const fetchMock = vi.fn<typeof fetch>()

const page = (resultId: string): ResultPage => ({
  resultId,
  columns: [{ name: 'n', type: 'integer', sourceType: 'int4' }],
  offset: 0,
  limit: 500,
  totalRows: 1,
  truncated: false,
  truncatedReason: null,
  rows: [['1']],
})

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('prefetchResultPage', () => {
  it('the reader of the same page takes the prefetched answer once; the next read asks again', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, page('r1')))
    prefetchResultPage('r1', 0, 500)
    prefetchResultPage('r1', 0, 500) // already on its way
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(String(fetchMock.mock.calls[0]![0])).toContain('/api/v1/results/r1?offset=0&limit=500')

    expect((await getResultPage('r1', 0, 500)).rows).toEqual([['1']])
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await getResultPage('r1', 0, 500)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    // another page of the same result is not the prefetched one
    prefetchResultPage('r1', 0, 500)
    await getResultPage('r1', 500, 500)
    expect(fetchMock).toHaveBeenCalledTimes(4)
    await getResultPage('r1', 0, 500) // claim it, leaving nothing behind for other tests
  })

  it('a failed prefetch is dropped: the reader asks again and gets the fresh answer', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(503, { title: 'Unavailable', status: 503 }))
    prefetchResultPage('r2', 0, 500)
    await new Promise((resolve) => setTimeout(resolve, 0))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, page('r2')))
    expect((await getResultPage('r2', 0, 500)).resultId).toBe('r2')
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })
})
