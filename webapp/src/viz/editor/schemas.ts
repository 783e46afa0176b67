/**
 * The per-kind JSON Schemas of visualization configs, read from where the server validates with them
 * (api-verticles/src/main/resources/viz/<kind>.schema.json) so the form and the server cannot drift apart. Each is a
 * separate lazy chunk: nothing here reaches the entry chunk.
 */
import type { VizKind } from '@/viz/types'

/** The subset of JSON Schema (2020-12) the config schemas use, plus Sightline's widget hint. */
export interface JsonSchema {
  type?: JsonType | JsonType[]
  title?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  examples?: unknown[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minItems?: number
  maxItems?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  propertyNames?: { maxLength?: number }
  items?: JsonSchema
  anyOf?: JsonSchema[]
  /** `column`: a select of the result's columns. */
  'x-sightline-widget'?: 'column'
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null'

// Relative to the repository: the schemas belong to the API module; Vite bundles them from there.
const loaders: Record<VizKind, () => Promise<{ default: unknown }>> = {
  line: () => import('../../../../api-verticles/src/main/resources/viz/line.schema.json'),
  area: () => import('../../../../api-verticles/src/main/resources/viz/area.schema.json'),
  bar: () => import('../../../../api-verticles/src/main/resources/viz/bar.schema.json'),
  stat: () => import('../../../../api-verticles/src/main/resources/viz/stat.schema.json'),
  table: () => import('../../../../api-verticles/src/main/resources/viz/table.schema.json'),
}

/** The config schema of one kind. */
export async function loadVizSchema(kind: VizKind): Promise<JsonSchema> {
  return (await loaders[kind]()).default as JsonSchema
}

/** The schema's types as a list (`type` may be one or several). */
export function typesOf(schema: JsonSchema): JsonType[] {
  if (schema.type === undefined) return []
  return Array.isArray(schema.type) ? schema.type : [schema.type]
}

/** `anyOf: [X, {type: null}]` and `type: [X, 'null']`: the non-null part and whether null is allowed. */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (schema.anyOf) {
    const others = schema.anyOf.filter((s) => !(typesOf(s).length === 1 && s.type === 'null'))
    if (others.length === 1 && others.length < schema.anyOf.length) {
      return { schema: { ...others[0], title: others[0]!.title ?? schema.title }, nullable: true }
    }
  }
  const types = typesOf(schema)
  if (types.length > 1 && types.includes('null')) {
    const rest = types.filter((t) => t !== 'null')
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true }
  }
  return { schema, nullable: false }
}

/** What a field edits, by its (unwrapped) schema. */
export type FieldKind =
  | 'column'
  | 'color'
  | 'enum'
  | 'boolean'
  | 'number'
  | 'text'
  | 'object'
  | 'map'
  | 'array'
  | 'unknown'

export function fieldKind(schema: JsonSchema): FieldKind {
  const types = typesOf(schema)
  if (schema['x-sightline-widget'] === 'column') return 'column'
  if (schema.enum) return 'enum'
  if (types.includes('boolean')) return 'boolean'
  if (types.includes('number') || types.includes('integer')) return 'number'
  if (types.includes('string')) return isColorPattern(schema.pattern) ? 'color' : 'text'
  if (types.includes('array')) return 'array'
  if (types.includes('object')) {
    if (schema.properties) return 'object'
    if (typeof schema.additionalProperties === 'object') return 'map'
    return 'object'
  }
  return 'unknown'
}

function isColorPattern(pattern: string | undefined): boolean {
  return pattern === '^#[0-9a-fA-F]{6}$'
}

/**
 * A new item for an array or a map: the required fields filled (a column from `pickColumn`, an enum's default or
 * first value, 0 for numbers, a palette colour), the optional ones left to their defaults.
 */
export function newValue(schema: JsonSchema, pickColumn: () => string | undefined): unknown {
  const { schema: inner } = unwrapNullable(schema)
  switch (fieldKind(inner)) {
    case 'column':
      return pickColumn() ?? ''
    case 'enum':
      return inner.default ?? inner.enum?.[0]
    case 'boolean':
      return inner.default ?? false
    case 'number':
      return typeof inner.default === 'number' ? inner.default : (inner.minimum ?? 0)
    case 'color':
      return '#d62728'
    case 'text':
      return typeof inner.default === 'string' ? inner.default : ''
    case 'array':
      return []
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const name of inner.required ?? []) {
        const child = inner.properties?.[name]
        if (child) out[name] = newValue(child, pickColumn)
      }
      return out
    }
    default:
      return {}
  }
}
