/**
 * Re-reads a schedule view when runs of the org change state (a firing enqueues a run, a run ends and settles the
 * firing), at most once per `throttleMs`, and once the event socket is back after a drop (events may have been
 * missed). Progress events are ignored: they change neither a firing nor a schedule's health.
 */
import { onScopeDispose, watch } from 'vue'

import type { LiveRunEvent } from '@/api/runs'
import { useEventBus } from '@/composables/useEventBus'
import { useSessionStore } from '@/stores/session'

export function useRunEventsRefresh(
  refresh: () => void,
  options: { throttleMs?: number; matches?: (event: LiveRunEvent) => boolean } = {},
): void {
  const throttleMs = options.throttleMs ?? 1500
  const session = useSessionStore()
  const bus = useEventBus()
  let timer: ReturnType<typeof setTimeout> | undefined
  let unsubscribe: (() => void) | null = null

  function soon(): void {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      refresh()
    }, throttleMs)
  }

  function onEvent(event: LiveRunEvent): void {
    if (event.progress) return
    if (options.matches && !options.matches(event)) return
    soon()
  }

  watch(
    () => session.org?.id ?? null,
    (orgId) => {
      unsubscribe?.()
      unsubscribe = orgId ? bus.subscribe(`sightline.org.${orgId}.runs`, onEvent) : null
    },
    { immediate: true },
  )
  watch(bus.connected, (up, was) => {
    if (up && was === false) soon()
  })
  onScopeDispose(() => clearTimeout(timer))
}
