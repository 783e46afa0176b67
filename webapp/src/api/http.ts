/**
 * The one HTTP client of the web app. Every resource client in `src/api/` goes through `request`.
 *
 * - Sends and expects JSON; the session cookie rides along (`credentials: 'same-origin'`).
 * - On mutating requests, echoes the CSRF cookie as a header (Vert.x `CSRFHandler` defaults).
 * - Every failure becomes an {@link ApiError}: `application/problem+json` bodies keep their
 *   type/title/status/detail/errors[]; anything else (HTML from a proxy, an empty 502, a network
 *   failure) gets a readable title, so the UI can always show words instead of an object.
 * - An aborted request rejects with the original `AbortError`, so callers can ignore it.
 */

/** One invalid input, as listed in a problem's `errors[]`. */
export interface FieldError {
  /** Where the problem is, e.g. `parameters[0].name` or `/parameters/0/name`. */
  path: string
  message: string
}

export interface ApiErrorInit {
  status: number
  title: string
  detail?: string
  type?: string
  instance?: string
  errors?: FieldError[]
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  retryAfterSeconds?: number
  /** The problem's further members (RFC 9457 extensions), e.g. `queries` of a 409 `datasource-in-use`. */
  extensions?: Record<string, unknown>
}

export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived at all. */
  readonly status: number
  readonly title: string
  readonly detail?: string
  /** Problem type URI; `about:blank` when the server gave none. */
  readonly type: string
  readonly instance?: string
  readonly errors: readonly FieldError[]
  readonly retryAfterSeconds?: number
  readonly extensions: Readonly<Record<string, unknown>>

  constructor(init: ApiErrorInit) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title)
    this.name = 'ApiError'
    this.status = init.status
    this.title = init.title
    this.detail = init.detail
    this.type = init.type ?? 'about:blank'
    this.instance = init.instance
    this.errors = init.errors ?? []
    this.retryAfterSeconds = init.retryAfterSeconds
    this.extensions = init.extensions ?? {}
  }
}

/** Turns anything thrown into an ApiError, for code that must show a failure in words. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError({
    status: 0,
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
  })
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** Serialized as JSON when present. */
  body?: unknown
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  signal?: AbortSignal
  /**
   * Non-2xx statuses whose JSON body is a regular answer rather than an error,
   * e.g. 503 from `/readyz`, which describes what is not ready.
   */
  acceptStatus?: readonly number[]
  /**
   * A 401 here is an answer for the caller alone (a failed sign-in), not a sign that the session
   * ended: the unauthorized listener is not told.
   */
  ownUnauthorized?: boolean
}

type UnauthorizedListener = (error: ApiError) => void
let unauthorizedListener: UnauthorizedListener | undefined

/**
 * Called whenever a request answers 401, i.e. the session is gone or never was; the router
 * guard sends the user to sign-in. One listener: the app installs it once at start.
 */
export function onUnauthorized(listener: UnauthorizedListener | undefined): void {
  unauthorizedListener = listener
}

const CSRF_COOKIE = 'XSRF-TOKEN'
const CSRF_HEADER = 'X-XSRF-TOKEN'

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    ...options.headers,
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE)
    if (token) headers[CSRF_HEADER] = token
  }

  let response: Response
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (isAbort(error)) throw error
    throw new ApiError({
      status: 0,
      title: 'Cannot reach the server',
      detail: `${method} ${path} got no answer. Check your connection or whether Sightline is running.`,
    })
  }

  const accepted = response.ok || (options.acceptStatus?.includes(response.status) ?? false)
  const body = await readBody(response)

  if (accepted) {
    if (response.status === 204 || body.kind === 'empty') return undefined as T
    if (body.kind === 'json') return body.value as T
    if (response.ok) {
      throw new ApiError({
        status: response.status,
        title: 'Unexpected answer from the server',
        detail: `${method} ${path} did not return JSON.`,
      })
    }
  }
  const error = errorFrom(response, body, method, path)
  if (error.status === 401 && !options.ownUnauthorized) unauthorizedListener?.(error)
  throw error
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
}

type Body = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'other' }

async function readBody(response: Response): Promise<Body> {
  const text = await response.text().catch(() => '')
  if (text.trim() === '') return { kind: 'empty' }
  const contentType = response.headers.get('Content-Type') ?? ''
  if (!/^application\/([\w.-]+\+)?json\b/i.test(contentType)) return { kind: 'other' }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown }
  } catch {
    return { kind: 'other' }
  }
}

/** RFC 9457's own members; any other member of a problem is an extension. */
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors'])

function errorFrom(response: Response, body: Body, method: string, path: string): ApiError {
  const status = response.status
  const retryAfterSeconds = retryAfter(response.headers.get('Retry-After'))
  if (body.kind === 'json' && isRecord(body.value) && typeof body.value.title === 'string') {
    const problem = body.value
    return new ApiError({
      status: typeof problem.status === 'number' ? problem.status : status,
      title: problem.title as string,
      detail: typeof problem.detail === 'string' ? problem.detail : undefined,
      type: typeof problem.type === 'string' ? problem.type : undefined,
      instance: typeof problem.instance === 'string' ? problem.instance : undefined,
      errors: fieldErrors(problem.errors),
      retryAfterSeconds,
      extensions: Object.fromEntries(
        Object.entries(problem).filter(([member]) => !PROBLEM_MEMBERS.has(member)),
      ),
    })
  }
  const statusText = response.statusText ? ` ${response.statusText}` : ''
  return new ApiError({
    status,
    title: titleForStatus(status),
    detail: `${method} ${path} answered HTTP ${status}${statusText}.`,
    retryAfterSeconds,
  })
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

function titleForStatus(status: number): string {
  if (status === 400) return 'The request was not valid'
  if (status === 401) return 'You are not signed in'
  if (status === 403) return 'You are not allowed to do this'
  if (status === 404) return 'Not found'
  if (status === 409) return 'This conflicts with a change made elsewhere'
  if (status === 413) return 'The request is too large'
  if (status === 429) return 'Too many requests; try again shortly'
  if (status === 502 || status === 503 || status === 504) return 'The server is unavailable'
  if (status >= 500) return 'The server failed to handle the request'
  return 'The request failed'
}

function fieldErrors(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return []
  return raw.filter(isRecord).map((entry) => ({
    path: firstString(entry.path, entry.field, entry.pointer) ?? '',
    message: firstString(entry.message, entry.detail) ?? 'is not valid',
  }))
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError'
  )
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value))
  }
  const encoded = params.toString()
  if (!encoded) return path
  return `${path}${path.includes('?') ? '&' : '?'}${encoded}`
}

function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined
  const prefix = `${name}=`
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix))
  return found ? decodeURIComponent(found.slice(prefix.length)) : undefined
}
