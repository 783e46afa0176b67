import { describe, expect, it } from 'vitest'

import { kpi } from '@/testing/viz'

import { vizTheme } from '../chart/theme'
import { vizFormats } from '../format'
import { sparklineOption } from './options'
import { comparisonText, describeStat, statValueText } from './statText'

/* eslint-disable @typescript-eslint/no-explicit-any -- ECharts options are read back loosely in assertions */

const utc = vizFormats({}, 'UTC')

describe('sparklineOption', () => {
  it('golden: a bare line in the threshold colour', () => {
    const shaped = kpi()
    expect(
      sparklineOption(shaped.sparkline!, utc, vizTheme('light'), shaped.color),
    ).toMatchSnapshot()
  })

  it('uses the palette without a threshold colour; the tooltip gives date and value', () => {
    const option = sparklineOption(kpi().sparkline!, utc, vizTheme('dark'), null) as any
    expect(option.series[0].color).toBe(vizTheme('dark').palette[0])
    expect(option.tooltip.formatter([{ dataIndex: 2 }])).toBe('2026-11-03: <b>1,234.5</b>')
  })
})

describe('stat texts', () => {
  it('value with prefix and suffix in the number format; exact text for big values; null display', () => {
    expect(statValueText(kpi(), { value: { column: 'v' }, prefix: '~', suffix: '!' }, utc)).toBe(
      '~1,234.5!',
    )
    const money = vizFormats({ numberFormat: { style: 'currency', currency: 'EUR' } }, 'UTC')
    expect(statValueText(kpi(), { value: { column: 'v' } }, money)).toBe('€1,234.50')
    const big = kpi({ value: 2 ** 53, exact: '9007199254740993' })
    expect(statValueText(big, { value: { column: 'v' } }, utc)).toBe('9,007,199,254,740,993')
    expect(
      statValueText(
        kpi({ value: null }),
        { value: { column: 'v' }, nullDisplay: 'none' },
        vizFormats({ nullDisplay: 'none' }, 'UTC'),
      ),
    ).toBe('none')
  })

  it('comparisons: signed delta, percent or absolute, arrow and tone', () => {
    const [period, target] = kpi().comparisons
    expect(comparisonText(period!, utc)).toEqual({
      arrow: '▲',
      delta: '+23 %',
      label: 'vs yesterday',
      tone: 'bad',
      base: '1,000',
    })
    expect(comparisonText(target!, utc, 'MW')).toEqual({
      arrow: '▼',
      delta: '−265.5 MW',
      label: 'vs target',
      tone: 'good',
      base: '1,500 MW',
    })
    expect(
      comparisonText(
        {
          against: 'previous-row',
          label: '',
          base: null,
          delta: null,
          display: 'percent',
          tone: 'neutral',
        },
        utc,
      ),
    ).toMatchObject({
      arrow: '●',
      delta: '—',
      label: 'vs previous',
      base: 'nothing to compare with',
    })
    expect(
      comparisonText(
        { against: 'fixed', label: 'x', base: 10, delta: 0.052, display: 'percent', tone: 'good' },
        utc,
      ).delta,
    ).toBe('+5.2 %')
  })

  it('the accessible summary names value and comparisons', () => {
    expect(describeStat(kpi(), { value: { column: 'v' }, unit: 'MW' }, utc, 'Load')).toBe(
      'Load: 1,234.5 MW, +23 % vs yesterday (bad), −265.5 MW vs target (good)',
    )
  })
})
