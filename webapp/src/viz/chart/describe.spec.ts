import { describe, expect, it } from 'vitest'

import { meta, ordersByDesk, outagesByProvince } from '@/testing/viz'

import { vizFormats } from '../format'
import { metaBadges } from './badges'
import { describeChart } from './describe'

const utc = vizFormats({}, 'UTC')

describe('describeChart', () => {
  it('kind, stacking, series, name and x range', () => {
    expect(
      describeChart(
        'area',
        outagesByProvince(),
        { x: { column: 'day' }, y: [{ column: 'outages' }], stacking: 'stacked' },
        utc,
        'outages per province',
      ),
    ).toBe(
      'Stacked area chart of 3 series (Gauteng, Limpopo, Other), outages per province, from 1 Nov 2026 to 3 Nov 2026',
    )
    expect(
      describeChart(
        'bar',
        ordersByDesk(),
        { x: { column: 'desk' }, y: [], orientation: 'horizontal' },
        utc,
      ),
    ).toBe('Horizontal bar chart of 2 series (orders, fill_rate), from FX to Equities')
  })

  it('many series are counted, not listed; renamed series use their new names', () => {
    const shaped = outagesByProvince()
    shaped.series = Array.from({ length: 8 }, (_, i) => ({
      ...shaped.series[0]!,
      key: `s${i}`,
      name: `s${i}`,
    }))
    expect(describeChart('line', shaped, { x: { column: 'day' }, y: [] }, utc)).toBe(
      'Line chart of 8 series, from 1 Nov 2026 to 3 Nov 2026',
    )
    expect(
      describeChart(
        'line',
        outagesByProvince(),
        { x: { column: 'day' }, y: [], series: { Gauteng: { name: 'GP' } }, stacking: 'percent' },
        utc,
      ),
    ).toContain('100 % stacked line chart of 3 series (GP, Limpopo, Other)')
  })
})

describe('metaBadges', () => {
  it('says every fact the shaper reported, never silently', () => {
    const badges = metaBadges(
      meta({
        sampled: true,
        points: 2400,
        sourceRows: 1_000_000,
        seriesTruncated: true,
        otherSeries: 12,
        categoriesTruncated: true,
        resultTruncated: true,
        resultTruncatedReason: 'max_rows',
      }),
    )
    expect(badges.map((b) => [b.id, b.text])).toEqual([
      ['sampled', 'Sampled: 2,400 of 1,000,000 points'],
      ['series-truncated', '12 series in Other'],
      ['categories-truncated', 'Categories cut'],
      ['result-truncated', 'Result cut by the row limit'],
    ])
    expect(metaBadges(meta())).toEqual([])
  })
})
