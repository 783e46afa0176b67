/** The ECharts option of a stat's sparkline: a bare line (no axes, legend or grid lines) with an exact tooltip. */
import type { EChartsOption } from 'echarts'

import type { VizTheme } from '../chart/theme'
import type { VizFormats } from '../format'
import type { ShapedStat } from '../types'

export function sparklineOption(
  sparkline: NonNullable<ShapedStat['sparkline']>,
  formats: VizFormats,
  theme: VizTheme,
  color: string | null,
): EChartsOption {
  const line = color ?? theme.palette[0]!
  return {
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 2 },
    xAxis: { type: 'time', show: false },
    yAxis: { type: 'value', show: false, scale: true },
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as
          { dataIndex?: number } | undefined
        const i = first?.dataIndex ?? 0
        return `${formats.date(sparkline.x[i])}: <b>${formats.number(sparkline.values[i] ?? null)}</b>`
      },
    },
    series: [
      {
        type: 'line',
        data: sparkline.x.map((x, i) => [x, sparkline.values[i] ?? null]),
        showSymbol: false,
        lineStyle: { width: 1.5, color: line },
        areaStyle: { color: line, opacity: 0.12 },
        color: line,
      },
    ],
  }
}
