import { describe, expect, it } from 'vitest'

import { ordersByDesk, outagesByProvince } from '@/testing/viz'

import { vizTheme } from '../chart/theme'
import { vizFormats } from '../format'
import type { SeriesConfig } from '../types'
import { barOption } from './options'

/* eslint-disable @typescript-eslint/no-explicit-any -- ECharts options are read back loosely in assertions */

const light = vizTheme('light')
const combo: SeriesConfig = {
  x: { column: 'desk', type: 'category' },
  y: [{ column: 'orders' }, { column: 'fill_rate', axis: 'right', render: 'line' }],
}

/** Outages per province as the shaper answers them for a bar chart (every series rendered as bars). */
function outageBars() {
  const shaped = outagesByProvince({ kind: 'bar' })
  shaped.series = shaped.series.map((s) => ({ ...s, render: 'bar' as const }))
  return shaped
}

function build(config: Partial<SeriesConfig> = {}, shaped = ordersByDesk()): any {
  return barOption(shaped, { ...combo, ...config }, vizFormats(config, 'UTC'), light)
}

describe('barOption', () => {
  it('golden: combo of bars (left) and a line (right) over categories', () => {
    expect(build({ valueLabels: true })).toMatchSnapshot()
  })

  it('grouped by default: category axis with the categories, bars without a stack', () => {
    const option = build()
    expect(option.xAxis).toMatchObject({
      type: 'category',
      data: ['FX', 'Rates', 'Equities'],
      boundaryGap: true,
    })
    expect(option.series[0]).toMatchObject({
      type: 'bar',
      data: [2 ** 53, 1200, 830],
      yAxisIndex: 0,
    })
    expect(option.series[0].stack).toBeUndefined()
    expect(option.tooltip.axisPointer.type).toBe('shadow')
  })

  it('combo: render line draws a line series on the right axis', () => {
    const option = build()
    expect(option.series[1]).toMatchObject({
      type: 'line',
      yAxisIndex: 1,
      data: [0.97, 0.91, null],
    })
    expect(option.yAxis).toHaveLength(2)
  })

  it('horizontal: categories on the y axis (top to bottom), values on x', () => {
    const option = build({ orientation: 'horizontal' })
    expect(option.yAxis).toMatchObject({
      type: 'category',
      inverse: true,
      data: ['FX', 'Rates', 'Equities'],
    })
    expect(option.xAxis).toHaveLength(2)
    expect(option.xAxis[0]).toMatchObject({ type: 'value', position: 'bottom' })
    expect(option.series.map((s: any) => s.xAxisIndex)).toEqual([0, 1])
    expect(option.series[0].yAxisIndex).toBeUndefined()
  })

  it('value labels show exact text (2^53 + 1 is not rounded) and nothing for missing values', () => {
    const option = build({ valueLabels: true, orientation: 'horizontal' })
    const bar = option.series[0]
    expect(bar.label).toMatchObject({ show: true, position: 'right' })
    expect(bar.label.formatter({ dataIndex: 0 })).toBe('9,007,199,254,740,993')
    expect(bar.label.formatter({ dataIndex: 1 })).toBe('1,200')
    expect(option.series[1].label.formatter({ dataIndex: 2 })).toBe('')
  })

  it('stacked and 100 % bars; labels inside stacked bars', () => {
    const config: Partial<SeriesConfig> = {
      x: { column: 'day' },
      y: [{ column: 'outages' }],
      seriesBy: 'province',
      valueLabels: true,
    }
    const stacked = build({ ...config, stacking: 'stacked' }, outageBars())
    expect(stacked.series.map((s: any) => s.stack)).toEqual(['left-bar', 'left-bar', 'left-bar'])
    expect(stacked.series[0].label.position).toBe('inside')
    const percent = build({ ...config, stacking: 'percent' }, outageBars())
    expect(percent.series[0].data.map((p: number[]) => p[1])).toEqual([
      75, 81.818181818, 76.923076923,
    ])
    expect(percent.yAxis[0]).toMatchObject({ min: 0, max: 100 })
  })

  it('reference lines on horizontal bars are vertical (xAxis markLines)', () => {
    const option = build({
      orientation: 'horizontal',
      referenceLines: [{ value: 1000, label: 'Target' }],
    })
    const carrier = option.series.find((s: any) => s.name === 'reference-left')
    expect(carrier.xAxisIndex).toBe(0)
    expect(carrier.markLine.data[0]).toMatchObject({
      xAxis: 1000,
      label: { formatter: 'Target: 1,000' },
    })
  })
})
