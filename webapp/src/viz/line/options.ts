/** The ECharts option of a line chart: straight, smooth or stepped lines; gaps, zeros or joins for missing values. */
import type { EChartsOption, LineSeriesOption } from 'echarts'

import {
  buildSeriesOption,
  prepareSeries,
  type PreparedChart,
  type PreparedSeries,
} from '../chart/seriesOption'
import type { VizTheme } from '../chart/theme'
import type { VizFormats } from '../format'
import type { SeriesConfig, ShapedSeriesData } from '../types'

/** Above this many points per series the markers go (the line alone reads better and draws faster). */
const MAX_SYMBOLS = 60

/** One line series; `area` fills below it (area charts). */
export function lineSeries(
  chart: PreparedChart,
  s: PreparedSeries,
  area = false,
): LineSeriesOption {
  const style = chart.config.lineStyle ?? 'straight'
  return {
    type: 'line',
    showSymbol: s.values.length <= MAX_SYMBOLS,
    symbolSize: 5,
    // Stacks count missing values as 0, so only a gap or join is left to decide without one.
    connectNulls: !s.stack && s.missing === 'connect',
    ...(style === 'smooth' ? { smooth: true } : {}),
    ...(style === 'step' ? { step: 'end' as const } : {}),
    lineStyle: { width: 2 },
    emphasis: { focus: 'series' },
    ...(area ? { areaStyle: { opacity: s.stack ? 0.7 : 0.25 } } : {}),
  }
}

export function lineOption(
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  formats: VizFormats,
  theme: VizTheme,
): EChartsOption {
  return buildSeriesOption(prepareSeries(shaped, config, formats, theme), {
    axisPointer: 'line',
    xAxisKind: 'line',
    series: (chart, s) => lineSeries(chart, s),
  })
}
