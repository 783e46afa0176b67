/**
 * A list read from a keyset-paged endpoint (`{items, nextCursor}`): the first page, then "Load more" pages appended.
 * A new load aborts the one in flight (a filter changed while the previous answer was on its way), so an old answer
 * never lands over a newer one. The items shown stay when a load fails; the error says why.
 */
import { onScopeDispose, ref, type Ref } from 'vue'

import { type ApiError, toApiError } from '@/api/http'

export interface KeysetPage<T> {
  items: T[]
  nextCursor: string | null
}

export interface KeysetListOptions<T> {
  /** Items per page. */
  pageSize: number
  /**
   * A reload re-reads as many items as are shown (up to `maxPage`), so a list kept current in the background does not
   * fold back to its first page.
   */
  keepShown?: boolean
  /** The server's largest page, for `keepShown`. */
  maxPage?: number
  /** Items already shown are not appended twice (a "Load more" page that overlaps after the list changed). */
  keyOf?: (item: T) => string
  /** Called with every page read (e.g. to collect the tags seen so far). */
  onPage?: (page: KeysetPage<T>) => void
  /** Whether the list starts in its loading state (its first load is started at once by the caller). */
  loadingAtStart?: boolean
}

export function useKeysetList<T>(
  fetchPage: (
    page: { limit: number; cursor?: string },
    signal: AbortSignal,
  ) => Promise<KeysetPage<T>>,
  options: KeysetListOptions<T>,
) {
  const items = ref([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const loading = ref(options.loadingAtStart ?? false)
  const loadingMore = ref(false)
  const error = ref<ApiError | null>(null)
  let controller: AbortController | null = null

  async function load(more: boolean, quiet: boolean): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    if (more) loadingMore.value = true
    else if (!quiet) {
      loading.value = true
      error.value = null
    }
    const limit =
      !more && options.keepShown
        ? Math.min(options.maxPage ?? 200, Math.max(options.pageSize, items.value.length))
        : options.pageSize
    try {
      const page = await fetchPage(
        { limit, cursor: more ? (nextCursor.value ?? undefined) : undefined },
        current.signal,
      )
      if (current.signal.aborted) return
      if (more) {
        const keyOf = options.keyOf
        const seen = keyOf ? new Set(items.value.map(keyOf)) : null
        items.value = [
          ...items.value,
          ...(seen ? page.items.filter((i) => !seen.has(keyOf!(i))) : page.items),
        ]
      } else {
        items.value = page.items
      }
      nextCursor.value = page.nextCursor
      error.value = null
      options.onPage?.(page)
    } catch (caught) {
      if (current.signal.aborted) return
      error.value = toApiError(caught)
    } finally {
      if (controller === current) {
        loading.value = false
        loadingMore.value = false
      }
    }
  }

  // a page left while a load is on its way drops its answer
  onScopeDispose(() => controller?.abort())

  return {
    items,
    nextCursor,
    loading,
    loadingMore,
    error,
    /** The first page again (with `quiet`, without the loading state: a background refresh). */
    reload: (quiet = false) => load(false, quiet),
    /** The next page, appended; nothing when there is none or one is on its way. */
    loadMore: async () => {
      if (!nextCursor.value || loadingMore.value) return
      await load(true, false)
    },
    /** Forgets the items shown (a filter changed: the next load starts from nothing). */
    clear: () => {
      controller?.abort()
      items.value = []
      nextCursor.value = null
    },
  }
}
