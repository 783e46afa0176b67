import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'

import { THEME_STORAGE_KEY, useThemeStore } from './theme'

beforeEach(() => {
  localStorage.clear()
  document.documentElement.removeAttribute('data-theme')
  setActivePinia(createPinia())
})

describe('useThemeStore', () => {
  it('applies the remembered theme to <html> on start', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark')

    const store = useThemeStore()

    expect(store.theme).toBe('dark')
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
  })

  it('toggles the theme on <html> and remembers the choice', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light')
    const store = useThemeStore()

    store.toggle()
    await Promise.resolve()

    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark')
  })

  it('ignores a stored value that is not a theme', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'sepia')

    const store = useThemeStore()

    expect(['light', 'dark']).toContain(store.theme)
    expect(document.documentElement.getAttribute('data-theme')).toBe(store.theme)
  })

  it('lets a page impose a theme (kiosk: dark) without changing the remembered choice', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light')
    const store = useThemeStore()

    store.force('dark')
    await Promise.resolve()
    expect(store.applied).toBe('dark')
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    expect(store.theme).toBe('light')

    store.force(null)
    await Promise.resolve()
    expect(document.documentElement.getAttribute('data-theme')).toBe('light')
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light')
  })
})
