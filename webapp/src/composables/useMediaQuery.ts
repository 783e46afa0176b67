import { onScopeDispose, readonly, ref, type Ref } from 'vue'

/**
 * Whether a CSS media query matches, kept up to date as the window is resized. False where `matchMedia` is missing
 * (it never throws). Stops listening when the calling component (or effect scope) goes away.
 */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const matches = ref(false)
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function')
    return readonly(matches)
  const list = window.matchMedia(query)
  matches.value = list.matches
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches)
  list.addEventListener('change', update)
  onScopeDispose(() => list.removeEventListener('change', update))
  return readonly(matches)
}

/** Below this width the sidebar folds to a rail of icons (its labels open with the menu button). */
export const COMPACT_SHELL_QUERY = '(max-width: 62.5rem)'
