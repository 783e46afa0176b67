/**
 * Lazy, cached pages of a stored result for a virtualized table. The first page brings the columns and the row
 * count; other pages load only when the table asks for rows near the viewport, after a short pause so that dragging
 * the scrollbar across 100,000 rows does not fire a request per page. Requests for pages that left the viewport are
 * aborted, and the cache keeps a bounded number of pages.
 */
import { onScopeDispose, ref, shallowRef, type Ref } from 'vue'

import { ApiError, toApiError } from '@/api/http'
import {
  getResultPage,
  RESULT_PAGE_ROWS,
  type Cell,
  type ResultColumn,
  type ResultPage,
} from '@/api/results'

export interface ResultPagesOptions {
  pageSize?: number
  /** Pages kept in memory; the least recently used beyond this are dropped. */
  maxCachedPages?: number
  /** Pause before loading pages other than the first, in ms. */
  settleMs?: number
}

export interface ResultPages {
  status: Ref<'loading' | 'ready' | 'error'>
  /** Why the first page failed. */
  error: Ref<ApiError | null>
  /** Why a later page failed (the table stays up and says which rows are missing). */
  pageError: Ref<{ error: ApiError; firstRow: number; lastRow: number } | null>
  columns: Ref<ResultColumn[]>
  totalRows: Ref<number>
  first: Ref<ResultPage | null>
  pageSize: number
  /** A row if its page is loaded (reactive: re-evaluates when pages arrive). */
  rowAt: (index: number) => Cell[] | undefined
  /** Tells which rows are wanted now (inclusive); loads their pages and aborts the others. */
  want: (firstRow: number, lastRow: number) => void
  /** Starts over from the first page (Retry, or another result). */
  reload: () => void
  retryPage: () => void
}

function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError'
  )
}

export function useResultPages(
  resultId: () => string | null,
  options: ResultPagesOptions = {},
): ResultPages {
  const pageSize = options.pageSize ?? RESULT_PAGE_ROWS
  const maxCachedPages = options.maxCachedPages ?? 40
  const settleMs = options.settleMs ?? 60

  const status = ref<'loading' | 'ready' | 'error'>('loading')
  const error = shallowRef<ApiError | null>(null)
  const pageError = shallowRef<ResultPages['pageError']['value']>(null)
  const columns = shallowRef<ResultColumn[]>([])
  const totalRows = ref(0)
  const first = shallowRef<ResultPage | null>(null)
  /** Bumped whenever a page arrives so renders that read rows re-run. */
  const version = ref(0)

  // Insertion order is recency: a page is re-inserted when used.
  let pages = new Map<number, Cell[][]>()
  let inflight = new Map<number, AbortController>()
  let wanted = new Set<number>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let generation = 0

  function abortAll(): void {
    for (const controller of inflight.values()) controller.abort()
    inflight = new Map()
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }

  async function loadPage(index: number, id: string, gen: number): Promise<void> {
    const controller = new AbortController()
    inflight.set(index, controller)
    try {
      const page = await getResultPage(id, index * pageSize, pageSize, controller.signal)
      if (gen !== generation) return
      store(index, page.rows)
      if (pageError.value && wanted.has(index)) pageError.value = null
    } catch (caught) {
      if (isAbort(caught) || gen !== generation) return
      pageError.value = {
        error: toApiError(caught),
        firstRow: index * pageSize,
        lastRow: Math.min(totalRows.value, (index + 1) * pageSize) - 1,
      }
    } finally {
      if (inflight.get(index) === controller) inflight.delete(index)
    }
  }

  function store(index: number, rows: Cell[][]): void {
    pages.delete(index)
    pages.set(index, rows)
    for (const key of pages.keys()) {
      if (pages.size <= maxCachedPages) break
      if (!wanted.has(key) && key !== index) pages.delete(key)
    }
    version.value++
  }

  async function reload(): Promise<void> {
    abortAll()
    const gen = ++generation
    pages = new Map()
    wanted = new Set()
    status.value = 'loading'
    error.value = null
    pageError.value = null
    const id = resultId()
    if (!id) return
    const controller = new AbortController()
    inflight.set(0, controller)
    try {
      const page = await getResultPage(id, 0, pageSize, controller.signal)
      if (gen !== generation) return
      first.value = page
      columns.value = page.columns
      totalRows.value = page.totalRows
      store(0, page.rows)
      status.value = 'ready'
    } catch (caught) {
      if (isAbort(caught) || gen !== generation) return
      error.value = toApiError(caught)
      status.value = 'error'
    } finally {
      if (inflight.get(0) === controller) inflight.delete(0)
    }
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      const id = resultId()
      if (!id || status.value !== 'ready') return
      for (const index of wanted) {
        if (!pages.has(index) && !inflight.has(index)) void loadPage(index, id, generation)
      }
    }, settleMs)
  }

  function want(firstRow: number, lastRow: number): void {
    if (status.value !== 'ready' || totalRows.value === 0) return
    const from = Math.max(0, Math.floor(firstRow / pageSize))
    const to = Math.min(
      Math.floor((totalRows.value - 1) / pageSize),
      Math.floor(lastRow / pageSize),
    )
    const next = new Set<number>()
    for (let i = from; i <= to; i++) next.add(i)
    wanted = next
    for (const [index, controller] of inflight) {
      if (!next.has(index)) {
        controller.abort()
        inflight.delete(index)
      }
    }
    let missing = false
    for (const index of next) {
      const rows = pages.get(index)
      if (rows) {
        pages.delete(index)
        pages.set(index, rows)
      } else if (!inflight.has(index)) missing = true
    }
    if (missing) schedule()
  }

  function rowAt(index: number): Cell[] | undefined {
    void version.value
    return pages.get(Math.floor(index / pageSize))?.[index % pageSize]
  }

  function retryPage(): void {
    pageError.value = null
    schedule()
  }

  onScopeDispose(() => {
    generation++
    abortAll()
  })

  return {
    status,
    error,
    pageError,
    columns,
    totalRows,
    first,
    pageSize,
    rowAt,
    want,
    reload: () => void reload(),
    retryPage,
  }
}
