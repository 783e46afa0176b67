/**
 * The dashboard being edited, as plain data, and every change edit mode makes to it as a pure function (old draft in,
 * new draft out), so undo/redo can keep snapshots and specs can test each operation alone. A draft tile carries what
 * the grid and the matrix show (the visualization, its query's parameters) besides what a save sends; `key` is its
 * identity in the page (a saved tile's id, or a fresh one for a tile not saved yet).
 */
import {
  DASHBOARD_COLUMNS,
  type Binding,
  type ClickAction,
  type Dashboard,
  type DashboardSave,
  type RefreshSeconds,
  type Tile,
  type TileSave,
} from '@/api/dashboards'
import type { ParameterSpec } from '@/api/parameters'
import type { Visualization } from '@/viz/types'

import { autoBindings, incompatibility } from './bindingRules'

export interface DraftTile {
  key: string
  /** The saved tile's id; absent for a tile added (or duplicated) in this session. */
  id?: string
  kind: 'viz' | 'text'
  visualizationId: string | null
  title: string | null
  text: string | null
  x: number
  y: number
  w: number
  h: number
  bindings: Record<string, Binding>
  clickAction: ClickAction | null
  visualization?: Tile['visualization']
  query?: Tile['query']
}

export interface Draft {
  name: string
  slug: string
  description: string
  tags: string[]
  params: ParameterSpec[]
  refreshSeconds: RefreshSeconds | null
  tiles: DraftTile[]
}

/** A change that also has something to say (e.g. bindings that went back to the query default). */
export interface Changed {
  draft: Draft
  notes: string[]
}

/** One grid row's height and the gap between tiles, in pixels: view mode's, so edit mode shows the same layout. */
export { GAP_PX as GRID_MARGIN_PX, ROW_HEIGHT_PX } from '../view/grid'

/** Sizes of a new tile, in grid units (a row is 40 px). */
export const NEW_VIZ_SIZE = { w: 12, h: 8 } as const
export const NEW_STAT_SIZE = { w: 6, h: 4 } as const
export const NEW_TEXT_SIZE = { w: 12, h: 4 } as const

let keys = 0
/** A key for a tile made in this page. */
export function newKey(): string {
  keys += 1
  return `new-${keys}-${Math.random().toString(36).slice(2, 8)}`
}

export function fromDashboard(d: Dashboard): Draft {
  return {
    name: d.name,
    slug: d.slug,
    description: d.description ?? '',
    tags: [...(d.tags ?? [])],
    params: structuredClone(d.params ?? []),
    refreshSeconds: d.refreshSeconds ?? null,
    tiles: (d.tiles ?? []).map((t) => ({
      key: t.id,
      id: t.id,
      kind: t.kind,
      visualizationId: t.visualizationId ?? null,
      title: t.title ?? null,
      text: t.text ?? null,
      x: t.x,
      y: t.y,
      w: t.w,
      h: t.h,
      bindings: structuredClone(t.bindings ?? {}),
      clickAction: t.clickAction ? { ...t.clickAction } : null,
      visualization: t.visualization,
      query: t.query,
    })),
  }
}

/** The body of a save: every field of the dashboard, tiles in the draft's order (a 400's `/tiles/N` counts in it). */
export function toSave(draft: Draft): DashboardSave {
  return {
    name: draft.name.trim(),
    slug: draft.slug || undefined,
    description: draft.description,
    tags: draft.tags,
    params: draft.params,
    refreshSeconds: draft.refreshSeconds,
    tiles: draft.tiles.map((t): TileSave => {
      const out: TileSave = { kind: t.kind, title: t.title, x: t.x, y: t.y, w: t.w, h: t.h }
      if (t.id) out.id = t.id
      if (t.kind === 'viz') {
        out.visualizationId = t.visualizationId
        out.bindings = t.bindings
        out.clickAction = t.clickAction
      } else {
        out.text = t.text ?? ''
      }
      return out
    }),
  }
}

/** What is compared to tell an unsaved change (what a save would send). */
export function fingerprint(draft: Draft): string {
  return JSON.stringify(toSave(draft))
}

/** The title a tile shows: its own, else its visualization's name, else its kind. */
export function tileTitle(tile: DraftTile): string {
  if (tile.title) return tile.title
  if (tile.kind === 'viz') return tile.visualization?.name ?? 'Visualization'
  return 'Text'
}

/** The first row below every tile. */
export function firstFreeRow(tiles: readonly DraftTile[]): number {
  return tiles.reduce((bottom, t) => Math.max(bottom, t.y + t.h), 0)
}

function withTiles(draft: Draft, tiles: DraftTile[]): Draft {
  return { ...draft, tiles }
}

/** Adds a viz tile at the first free row, its query's parameters bound by name and type to the dashboard's. */
export function addVizTile(
  draft: Draft,
  viz: Pick<Visualization, 'id' | 'name' | 'kind' | 'config' | 'version' | 'queryId'>,
  query: { id: string; name: string; params: ParameterSpec[] },
): { draft: Draft; tile: DraftTile } {
  const size = viz.kind === 'stat' ? NEW_STAT_SIZE : NEW_VIZ_SIZE
  const tile: DraftTile = {
    key: newKey(),
    kind: 'viz',
    visualizationId: viz.id,
    title: null,
    text: null,
    x: 0,
    y: firstFreeRow(draft.tiles),
    ...size,
    bindings: autoBindings(query.params ?? [], draft.params),
    clickAction: null,
    visualization: {
      id: viz.id,
      name: viz.name,
      kind: viz.kind,
      config: viz.config,
      version: viz.version,
      queryId: viz.queryId,
    },
    query: { id: query.id, name: query.name, params: query.params ?? [] },
  }
  return { draft: withTiles(draft, [...draft.tiles, tile]), tile }
}

export function addTextTile(draft: Draft, text: string): { draft: Draft; tile: DraftTile } {
  const tile: DraftTile = {
    key: newKey(),
    kind: 'text',
    visualizationId: null,
    title: null,
    text,
    x: 0,
    y: firstFreeRow(draft.tiles),
    ...NEW_TEXT_SIZE,
    bindings: {},
    clickAction: null,
  }
  return { draft: withTiles(draft, [...draft.tiles, tile]), tile }
}

/** A copy of the tile (a new tile, without the original's id) at the first free row. */
export function duplicateTile(draft: Draft, key: string): Draft {
  const source = draft.tiles.find((t) => t.key === key)
  if (!source) return draft
  const copy: DraftTile = {
    ...source,
    key: newKey(),
    y: firstFreeRow(draft.tiles),
    bindings: structuredClone(source.bindings),
    clickAction: source.clickAction ? { ...source.clickAction } : null,
  }
  delete copy.id
  return withTiles(draft, [...draft.tiles, copy])
}

export function removeTile(draft: Draft, key: string): Draft {
  return withTiles(
    draft,
    draft.tiles.filter((t) => t.key !== key),
  )
}

export function updateTile(
  draft: Draft,
  key: string,
  patch: Partial<Pick<DraftTile, 'title' | 'text' | 'clickAction' | 'bindings'>>,
): Draft {
  return withTiles(
    draft,
    draft.tiles.map((t) => (t.key === key ? { ...t, ...patch } : t)),
  )
}

/** Sets (or, with null, clears: the query's default) one tile parameter's binding. */
export function setBinding(
  draft: Draft,
  key: string,
  param: string,
  binding: Binding | null,
): Draft {
  return withTiles(
    draft,
    draft.tiles.map((t) => {
      if (t.key !== key) return t
      const bindings = { ...t.bindings }
      if (binding === null) delete bindings[param]
      else bindings[param] = binding
      return { ...t, bindings }
    }),
  )
}

export interface Placement {
  key: string
  x: number
  y: number
  w: number
  h: number
}

/** Applies the grid's positions (after a drag, a resize, or the grid's compaction); the same draft if none moved. */
export function moveTiles(draft: Draft, placements: readonly Placement[]): Draft {
  const byKey = new Map(placements.map((p) => [p.key, p]))
  let moved = false
  const tiles = draft.tiles.map((t) => {
    const p = byKey.get(t.key)
    if (!p || (p.x === t.x && p.y === t.y && p.w === t.w && p.h === t.h)) return t
    moved = true
    const w = Math.max(1, Math.min(p.w, DASHBOARD_COLUMNS))
    return {
      ...t,
      x: Math.max(0, Math.min(p.x, DASHBOARD_COLUMNS - w)),
      y: Math.max(0, p.y),
      w,
      h: Math.max(1, p.h),
    }
  })
  return moved ? withTiles(draft, tiles) : draft
}

// ---- dashboard parameters ----------------------------------------------------------------------------------------

export function addParam(draft: Draft, spec: ParameterSpec): Draft {
  return { ...draft, params: [...draft.params, spec] }
}

/** A name not yet taken by a dashboard parameter: `param`, `param_2`, … */
export function freeParamName(draft: Draft, base = 'param'): string {
  const taken = new Set(draft.params.map((p) => p.name))
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`
}

function quote(tile: DraftTile): string {
  return `“${tileTitle(tile)}”`
}

/**
 * Replaces declaration `index`. A rename moves every binding (and click action) that pointed to the old name to the
 * new one; a binding the changed declaration can no longer feed goes back to the query default, and a note says so.
 */
export function updateParam(draft: Draft, index: number, spec: ParameterSpec): Changed {
  const before = draft.params[index]
  if (!before) return { draft, notes: [] }
  const params = draft.params.map((p, i) => (i === index ? spec : p))
  const notes: string[] = []
  const tiles = draft.tiles.map((tile) => {
    let changed = false
    const bindings: Record<string, Binding> = {}
    for (const [name, b] of Object.entries(tile.bindings)) {
      if (!('from' in b) || b.param !== before.name) {
        bindings[name] = b
        continue
      }
      const tileSpec = tile.query?.params.find((p) => p.name === name)
      const why = tileSpec ? incompatibility(spec, tileSpec) : null
      changed = true
      if (why) {
        notes.push(`${quote(tile)}: ${name} now takes the query's default (${why}).`)
      } else {
        bindings[name] = { from: 'dashboard', param: spec.name }
      }
    }
    let clickAction = tile.clickAction
    if (clickAction && clickAction.setParam === before.name && spec.name !== before.name) {
      clickAction = { ...clickAction, setParam: spec.name }
      changed = true
    }
    return changed ? { ...tile, bindings, clickAction } : tile
  })
  return { draft: { ...draft, params, tiles }, notes }
}

/**
 * Removes declaration `index`: the bindings that pointed to it go back to the query default and the click actions
 * that set it are dropped; the notes name each.
 */
export function removeParam(draft: Draft, index: number): Changed {
  const gone = draft.params[index]
  if (!gone) return { draft, notes: [] }
  const notes: string[] = []
  const tiles = draft.tiles.map((tile) => {
    const unbound = Object.entries(tile.bindings).filter(
      ([, b]) => 'from' in b && b.param === gone.name,
    )
    const dropClick = tile.clickAction?.setParam === gone.name
    if (unbound.length === 0 && !dropClick) return tile
    const bindings = Object.fromEntries(
      Object.entries(tile.bindings).filter(([, b]) => !('from' in b && b.param === gone.name)),
    )
    if (unbound.length > 0) {
      const names = unbound.map(([n]) => n).join(', ')
      notes.push(
        `${quote(tile)}: ${names} now ${unbound.length > 1 ? 'take' : 'takes'} the query's default.`,
      )
    }
    if (dropClick) notes.push(`${quote(tile)}: its click action set ${gone.name}; it was removed.`)
    return { ...tile, bindings, clickAction: dropClick ? null : tile.clickAction }
  })
  return {
    draft: { ...draft, params: draft.params.filter((_, i) => i !== index), tiles },
    notes,
  }
}
