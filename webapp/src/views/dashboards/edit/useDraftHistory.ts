/**
 * Undo and redo within one edit session: a bounded list of draft snapshots (drafts are immutable values, so a
 * snapshot is the draft itself). Consecutive changes with the same `coalesce` key (typing in one field) within a
 * short while make one step, so undo takes back a word rather than a letter.
 */
import { computed, shallowRef, type ShallowRef } from 'vue'

export const HISTORY_LIMIT = 100
const COALESCE_MS = 1_000

export interface DraftHistory<T> {
  /** The current draft. */
  current: ShallowRef<T>
  canUndo: Readonly<ShallowRef<boolean>>
  canRedo: Readonly<ShallowRef<boolean>>
  /** Makes `next` current as a new step (dropping what could be redone); the same value is no step. */
  commit(next: T, coalesce?: string): void
  /** Replaces the current draft without a step (e.g. the grid settling a loaded layout). */
  replace(next: T): void
  undo(): boolean
  redo(): boolean
  /** Starts over from `start` (a load, a reload, a save's answer), forgetting every step. */
  reset(start: T): void
}

export function useDraftHistory<T>(
  start: T,
  options: { limit?: number; now?: () => number } = {},
): DraftHistory<T> {
  const limit = options.limit ?? HISTORY_LIMIT
  const now = options.now ?? Date.now
  const current = shallowRef(start) as ShallowRef<T>
  const past = shallowRef<T[]>([])
  const future = shallowRef<T[]>([])
  let lastKey: string | undefined
  let lastAt = 0

  function commit(next: T, coalesce?: string): void {
    if (next === current.value) return
    const at = now()
    const merge = coalesce !== undefined && coalesce === lastKey && at - lastAt < COALESCE_MS
    if (!merge) past.value = [...past.value, current.value].slice(-limit)
    future.value = []
    current.value = next
    lastKey = coalesce
    lastAt = at
  }

  function replace(next: T): void {
    current.value = next
  }

  function undo(): boolean {
    const previous = past.value.at(-1)
    if (previous === undefined) return false
    past.value = past.value.slice(0, -1)
    future.value = [current.value, ...future.value]
    current.value = previous
    lastKey = undefined
    return true
  }

  function redo(): boolean {
    const next = future.value[0]
    if (next === undefined) return false
    future.value = future.value.slice(1)
    past.value = [...past.value, current.value].slice(-limit)
    current.value = next
    lastKey = undefined
    return true
  }

  function reset(value: T): void {
    past.value = []
    future.value = []
    current.value = value
    lastKey = undefined
  }

  return {
    current,
    canUndo: computed(() => past.value.length > 0),
    canRedo: computed(() => future.value.length > 0),
    commit,
    replace,
    undo,
    redo,
    reset,
  }
}
