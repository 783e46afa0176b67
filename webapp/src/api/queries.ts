/** Saved queries (`/api/v1/queries*`): versions, runs with parameters, latest results. See docs/api.md. */
import { http } from './http'
import type { ParameterSpec, ParamValue } from './parameters'
import type { Run, RunOptions } from './runs'

/** A list entry (`GET /queries`); the full query adds `sql` and `runOptions`. */
export interface QuerySummary {
  id: string
  name: string
  description: string | null
  datasourceId: string
  version: number
  params: ParameterSpec[]
  createdAt: string
  createdBy: string | null
  updatedAt: string
  updatedBy: string | null
}

export interface QueryWarning {
  parameter: string
  message: string
}

export interface Query extends QuerySummary {
  sql: string
  runOptions: RunOptions | null
  /** On saves: placeholders without a declared parameter, declared parameters the SQL never uses. */
  warnings?: QueryWarning[]
}

export interface QueryPage {
  items: QuerySummary[]
  nextCursor: string | null
}

export interface QueryVersionSummary {
  version: number
  name: string
  savedAt: string
  savedBy: string | null
}

export interface QueryVersion {
  id: string
  version: number
  name: string
  sql: string
  params: ParameterSpec[]
  runOptions: RunOptions | null
  savedAt: string
  savedBy: string | null
}

export interface QuerySave {
  name: string
  description?: string
  datasourceId: string
  sql: string
  params?: ParameterSpec[]
  runOptions?: RunOptions
}

export interface QueryRunRequest {
  params?: Record<string, ParamValue>
  options?: RunOptions
  maxAgeSeconds?: number
}

export interface ParameterOptions {
  options: string[]
  fromRunId: string
  refreshedAt: string
}

const base = (id: string) => `/api/v1/queries/${encodeURIComponent(id)}`

export function listQueries(
  filter: { search?: string; datasourceId?: string; limit?: number; cursor?: string } = {},
  signal?: AbortSignal,
): Promise<QueryPage> {
  return http.get<QueryPage>('/api/v1/queries', { query: { ...filter }, signal })
}

export function getQuery(id: string, signal?: AbortSignal): Promise<Query> {
  return http.get<Query>(base(id), { signal })
}

export function createQuery(body: QuerySave): Promise<Query> {
  return http.post<Query>('/api/v1/queries', body)
}

/** Saves the next version; `version` is the one the edit started from (409 when someone saved since). */
export function saveQuery(id: string, body: QuerySave & { version: number }): Promise<Query> {
  return http.put<Query>(base(id), body)
}

/** Deletes the query, or archives it when runs, visualizations or schedules refer to it. */
export function deleteQuery(id: string): Promise<void> {
  return http.delete<void>(base(id))
}

export function listQueryVersions(
  id: string,
  signal?: AbortSignal,
): Promise<QueryVersionSummary[]> {
  return http.get<QueryVersionSummary[]>(`${base(id)}/versions`, { signal })
}

export function getQueryVersion(
  id: string,
  version: number,
  signal?: AbortSignal,
): Promise<QueryVersion> {
  return http.get<QueryVersion>(`${base(id)}/versions/${version}`, { signal })
}

export function restoreQueryVersion(id: string, version: number): Promise<Query> {
  return http.post<Query>(`${base(id)}/versions/${version}/restore`)
}

export function runQuery(id: string, body: QueryRunRequest = {}): Promise<Run> {
  return http.post<Run>(`${base(id)}/runs`, body)
}

/** The latest stored result for these values, without running (404 `no-result` when none). */
export function latestQueryResult(id: string, body: QueryRunRequest = {}): Promise<Run> {
  return http.post<Run>(`${base(id)}/results/latest`, body)
}

export function parameterOptions(
  id: string,
  name: string,
  signal?: AbortSignal,
): Promise<ParameterOptions> {
  return http.get<ParameterOptions>(`${base(id)}/parameters/${encodeURIComponent(name)}/options`, {
    signal,
  })
}
