import { computed, onBeforeUnmount, ref, type Ref } from 'vue'

import { useThemeStore } from '@/stores/theme'

export type MonacoModule = typeof import('./monacoLoader')

/**
 * What every Monaco-backed component starts with: Monaco loaded on first use from its own lazy chunk
 * (`monacoLoader.ts`, never in the entry bundle), which engine shows (a plain-text stand-in while it loads, or for good
 * when it cannot load or start), and the Monaco theme that follows the app's.
 *
 * @param what the component, for the log (`'The SQL editor'`)
 * @param fallback what the user gets instead (`'using a plain text box'`)
 */
export function useMonacoEngine(what: string, fallback: string) {
  const theme = useThemeStore()
  const engine = ref<'loading' | 'monaco' | 'fallback'>('loading')
  const monacoTheme = computed(() =>
    theme.applied === 'dark' ? 'sightline-dark' : 'sightline-light',
  )
  let unmounted = false
  onBeforeUnmount(() => {
    unmounted = true
  })

  /**
   * Loads Monaco and, if the component is still there, builds it into `host` with `create`; answers what `create`
   * answered, or null when it did not run or failed (the engine is then the fallback, unless the component is gone).
   */
  async function start<T>(
    host: Ref<HTMLElement | null>,
    create: (loaded: MonacoModule, el: HTMLElement) => T,
  ): Promise<{ value: T } | null> {
    let loaded: MonacoModule
    try {
      loaded = await import('./monacoLoader')
    } catch (error) {
      console.error(`${what} could not load; ${fallback}.`, error)
      if (!unmounted) engine.value = 'fallback'
      return null
    }
    if (unmounted || !host.value) return null
    try {
      const value = create(loaded, host.value)
      engine.value = 'monaco'
      return { value }
    } catch (error) {
      console.error(`${what} could not start; ${fallback}.`, error)
      engine.value = 'fallback'
      return null
    }
  }

  return { engine, monacoTheme, start }
}
