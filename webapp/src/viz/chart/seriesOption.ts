/**
 * The parts every series chart (line, area, bar) shares when its ECharts option is built: the series' values after
 * stacking and the missing-value mode, axes, legend, reference lines, tooltips that show exact values and (on sampled
 * time axes) the bucket each point stands for. Pure: the same shaped data and config always give the same option.
 * Each kind's `options.ts` supplies how one series is drawn.
 */
import type { EChartsOption, LineSeriesOption, BarSeriesOption } from 'echarts'

import type { VizFormats } from '../format'
import type {
  Axis,
  AxisConfig,
  MissingMode,
  SeriesConfig,
  ShapedSeries,
  ShapedSeriesData,
} from '../types'
import type { VizTheme } from './theme'

export type ChartSeries = LineSeriesOption | BarSeriesOption

/** One series as the option builders see it: display name and colour resolved, values ready to draw. */
export interface PreparedSeries {
  source: ShapedSeries
  index: number
  name: string
  color: string
  /** The values drawn: stacked nulls as 0, percent stacks as shares of 100, `zero` nulls as 0. */
  values: (number | null)[]
  /** The values as shaped (null = missing), for tooltips and labels. */
  raw: (number | null)[]
  missing: MissingMode
  /** The ECharts stack group, or undefined when not stacked. */
  stack: string | undefined
  axisIndex: 0 | 1
}

export interface PreparedChart {
  shaped: ShapedSeriesData
  config: SeriesConfig
  formats: VizFormats
  theme: VizTheme
  series: PreparedSeries[]
  stacking: 'none' | 'stacked' | 'percent'
  /** Whether a right (second) value axis exists. */
  rightAxis: boolean
  /** Category axis on the vertical side (horizontal bars). */
  horizontal: boolean
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text put into tooltip HTML: series names and categories come from the data. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!)
}

function missingMode(config: SeriesConfig, series: ShapedSeries): MissingMode {
  return config.y.find((y) => y.column === series.column)?.missing ?? config.missing ?? 'gap'
}

/**
 * Resolves names and colours (config overrides over the shaper's, then the palette) and applies stacking and missing
 * values. Stacks count a missing value as 0 — for the stack only: `raw` keeps the null, so tooltips say it is missing.
 */
export function prepareSeries(
  shaped: ShapedSeriesData,
  config: SeriesConfig,
  formats: VizFormats,
  theme: VizTheme,
  options: { horizontal?: boolean; defaultStacking?: 'none' | 'stacked' | 'percent' } = {},
): PreparedChart {
  const stacking = config.stacking ?? options.defaultStacking ?? 'none'
  const stacked = stacking !== 'none'
  let paletteIndex = 0
  const series: PreparedSeries[] = shaped.series.map((s, index) => {
    const override = config.series?.[s.key]
    const yColumn = config.y.find((y) => y.column === s.column)
    const color = s.other
      ? (override?.color ?? theme.other)
      : (override?.color ??
        s.color ??
        yColumn?.color ??
        theme.palette[paletteIndex++ % theme.palette.length]!)
    const missing = missingMode(config, s)
    const axisIndex: 0 | 1 = s.axis === 'right' ? 1 : 0
    const values = s.values.map((v) => (v === null && (stacked || missing === 'zero') ? 0 : v))
    return {
      source: s,
      index,
      name: override?.name ?? s.name,
      color,
      values,
      raw: s.values,
      missing,
      stack: stacked ? `${s.axis}-${s.render}` : undefined,
      axisIndex,
    }
  })
  if (stacking === 'percent') toPercent(series)
  return {
    shaped,
    config,
    formats,
    theme,
    series,
    stacking,
    rightAxis:
      series.some((s) => s.axisIndex === 1) ||
      (config.referenceLines ?? []).some((r) => r.axis === 'right'),
    horizontal: options.horizontal ?? false,
  }
}

/** Each stack's values as shares of that x's stack total of |value| (a total of 0 gives 0 everywhere). */
function toPercent(series: PreparedSeries[]): void {
  const groups = new Map<string, PreparedSeries[]>()
  for (const s of series) {
    if (!s.stack) continue
    const group = groups.get(s.stack) ?? []
    group.push(s)
    groups.set(s.stack, group)
  }
  for (const group of groups.values()) {
    const length = Math.max(...group.map((s) => s.values.length))
    for (let i = 0; i < length; i++) {
      const total = group.reduce((sum, s) => sum + Math.abs(s.values[i] ?? 0), 0)
      for (const s of group) {
        const v = s.values[i] ?? 0
        s.values[i] = total === 0 ? 0 : round((v / total) * 100)
      }
    }
  }
}

/** Shares rounded to 1e-9, so goldens do not depend on the last bit of a division. */
function round(value: number): number {
  return Math.round(value * 1e9) / 1e9
}

/** The data array of one series: [x, y] pairs on a time axis, values in category order otherwise. */
export function seriesData(chart: PreparedChart, s: PreparedSeries): unknown[] {
  const x = chart.shaped.x
  if (x.type === 'time')
    return s.values.map((v, i) => (chart.horizontal ? [v, x.values[i]] : [x.values[i], v]))
  return [...s.values]
}

// ---------------------------------------------------------------------------------------------- axes

function axisConfig(config: SeriesConfig, axis: Axis): AxisConfig {
  return config.axes?.[axis] ?? {}
}

function withUnit(text: string, unit: string | undefined): string {
  return unit ? `${text} ${unit}` : text
}

function valueAxis(chart: PreparedChart, axis: Axis): Record<string, unknown> {
  const { theme, formats } = chart
  const cfg = axisConfig(chart.config, axis)
  const percent = chart.stacking === 'percent'
  const log = cfg.scale === 'log' && !percent
  return {
    type: log ? 'log' : 'value',
    ...(log ? { logBase: 10 } : {}),
    name: cfg.label ?? '',
    nameLocation: 'middle',
    nameGap: 48,
    nameTextStyle: { color: theme.muted },
    min: percent ? 0 : (cfg.min ?? undefined),
    max: percent ? 100 : (cfg.max ?? undefined),
    position: chart.horizontal ? (axis === 'right' ? 'top' : 'bottom') : axis,
    axisLabel: {
      color: theme.muted,
      hideOverlap: true,
      formatter: percent
        ? (v: number) => `${v} %`
        : (v: number) => withUnit(formats.number(v), cfg.unit),
    },
    axisLine: { show: false, lineStyle: { color: theme.border } },
    splitLine: { show: axis === 'left', lineStyle: { color: theme.border } },
  }
}

/** The x axis label of a time value: the config's date format, or a short one chosen by the span when `auto`. */
export function timeAxisLabel(chart: PreparedChart): (value: number) => string {
  const { formats } = chart
  if (formats.dateFormat !== 'auto') return (v) => formats.date(v)
  const values = chart.shaped.x.values as number[]
  const span = values.length > 1 ? Math.abs(values[values.length - 1]! - values[0]!) : 0
  const day = 86_400_000
  return (v) => {
    const date = formatDateIn(chart, v, span > 400 * day ? 'MMM YYYY' : 'D MMM')
    const time = formatDateIn(chart, v, 'HH:mm')
    if (span <= day) return time === '00:00' ? `${time}\n${date}` : time
    return time === '00:00' || span > 60 * day ? date : `${date} ${time}`
  }
}

function formatDateIn(chart: PreparedChart, ms: number, pattern: string): string {
  return chart.formats.withDate(pattern)(ms)
}

function categoryAxis(chart: PreparedChart, kind: 'line' | 'bar'): Record<string, unknown> {
  const { theme, shaped } = chart
  const time = shaped.x.type === 'time'
  return {
    type: time ? 'time' : 'category',
    ...(time ? {} : { data: shaped.x.values.map(String) }),
    boundaryGap: kind === 'bar' ? true : false,
    ...(chart.horizontal && !time ? { inverse: true } : {}),
    axisLabel: {
      color: theme.muted,
      hideOverlap: true,
      ...(time ? { formatter: timeAxisLabel(chart) } : { overflow: 'truncate', width: 120 }),
    },
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
  }
}

// ---------------------------------------------------------------------------------------------- tooltip

/** The x text a tooltip heads with: the category, the date, or on a sampled axis the bucket it stands for. */
export function xTooltipText(chart: PreparedChart, index: number): string {
  const { x } = chart.shaped
  const value = x.values[index]
  if (value === undefined) return ''
  if (x.type !== 'time' || typeof value !== 'number') return String(value)
  const { formats } = chart
  if (!chart.shaped.meta.sampled || !x.bucketMs) return formats.date(value)
  const first = x.values[0] as number
  const start = first + Math.floor((value - first) / x.bucketMs) * x.bucketMs
  const pattern =
    x.bucketMs % 86_400_000 === 0
      ? 'YYYY-MM-DD'
      : x.bucketMs % 1000 === 0
        ? 'YYYY-MM-DD HH:mm:ss'
        : 'YYYY-MM-DD HH:mm:ss.SSS'
  const fmt = formats.withDate(pattern)
  return `${fmt(start)} – ${fmt(start + x.bucketMs)} (sampled: min and max of the bucket)`
}

/** One series' value at an index for tooltips and labels: exact text when there is one, the share when percent. */
export function pointText(chart: PreparedChart, s: PreparedSeries, index: number): string {
  const raw = s.raw[index] ?? null
  const text =
    raw === null
      ? chart.formats.nullText
      : chart.formats.precise(raw, s.source.exact?.[String(index)])
  if (chart.stacking === 'percent' && raw !== null)
    return `${chart.formats.number(s.values[index] ?? 0)} % (${text})`
  return text
}

interface TooltipParam {
  seriesIndex?: number
  dataIndex?: number
  marker?: string | object
}

function tooltip(chart: PreparedChart, axisPointer: 'line' | 'shadow'): Record<string, unknown> {
  const { theme } = chart
  return {
    trigger: 'axis',
    confine: true,
    axisPointer: { type: axisPointer },
    backgroundColor: theme.surface,
    borderColor: theme.border,
    textStyle: { color: theme.text },
    formatter: (params: TooltipParam | TooltipParam[]) => {
      const list = (Array.isArray(params) ? params : [params]).filter(
        (p) => p.seriesIndex !== undefined && p.seriesIndex < chart.series.length,
      )
      if (list.length === 0) return ''
      const index = list[0]!.dataIndex ?? 0
      const rows = list.map((p) => {
        const s = chart.series[p.seriesIndex!]!
        const marker = typeof p.marker === 'string' ? p.marker : ''
        return `${marker}${escapeHtml(s.name)}: <b>${escapeHtml(pointText(chart, s, p.dataIndex ?? index))}</b>`
      })
      return `<div>${escapeHtml(xTooltipText(chart, index))}</div>${rows.join('<br/>')}`
    },
  }
}

// ---------------------------------------------------------------------------------------------- legend, reference lines

function legend(chart: PreparedChart): Record<string, unknown> {
  const position = chart.config.legend ?? 'bottom'
  const common = {
    type: 'scroll',
    data: chart.series.map((s) => s.name),
    textStyle: { color: chart.theme.text },
    pageTextStyle: { color: chart.theme.muted },
  }
  switch (position) {
    case 'none':
      return { show: false }
    case 'top':
      return { ...common, top: 0, left: 'center' }
    case 'left':
      return { ...common, left: 0, top: 'middle', orient: 'vertical' }
    case 'right':
      return { ...common, right: 0, top: 'middle', orient: 'vertical' }
    default:
      return { ...common, bottom: 0, left: 'center' }
  }
}

function grid(chart: PreparedChart): Record<string, unknown> {
  const position = chart.config.legend ?? 'bottom'
  const withLegend = position !== 'none' && chart.series.length > 0
  return {
    // ECharts 6: the plot shrinks so axis labels and names stay inside these bounds (was `containLabel`).
    outerBoundsMode: 'same',
    outerBoundsContain: 'all',
    top: position === 'top' && withLegend ? 36 : 16,
    bottom: position === 'bottom' && withLegend ? 36 : 8,
    left: position === 'left' && withLegend ? 140 : 8,
    // value labels right of horizontal bars are not axis labels: the bounds do not make room for them
    right:
      (position === 'right' && withLegend ? 140 : 16) +
      (chart.horizontal && chart.config.valueLabels ? 96 : 0),
  }
}

/**
 * Reference lines as ECharts markLines on one silent carrier series per axis (no legend entry, no tooltip), so a line
 * on an axis without series still draws.
 */
function referenceSeries(chart: PreparedChart): ChartSeries[] {
  const lines = chart.config.referenceLines ?? []
  const out: ChartSeries[] = []
  for (const axis of ['left', 'right'] as const) {
    const onAxis = lines.filter((r) => (r.axis ?? 'left') === axis)
    if (onAxis.length === 0) continue
    const axisIndex = axis === 'right' ? 1 : 0
    const unit = axisConfig(chart.config, axis).unit
    out.push({
      type: 'line',
      name: `reference-${axis}`,
      data: [],
      silent: true,
      tooltip: { show: false },
      ...(chart.horizontal ? { xAxisIndex: axisIndex } : { yAxisIndex: axisIndex }),
      markLine: {
        silent: true,
        symbol: ['none', 'none'],
        animation: false,
        data: onAxis.map((r) => ({
          ...(chart.horizontal ? { xAxis: r.value } : { yAxis: r.value }),
          name: r.label ?? '',
          lineStyle: { color: r.color ?? chart.theme.muted, type: 'dashed', width: 1.5 },
          label: {
            color: r.color ?? chart.theme.text,
            position: 'insideEndTop',
            formatter: r.label
              ? `${r.label}: ${withUnit(chart.formats.number(r.value), unit)}`
              : withUnit(chart.formats.number(r.value), unit),
          },
        })),
      },
    } as LineSeriesOption)
  }
  return out
}

// ---------------------------------------------------------------------------------------------- the option

export interface SeriesKindStyle {
  axisPointer: 'line' | 'shadow'
  xAxisKind: 'line' | 'bar'
  /** The ECharts series for one prepared series (name, colour, data and axis are added around it). */
  series(chart: PreparedChart, s: PreparedSeries): ChartSeries
}

export function buildSeriesOption(chart: PreparedChart, style: SeriesKindStyle): EChartsOption {
  const x = categoryAxis(chart, style.xAxisKind)
  const values = [valueAxis(chart, 'left'), ...(chart.rightAxis ? [valueAxis(chart, 'right')] : [])]
  const points = chart.series.reduce((sum, s) => sum + s.values.length, 0)
  const series = chart.series.map((s) => ({
    ...style.series(chart, s),
    name: s.name,
    color: s.color,
    data: seriesData(chart, s),
    ...(chart.horizontal ? { xAxisIndex: s.axisIndex } : { yAxisIndex: s.axisIndex }),
    ...(s.stack ? { stack: s.stack } : {}),
  })) as ChartSeries[]
  return {
    backgroundColor: 'transparent',
    animation: points <= 2000,
    textStyle: { color: chart.theme.text },
    grid: grid(chart),
    legend: legend(chart),
    tooltip: tooltip(chart, style.axisPointer),
    xAxis: chart.horizontal ? values : x,
    yAxis: chart.horizontal ? x : values,
    series: [...series, ...referenceSeries(chart)],
  } as EChartsOption
}
