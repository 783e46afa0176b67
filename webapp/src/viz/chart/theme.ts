/**
 * Chart colours for the app's two themes (assets/main.css chooses them by `data-theme` on <html>; stores/theme.ts
 * follows the user's choice or the system). ECharts draws on a canvas and cannot read CSS variables, so the values are
 * the same tokens, spelled out here; `useVizTheme()` follows the theme store the way the SQL editor's Monaco theme does.
 */
import { computed } from 'vue'

import { useThemeStore, type Theme } from '@/stores/theme'

export interface VizTheme {
  mode: Theme
  text: string
  muted: string
  border: string
  surface: string
  good: string
  bad: string
  /** The colour of the "Other" series. */
  other: string
  /** Series colours, in order; distinguishable on the theme's background. */
  palette: readonly string[]
}

const LIGHT: VizTheme = {
  mode: 'light',
  text: '#1b1f24',
  muted: '#59636e',
  border: '#dde1e7',
  surface: '#ffffff',
  good: '#1a7f37',
  bad: '#cf222e',
  other: '#8c959f',
  palette: [
    '#1f6feb',
    '#e8590c',
    '#1a7f37',
    '#8250df',
    '#cf222e',
    '#0f8b8d',
    '#bf8700',
    '#d63384',
    '#57606a',
    '#6f42c1',
  ],
}

const DARK: VizTheme = {
  mode: 'dark',
  text: '#e6edf3',
  muted: '#949ea9',
  border: '#2a313b',
  surface: '#161b22',
  good: '#3fb950',
  bad: '#f85149',
  other: '#6e7681',
  palette: [
    '#4c8dff',
    '#ff8a3d',
    '#3fb950',
    '#b088ff',
    '#ff6b6b',
    '#39c5cf',
    '#e3b341',
    '#f778ba',
    '#8b949e',
    '#a371f7',
  ],
}

export function vizTheme(mode: Theme): VizTheme {
  return mode === 'dark' ? DARK : LIGHT
}

/** The chart theme following the app's. */
export function useVizTheme() {
  const store = useThemeStore()
  return computed(() => vizTheme(store.applied))
}
