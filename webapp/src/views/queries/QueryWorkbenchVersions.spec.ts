import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import * as queriesApi from '@/api/queries'
import type { QueryVersion } from '@/api/queries'

import QueryWorkbenchVersions from './QueryWorkbenchVersions.vue'

// The diff view's Monaco does not load here: its plain side-by-side texts stand in.
vi.mock('@/components/editor/monacoLoader', () => {
  throw new Error('no Monaco in unit tests')
})

const sqlOf: Record<number, string> = {
  1: 'select region from outages',
  2: 'select region, count(*) from outages group by 1',
  3: 'select region, count(*) from outages where {{day}} group by 1',
}

function version(n: number): QueryVersion {
  return {
    id: 'q1',
    version: n,
    name: 'Outages',
    sql: sqlOf[n]!,
    params: n === 3 ? [{ name: 'day', type: 'date' }] : [],
    runOptions: null,
    savedAt: `2026-11-2${n}T09:00:00Z`,
    savedBy: 'ops@example.com',
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
  vi.spyOn(queriesApi, 'listQueryVersions').mockResolvedValue(
    [3, 2, 1].map((n) => ({
      version: n,
      name: 'Outages',
      savedAt: version(n).savedAt,
      savedBy: null,
    })),
  )
  vi.spyOn(queriesApi, 'getQueryVersion').mockImplementation(async (_id, n) => version(n))
})

afterEach(() => {
  document.body.innerHTML = ''
})

async function mountVersions(canEdit = true) {
  const wrapper = mount(QueryWorkbenchVersions, {
    props: { queryId: 'q1', currentVersion: 3, canEdit, dirty: false },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

const inBody = (selector: string) => document.body.querySelector<HTMLElement>(selector)

describe('QueryWorkbenchVersions: compare before restoring', () => {
  it('shows a version side by side with the current one, then any two', async () => {
    const wrapper = await mountVersions()
    await wrapper.get('[data-version="1"] [data-testid="compare-version"]').trigger('click')
    await flushPromises()
    expect(inBody('[data-testid="version-diff"]')).not.toBeNull()
    expect(inBody('[data-testid="sql-diff-original"]')!.textContent).toBe(sqlOf[1])
    expect(inBody('[data-testid="sql-diff-modified"]')!.textContent).toBe(sqlOf[3])
    expect(inBody('[data-testid="sql-diff-modified-label"]')!.textContent).toContain('v3 (current)')
    expect(inBody('[data-testid="version-diff-other"]')!.textContent).toContain('parameters')

    const right = inBody('[data-testid="version-diff-right"]') as HTMLSelectElement
    right.value = '2'
    right.dispatchEvent(new Event('change'))
    await flushPromises()
    expect(inBody('[data-testid="sql-diff-modified"]')!.textContent).toBe(sqlOf[2])
    expect(inBody('[data-testid="version-diff-other"]')).toBeNull()
    wrapper.unmount()
  })

  it('restores the left version from the diff', async () => {
    const restore = vi
      .spyOn(queriesApi, 'restoreQueryVersion')
      .mockResolvedValue({ ...version(1), version: 4, datasourceId: 'd1' } as never)
    const wrapper = await mountVersions()
    await wrapper.get('[data-version="2"] [data-testid="compare-version"]').trigger('click')
    await flushPromises()
    inBody('[data-testid="version-diff-restore"]')!.click()
    await flushPromises()
    expect(restore).toHaveBeenCalledWith('q1', 2)
    expect(wrapper.emitted('restored')).toHaveLength(1)
    expect(inBody('[data-testid="version-diff"]')).toBeNull()
    wrapper.unmount()
  })

  it('lets viewers compare but not restore', async () => {
    const wrapper = await mountVersions(false)
    expect(wrapper.find('[data-testid="restore-version"]').exists()).toBe(false)
    await wrapper.get('[data-version="1"] [data-testid="compare-version"]').trigger('click')
    await flushPromises()
    expect(inBody('[data-testid="sql-diff-original"]')!.textContent).toBe(sqlOf[1])
    expect(inBody('[data-testid="version-diff-restore"]')).toBeNull()
    wrapper.unmount()
  })
})
