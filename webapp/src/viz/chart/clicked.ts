/**
 * What a click on a series chart's mark (a bar, a point) says about the data: the x value of the mark and, with
 * seriesBy, the series value — the only columns a chart knows for it. Used by click-to-filter on dashboards.
 */
import type { Cell } from '@/api/results'

import type { SeriesConfig, ShapedSeriesData } from '../types'

/** The parts of an ECharts click event used here. */
export interface ChartClick {
  componentType?: string
  seriesIndex?: number
  dataIndex?: number
}

/**
 * Column → value of the clicked mark: the x column (time axes as ISO-8601 instants, categories as their text) and
 * the seriesBy column (not for the "Other" series). Null when the click was not on a data mark.
 */
export function clickedValues(
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  click: ChartClick,
): Record<string, Cell> | null {
  if (click.componentType !== 'series' || click.dataIndex === undefined) return null
  const x = shaped.x.values[click.dataIndex]
  if (x === undefined) return null
  const values: Record<string, Cell> = {
    [shaped.x.column]: shaped.x.type === 'time' ? new Date(Number(x)).toISOString() : String(x),
  }
  const series = click.seriesIndex === undefined ? undefined : shaped.series[click.seriesIndex]
  if (config.seriesBy && series && !series.other) {
    const suffix = ` · ${series.column}`
    values[config.seriesBy] =
      config.y.length > 1 && series.key.endsWith(suffix)
        ? series.key.slice(0, -suffix.length)
        : series.key
  }
  return values
}
