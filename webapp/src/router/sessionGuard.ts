import type { RouteLocationRaw, Router } from 'vue-router'

import { onUnauthorized } from '@/api/http'
import { useSessionStore } from '@/stores/session'

export const SIGN_IN = 'sign-in'
export const CHANGE_PASSWORD = 'change-password'
export const UNAVAILABLE = 'unavailable'

/**
 * Where to go after signing in: only a path inside this app, so `?next=` cannot send a user to
 * another site (`//evil.example`, `https://…`, `javascript:`).
 */
export function safeNext(next: unknown): string {
  const value = Array.isArray(next) ? next[0] : next
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/'
  if (value.startsWith('/\\')) return '/'
  return value
}

function signInFor(path: string): RouteLocationRaw {
  return path === '/' ? { name: SIGN_IN } : { name: SIGN_IN, query: { next: path } }
}

/**
 * Routes marked `meta.public` are open to anyone; every other one needs a session, and a user
 * with a one-time password goes to the password change first. A 401 from any API call later on
 * (session expired, signed out elsewhere) sends the user to sign-in and then back to that page.
 */
export function installSessionGuard(router: Router): void {
  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    const session = useSessionStore()
    let me
    try {
      me = await session.ensureLoaded()
    } catch {
      // Not a 401: the server is down, restarting or behind a failing proxy. Say so, never a blank page.
      if (to.name === UNAVAILABLE) return true
      return { name: UNAVAILABLE, query: { next: to.fullPath } }
    }
    if (!me) return signInFor(to.fullPath)
    if (me.user.mustChangePassword && to.name !== CHANGE_PASSWORD) {
      return { name: CHANGE_PASSWORD, query: { next: to.fullPath } }
    }
    return true
  })

  onUnauthorized(() => {
    useSessionStore().clear()
    const current = router.currentRoute.value
    if (current.meta.public) return
    void router.replace(signInFor(current.fullPath))
  })
}
