/**
 * Dashboards (`/api/v1/dashboards…`): a grid of visualization and text tiles with shared parameters bound per tile,
 * saved as versions, and one request that answers every tile's result (`POST …/runs`). The server's contract is
 * api-verticles/src/main/java/io/sightline/api/dashboards/ (and the OpenAPI document); docs/api.md, "Dashboards".
 */
import type { VizConfig, VizKind } from '@/viz/types'

import { http } from './http'
import type { ParamValue, ParameterSpec } from './parameters'

/** The grid's width in columns; tiles are placed in these units. */
export const DASHBOARD_COLUMNS = 24
/** Refresh intervals a dashboard may have (null = off). */
export const REFRESH_SECONDS = [10, 30, 60, 300, 900, 3600, 86400] as const
export type RefreshSeconds = (typeof REFRESH_SECONDS)[number]

/** Where one tile parameter's value comes from; a parameter left out of `bindings` takes the query's default. */
export type Binding =
  { from: 'dashboard'; param: string } | { value: ParamValue } | { default: true }

/** Clicking a bar, point or table row sets dashboard parameter `setParam` from the row's `column`. */
export interface ClickAction {
  setParam: string
  column: string
}

export interface TileSave {
  /** Kept across saves when given (a tile of the current version); new tiles leave it out. */
  id?: string
  kind: 'viz' | 'text'
  visualizationId?: string | null
  /** Overrides the visualization's name as the tile's title; null = the visualization's name. */
  title?: string | null
  /** Markdown of a text tile, with `{{param}}` placeholders. */
  text?: string | null
  x: number
  y: number
  w: number
  h: number
  /** Tile query parameter name → binding. */
  bindings?: Record<string, Binding>
  clickAction?: ClickAction | null
}

export interface Tile extends Required<Omit<TileSave, 'id'>> {
  id: string
  /** Viz tiles: the visualization as saved now. */
  visualization?: {
    id: string
    name: string
    kind: VizKind
    config: VizConfig
    version: number
    queryId: string
  }
  /** Viz tiles: the visualization's query and its parameter declarations. */
  query?: { id: string; name: string; params: ParameterSpec[] }
}

export interface DashboardSave {
  name: string
  /** Unique in the org; derived from the name when left out. */
  slug?: string
  description?: string
  tags?: string[]
  /** Parameter declarations, the same types as a query's. */
  params?: ParameterSpec[]
  refreshSeconds?: RefreshSeconds | null
  tiles?: TileSave[]
}

export interface Dashboard {
  id: string
  slug: string
  name: string
  description: string
  tags: string[]
  params: ParameterSpec[]
  refreshSeconds: RefreshSeconds | null
  version: number
  createdBy: string | null
  updatedBy: string | null
  createdAt: string
  updatedAt: string
  /** When the caller last opened it. */
  lastViewedAt: string | null
  tiles: Tile[]
}

export interface DashboardListItem {
  id: string
  slug: string
  name: string
  description: string
  tags: string[]
  tileCount: number
  version: number
  ownerId: string | null
  owner: string | null
  updatedBy: string | null
  createdAt: string
  updatedAt: string
  lastViewedAt: string | null
}

export interface DashboardPage {
  items: DashboardListItem[]
  nextCursor: string | null
}

export interface DashboardListQuery {
  search?: string
  tag?: string
  /** A user id, or `me`. */
  owner?: string
  /** Only dashboards the caller opened, most recently viewed first. */
  recent?: boolean
  limit?: number
  cursor?: string
}

export interface DashboardVersionItem {
  version: number
  name: string
  tileCount: number
  savedAt: string
  savedBy: string | null
}

/** One saved version: its content as saved (tiles without the joined visualization and query). */
export interface DashboardVersion extends Omit<DashboardSave, 'tiles'> {
  id: string
  slug: string
  version: number
  savedBy: string | null
  savedAt: string
  tiles: (TileSave & { id: string })[]
}

export interface DashboardRunRequest {
  /** Dashboard parameter values (name → value); missing ones take the dashboard's defaults. */
  params?: Record<string, ParamValue>
  /** Only these tiles (default: every viz tile). */
  tileIds?: string[]
  /** Reuse a stored result at most this old (default: the refresh interval; without one, any age). */
  maxAgeSeconds?: number
}

export interface TileRunAnswer {
  tileId: string
  queryId: string
  runId: string | null
  resultId: string | null
  status: 'queued' | 'running' | 'succeeded' | 'error'
  /** A stored result or a live run was reused rather than a new run enqueued. */
  reused: boolean
  /** What the org's run events carry for this exact work (query + bound values): match pushes by it. */
  fingerprint: string | null
  /** When the reused result was made (a `succeeded` answer); null for a run still to finish. */
  finishedAt: string | null
  /** The tile's own failure (e.g. a binding that no longer holds); the other tiles still run. */
  error?: { code: string; message: string; field?: string }
}

const base = '/api/v1/dashboards'
const one = (idOrSlug: string) => `${base}/${encodeURIComponent(idOrSlug)}`

export function listDashboards(
  query: DashboardListQuery = {},
  signal?: AbortSignal,
): Promise<DashboardPage> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return http.get<DashboardPage>(qs ? `${base}?${qs}` : base, { signal })
}

/** By id or slug; records the caller's view (for "recent"). */
export function getDashboard(idOrSlug: string, signal?: AbortSignal): Promise<Dashboard> {
  return http.get<Dashboard>(one(idOrSlug), { signal })
}

export function createDashboard(body: DashboardSave): Promise<Dashboard> {
  return http.post<Dashboard>(base, body)
}

/** Saves the whole dashboard as the next version; `version` is the one the edit started from (409 when stale). */
export function saveDashboard(
  idOrSlug: string,
  body: DashboardSave & { version: number },
): Promise<Dashboard> {
  return http.put<Dashboard>(one(idOrSlug), body)
}

/** Deleted, or archived when runs or schedules refer to it. */
export function deleteDashboard(idOrSlug: string): Promise<void> {
  return http.delete<void>(one(idOrSlug))
}

export function listDashboardVersions(
  idOrSlug: string,
  signal?: AbortSignal,
): Promise<DashboardVersionItem[]> {
  return http.get<DashboardVersionItem[]>(`${one(idOrSlug)}/versions`, { signal })
}

export function getDashboardVersion(
  idOrSlug: string,
  version: number,
  signal?: AbortSignal,
): Promise<DashboardVersion> {
  return http.get<DashboardVersion>(`${one(idOrSlug)}/versions/${version}`, { signal })
}

/** Saves version `version`'s content as the newest version. */
export function restoreDashboardVersion(idOrSlug: string, version: number): Promise<Dashboard> {
  return http.post<Dashboard>(`${one(idOrSlug)}/versions/${version}/restore`, {})
}

export function duplicateDashboard(
  idOrSlug: string,
  body: { name?: string; slug?: string } = {},
): Promise<Dashboard> {
  return http.post<Dashboard>(`${one(idOrSlug)}/duplicate`, body)
}

/** Every (or the named) viz tile's result for these values, in one answer. Viewers may call it. */
export function runDashboard(
  idOrSlug: string,
  body: DashboardRunRequest,
  signal?: AbortSignal,
): Promise<{ tiles: TileRunAnswer[] }> {
  return http.post<{ tiles: TileRunAnswer[] }>(`${one(idOrSlug)}/runs`, body, { signal })
}
