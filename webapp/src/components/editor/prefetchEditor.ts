/**
 * Fetches the workbench and Monaco (1 MB gzip) while the browser is idle on a page that usually leads to the editor
 * (the queries list), so opening a query is as fast on the first visit as on later ones. Never part of the entry
 * bundle: it only starts a dynamic import.
 */
let started = false

export function prefetchEditor(): void {
  if (started) return
  started = true
  const load = (): void => {
    Promise.all([import('@/views/queries/QueryWorkbenchView.vue'), import('./monacoLoader')]).catch(
      () => {
        started = false // offline or a deploy replaced the chunks: try again next time
      },
    )
  }
  if (typeof window.requestIdleCallback === 'function') {
    window.requestIdleCallback(load, { timeout: 3000 })
  } else {
    setTimeout(load, 1000)
  }
}
