import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as runsApi from '@/api/runs'
import { succeededRun } from '@/testing/runs'

import QueryWorkbenchHistory from './QueryWorkbenchHistory.vue'

async function mountHistory() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/runs/:id', name: 'run', component: { template: '<p />' } },
      { path: '/:any(.*)*', component: { template: '<p />' } },
    ],
  })
  await router.push('/queries/q1')
  const wrapper = mount(QueryWorkbenchHistory, {
    props: { queryId: 'q1' },
    global: { plugins: [router] },
  })
  await flushPromises()
  return wrapper
}

afterEach(() => vi.restoreAllMocks())

describe('QueryWorkbenchHistory', () => {
  it('says who asked by name (else email), never as a raw user id', async () => {
    const listRuns = vi.spyOn(runsApi, 'listRuns').mockResolvedValue({
      items: [
        succeededRun({
          id: 'r1',
          requestedBy: 'u-7f3a',
          requestedByName: 'Dana Ops',
          requestedByEmail: 'dana@ops',
        }),
        succeededRun({
          id: 'r2',
          requestedBy: 'u-99c1',
          requestedByName: null,
          requestedByEmail: 'lee@ops',
        }),
        succeededRun({ id: 'r3', trigger: 'schedule', requestedBy: null }),
      ],
      nextCursor: null,
    })
    const wrapper = await mountHistory()

    expect(listRuns).toHaveBeenCalledWith(
      expect.objectContaining({ queryId: 'q1' }),
      expect.anything(),
    )
    const text = wrapper.get('[data-testid="query-history"]').text()
    expect(text).toContain('Dana Ops')
    expect(text).toContain('lee@ops')
    expect(text).toContain('schedule')
    expect(text).not.toContain('u-7f3a')
    expect(text).not.toContain('u-99c1')
  })
})
