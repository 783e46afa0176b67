import { beforeEach, describe, expect, it, vi } from 'vitest'

import { fetchReadiness } from './health'
import { ApiError } from './http'

const fetchMock = vi.fn<typeof fetch>()

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

function respond(status: number, body: string, contentType = 'application/json'): void {
  fetchMock.mockResolvedValueOnce(
    new Response(body, { status, headers: { 'Content-Type': contentType } }),
  )
}

describe('fetchReadiness', () => {
  it('returns the checks of a ready server', async () => {
    respond(
      200,
      '{"status":"ready","checks":{"database":{"status":"up"},"migrations":{"status":"up"},"cluster":{"status":"up"}}}',
    )

    const readiness = await fetchReadiness()

    expect(fetchMock.mock.calls[0]![0]).toBe('/readyz')
    expect(readiness.status).toBe('ready')
    expect(readiness.checks.database).toEqual({ status: 'up' })
  })

  it('returns the checks of a server that is not ready (503) instead of failing', async () => {
    respond(
      503,
      '{"status":"not_ready","checks":{"database":{"status":"down","detail":"connection refused"},"migrations":{"status":"up"},"cluster":{"status":"up"}}}',
    )

    const readiness = await fetchReadiness()

    expect(readiness.status).toBe('not_ready')
    expect(readiness.checks.database).toEqual({ status: 'down', detail: 'connection refused' })
  })

  it('fails with a readable ApiError when a proxy answers 503 without the readiness body', async () => {
    respond(503, 'Service Unavailable', 'text/plain')

    const error = await fetchReadiness().catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).title).toBe('The server is unavailable')
  })

  it('fails with a readable ApiError when the body does not describe checks', async () => {
    respond(200, '{"ok":true}')

    const error = await fetchReadiness().catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).title).toBe('Unexpected answer from the server')
  })
})
