/** What `fetch` answers in unit tests: a JSON body (problem+json for errors), or none. */
export function jsonResponse(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): Response {
  const contentType = status < 300 ? 'application/json' : 'application/problem+json'
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': contentType, ...headers },
  })
}
