import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import SignInView from './SignInView.vue'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<p>page</p>' }

const me = (mustChangePassword = false) => ({
  user: { id: 'u1', email: 'ops@example.com', displayName: 'Ops', mustChangePassword },
  org: { id: 'o1', name: 'Default', slug: 'default', timezone: 'UTC' },
  role: 'admin',
  orgs: [{ id: 'o1', name: 'Default', slug: 'default', role: 'admin' }],
})

function respond(status: number, body: unknown, headers: Record<string, string> = {}): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body, headers))
}

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: SignInView },
      { path: '/change-password', name: 'change-password', component: Blank },
      { path: '/:any(.*)*', component: Blank },
    ],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(SignInView, { global: { plugins: [router, pinia] } })
  return { wrapper, router }
}

async function signIn(wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper']) {
  await wrapper.find('input[name="email"]').setValue(' ops@example.com ')
  await wrapper.find('input[name="password"]').setValue('correct horse battery')
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('SignInView', () => {
  it('posts the trimmed email and the password to the login endpoint', async () => {
    const { wrapper } = await mountAt('/sign-in')
    respond(200, me())

    await signIn(wrapper)

    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/auth/login')
    expect(JSON.parse(init!.body as string)).toEqual({
      email: 'ops@example.com',
      password: 'correct horse battery',
    })
  })

  it('shows a wrong password as the problem title and detail, and clears the password', async () => {
    const { wrapper, router } = await mountAt('/sign-in?next=/runs')
    respond(401, {
      type: 'urn:sightline:problem:sign-in-failed',
      title: 'Sign-in failed',
      status: 401,
      detail: 'The email or password is incorrect.',
    })

    await signIn(wrapper)

    const alert = wrapper.find('[role="alert"]')
    expect(alert.text()).toContain('Sign-in failed')
    expect(alert.text()).toContain('The email or password is incorrect.')
    expect(alert.text()).not.toContain('[object')
    expect((wrapper.find('input[name="password"]').element as HTMLInputElement).value).toBe('')
    expect(router.currentRoute.value.fullPath).toBe('/sign-in?next=/runs')
  })

  it('tells a throttled user how long to wait, from Retry-After', async () => {
    const { wrapper } = await mountAt('/sign-in')
    respond(
      429,
      { title: 'Too many sign-in attempts', status: 429, detail: 'Sign-in is paused.' },
      { 'Retry-After': '125' },
    )

    await signIn(wrapper)

    const alert = wrapper.find('[role="alert"]').text()
    expect(alert).toContain('Too many sign-in attempts')
    expect(alert).toContain('Sign-in is paused. Try again in 3 minutes.')
  })

  it('says when the server cannot be reached', async () => {
    const { wrapper } = await mountAt('/sign-in')
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))

    await signIn(wrapper)

    expect(wrapper.find('[role="alert"]').text()).toContain('Cannot reach the server')
  })

  it('goes to the page in ?next= after signing in', async () => {
    const { wrapper, router } = await mountAt('/sign-in?next=%2Fruns%3Fstatus%3Dfailed')
    respond(200, me())

    await signIn(wrapper)

    expect(router.currentRoute.value.fullPath).toBe('/runs?status=failed')
  })

  it('goes home when there is no next page', async () => {
    const { wrapper, router } = await mountAt('/sign-in')
    respond(200, me())

    await signIn(wrapper)

    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('never follows a next that leaves the app', async () => {
    const { wrapper, router } = await mountAt('/sign-in?next=%2F%2Fevil.example%2Fphish')
    respond(200, me())

    await signIn(wrapper)

    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('sends a user with a one-time password to the password change, keeping next', async () => {
    const { wrapper, router } = await mountAt('/sign-in?next=/queries')
    respond(200, me(true))

    await signIn(wrapper)

    expect(router.currentRoute.value.name).toBe('change-password')
    expect(router.currentRoute.value.query.next).toBe('/queries')
  })
})
