import { ref, watch, type Ref } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'

import { isPreset, isRangeType, type ParameterSpec, type ParamValue } from '@/api/parameters'
import {
  DATE_PATTERN,
  TIMESTAMP_PATTERN,
  integerValue,
  numberValue,
} from '@/components/parameters/paramInput'

/**
 * Parameter values kept in the route's query string (`p.<name>=…`) so a link reproduces the view: initial values
 * come from the URL, else from each spec's default; changes are written back with `router.replace` (other query keys
 * are kept). Encoding: scalars as text, multi-select as repeated keys, ranges as `start..end` or the preset name,
 * a cleared parameter that has a default as an empty value (so the default does not come back on reload).
 */
export function useParamsInUrl(specs: Ref<ParameterSpec[]>): {
  values: Ref<Record<string, ParamValue>>
} {
  const route = useRoute()
  const router = useRouter()
  const values = ref<Record<string, ParamValue>>(decodeParamValues(specs.value, route.query))

  // Declarations changed (loaded, edited): keep current values of parameters still declared, fill the others from
  // the URL or their default, drop the rest.
  watch(
    specs,
    (next) => {
      const fromUrl = decodeParamValues(next, route.query)
      const kept: Record<string, ParamValue> = {}
      for (const spec of next) {
        const name = spec.name
        if (name in values.value && sameType(spec, values.value[name]))
          kept[name] = values.value[name]!
        else if (name in fromUrl) kept[name] = fromUrl[name]!
      }
      if (!sameEncoding(next, kept, values.value)) values.value = kept
    },
    { deep: true },
  )

  watch(
    values,
    (current) => {
      const query: LocationQueryRaw = {}
      for (const [key, value] of Object.entries(route.query)) {
        if (!key.startsWith(PREFIX)) query[key] = value
      }
      Object.assign(query, encodeParamValues(specs.value, current))
      if (sameQuery(query, route.query)) return
      void router.replace({ query })
    },
    { deep: true },
  )

  // Back/forward or a link to the same view with other values.
  watch(
    () => route.query,
    (query) => {
      const decoded = decodeParamValues(specs.value, query)
      if (!sameEncoding(specs.value, decoded, values.value)) values.value = decoded
    },
  )

  return { values }
}

const PREFIX = 'p.'
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** The `p.<name>` query entries for these values; parameters not declared are left out. */
export function encodeParamValues(
  specs: readonly ParameterSpec[],
  values: Record<string, ParamValue>,
): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const spec of specs) {
    const key = PREFIX + spec.name
    const value = values[spec.name]
    if (value === undefined || value === null) {
      // Cleared on purpose: say so, or the default would come back from the spec.
      if (spec.default !== undefined && spec.default !== null) query[key] = ''
      continue
    }
    if (Array.isArray(value)) query[key] = value.length ? [...value] : ''
    else if (typeof value === 'object') query[key] = `${value.start}..${value.end}`
    else query[key] = String(value)
  }
  return query
}

/** Values from a route query for the declared parameters: the `p.<name>` entry when valid, else the default. */
export function decodeParamValues(
  specs: readonly ParameterSpec[],
  query: LocationQuery | Record<string, string | string[] | null | undefined>,
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {}
  for (const spec of specs) {
    const raw = query[PREFIX + spec.name]
    if (raw === undefined) {
      if (spec.default !== undefined && spec.default !== null)
        values[spec.name] = copy(spec.default)
      continue
    }
    const texts = (Array.isArray(raw) ? raw : [raw]).filter(
      (t): t is string => typeof t === 'string',
    )
    const value = decodeOne(spec, texts)
    if (value === undefined) {
      if (spec.default !== undefined && spec.default !== null)
        values[spec.name] = copy(spec.default)
    } else if (value !== null) {
      values[spec.name] = value
    }
  }
  return values
}

/** null: cleared on purpose; undefined: not a valid value (the default applies). */
function decodeOne(spec: ParameterSpec, texts: string[]): ParamValue | undefined {
  const first = texts[0] ?? ''
  if (texts.length === 0 || (texts.length === 1 && first === '')) return null
  switch (spec.type) {
    case 'text':
      return first
    case 'integer':
      return /^[+-]?\d+$/.test(first) ? (integerValue(first) ?? undefined) : undefined
    case 'number':
      return DECIMAL.test(first) ? (numberValue(first) ?? undefined) : undefined
    case 'boolean':
      return first === 'true' ? true : first === 'false' ? false : undefined
    case 'date':
      return DATE_PATTERN.test(first) ? first : undefined
    case 'timestamp':
      return TIMESTAMP_PATTERN.test(first) ? first : undefined
    case 'date_range':
    case 'timestamp_range': {
      if (isPreset(first)) return first
      const at = first.indexOf('..')
      if (at < 0) return undefined
      const start = first.slice(0, at)
      const end = first.slice(at + 2)
      const pattern = spec.type === 'date_range' ? DATE_PATTERN : TIMESTAMP_PATTERN
      return pattern.test(start) && pattern.test(end) ? { start, end } : undefined
    }
    case 'enum':
    case 'query_enum':
      return spec.multi ? texts.filter((t) => t !== '') : first
  }
}

/** A kept value must still fit the (possibly edited) declaration's type. */
function sameType(spec: ParameterSpec, value: ParamValue | undefined): boolean {
  if (value === undefined || value === null) return true
  if (spec.type === 'enum' || spec.type === 'query_enum')
    return Array.isArray(value) === !!spec.multi
  if (isRangeType(spec.type))
    return isPreset(value) || (typeof value === 'object' && !Array.isArray(value))
  if (spec.type === 'boolean') return typeof value === 'boolean'
  if (spec.type === 'integer' || spec.type === 'number')
    return typeof value === 'number' || typeof value === 'string'
  return typeof value === 'string'
}

function copy(value: ParamValue): ParamValue {
  if (Array.isArray(value)) return [...value]
  if (value && typeof value === 'object') return { ...value }
  return value
}

function sameEncoding(
  specs: readonly ParameterSpec[],
  a: Record<string, ParamValue>,
  b: Record<string, ParamValue>,
): boolean {
  return (
    JSON.stringify(encodeParamValues(specs, a)) === JSON.stringify(encodeParamValues(specs, b)) &&
    Object.keys(a).length === Object.keys(b).length
  )
}

function sameQuery(a: LocationQueryRaw, b: LocationQuery): boolean {
  const norm = (q: LocationQueryRaw | LocationQuery) =>
    JSON.stringify(
      Object.keys(q)
        .sort()
        .map((k) => [k, q[k]]),
    )
  return norm(a) === norm(b)
}
