import { describe, expect, it } from 'vitest'

import { ordersByDesk, outagesByProvince } from '@/testing/viz'

import type { SeriesConfig } from '../types'
import { clickedValues } from './clicked'

describe('clickedValues', () => {
  it('gives the x value (time as ISO) and the seriesBy value of the clicked point', () => {
    const config: SeriesConfig = {
      x: { column: 'day' },
      y: [{ column: 'outages' }],
      seriesBy: 'province',
    }
    expect(
      clickedValues(outagesByProvince(), config, {
        componentType: 'series',
        seriesIndex: 1,
        dataIndex: 2,
      }),
    ).toEqual({ day: '2026-11-03T00:00:00.000Z', province: 'Limpopo' })
  })

  it('leaves the series value out for "Other", and ignores clicks off the marks', () => {
    const config: SeriesConfig = {
      x: { column: 'day' },
      y: [{ column: 'outages' }],
      seriesBy: 'province',
    }
    expect(
      clickedValues(outagesByProvince(), config, {
        componentType: 'series',
        seriesIndex: 2,
        dataIndex: 0,
      }),
    ).toEqual({ day: '2026-11-01T00:00:00.000Z' })
    expect(clickedValues(outagesByProvince(), config, { componentType: 'legend' })).toBeNull()
  })

  it('gives a category’s text', () => {
    const shaped = ordersByDesk()
    const config: SeriesConfig = { x: { column: 'desk' }, y: [{ column: 'orders' }] }
    expect(
      clickedValues(shaped, config, { componentType: 'series', seriesIndex: 0, dataIndex: 1 }),
    ).toEqual({
      desk: 'Rates',
    })
  })
})
