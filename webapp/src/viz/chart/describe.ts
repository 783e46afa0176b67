/**
 * The accessible description of a chart, read by screen readers in place of the canvas: the kind, how many series
 * (named when few), what it shows and the x range, e.g. "Stacked area chart of 3 series (Gauteng, Limpopo, Other),
 * outages per province, from 1 Nov 2026 to 30 Nov 2026".
 */
import type { VizFormats } from '../format'
import type { SeriesConfig, ShapedSeriesData, VizKind } from '../types'

const KIND_WORDS: Record<string, string> = {
  line: 'Line chart',
  area: 'Area chart',
  bar: 'Bar chart',
}
const NAMED_SERIES = 5

export function describeChart(
  kind: VizKind,
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  formats: VizFormats,
  name?: string,
): string {
  const stacking = config.stacking ?? 'none'
  let words = KIND_WORDS[kind] ?? 'Chart'
  if (kind === 'bar' && config.orientation === 'horizontal')
    words = `Horizontal ${words.toLowerCase()}`
  if (stacking === 'stacked') words = `Stacked ${words.toLowerCase()}`
  if (stacking === 'percent') words = `100 % stacked ${words.toLowerCase()}`
  const names = shaped.series.map((s) => config.series?.[s.key]?.name ?? s.name)
  const count = names.length
  let text = `${words} of ${count} ${count === 1 ? 'series' : 'series'}`
  if (count > 0 && count <= NAMED_SERIES) text += ` (${names.join(', ')})`
  if (name) text += `, ${name}`
  const values = shaped.x.values
  if (values.length > 0) {
    const first = values[0]!
    const last = values[values.length - 1]!
    const show = (v: number | string) =>
      shaped.x.type === 'time' && typeof v === 'number'
        ? formats.withDate('D MMM YYYY')(v)
        : String(v)
    text += values.length === 1 ? `, at ${show(first)}` : `, from ${show(first)} to ${show(last)}`
  } else {
    text += ', no data'
  }
  return text
}
