/**
 * The demo a first standalone start installs (`/api/v1/demo`): whether this org has it, what it contains, what members
 * built on it, and its removal (admins). See docs/demo.md and `DemoResource` on the server.
 */
import { http } from './http'

export interface DemoItem {
  id: string
  name: string
}

export interface DemoDependent extends DemoItem {
  kind: 'query' | 'visualization' | 'dashboard' | 'schedule'
}

export interface DemoStatus {
  installed: boolean
  /** Not installed yet, but a first start is installing it right now (about half a minute). */
  installing?: boolean
  installedAt?: string
  removedAt?: string | null
  database?: string
  seed?: number
  datasources?: DemoItem[]
  queries?: DemoItem[]
  visualizations?: DemoItem[]
  dashboards?: (DemoItem & { slug?: string })[]
  schedules?: DemoItem[]
  /** What members made on top of the demo: a removal is refused (409 demo-in-use) while any is left. */
  dependents?: DemoDependent[]
}

export interface DemoRemoved {
  removed: Record<'schedules' | 'dashboards' | 'visualizations' | 'queries' | 'datasources', number>
  databaseDropped: boolean
  databaseMessage: string
}

export const demoApi = {
  status: () => http.get<DemoStatus>('/api/v1/demo'),
  remove: () => http.delete<DemoRemoved>('/api/v1/demo'),
}
