/**
 * The ECharts option of a bar chart: vertical or horizontal; grouped (default), stacked or 100 %; value labels with
 * exact text; y columns with `render: 'line'` drawn as lines (combo charts, usually on the right axis).
 */
import type { BarSeriesOption, EChartsOption, LineSeriesOption } from 'echarts'

import {
  buildSeriesOption,
  pointText,
  prepareSeries,
  type PreparedChart,
  type PreparedSeries,
} from '../chart/seriesOption'
import type { VizTheme } from '../chart/theme'
import type { VizFormats } from '../format'
import { lineSeries } from '../line/options'
import type { SeriesConfig, ShapedSeriesData } from '../types'

function valueLabel(chart: PreparedChart, s: PreparedSeries, line: boolean) {
  if (!chart.config.valueLabels) return {}
  const inside = !!s.stack && !line
  return {
    label: {
      show: true,
      position: inside ? 'inside' : line ? 'top' : chart.horizontal ? 'right' : 'top',
      color: inside ? '#ffffff' : chart.theme.text,
      formatter: (p: { dataIndex: number }) =>
        s.raw[p.dataIndex] === null ? '' : pointText(chart, s, p.dataIndex),
    },
    labelLayout: { hideOverlap: true },
  }
}

function barSeries(chart: PreparedChart, s: PreparedSeries): BarSeriesOption | LineSeriesOption {
  if (s.source.render === 'line')
    return { ...lineSeries(chart, s), ...valueLabel(chart, s, true) } as LineSeriesOption
  return {
    type: 'bar',
    barMaxWidth: 48,
    emphasis: { focus: 'series' },
    ...valueLabel(chart, s, false),
  } as BarSeriesOption
}

export function barOption(
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  formats: VizFormats,
  theme: VizTheme,
): EChartsOption {
  const chart = prepareSeries(shaped, config, formats, theme, {
    horizontal: config.orientation === 'horizontal',
  })
  return buildSeriesOption(chart, {
    axisPointer: 'shadow',
    xAxisKind: 'bar',
    series: barSeries,
  })
}
