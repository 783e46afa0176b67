import { describe, expect, it } from 'vitest'

import { gridStyle, readingOrder, tilePlacement } from './grid'
import { kioskMode, withoutChrome } from './kiosk'
import { refreshFromQuery, refreshToQuery } from './refresh'

describe('grid placement', () => {
  it('places a tile by x, y, w, h on 24 columns of 40 px rows', () => {
    expect(tilePlacement({ x: 0, y: 0, w: 12, h: 8 }, false)).toEqual({
      gridColumn: '1 / span 12',
      gridRow: '1 / span 8',
    })
    expect(tilePlacement({ x: 12, y: 8, w: 12, h: 4 }, false)).toEqual({
      gridColumn: '13 / span 12',
      gridRow: '9 / span 4',
    })
    expect(gridStyle(false)).toMatchObject({
      gridTemplateColumns: 'repeat(24, minmax(0, 1fr))',
      gridAutoRows: '40px',
    })
  })

  it('keeps a tile inside the 24 columns', () => {
    expect(tilePlacement({ x: 20, y: 0, w: 10, h: 2 }, false).gridColumn).toBe('21 / span 4')
    expect(tilePlacement({ x: 40, y: 0, w: 2, h: 2 }, false).gridColumn).toBe('24 / span 1')
  })

  it('stacks tiles in one column in reading order (row, then column), each at least 6 rows tall', () => {
    const tiles = [
      { id: 'right', x: 12, y: 0, w: 12, h: 4 },
      { id: 'below', x: 0, y: 8, w: 24, h: 8 },
      { id: 'left', x: 0, y: 0, w: 12, h: 8 },
      { id: 'middle', x: 6, y: 8, w: 6, h: 2 },
    ]
    expect(readingOrder(tiles).map((t) => t.id)).toEqual(['left', 'right', 'below', 'middle'])
    expect(tilePlacement(tiles[0]!, true)).toEqual({ gridColumn: '1 / -1', gridRow: 'span 6' })
    expect(tilePlacement(tiles[1]!, true)).toEqual({ gridColumn: '1 / -1', gridRow: 'span 8' })
    expect(gridStyle(true).gridTemplateColumns).toBe('minmax(0, 1fr)')
  })
})

describe('kiosk and refresh in the URL', () => {
  it('reads ?kiosk and ?kiosk=full, and drops the chrome only on routes that allow it', () => {
    expect(kioskMode({})).toBe('off')
    expect(kioskMode({ kiosk: null })).toBe('on')
    expect(kioskMode({ kiosk: '' })).toBe('on')
    expect(kioskMode({ kiosk: 'full' })).toBe('full')
    expect(withoutChrome({ meta: { kiosk: true }, query: { kiosk: '' } })).toBe(true)
    expect(withoutChrome({ meta: { kiosk: true }, query: {} })).toBe(false)
    expect(withoutChrome({ meta: {}, query: { kiosk: '' } })).toBe(false)
    expect(withoutChrome({ meta: { bare: true }, query: {} })).toBe(true)
  })

  it('reads refresh= as a listed interval or off, else the dashboard’s own', () => {
    expect(refreshFromQuery({ refresh: '30' }, 300)).toBe(30)
    expect(refreshFromQuery({ refresh: 'off' }, 300)).toBeNull()
    expect(refreshFromQuery({ refresh: '7' }, 300)).toBe(300)
    expect(refreshFromQuery({}, null)).toBeNull()
    expect(refreshToQuery(300, 300)).toBeUndefined()
    expect(refreshToQuery(null, 300)).toBe('off')
    expect(refreshToQuery(60, null)).toBe('60')
  })
})
