import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import ChangePasswordView from './ChangePasswordView.vue'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<p>page</p>' }

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/change-password', component: ChangePasswordView },
      { path: '/:any(.*)*', name: 'sign-in', component: Blank },
    ],
  })
  await router.push('/change-password')
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(ChangePasswordView, { global: { plugins: [router, pinia] } })
}

type Wrapper = Awaited<ReturnType<typeof mountView>>

function field(wrapper: Wrapper, label: string) {
  const element = wrapper.findAll('label').find((candidate) => candidate.text() === label)
  if (!element) throw new Error(`no label "${label}"`)
  return wrapper.find(`#${element.attributes('for')}`)
}

function describedBy(wrapper: Wrapper, label: string): string[] {
  return (field(wrapper, label).attributes('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => wrapper.find(`#${id}`).text())
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('ChangePasswordView', () => {
  it('names each field by its label alone and describes it by its error', async () => {
    const wrapper = await mountView()
    await field(wrapper, 'Current password').setValue('one-time-password')
    await field(wrapper, 'New password').setValue('short')
    await field(wrapper, 'Confirm new password').setValue('different')

    await wrapper.find('form').trigger('submit')

    expect(field(wrapper, 'New password').attributes('name')).toBe('newPassword')
    expect(field(wrapper, 'New password').attributes('aria-invalid')).toBe('true')
    expect(describedBy(wrapper, 'New password')).toEqual(['Use at least 10 characters.'])
    expect(describedBy(wrapper, 'Confirm new password')).toEqual([
      'The two new passwords do not match.',
    ])
    expect(field(wrapper, 'Current password').attributes('aria-invalid')).toBeUndefined()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows a server field error under its field', async () => {
    const wrapper = await mountView()
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          title: 'Invalid request',
          status: 400,
          errors: [{ field: '/currentPassword', message: 'The current password is wrong.' }],
        }),
        { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
      ),
    )
    await field(wrapper, 'Current password').setValue('not-it-at-all')
    await field(wrapper, 'New password').setValue('a much longer password')
    await field(wrapper, 'Confirm new password').setValue('a much longer password')

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(describedBy(wrapper, 'Current password')).toEqual(['The current password is wrong.'])
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })
})
