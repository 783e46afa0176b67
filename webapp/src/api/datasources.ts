/** Datasources (`/api/v1/datasources*`): settings, connection tests and the cached schema. See docs/api.md. */
import { http } from './http'

export type SslMode = 'prefer' | 'disable' | 'allow' | 'require' | 'verify-ca' | 'verify-full'

export const SSL_MODES: readonly SslMode[] = [
  'prefer',
  'disable',
  'allow',
  'require',
  'verify-ca',
  'verify-full',
]

/** Editable settings; the password is write-only (see {@link DatasourceWrite}). */
export interface DatasourceSettings {
  name: string
  host: string
  port: number
  database: string
  user: string
  sslMode: SslMode
  searchPath: string
  maxConcurrency: number
  defaultTimeoutMs: number
  maxTimeoutMs: number
  defaultMaxRows: number
  maxRowsLimit: number
  defaultMaxBytes: number
  maxBytesLimit: number
  readOnly: boolean
}

/** What the API answers; connection details (host … passwordSet) only for admins. */
export interface Datasource extends Partial<
  Pick<DatasourceSettings, 'host' | 'port' | 'database' | 'user' | 'sslMode' | 'searchPath'>
> {
  id: string
  name: string
  kind: string
  readOnly: boolean
  maxConcurrency: number
  defaultTimeoutMs: number
  maxTimeoutMs: number
  defaultMaxRows: number
  maxRowsLimit: number
  defaultMaxBytes: number
  maxBytesLimit: number
  passwordSet?: boolean
  createdAt: string
  updatedAt: string
}

/** A create/update body: `password` omitted keeps the stored one, `null` clears it. */
export type DatasourceWrite = Partial<DatasourceSettings> & { password?: string | null }

/** `POST /api/v1/datasources/test`: unsaved settings, optionally reusing a saved datasource's password. */
export type DatasourceTestRequest = DatasourceWrite & { datasourceId?: string }

export type DatasourceTestCode =
  | 'authentication_failed'
  | 'connection_refused'
  | 'host_not_found'
  | 'host_unreachable'
  | 'database_not_found'
  | 'ssl_required'
  | 'ssl_not_supported'
  | 'ssl_error'
  | 'timeout'
  | 'permission_denied'
  | 'unsupported_kind'
  | 'error'

export type DatasourceTestResult =
  | { ok: true; serverVersion: string; latencyMs: number }
  | { ok: false; code: DatasourceTestCode; message: string }

export interface SchemaColumn {
  name: string
  type: string
  nullable: boolean
}

export type RelationKind =
  'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table'

export interface SchemaRelation {
  name: string
  kind: RelationKind
  columns: SchemaColumn[]
}

export interface DatabaseSchema {
  name: string
  relations: SchemaRelation[]
}

export interface DatasourceCatalog {
  refreshedAt: string
  schemas: DatabaseSchema[]
  truncated: boolean
}

const BASE = '/api/v1/datasources'
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const datasourcesApi = {
  list: () => http.get<Datasource[]>(BASE),
  get: (id: string) => http.get<Datasource>(one(id)),
  create: (body: DatasourceWrite) => http.post<Datasource>(BASE, body),
  update: (id: string, body: DatasourceWrite) => http.patch<Datasource>(one(id), body),
  archive: (id: string) => http.delete<void>(one(id)),
  test: (body: DatasourceTestRequest) => http.post<DatasourceTestResult>(`${BASE}/test`, body),
  testSaved: (id: string) => http.post<DatasourceTestResult>(`${one(id)}/test`),
  schema: (id: string) => http.get<DatasourceCatalog>(`${one(id)}/schema`),
  refreshSchema: (id: string) => http.post<DatasourceCatalog>(`${one(id)}/schema/refresh`),
}
