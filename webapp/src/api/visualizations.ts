/**
 * Visualizations of a saved query (`/api/v1/queries/{id}/visualizations`, `/api/v1/visualizations/{id}`) and the
 * shaping of a stored result for one (`POST /api/v1/results/{id}/series`). See docs/visualizations.md; the config and
 * answer types are the contract in src/viz/types.ts.
 */
import type { Shaped, Visualization, VizConfig, VizKind } from '@/viz/types'

import { http, type ApiError } from './http'

/** A failure a visualization shows in place (e.g. the 400 of a config naming a column the result lacks). */
export type Problem = ApiError

export interface VisualizationSave {
  name: string
  kind: VizKind
  config: VizConfig
}

export interface ShapeRequest {
  kind: VizKind
  config: VizConfig
  /** The chart's plot width in pixels, 40–8000. */
  width: number
}

const base = (id: string) => `/api/v1/visualizations/${encodeURIComponent(id)}`
const ofQuery = (queryId: string) => `/api/v1/queries/${encodeURIComponent(queryId)}/visualizations`

/** The query's visualizations, oldest first. */
export function listVisualizations(
  queryId: string,
  signal?: AbortSignal,
): Promise<Visualization[]> {
  return http.get<Visualization[]>(ofQuery(queryId), { signal })
}

export function createVisualization(
  queryId: string,
  body: VisualizationSave,
): Promise<Visualization> {
  return http.post<Visualization>(ofQuery(queryId), body)
}

export function getVisualization(id: string, signal?: AbortSignal): Promise<Visualization> {
  return http.get<Visualization>(base(id), { signal })
}

/** Saves the next version; `version` is the one the edit started from (409 when someone saved since). */
export function saveVisualization(
  id: string,
  body: VisualizationSave & { version: number },
): Promise<Visualization> {
  return http.put<Visualization>(base(id), body)
}

/** 409 `visualization-in-use` (naming the dashboards) when a dashboard tile shows it. */
export function deleteVisualization(id: string): Promise<void> {
  return http.delete<void>(base(id))
}

/** Chart-ready data for a stored result: series, a stat or table totals, with the facts a chart must show in `meta`. */
export function shapeResult(
  resultId: string,
  body: ShapeRequest,
  signal?: AbortSignal,
): Promise<Shaped> {
  return http.post<Shaped>(`/api/v1/results/${encodeURIComponent(resultId)}/series`, body, {
    signal,
  })
}
