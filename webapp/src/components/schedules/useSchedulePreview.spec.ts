import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'

import { ApiError } from '@/api/http'
import * as schedulesApi from '@/api/schedules'

import { previewFieldErrors, useSchedulePreview, type PreviewInput } from './useSchedulePreview'

const answer = {
  description: 'every 15 minutes (America/Toronto)',
  timezone: 'America/Toronto',
  times: [{ at: '2026-03-08T07:15:00Z', local: '2026-03-08T03:15-04:00' }],
}

let preview: ReturnType<typeof vi.spyOn>

beforeEach(() => {
  vi.useFakeTimers()
  preview = vi.spyOn(schedulesApi, 'previewSchedule').mockResolvedValue(answer)
})

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

function start(initial: PreviewInput) {
  const input = ref<PreviewInput>(initial)
  const scope = effectScope()
  const state = scope.run(() => useSchedulePreview(input, 300))!
  return { input, state, scope }
}

describe('useSchedulePreview', () => {
  it('asks once, for the latest input, after the user stops typing', async () => {
    const { input, state, scope } = start({
      kind: 'cron',
      everySeconds: null,
      cron: '3',
      timezone: '',
    })
    for (const cron of ['30', '30 7', '30 7 * * MON-FRI']) {
      input.value = { ...input.value, cron }
      await nextTick()
      vi.advanceTimersByTime(100)
    }
    expect(preview).not.toHaveBeenCalled()
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(preview).toHaveBeenCalledTimes(1)
    expect(preview.mock.calls[0]![0]).toEqual({
      cron: '30 7 * * MON-FRI',
      every: undefined,
      timezone: undefined,
    })
    expect(state.preview.value).toEqual(answer)
    scope.stop()
  })

  it('sends an interval as every= with the zone, and nothing while the field is empty', async () => {
    const { input, scope } = start({
      kind: 'interval',
      everySeconds: null,
      cron: '',
      timezone: 'America/Toronto',
    })
    vi.advanceTimersByTime(1000)
    expect(preview).not.toHaveBeenCalled()
    input.value = { ...input.value, everySeconds: 900 }
    await nextTick()
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(preview.mock.calls[0]![0]).toEqual({
      cron: undefined,
      every: 900,
      timezone: 'America/Toronto',
    })
    scope.stop()
  })

  it('puts a 400 on the field it names, and clears it once the input is fine', async () => {
    preview.mockRejectedValueOnce(
      new ApiError({
        status: 400,
        title: 'Invalid request',
        errors: [
          { path: '?cron', message: 'not valid Unix cron: 61 is out of range' },
          { path: '?timezone', message: 'unknown time zone Mars/Olympus' },
        ],
      }),
    )
    const { input, state, scope } = start({
      kind: 'cron',
      everySeconds: null,
      cron: '61 * * * *',
      timezone: 'Mars/Olympus',
    })
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(state.fieldErrors.value).toEqual({
      cron: 'not valid Unix cron: 61 is out of range',
      timezone: 'unknown time zone Mars/Olympus',
    })
    expect(state.preview.value).toBeNull()
    expect(state.problem.value).toBeNull()

    input.value = { ...input.value, cron: '1 * * * *', timezone: 'UTC' }
    await nextTick()
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(state.fieldErrors.value).toEqual({})
    expect(state.preview.value).toEqual(answer)
    scope.stop()
  })

  it('maps ?every to the interval field and keeps anything else as a general problem', () => {
    const placed = previewFieldErrors(
      new ApiError({
        status: 400,
        title: 'Invalid request',
        errors: [
          { path: '?every', message: 'must be at least 60' },
          { path: '?from', message: 'must be an ISO-8601 timestamp' },
        ],
      }),
    )
    expect(placed).toEqual({
      fields: { everySeconds: 'must be at least 60' },
      other: '?from: must be an ISO-8601 timestamp',
    })
  })
})
