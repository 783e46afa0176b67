import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { ParameterSpec } from '@/api/parameters'
import * as queriesApi from '@/api/queries'
import type { Run } from '@/api/runs'
import { useParamsInUrl } from '@/composables/useParamsInUrl'
import { succeededRun } from '@/testing/runs'

import { useLatestResult, type LatestResult } from './useLatestResult'

enableAutoUnmount(afterEach)

/** A page that, like the workbench, loads its declarations after mounting and reads the values from the URL. */
async function open(url: string, options: { enabled?: () => boolean } = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/queries/:id', component: { render: () => null } }],
  })
  await router.push(url)
  const specs = ref<ParameterSpec[]>([])
  const queryId = ref<string | null>(null)
  let latest!: LatestResult
  const Page = defineComponent({
    setup() {
      const { values } = useParamsInUrl(specs)
      latest = useLatestResult({
        queryId: () => queryId.value,
        version: () => 3,
        values,
        enabled: options.enabled ?? (() => true),
      })
      return () => h('p', latest.age.value ?? '')
    },
  })
  const wrapper = mount(Page, { global: { plugins: [router] } })
  // the query arrives: its id and declarations in the same tick, as applySaved does
  queryId.value = 'q1'
  specs.value = [
    { name: 'region', type: 'text' },
    { name: 'n', type: 'integer', default: 10 },
  ]
  await flushPromises()
  return { wrapper, latest, router }
}

describe('useLatestResult', () => {
  it('asks once, with the values of the link, and gives the result with its age', async () => {
    const call = vi
      .spyOn(queriesApi, 'latestQueryResult')
      .mockResolvedValue(
        succeededRun({ finishedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }),
      )
    const { wrapper, latest } = await open('/queries/q1?p.region=North&p.n=5')
    expect(call).toHaveBeenCalledTimes(1)
    expect(call).toHaveBeenCalledWith('q1', { params: { region: 'North', n: 5 } })
    expect(latest.run.value?.resultId).toBe('res1')
    expect(wrapper.text()).toBe('3 h ago')
  })

  it('drops an answer to an earlier question', async () => {
    let answerFirst!: (run: Run) => void
    const call = vi
      .spyOn(queriesApi, 'latestQueryResult')
      .mockImplementationOnce(() => new Promise<Run>((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce(succeededRun({ id: 'for-south' }))
    const { latest, router } = await open('/queries/q1?p.region=North')
    await router.replace('/queries/q1?p.region=South')
    await flushPromises()
    answerFirst(succeededRun({ id: 'for-north' }))
    await flushPromises()
    expect(call).toHaveBeenCalledTimes(2)
    expect(latest.run.value?.id).toBe('for-south')
  })

  it('shows nothing for a 404, and asks nothing once disabled', async () => {
    const call = vi
      .spyOn(queriesApi, 'latestQueryResult')
      .mockRejectedValue(new Error('404 no-result'))
    const { latest } = await open('/queries/q1?p.region=North')
    expect(latest.run.value).toBeNull()

    call.mockClear()
    await open('/queries/q1?p.region=North', { enabled: () => false })
    expect(call).not.toHaveBeenCalled()
  })
})
