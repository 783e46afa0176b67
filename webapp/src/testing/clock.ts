/** A fixed wall clock for a spec file: `Date` (only) reads `now` in every test; timers stay real. */
import { afterEach, beforeEach, vi } from 'vitest'

export function useFixedClock(now: Date): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}
