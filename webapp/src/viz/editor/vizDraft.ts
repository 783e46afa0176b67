/**
 * The editor's draft of one visualization and what changes when its kind changes. Pure functions, shared by the
 * workbench's Visualizations area and its tests.
 */
import type { Cell, ResultColumn } from '@/api/results'
import { vizKinds } from '@/viz/registry'
import type { SeriesConfig, Visualization, VizConfig, VizKind } from '@/viz/types'

export interface VizDraft {
  name: string
  kind: VizKind
  config: VizConfig
}

const SERIES_KINDS: ReadonlySet<VizKind> = new Set(['line', 'area', 'bar'])
/** Fields only bar charts have (the line and area schemas refuse them). */
const BAR_ONLY = ['orientation', 'sort', 'valueLabels'] as const

/** JSON with object keys sorted: the server stores configs as jsonb, which does not keep the order they were sent in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )
}

/** A deep copy of JSON (configs are JSON; unlike structuredClone this also copies Vue's reactive proxies). */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export function draftOf(viz: Visualization): VizDraft {
  return { name: viz.name, kind: viz.kind, config: jsonClone(viz.config) }
}

/** True when the draft says something other than the saved visualization (or is a new one). */
export function isChanged(draft: VizDraft | null, saved: Visualization | null): boolean {
  if (!draft) return false
  if (!saved) return true
  return (
    draft.name !== saved.name ||
    draft.kind !== saved.kind ||
    stableJson(draft.config) !== stableJson(saved.config)
  )
}

/** A new visualization of a kind: the registry's suggestion from the result's columns and first rows. */
export function suggestDraft(
  kind: VizKind,
  columns: ResultColumn[],
  sample: Cell[][] | undefined,
  existing: readonly { name: string }[],
): VizDraft {
  const label = vizKinds[kind].label
  let n = 1
  const taken = new Set(existing.map((v) => v.name))
  while (taken.has(n === 1 ? label : `${label} ${n}`)) n++
  return {
    name: n === 1 ? label : `${label} ${n}`,
    kind,
    config: vizKinds[kind].suggest(columns, sample),
  }
}

/**
 * The config after switching kinds: between line, area and bar the mapping stays (without what the new kind does not
 * have); to or from a stat or a table, the registry suggests a new one.
 */
export function configForKind(
  from: VizKind,
  to: VizKind,
  config: VizConfig,
  columns: ResultColumn[],
  sample: Cell[][] | undefined,
): VizConfig {
  if (from === to) return config
  if (!SERIES_KINDS.has(from) || !SERIES_KINDS.has(to)) return vizKinds[to].suggest(columns, sample)
  const next = jsonClone(config) as SeriesConfig & Record<string, unknown>
  if (to === 'bar') {
    delete next.lineStyle
  } else {
    for (const key of BAR_ONLY) delete next[key]
    next.y = next.y.map((y) => {
      const copy = { ...y }
      delete copy.render
      return copy
    })
  }
  return next
}
