/**
 * Which tiles are in (or near) sight, from one IntersectionObserver over the grid's tile elements. Tiles entering
 * sight together arrive in one callback, and are reported together (one request for all of them). Without
 * IntersectionObserver every tile counts as seen.
 */
import { getCurrentScope, onScopeDispose, shallowReactive } from 'vue'

/** How far beyond the viewport a tile counts as seen: it loads (and its chart mounts) just before it scrolls in. */
export const SIGHT_MARGIN = '200px 0px'

export interface SeenTiles {
  /** Tile ids in sight now (reactive). */
  near: Set<string>
  /** A function ref for a tile's element: `:ref="(el) => bind(el, tile.id)"`. */
  bind(el: unknown, tileId: string): void
}

export function useSeenTiles(onChange: (tileIds: string[], seen: boolean) => void): SeenTiles {
  const near = shallowReactive(new Set<string>())
  const elements = new Map<string, Element>()
  const ids = new WeakMap<Element, string>()

  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            const entered: string[] = []
            const left: string[] = []
            for (const entry of entries) {
              const id = ids.get(entry.target)
              if (id === undefined || elements.get(id) !== entry.target) continue
              if (entry.isIntersecting && !near.has(id)) {
                near.add(id)
                entered.push(id)
              } else if (!entry.isIntersecting && near.has(id)) {
                near.delete(id)
                left.push(id)
              }
            }
            if (left.length) onChange(left, false)
            if (entered.length) onChange(entered, true)
          },
          { rootMargin: SIGHT_MARGIN },
        )
      : null

  function bind(el: unknown, tileId: string): void {
    const element = el instanceof Element ? el : ((el as { $el?: unknown } | null)?.$el ?? null)
    const before = elements.get(tileId)
    if (before === element) return
    if (before) observer?.unobserve(before)
    if (!(element instanceof Element)) {
      elements.delete(tileId)
      if (near.delete(tileId)) onChange([tileId], false)
      return
    }
    elements.set(tileId, element)
    ids.set(element, tileId)
    if (observer) observer.observe(element)
    else if (!near.has(tileId)) {
      near.add(tileId)
      onChange([tileId], true)
    }
  }

  if (getCurrentScope()) onScopeDispose(() => observer?.disconnect())
  return { near, bind }
}
