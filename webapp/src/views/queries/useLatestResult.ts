import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue'

import type { ParamValue } from '@/api/parameters'
import { latestQueryResult } from '@/api/queries'
import type { Run } from '@/api/runs'
import { formatRelative } from '@/lib/format'

export interface LatestResult {
  /** The latest stored result of the saved query for the current values, or null (none, or not asked). */
  run: Ref<Run | null>
  /** When it was produced (ISO), and how long ago in words: `12 min ago`, `a moment ago`. */
  at: ComputedRef<string | null>
  age: ComputedRef<string | null>
}

const AGE_TICK_MS = 30_000

/**
 * What a saved query (or a shared link with `p.*` values) last produced for these values, read with
 * `POST /queries/{id}/results/latest` — nothing is run. Asked again when the query, its version or the values change,
 * while `enabled` (the workbench stops asking once it has a run of its own); answers to earlier questions are dropped,
 * and a 404 (or any failure) shows nothing.
 */
export function useLatestResult(source: {
  queryId: () => string | null | undefined
  version: () => number | null | undefined
  values: Ref<Record<string, ParamValue>>
  enabled: () => boolean
}): LatestResult {
  const run = ref<Run | null>(null)
  const now = ref(Date.now())
  let asked = 0
  let scheduled = false

  async function load(): Promise<void> {
    scheduled = false
    const id = source.queryId()
    const mine = ++asked
    if (!id || !source.enabled()) return
    try {
      const found = await latestQueryResult(id, { params: { ...source.values.value } })
      if (mine !== asked) return
      run.value = found.status === 'succeeded' && found.resultId ? found : null
      now.value = Date.now()
    } catch {
      // 404 no-result (never run with these values), a value the server refuses, or no connection: show nothing;
      // Run says why if it matters.
      if (mine === asked) run.value = null
    }
  }

  watch(
    () =>
      source.enabled() && source.queryId()
        ? JSON.stringify([source.queryId(), source.version(), source.values.value])
        : null,
    (key, before) => {
      if (key === null) {
        asked++
        return
      }
      if (key === before) return
      run.value = null
      // Values settle in the same tick as the query loads (defaults, the URL): ask once, after them.
      if (scheduled) return
      scheduled = true
      void Promise.resolve().then(load)
    },
    { immediate: true },
  )

  const ticker = setInterval(() => {
    if (run.value) now.value = Date.now()
  }, AGE_TICK_MS)
  onScopeDispose(() => clearInterval(ticker))

  const at = computed(() => run.value?.finishedAt ?? run.value?.createdAt ?? null)
  const age = computed(() => {
    if (!at.value) return null
    const text = formatRelative(at.value, now.value)
    return text === 'just now' ? 'a moment ago' : text
  })

  return { run, at, age }
}
