import { describe, expect, it, vi } from 'vitest'

import { preloadViz } from './preload'
import { vizKinds } from './registry'

describe('preloadViz', () => {
  it('starts loading the renderer of each distinct kind once, and nothing for no kinds', async () => {
    const spies = Object.fromEntries(
      (['line', 'bar', 'stat', 'table', 'area'] as const).map((kind) => [
        kind,
        vi.spyOn(vizKinds[kind], 'renderer').mockResolvedValue({}),
      ]),
    )
    preloadViz([])
    await vi.dynamicImportSettled()
    expect(Object.values(spies).every((spy) => spy.mock.calls.length === 0)).toBe(true)

    preloadViz(['line', 'bar', 'line', 'stat'])
    await vi.dynamicImportSettled()
    expect(spies.line).toHaveBeenCalledTimes(1)
    expect(spies.bar).toHaveBeenCalledTimes(1)
    expect(spies.stat).toHaveBeenCalledTimes(1)
    expect(spies.table).not.toHaveBeenCalled()
  })

  it('a renderer that fails to load is not an unhandled rejection', async () => {
    vi.spyOn(vizKinds.table, 'renderer').mockRejectedValue(new Error('chunk gone'))
    preloadViz(['table'])
    await vi.dynamicImportSettled()
    await new Promise((resolve) => setTimeout(resolve, 0))
  })
})
