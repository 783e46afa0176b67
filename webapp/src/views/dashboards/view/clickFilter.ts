/**
 * Click to filter: a tile with `clickAction {setParam, column}` sets dashboard parameter `setParam` from the clicked
 * mark's (or table row's) value of `column`; clicking the same value again clears it. A chart knows its clicked x
 * value and series value only, so a chart tile's column must be its x or seriesBy column; a table knows every column.
 */
import type { ClickAction } from '@/api/dashboards'
import type { ParameterSpec, ParamValue } from '@/api/parameters'
import type { Cell } from '@/api/results'

/** The parameter value a clicked cell sets, typed for the parameter; undefined when it cannot be one. */
export function paramValueOf(spec: ParameterSpec, cell: Cell | undefined): ParamValue | undefined {
  if (cell === undefined || cell === null || typeof cell === 'object') return undefined
  const text = String(cell)
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = typeof cell === 'number' ? cell : Number(text)
      return Number.isFinite(n) ? n : undefined
    }
    case 'boolean':
      return typeof cell === 'boolean'
        ? cell
        : text === 'true'
          ? true
          : text === 'false'
            ? false
            : undefined
    case 'date':
      return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : undefined
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}T/.test(text) ? text : undefined
    case 'enum':
    case 'query_enum':
      return spec.multi ? [text] : text
    case 'text':
      return text
    default:
      return undefined // ranges are not set by a click
  }
}

function same(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/**
 * The dashboard values after a click: the parameter set to the clicked value, or cleared (null) when it already had
 * that value. Unchanged (the same object) when the click carries no usable value.
 */
export function applyClick(
  values: Record<string, ParamValue>,
  action: ClickAction,
  specs: readonly ParameterSpec[],
  clicked: Record<string, Cell>,
): Record<string, ParamValue> {
  const spec = specs.find((s) => s.name === action.setParam)
  if (!spec) return values
  const value = paramValueOf(spec, clicked[action.column])
  if (value === undefined) return values
  const next = { ...values }
  next[spec.name] = same(values[spec.name], value) ? null : value
  return next
}

/** Parameters some tile's click sets, that have a value now: shown as removable chips. */
export function activeFilters(
  actions: readonly (ClickAction | null | undefined)[],
  values: Record<string, ParamValue>,
): string[] {
  const names = new Set<string>()
  for (const action of actions) {
    if (!action) continue
    const value = values[action.setParam]
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))
      names.add(action.setParam)
  }
  return [...names]
}
