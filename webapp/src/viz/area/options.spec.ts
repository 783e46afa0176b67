import { describe, expect, it } from 'vitest'

import { outagesByProvince } from '@/testing/viz'

import { vizTheme } from '../chart/theme'
import { vizFormats } from '../format'
import type { SeriesConfig } from '../types'
import { areaOption } from './options'

/* eslint-disable @typescript-eslint/no-explicit-any -- ECharts options are read back loosely in assertions */

const light = vizTheme('light')
const base: SeriesConfig = {
  x: { column: 'day' },
  y: [{ column: 'outages' }],
  seriesBy: 'province',
}

function build(config: Partial<SeriesConfig> = {}): any {
  return areaOption(outagesByProvince(), { ...base, ...config }, vizFormats(config, 'UTC'), light)
}

describe('areaOption', () => {
  it('golden: stacked areas of outages per province', () => {
    expect(build({ stacking: 'stacked' })).toMatchSnapshot()
  })

  it('fills below each line; stacked areas are more opaque', () => {
    expect(build().series[0].areaStyle).toEqual({ opacity: 0.25 })
    expect(build({ stacking: 'stacked' }).series[0].areaStyle).toEqual({ opacity: 0.7 })
  })

  it('100 %: each x’s stack sums to 100, a missing value counting 0, on a 0–100 axis', () => {
    const option = build({ stacking: 'percent' })
    const values = option.series.map((s: any) => s.data.map((p: [number, number]) => p[1]))
    for (let i = 0; i < 3; i++) {
      expect(values.reduce((sum: number, v: number[]) => sum + v[i]!, 0)).toBeCloseTo(100, 9)
    }
    // 2 Nov: Gauteng 9, Limpopo missing, Other 2 → 81.8 %, 0 %, 18.2 %
    expect(values.map((v: number[]) => v[1])).toEqual([81.818181818, 0, 18.181818182])
    expect(option.yAxis[0]).toMatchObject({ min: 0, max: 100 })
    expect(option.yAxis[0].axisLabel.formatter(50)).toBe('50 %')
    // the tooltip gives the share and the value; the missing one stays missing
    const text = option.tooltip.formatter([
      { seriesIndex: 0, dataIndex: 1, marker: '' },
      { seriesIndex: 1, dataIndex: 1, marker: '' },
    ])
    expect(text).toBe('<div>2026-11-02</div>Gauteng: <b>81.818182 % (9)</b><br/>Limpopo: <b>—</b>')
  })

  it('stacks per axis: series on the right stack apart from those on the left', () => {
    const shaped = outagesByProvince()
    shaped.series[2] = { ...shaped.series[2]!, axis: 'right' }
    const option = areaOption(
      shaped,
      { ...base, stacking: 'stacked' },
      vizFormats({}, 'UTC'),
      light,
    ) as any
    expect(option.series.map((s: any) => s.stack)).toEqual(['left-line', 'left-line', 'right-line'])
  })
})
