import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import type { Run } from '@/api/runs'
import { queuedRun } from '@/testing/runs'

import QueryWorkbenchRunState from './QueryWorkbenchRunState.vue'

function render(run: Run, canCancelForEveryone = false) {
  return mount(QueryWorkbenchRunState, {
    props: {
      run,
      elapsedMs: 21_000,
      rowsSoFar: null,
      cancelling: false,
      canCancel: true,
      canCancelForEveryone,
    },
    global: { stubs: { RouterLink: true, RunLiveIndicator: true } },
  })
}

const sharedRunning = (patch: Partial<Run> = {}): Run =>
  queuedRun({
    status: 'running',
    startedAt: '2026-11-29T10:00:01Z',
    requestId: 'q2',
    sharedWith: 2,
    ...patch,
  })

describe('QueryWorkbenchRunState', () => {
  it('says when the run is shared with other requests and offers to withdraw only mine', async () => {
    const view = render(sharedRunning())
    expect(view.get('[data-testid="run-shared"]').text()).toBe('shared with 2 other requests')
    const cancel = view.get('[data-testid="cancel-run"]')
    expect(cancel.text()).toBe('Withdraw my request')
    expect(view.find('[data-testid="cancel-run-everyone"]').exists()).toBe(false)
    await cancel.trigger('click')
    expect(view.emitted('cancel')).toHaveLength(1)
  })

  it('lets an editor cancel a shared run for everyone', async () => {
    const view = render(sharedRunning({ sharedWith: 1 }), true)
    expect(view.get('[data-testid="run-shared"]').text()).toBe('shared with 1 other request')
    await view.get('[data-testid="cancel-run-everyone"]').trigger('click')
    expect(view.emitted('cancelForEveryone')).toHaveLength(1)
  })

  it('a run of one request is cancelled, not withdrawn, and says nothing about sharing', () => {
    const view = render(sharedRunning({ sharedWith: 0 }))
    expect(view.find('[data-testid="run-shared"]').exists()).toBe(false)
    expect(view.get('[data-testid="cancel-run"]').text()).toBe('Cancel')
  })

  it('after withdrawing, says the run goes on for the others and offers no cancel', () => {
    const view = render(
      sharedRunning({ sharedWith: 1, withdrawnAt: '2026-11-29T10:00:20Z', withdrawnBy: 'u1' }),
    )
    expect(view.get('[data-testid="run-withdrawn"]').text()).toContain(
      'the run goes on for the other requests',
    )
    expect(view.find('[data-testid="cancel-run"]').exists()).toBe(false)
  })

  it('names who cancelled the run for everyone', () => {
    const view = render(
      sharedRunning({
        status: 'cancelled',
        execMs: 23_000,
        sharedWith: 0,
        withdrawnAt: '2026-11-29T10:00:23Z',
        withdrawnBy: 'u2',
        withdrawnByName: 'Edith Editor',
        cancelledBy: 'u2',
        cancelledByName: 'Edith Editor',
      }),
    )
    expect(view.get('[data-testid="run-cancelled"]').text()).toMatch(
      /^Cancelled by Edith Editor\s+after 23/,
    )
  })
})
