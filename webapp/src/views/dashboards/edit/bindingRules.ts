/**
 * Which dashboard parameter may feed which tile parameter: the web app's mirror of the server's rules
 * (api-verticles/…/dashboards/Bindings.java, `incompatibility`), so the bindings matrix can disable what a save would
 * refuse and say why in the same words. Keep the two in step.
 *
 * A dashboard parameter may feed a tile parameter when every value it can hold is a value of the same shape: the same
 * type (an enum's options all among the tile's options); integer → number; enum or query_enum → text; text, enum and
 * query_enum into one another; single- and multi-select never mix. Dates, timestamps, their ranges and booleans only
 * feed their own type.
 */
import type { Binding } from '@/api/dashboards'
import type { ParamType, ParameterSpec } from '@/api/parameters'

const isChoice = (type: ParamType) => type === 'enum' || type === 'query_enum'
const isText = (type: ParamType) => type === 'text' || isChoice(type)

function describe(spec: ParameterSpec): string {
  return `${spec.multi ? 'multi-select ' : ''}${spec.type}`
}

function article(word: string): string {
  return `${'aeiou'.includes(word.charAt(0)) ? 'an' : 'a'} ${word}`
}

function quoted(values: readonly string[]): string {
  const shown = values.slice(0, 10).map((v) => `"${v}"`)
  const more = values.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}

/** Why values of dashboard parameter `dash` cannot feed tile parameter `tile`; null when they can. */
export function incompatibility(dash: ParameterSpec, tile: ParameterSpec): string | null {
  const kinds = `${article(describe(dash))} dashboard parameter ('${dash.name}') cannot feed ${article(describe(tile))} parameter`
  if (!!dash.multi !== !!tile.multi) return `${kinds} (single- and multi-select values differ)`
  const d = dash.type
  const t = tile.type
  if (d === 'enum' && t === 'enum') {
    const tileOptions = tile.options ?? []
    const missing = (dash.options ?? []).filter((o) => !tileOptions.includes(o))
    return missing.length === 0
      ? null
      : `the dashboard parameter '${dash.name}' offers ${quoted(missing)}, which the tile parameter does not (its options: ${quoted(tileOptions)})`
  }
  if (d === t || (d === 'integer' && t === 'number') || (isText(d) && isText(t))) return null
  return kinds
}

/**
 * The bindings a tile starts with when it is added: each query parameter whose name is a dashboard parameter's, and
 * whose type that parameter can feed, is bound to it; every other one is left out (the query's default).
 */
export function autoBindings(
  tileParams: readonly ParameterSpec[],
  dashboardParams: readonly ParameterSpec[],
): Record<string, Binding> {
  const out: Record<string, Binding> = {}
  for (const tile of tileParams) {
    const dash = dashboardParams.find((d) => d.name === tile.name)
    if (dash && incompatibility(dash, tile) === null) {
      out[tile.name] = { from: 'dashboard', param: dash.name }
    }
  }
  return out
}

/** A required parameter without a default must be bound to a dashboard parameter or given a value. */
export function needsBinding(tile: ParameterSpec, binding: Binding | undefined): boolean {
  const unset = tile.default === undefined || tile.default === null
  return !!tile.required && unset && (binding === undefined || 'default' in binding)
}
