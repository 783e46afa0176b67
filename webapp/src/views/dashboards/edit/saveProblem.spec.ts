import { describe, expect, it } from 'vitest'

import { ApiError } from '@/api/http'

import type { DraftTile } from './draft'
import { isStaleVersion, placeErrors, staleVersionText } from './saveProblem'

const stale = new ApiError({
  status: 409,
  type: 'urn:sightline:problem:stale-version',
  title: 'Saved by someone else',
  detail:
    'This dashboard is at version 7 (saved by ana@example.com at 2026-03-02T14:05:09Z); your edit started from version 5. Reload it, then apply your change again.',
})

describe('a stale save', () => {
  it('is told in words: who saved which version when, and the version the edit started from', () => {
    expect(isStaleVersion(stale)).toBe(true)
    expect(staleVersionText(stale, { timeZone: 'UTC' })).toBe(
      'ana@example.com saved version 7 at Mar 2, 2026, 14:05:09 UTC; your edit started from version 5. Reload the latest to continue (your changes stay here to copy).',
    )
  })

  it('is not a taken slug (also a 409), and an unexpected detail is shown as it came', () => {
    const slug = new ApiError({
      status: 409,
      type: 'urn:sightline:problem:slug-taken',
      title: 'Taken',
      detail: 'x',
    })
    expect(isStaleVersion(slug)).toBe(false)
    expect(
      staleVersionText(new ApiError({ status: 409, title: 't', detail: 'Other words.' })),
    ).toBe('Other words.')
  })
})

describe('placeErrors', () => {
  const tile = (key: string, title: string): DraftTile => ({
    key,
    kind: 'viz',
    visualizationId: 'v',
    title,
    text: null,
    x: 0,
    y: 0,
    w: 1,
    h: 1,
    bindings: {},
    clickAction: null,
  })

  it('puts a binding error on its cell (tile by position, parameter by JSON pointer token), the rest by tile or as lines', () => {
    const placed = placeErrors(
      [
        {
          path: '/tiles/1/bindings/period',
          message: "is required by the tile's query and has no default",
        },
        { path: '/tiles/1/bindings/a~1b/value/1', message: 'is not one of the options' },
        { path: '/tiles/0/clickAction/setParam', message: 'names no dashboard parameter' },
        { path: '/name', message: 'must not be blank' },
        { path: '/tiles/9/x', message: 'out of range' },
      ],
      [tile('k0', 'First'), tile('k1', 'Second')],
    )
    expect(placed.cells).toEqual({
      k1: {
        period: "Is required by the tile's query and has no default.",
        'a/b': 'Is not one of the options. (value/1)',
      },
    })
    expect(placed.tiles).toEqual({ k0: ['clickAction/setParam: names no dashboard parameter'] })
    expect(placed.other).toEqual([
      'Tile “First”: clickAction/setParam: names no dashboard parameter',
      '/name: must not be blank',
      '/tiles/9/x: out of range',
    ])
  })
})
