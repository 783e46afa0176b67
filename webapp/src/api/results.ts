/** Stored results (`/api/v1/results/*`): pages of typed rows and whole-result downloads. See docs/result-format.md. */
import { http } from './http'

/** Sightline column types (docs/result-format.md §1). */
export type ColumnType =
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'number'
  | 'boolean'
  | 'text'
  | 'uuid'
  | 'enum'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'timetz'
  | 'interval'
  | 'json'
  | 'bytea'
  | 'array'
  | 'unknown'

export interface ResultColumn {
  name: string
  type: ColumnType
  /** The datasource's own type name, e.g. `int8`, `varchar`. */
  sourceType: string
  /** For arrays: the Sightline type of the elements. */
  elementType?: ColumnType
}

/** A cell as the result format encodes it: big integers and long decimals arrive as strings. */
export type Cell = string | number | boolean | null | Cell[] | { [key: string]: unknown }

export interface ResultPage {
  resultId: string
  columns: ResultColumn[]
  offset: number
  limit: number
  totalRows: number
  truncated: boolean
  truncatedReason: 'max_rows' | 'max_bytes' | null
  rows: Cell[][]
}

/** The server's largest page. */
export const MAX_RESULT_PAGE = 10_000

export function getResultPage(
  resultId: string,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<ResultPage> {
  return http.get<ResultPage>(`/api/v1/results/${encodeURIComponent(resultId)}`, {
    query: { offset, limit },
    signal,
  })
}

/** A link that downloads the whole result (the server names the file after the query and time). */
export function resultDownloadUrl(resultId: string, format: 'csv' | 'json'): string {
  return `/api/v1/results/${encodeURIComponent(resultId)}.${format}`
}
