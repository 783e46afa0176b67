/**
 * What the SQL editor offers to complete, from the datasource's catalog and the text: after `schema.` its tables,
 * after `table.` or `alias.` that table's columns, otherwise tables, schemas, keywords and columns, with the columns
 * of the tables the statement already names ranked first. Kept free of Monaco so it can be tested on its own.
 */
import type { DatasourceCatalog, SchemaRelation } from '@/api/datasources'

export type SuggestionKind = 'keyword' | 'function' | 'schema' | 'table' | 'view' | 'column'

export interface SqlSuggestion {
  label: string
  kind: SuggestionKind
  detail?: string
  insertText: string
  sortText: string
}

// prettier-ignore
export const SQL_KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'BETWEEN', 'EXISTS',
  'JOIN', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'OUTER', 'CROSS', 'LATERAL', 'ON', 'USING', 'AS', 'DISTINCT',
  'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'OFFSET', 'ASC', 'DESC', 'NULLS FIRST', 'NULLS LAST', 'UNION',
  'UNION ALL', 'INTERSECT', 'EXCEPT', 'WITH', 'RECURSIVE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST',
  'TRUE', 'FALSE', 'INTERVAL', 'FILTER', 'OVER', 'PARTITION BY', 'WINDOW', 'ANY', 'ALL', 'VALUES',
  'INSERT INTO', 'UPDATE', 'SET', 'DELETE FROM', 'RETURNING', 'EXPLAIN', 'ANALYZE', 'FETCH FIRST',
]

// prettier-ignore
export const SQL_FUNCTIONS = [
  'count', 'sum', 'avg', 'min', 'max', 'coalesce', 'nullif', 'greatest', 'least', 'now', 'current_date',
  'date_trunc', 'date_part', 'extract', 'to_char', 'to_timestamp', 'age', 'lower', 'upper', 'length',
  'substring', 'trim', 'concat', 'string_agg', 'array_agg', 'jsonb_agg', 'json_agg', 'jsonb_build_object',
  'row_number', 'rank', 'dense_rank', 'lag', 'lead', 'percentile_cont', 'generate_series', 'round',
  'abs', 'floor', 'ceil', 'unnest', 'pg_size_pretty',
]

// prettier-ignore
const RESERVED = new Set(
  [
    'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
    'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
    'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
    'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
    'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
    'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select',
    'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user',
    'using', 'variadic', 'when', 'where', 'window', 'with',
  ],
)

/** The name as SQL must spell it: bare when Postgres would read it back unchanged, else double-quoted. */
export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

/** An identifier as written (`"Orders"` or `orders`) → the name it denotes (unquoted names fold to lower case). */
function identifierName(written: string): string {
  if (written.startsWith('"')) return written.slice(1, -1).replace(/""/g, '"')
  return written.toLowerCase()
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)`
const REFERENCE = new RegExp(
  String.raw`\b(?:from|join|update|into)\s+(${IDENT}(?:\s*\.\s*${IDENT})?)(?:\s+(?:as\s+)?(${IDENT}))?`,
  'gi',
)
// prettier-ignore
const NOT_ALIAS = new Set([
  'where', 'join', 'left', 'right', 'full', 'inner', 'outer', 'cross', 'on', 'using', 'group', 'order',
  'limit', 'offset', 'union', 'except', 'intersect', 'natural', 'lateral', 'window', 'having', 'set',
  'values', 'returning', 'tablesample', 'for', 'fetch',
])

interface ResolvedRelation {
  schema: string
  relation: SchemaRelation
}

function splitQualified(written: string): string[] {
  return [...written.matchAll(new RegExp(IDENT, 'g'))].map((m) => identifierName(m[0]))
}

function findRelation(catalog: DatasourceCatalog, parts: string[]): ResolvedRelation | null {
  if (parts.length === 2) {
    const schema = catalog.schemas.find((s) => s.name === parts[0])
    const relation = schema?.relations.find((r) => r.name === parts[1])
    return schema && relation ? { schema: schema.name, relation } : null
  }
  const name = parts[0]
  const ordered = [...catalog.schemas].sort(
    (a, b) => Number(b.name === 'public') - Number(a.name === 'public'),
  )
  for (const schema of ordered) {
    const relation = schema.relations.find((r) => r.name === name)
    if (relation) return { schema: schema.name, relation }
  }
  return null
}

/** Tables the statement names, by the name or alias it can be qualified with. */
export function referencedRelations(
  catalog: DatasourceCatalog,
  sql: string,
): Map<string, ResolvedRelation> {
  const found = new Map<string, ResolvedRelation>()
  for (const match of sql.matchAll(REFERENCE)) {
    const parts = splitQualified(match[1]!)
    const resolved = findRelation(catalog, parts)
    if (!resolved) continue
    found.set(parts[parts.length - 1]!, resolved)
    const alias = match[2] ? identifierName(match[2]) : null
    if (alias && !NOT_ALIAS.has(alias)) found.set(alias, resolved)
  }
  return found
}

const MAX_UNREFERENCED_COLUMNS = 5_000

/**
 * Suggestions at the cursor. `before` is the statement's text up to the cursor, `sql` the whole text (for the
 * tables it names).
 */
export function sqlSuggestions(
  catalog: DatasourceCatalog | null,
  before: string,
  sql: string,
): SqlSuggestion[] {
  const qualifier = new RegExp(String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)\s*\.\s*[\w$]*$`).exec(
    before,
  )
  if (qualifier) return qualified(catalog, splitQualified(qualifier[1]!), sql)

  const out: SqlSuggestion[] = []
  const referenced = catalog ? referencedRelations(catalog, sql) : new Map()
  const referencedKeys = new Set<string>()
  for (const { schema, relation } of referenced.values()) {
    const key = `${schema}.${relation.name}`
    if (referencedKeys.has(key)) continue
    referencedKeys.add(key)
    out.push(...columnsOf(relation, '0'))
  }
  for (const keyword of SQL_KEYWORDS) {
    out.push({ label: keyword, kind: 'keyword', insertText: keyword, sortText: `3${keyword}` })
  }
  for (const fn of SQL_FUNCTIONS) {
    out.push({ label: fn, kind: 'function', insertText: fn, sortText: `3${fn}` })
  }
  if (!catalog) return out
  let columnBudget = MAX_UNREFERENCED_COLUMNS
  for (const schema of catalog.schemas) {
    out.push({
      label: schema.name,
      kind: 'schema',
      detail: 'schema',
      insertText: quoteIdentifier(schema.name),
      sortText: `2${schema.name}`,
    })
    for (const relation of schema.relations) {
      const qualify = schema.name !== 'public'
      out.push({
        label: qualify ? `${schema.name}.${relation.name}` : relation.name,
        kind: relation.kind === 'table' || relation.kind === 'partitioned_table' ? 'table' : 'view',
        detail: `${relation.kind.replace('_', ' ')} · ${relation.columns.length} columns`,
        insertText: qualify
          ? `${quoteIdentifier(schema.name)}.${quoteIdentifier(relation.name)}`
          : quoteIdentifier(relation.name),
        sortText: `1${relation.name}`,
      })
      if (referencedKeys.has(`${schema.name}.${relation.name}`)) continue
      if (columnBudget <= 0) continue
      const columns = columnsOf(relation, '4')
      columnBudget -= columns.length
      out.push(...columns)
    }
  }
  return out
}

function qualified(
  catalog: DatasourceCatalog | null,
  parts: string[],
  sql: string,
): SqlSuggestion[] {
  if (!catalog) return []
  if (parts.length === 1) {
    const name = parts[0]!
    const viaReference = referencedRelations(catalog, sql).get(name)
    if (viaReference) return columnsOf(viaReference.relation, '0')
    const schema = catalog.schemas.find((s) => s.name === name)
    if (schema) {
      return schema.relations.map((relation) => ({
        label: relation.name,
        kind: relation.kind === 'table' || relation.kind === 'partitioned_table' ? 'table' : 'view',
        detail: relation.kind.replace('_', ' '),
        insertText: quoteIdentifier(relation.name),
        sortText: `1${relation.name}`,
      }))
    }
  }
  const resolved = findRelation(catalog, parts)
  return resolved ? columnsOf(resolved.relation, '0') : []
}

function columnsOf(relation: SchemaRelation, rank: string): SqlSuggestion[] {
  return relation.columns.map((column, index) => ({
    label: column.name,
    kind: 'column' as const,
    detail: `${column.type}${column.nullable ? '' : ' not null'} · ${relation.name}`,
    insertText: quoteIdentifier(column.name),
    // Table order within a relation, as the database lists the columns.
    sortText: `${rank}${relation.name}.${String(index).padStart(4, '0')}`,
  }))
}
