/**
 * The texts a series chart shows for its points — x labels as the tooltip heads them and each series' values as
 * tooltips and value labels show them (exact text for big numbers) — for tests and the e2e suite (`__viz.texts`).
 */
import { pointText, xTooltipText, type PreparedChart } from './seriesOption'

export interface ChartTexts {
  x: string[]
  series: { key: string; name: string; values: string[] }[]
}

export function chartTexts(chart: PreparedChart): ChartTexts {
  return {
    x: chart.shaped.x.values.map((_, i) => xTooltipText(chart, i)),
    series: chart.series.map((s) => ({
      key: s.source.key,
      name: s.name,
      values: s.raw.map((_, i) => pointText(chart, s, i)),
    })),
  }
}
