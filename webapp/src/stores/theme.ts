import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'

export type Theme = 'light' | 'dark'

export const THEME_STORAGE_KEY = 'sightline.theme'

/**
 * The colour theme, applied as `data-theme` on <html>. A choice the user made is remembered in
 * localStorage; until then the theme follows the operating system's preference.
 */
export const useThemeStore = defineStore('theme', () => {
  const theme = ref<Theme>(storedTheme() ?? systemTheme())
  /** A theme a page imposes for as long as it is shown (a kiosk dashboard: dark), without changing the choice. */
  const forced = ref<Theme | null>(null)

  function toggle(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark'
    remember(theme.value)
  }

  /** Imposes a theme (null: back to the user's). */
  function force(value: Theme | null): void {
    forced.value = value
  }

  /** The theme shown: the imposed one, else the user's. */
  const applied = computed<Theme>(() => forced.value ?? theme.value)

  watch(applied, (value) => document.documentElement.setAttribute('data-theme', value), {
    immediate: true,
  })

  return { theme, forced, applied, toggle, force }
})

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    // Storage can be disabled (privacy settings); the theme then lasts for this page only.
    return null
  }
}

function remember(theme: Theme): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme)
  } catch {
    // See storedTheme().
  }
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light'
}
