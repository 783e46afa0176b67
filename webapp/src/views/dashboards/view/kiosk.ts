/**
 * Kiosk (wall screen) mode of a dashboard: `?kiosk` hides the app chrome, `?kiosk=full` the parameter bar too.
 * Routes that allow it say so with `meta.kiosk`; App.vue then renders the page without the AppShell.
 */
import type { LocationQuery, RouteLocationNormalizedLoaded } from 'vue-router'

export type KioskMode = 'off' | 'on' | 'full'

export function kioskMode(query: LocationQuery): KioskMode {
  if (!('kiosk' in query)) return 'off'
  const raw = query.kiosk
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === 'full') return 'full'
  return value === 'false' || value === '0' ? 'off' : 'on'
}

/** Whether the page is shown without the app shell: a bare route, or a kiosk-capable route opened with `?kiosk`. */
export function withoutChrome(
  route: Pick<RouteLocationNormalizedLoaded, 'meta' | 'query'>,
): boolean {
  return !!route.meta.bare || (!!route.meta.kiosk && kioskMode(route.query) !== 'off')
}
