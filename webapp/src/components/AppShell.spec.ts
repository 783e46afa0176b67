import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { THEME_STORAGE_KEY } from '@/stores/theme'

import AppShell from './AppShell.vue'

const Blank = { template: '<p>page</p>' }

async function mountShell(path = '/') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: Blank }],
  })
  await router.push(path)
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(AppShell, {
    global: { plugins: [router, pinia] },
    slots: { default: '<p data-test="content">Area content</p>' },
  })
}

beforeEach(() => {
  localStorage.clear()
  document.documentElement.removeAttribute('data-theme')
})

describe('AppShell', () => {
  it('names the product and links the six areas in order', async () => {
    const wrapper = await mountShell()

    expect(wrapper.find('.app-shell-brand').text()).toBe('Sightline')
    const links = wrapper.findAll('nav[aria-label="Main"] a')
    expect(links.map((link) => [link.text(), link.attributes('href')])).toEqual([
      ['Queries', '/queries'],
      ['Dashboards', '/dashboards'],
      ['Schedules', '/schedules'],
      ['Runs', '/runs'],
      ['Datasources', '/datasources'],
      ['Admin', '/admin'],
    ])
  })

  it('marks the area of the current page as current', async () => {
    const wrapper = await mountShell('/runs')

    const current = wrapper.findAll('nav a[aria-current="page"]')
    expect(current.map((link) => link.text())).toEqual(['Runs'])
  })

  it('renders the page inside the main region', async () => {
    const wrapper = await mountShell()

    expect(wrapper.find('main [data-test="content"]').text()).toBe('Area content')
  })

  it('switches to the dark theme and remembers it', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light')
    const wrapper = await mountShell()
    const toggle = wrapper.find('button.app-shell-theme')
    expect(toggle.attributes('aria-pressed')).toBe('false')

    await toggle.trigger('click')

    expect(toggle.attributes('aria-pressed')).toBe('true')
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark')
  })
})
