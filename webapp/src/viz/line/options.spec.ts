import { describe, expect, it } from 'vitest'

import { outagesByProvince, sampledLine } from '@/testing/viz'

import { vizTheme } from '../chart/theme'
import { vizFormats } from '../format'
import type { SeriesConfig } from '../types'
import { lineOption } from './options'

/* eslint-disable @typescript-eslint/no-explicit-any -- ECharts options are read back loosely in assertions */

const light = vizTheme('light')
const utc = vizFormats({}, 'UTC')
const base: SeriesConfig = {
  x: { column: 'day' },
  y: [{ column: 'outages' }],
  seriesBy: 'province',
}

function build(config: Partial<SeriesConfig> = {}, shaped = outagesByProvince()): any {
  return lineOption(shaped, { ...base, ...config }, vizFormats(config, 'UTC'), light)
}

const tooltip = (option: any, params: unknown) => option.tooltip.formatter(params) as string

describe('lineOption', () => {
  it('golden: time axis, one line per series, Other in grey, legend at the bottom', () => {
    expect(build()).toMatchSnapshot()
  })

  it('gap (default) leaves nulls and breaks the line; zero draws 0; connect joins the neighbours', () => {
    const gap = build().series[1]
    expect(gap.data[1]).toEqual([Date.UTC(2026, 10, 2), null])
    expect(gap.connectNulls).toBe(false)
    expect(build({ missing: 'zero' }).series[1].data[1]).toEqual([Date.UTC(2026, 10, 2), 0])
    const connect = build({ missing: 'connect' }).series[1]
    expect(connect.data[1][1]).toBeNull()
    expect(connect.connectNulls).toBe(true)
  })

  it('a y column’s missing mode overrides the chart’s', () => {
    const option = build({ missing: 'connect', y: [{ column: 'outages', missing: 'zero' }] })
    expect(option.series[1].data[1][1]).toBe(0)
    expect(option.series[1].connectNulls).toBe(false)
  })

  it('stacked: a missing value counts as 0 for the stack only — the tooltip still says it is missing', () => {
    const option = build({ stacking: 'stacked', missing: 'gap' })
    expect(option.series.map((s: any) => s.stack)).toEqual(['left-line', 'left-line', 'left-line'])
    expect(option.series[1].data[1]).toEqual([Date.UTC(2026, 10, 2), 0])
    const text = tooltip(option, [
      { seriesIndex: 0, dataIndex: 1, marker: '' },
      { seriesIndex: 1, dataIndex: 1, marker: '' },
    ])
    expect(text).toBe('<div>2026-11-02</div>Gauteng: <b>9</b><br/>Limpopo: <b>—</b>')
  })

  it('step and smooth', () => {
    expect(build({ lineStyle: 'step' }).series[0].step).toBe('end')
    expect(build({ lineStyle: 'smooth' }).series[0].smooth).toBe(true)
    expect(build().series[0].smooth).toBeUndefined()
  })

  it('two y axes: linear/log, min/max, unit and label; series on the right use the second', () => {
    const shaped = outagesByProvince()
    shaped.series[1] = { ...shaped.series[1]!, axis: 'right' }
    const option = build(
      {
        axes: {
          left: { scale: 'log', min: 1, max: 1000, unit: 'outages', label: 'Outages' },
          right: { unit: '%' },
        },
      },
      shaped,
    )
    expect(option.yAxis).toHaveLength(2)
    expect(option.yAxis[0]).toMatchObject({
      type: 'log',
      logBase: 10,
      min: 1,
      max: 1000,
      name: 'Outages',
      position: 'left',
    })
    expect(option.yAxis[1]).toMatchObject({ type: 'value', position: 'right', min: undefined })
    expect(option.yAxis[0].axisLabel.formatter(1500)).toBe('1,500 outages')
    expect(option.yAxis[1].axisLabel.formatter(12)).toBe('12 %')
    expect(option.series.map((s: any) => s.yAxisIndex)).toEqual([0, 1, 0])
  })

  it('reference lines: markLines on a silent carrier series per axis, with label and value', () => {
    const option = build({
      referenceLines: [
        { value: 20, label: 'Alert', color: '#cf222e' },
        { value: 0.5, axis: 'right' },
      ],
    })
    expect(option.yAxis).toHaveLength(2)
    const carriers = option.series.slice(3)
    expect(carriers.map((s: any) => [s.name, s.yAxisIndex, s.data.length, s.silent])).toEqual([
      ['reference-left', 0, 0, true],
      ['reference-right', 1, 0, true],
    ])
    expect(carriers[0].markLine.data[0]).toMatchObject({
      yAxis: 20,
      name: 'Alert',
      lineStyle: { color: '#cf222e' },
      label: { formatter: 'Alert: 20' },
    })
    expect(option.legend.data).toEqual(['Gauteng', 'Limpopo', 'Other'])
  })

  it('legend position, or none', () => {
    expect(build({ legend: 'top' }).legend).toMatchObject({ top: 0 })
    expect(build({ legend: 'right' }).legend).toMatchObject({ right: 0, orient: 'vertical' })
    expect(build({ legend: 'none' }).legend).toEqual({ show: false })
  })

  it('per-series name and colour overrides by series key; y column colour; palette otherwise', () => {
    const option = build({
      series: { Limpopo: { name: 'Limpopo province', color: '#123456' } },
      y: [{ column: 'outages', color: '#abcdef' }],
    })
    expect(option.series.map((s: any) => [s.name, s.color])).toEqual([
      ['Gauteng', '#abcdef'],
      ['Limpopo province', '#123456'],
      ['Other', light.other],
    ])
    const plain = build()
    expect(plain.series[0].color).toBe(light.palette[0])
    expect(plain.series[1].color).toBe(light.palette[1])
  })

  it('tooltips use the exact text of big numbers and the number format otherwise', () => {
    const shaped = outagesByProvince()
    shaped.series[0] = {
      ...shaped.series[0]!,
      values: [12, 9, 2 ** 53],
      exact: { '2': '9007199254740993' },
    }
    const option = lineOption(
      shaped,
      base,
      vizFormats({ numberFormat: { style: 'si' } }, 'UTC'),
      light,
    )
    const text = tooltip(option, [
      { seriesIndex: 0, dataIndex: 2, marker: '' },
      { seriesIndex: 1, dataIndex: 2, marker: '' },
    ])
    expect(text).toContain('Gauteng: <b>9,007,199,254,740,993</b>')
    expect(text).toContain('Limpopo: <b>6</b>')
  })

  it('sampled time axes: the tooltip heads with the bucket the point stands for', () => {
    const option = lineOption(
      sampledLine(),
      { x: { column: 'at' }, y: [{ column: 'load' }] },
      utc,
      light,
    )
    // point 3 sits in the middle of the second bucket (01:00–02:00)
    expect(tooltip(option, [{ seriesIndex: 0, dataIndex: 3, marker: '' }])).toBe(
      '<div>2026-11-01 01:00:00 – 2026-11-01 02:00:00 (sampled: min and max of the bucket)</div>load: <b>8</b>',
    )
  })

  it('names from the data are escaped in tooltips', () => {
    const shaped = outagesByProvince()
    shaped.series[0] = { ...shaped.series[0]!, name: '<img src=x onerror=alert(1)>' }
    const text = tooltip(build({}, shaped), [{ seriesIndex: 0, dataIndex: 0, marker: '' }])
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(text).not.toContain('<img')
  })

  it('time axis labels follow the viewer’s zone', () => {
    const option = lineOption(
      outagesByProvince(),
      base,
      vizFormats({}, 'America/New_York'),
      light,
    ) as any
    // UTC midnight is 19:00 the day before in New York
    expect(option.xAxis.axisLabel.formatter(Date.UTC(2026, 10, 2))).toBe('1 Nov 19:00')
    const dated = lineOption(
      outagesByProvince(),
      { ...base, dateFormat: 'MMM D' },
      vizFormats({ dateFormat: 'MMM D' }, 'UTC'),
      light,
    ) as any
    expect(dated.xAxis.axisLabel.formatter(Date.UTC(2026, 10, 2))).toBe('Nov 2')
  })

  it('dark theme colours', () => {
    const dark = lineOption(outagesByProvince(), base, utc, vizTheme('dark')) as any
    expect(dark.textStyle.color).toBe('#e6edf3')
    expect(dark.tooltip.backgroundColor).toBe('#161b22')
    expect(dark.series[0].color).toBe(vizTheme('dark').palette[0])
  })
})
