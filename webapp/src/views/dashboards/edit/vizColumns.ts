/** The result columns a visualization's config names (x, y, series, value, time, table columns), for click actions. */
import type { SeriesConfig, StatConfig, TableConfig, VizConfig, VizKind } from '@/viz/types'

export function vizColumns(kind: VizKind, config: VizConfig): string[] {
  const out: string[] = []
  if (kind === 'line' || kind === 'area' || kind === 'bar') {
    const c = config as SeriesConfig
    out.push(c.x?.column, c.seriesBy ?? '', ...(c.y ?? []).map((y) => y.column))
  } else if (kind === 'stat') {
    const c = config as StatConfig
    out.push(c.value?.column, c.time?.column ?? '')
  } else {
    out.push(...((config as TableConfig).columns ?? []).map((c) => c.column))
  }
  return [...new Set(out.filter((c): c is string => typeof c === 'string' && c !== ''))]
}
