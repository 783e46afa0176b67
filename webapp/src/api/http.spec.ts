import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { ApiError, http, request } from './http'

const fetchMock = vi.fn<typeof fetch>()

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

function respond(status: number, body: string, contentType?: string, statusText = ''): void {
  const headers = contentType ? { 'Content-Type': contentType } : undefined
  fetchMock.mockResolvedValueOnce(new Response(body, { status, statusText, headers }))
}

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('request', () => {
  it('returns the parsed JSON body of a successful response', async () => {
    respond(200, '{"id":"q1","name":"Outages by region","tags":["ops"]}', 'application/json')

    const query = await request<{ id: string; name: string; tags: string[] }>('/api/v1/queries/q1')

    expect(query).toEqual({ id: 'q1', name: 'Outages by region', tags: ['ops'] })
  })

  it('sends JSON with same-origin credentials', async () => {
    respond(201, '{"id":"d1"}', 'application/json; charset=utf-8')

    await http.post('/api/v1/datasources', { name: 'ops' })

    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/datasources')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('same-origin')
    expect(init?.body).toBe('{"name":"ops"}')
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' })
  })

  it('echoes the CSRF cookie as a header on mutating requests only', async () => {
    document.cookie = 'XSRF-TOKEN=abc%20123; path=/'
    respond(204, '')
    respond(200, '[]', 'application/json')

    await http.delete('/api/v1/queries/q1')
    await http.get('/api/v1/queries')

    expect(fetchMock.mock.calls[0]![1]?.headers).toMatchObject({ 'X-XSRF-TOKEN': 'abc 123' })
    expect(fetchMock.mock.calls[1]![1]?.headers).not.toHaveProperty('X-XSRF-TOKEN')
  })

  it('returns undefined for 204 No Content', async () => {
    respond(204, '')

    await expect(http.delete('/api/v1/queries/q1')).resolves.toBeUndefined()
  })

  it('encodes query parameters and skips undefined ones', async () => {
    respond(200, '[]', 'application/json')

    await http.get('/api/v1/runs', { query: { status: 'failed', limit: 50, cursor: undefined } })

    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/runs?status=failed&limit=50')
  })

  it('maps a problem+json body to an ApiError with status, title, detail and field errors', async () => {
    respond(
      422,
      JSON.stringify({
        type: 'https://sightline.dev/problems/validation',
        title: 'Invalid query',
        status: 422,
        detail: 'Two fields are not valid.',
        instance: '/api/v1/queries',
        errors: [
          { field: 'name', message: 'must not be blank' },
          { pointer: '/parameters/0/type', detail: 'unknown type "money"' },
        ],
      }),
      'application/problem+json',
    )

    const error = await rejectionOf(http.post('/api/v1/queries', { name: '' }))

    expect(error.status).toBe(422)
    expect(error.type).toBe('https://sightline.dev/problems/validation')
    expect(error.title).toBe('Invalid query')
    expect(error.detail).toBe('Two fields are not valid.')
    expect(error.instance).toBe('/api/v1/queries')
    expect(error.errors).toEqual([
      { path: 'name', message: 'must not be blank' },
      { path: '/parameters/0/type', message: 'unknown type "money"' },
    ])
    expect(error.message).toBe('Invalid query: Two fields are not valid.')
  })

  it('maps a problem without errors[] to an ApiError with no field errors', async () => {
    respond(
      403,
      '{"title":"Forbidden","status":403,"detail":"Viewers cannot run ad-hoc SQL."}',
      'application/problem+json',
    )

    const error = await rejectionOf(http.post('/api/v1/runs', { sql: 'select 1' }))

    expect(error.status).toBe(403)
    expect(error.type).toBe('about:blank')
    expect(error.detail).toBe('Viewers cannot run ad-hoc SQL.')
    expect(error.errors).toEqual([])
  })

  it('maps a non-JSON 500 to an ApiError with a readable title', async () => {
    respond(
      500,
      '<html><body>Internal Server Error</body></html>',
      'text/html',
      'Internal Server Error',
    )

    const error = await rejectionOf(http.get('/api/v1/dashboards'))

    expect(error.status).toBe(500)
    expect(error.title).toBe('The server failed to handle the request')
    expect(error.detail).toBe('GET /api/v1/dashboards answered HTTP 500 Internal Server Error.')
    expect(error.message).not.toContain('<html>')
    expect(error.errors).toEqual([])
  })

  it('maps an empty 502 from a proxy to "The server is unavailable"', async () => {
    respond(502, '')

    const error = await rejectionOf(http.get('/api/v1/queries'))

    expect(error.status).toBe(502)
    expect(error.title).toBe('The server is unavailable')
  })

  it('maps a network failure to an ApiError with status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))

    const error = await rejectionOf(http.get('/api/v1/queries'))

    expect(error.status).toBe(0)
    expect(error.title).toBe('Cannot reach the server')
  })

  it('rejects with the AbortError itself when the caller aborts', async () => {
    fetchMock.mockRejectedValueOnce(new DOMException('The operation was aborted.', 'AbortError'))

    await expect(http.get('/api/v1/queries')).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('treats an accepted non-2xx status with a JSON body as an answer', async () => {
    respond(503, '{"status":"not_ready"}', 'application/json')

    const body = await request('/readyz', { acceptStatus: [503] })

    expect(body).toEqual({ status: 'not_ready' })
  })

  it('rejects a successful response that is not JSON', async () => {
    respond(200, '<!doctype html><title>Sightline</title>', 'text/html')

    const error = await rejectionOf(http.get('/api/v1/queries'))

    expect(error.status).toBe(200)
    expect(error.title).toBe('Unexpected answer from the server')
  })
})
