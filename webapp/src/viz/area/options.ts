/** The ECharts option of an area chart: line series filled below, stacked or 100 % when the config says so. */
import type { EChartsOption } from 'echarts'

import { buildSeriesOption, prepareSeries } from '../chart/seriesOption'
import type { VizTheme } from '../chart/theme'
import type { VizFormats } from '../format'
import { lineSeries } from '../line/options'
import type { SeriesConfig, ShapedSeriesData } from '../types'

export function areaOption(
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  formats: VizFormats,
  theme: VizTheme,
): EChartsOption {
  return buildSeriesOption(prepareSeries(shaped, config, formats, theme), {
    axisPointer: 'line',
    xAxisKind: 'line',
    series: (chart, s) => lineSeries(chart, s, true),
  })
}
