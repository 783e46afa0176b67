import { onUnmounted, ref } from 'vue'

import { fetchReadiness, type Readiness } from '@/api/health'
import { type ApiError, toApiError } from '@/api/http'

/** Loads the server's readiness now, and again on `refresh()`; stops listening on unmount. */
export function useReadiness() {
  const readiness = ref<Readiness | null>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  let controller: AbortController | null = null

  async function refresh(): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    loading.value = true
    try {
      readiness.value = await fetchReadiness(current.signal)
      error.value = null
    } catch (caught) {
      if (current.signal.aborted) return
      error.value = toApiError(caught)
      readiness.value = null
    } finally {
      if (controller === current) loading.value = false
    }
  }

  onUnmounted(() => controller?.abort())
  void refresh()

  return { readiness, error, loading, refresh }
}
