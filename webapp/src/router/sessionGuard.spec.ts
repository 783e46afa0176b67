import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { http } from '@/api/http'
import { useSessionStore } from '@/stores/session'

import { installSessionGuard, safeNext } from './sessionGuard'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<p>page</p>' }

const me = (mustChangePassword = false) => ({
  user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword },
  org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
  role: 'viewer',
  orgs: [],
})

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

const notSignedIn = { title: 'Not signed in', status: 401 }

function guardedRouter() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: Blank, meta: { public: true } },
      { path: '/change-password', name: 'change-password', component: Blank },
      { path: '/unavailable', name: 'unavailable', component: Blank, meta: { public: true } },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  installSessionGuard(router)
  return router
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  setActivePinia(createPinia())
})

describe('session guard', () => {
  it('sends a signed-out visitor to sign-in with the page they asked for as next', async () => {
    const router = guardedRouter()
    respond(401, notSignedIn)

    await router.push('/runs?status=failed')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.next).toBe('/runs?status=failed')
  })

  it('lets a signed-in user through and loads /me only once', async () => {
    const router = guardedRouter()
    respond(200, me())

    await router.push('/queries')
    await router.push('/runs')

    expect(router.currentRoute.value.fullPath).toBe('/runs')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(useSessionStore().user?.email).toBe('ops@example.com')
  })

  it('shows the unavailable page, keeping where the user wanted to go, when /me fails otherwise', async () => {
    const router = guardedRouter()
    respond(503, { title: 'The server is unavailable', status: 503 })

    await router.push('/runs?status=failed')

    expect(router.currentRoute.value.name).toBe('unavailable')
    expect(router.currentRoute.value.query.next).toBe('/runs?status=failed')

    respond(200, me())
    await useSessionStore().load()
    await router.replace('/runs?status=failed')
    expect(router.currentRoute.value.fullPath).toBe('/runs?status=failed')
  })

  it('opens public pages without asking who is signed in', async () => {
    const router = guardedRouter()

    await router.push('/sign-in')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends a user with a one-time password to the password change first', async () => {
    const router = guardedRouter()
    respond(200, me(true))

    await router.push('/datasources')

    expect(router.currentRoute.value.name).toBe('change-password')
    expect(router.currentRoute.value.query.next).toBe('/datasources')
  })

  it('sends the user to sign-in, then back, when any API call answers 401', async () => {
    const router = guardedRouter()
    respond(200, me())
    await router.push('/queries?tab=mine')
    respond(401, { title: 'Your session has ended', status: 401 })

    await expect(http.get('/api/v1/queries')).rejects.toMatchObject({ status: 401 })
    await flushPromises()

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.next).toBe('/queries?tab=mine')
    expect(useSessionStore().signedIn).toBe(false)
  })

  it('does not treat a failed sign-in as an ended session', async () => {
    const router = guardedRouter()
    await router.push('/sign-in?next=/runs')
    respond(401, { title: 'Sign-in failed', status: 401 })

    await expect(
      useSessionStore().signIn({ email: 'a@b.c', password: 'wrong' }),
    ).rejects.toMatchObject({ status: 401 })
    await flushPromises()

    expect(router.currentRoute.value.fullPath).toBe('/sign-in?next=/runs')
  })
})

describe('safeNext', () => {
  it.each([
    ['/runs?status=failed', '/runs?status=failed'],
    [undefined, '/'],
    ['', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    [['/queries', '/runs'], '/queries'],
  ])('%j → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected)
  })
})
