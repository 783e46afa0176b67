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

/** Rows per page a results table asks for (its first page included). */
export const RESULT_PAGE_ROWS = 500

/** How long a prefetched page waits for the table that will ask for it. */
const PREFETCH_KEEP_MS = 30_000
const prefetched = new Map<string, Promise<ResultPage>>()
const pageKey = (resultId: string, offset: number, limit: number) =>
  `${resultId}|${offset}|${limit}`

export function getResultPage(
  resultId: string,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<ResultPage> {
  // a page asked for ahead (results never change): taken once, by the first reader
  const key = pageKey(resultId, offset, limit)
  const early = prefetched.get(key)
  if (early) {
    prefetched.delete(key)
    return early
  }
  return http.get<ResultPage>(`/api/v1/results/${encodeURIComponent(resultId)}`, {
    query: { offset, limit },
    signal,
  })
}

/**
 * Asks for a page before the table that shows it exists (a table visualization's first page while its shaping request
 * is on the way), so the two travel side by side instead of one after the other. The table's own
 * {@link getResultPage} for the same page takes this answer; unclaimed, it is dropped after 30 s, or at once on failure.
 */
export function prefetchResultPage(resultId: string, offset: number, limit: number): void {
  const key = pageKey(resultId, offset, limit)
  if (prefetched.has(key)) return
  const page = http.get<ResultPage>(`/api/v1/results/${encodeURIComponent(resultId)}`, {
    query: { offset, limit },
  })
  prefetched.set(key, page)
  const drop = () => {
    if (prefetched.get(key) === page) prefetched.delete(key)
  }
  page.catch(drop)
  setTimeout(drop, PREFETCH_KEEP_MS)
}

/** A link that downloads the whole result (the server names the file after the query and time). */
export function resultDownloadUrl(resultId: string, format: 'csv' | 'json'): string {
  return `/api/v1/results/${encodeURIComponent(resultId)}.${format}`
}
