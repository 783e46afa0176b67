import { ref, type Ref } from 'vue'

export const THOUSANDS_STORAGE_KEY = 'sightline.results.thousands'

/** One switch for every results table of the page, remembered in this browser (localStorage). */
let shared: Ref<boolean> | null = null

function stored(): boolean {
  try {
    return localStorage.getItem(THOUSANDS_STORAGE_KEY) === 'true'
  } catch {
    // Storage can be disabled (privacy settings); the choice then lasts for this page only.
    return false
  }
}

/**
 * Whether result tables group digits with thousands separators (display only: copies and downloads never have them).
 * Off until the user turns it on; the choice is remembered.
 */
export function useThousandsSeparators(): { on: Ref<boolean>; set: (value: boolean) => void } {
  shared ??= ref(stored())
  const on = shared
  function set(value: boolean): void {
    on.value = value
    try {
      localStorage.setItem(THOUSANDS_STORAGE_KEY, String(value))
    } catch {
      // See stored().
    }
  }
  return { on, set }
}

/** For tests: forget the shared state so the next use reads storage again. */
export function resetThousandsSeparatorsForTests(): void {
  shared = null
}
