/**
 * The visualization contract shared by the API (JSON Schemas in api-verticles, one per kind, served in the OpenAPI
 * document), the server-side shaper (`POST /api/v1/results/{id}/series`) and the web app. docs/visualizations.md says
 * what every field means. Every object is closed (unknown fields are a 400); optional fields take the defaults named.
 */

export type VizKind = 'line' | 'area' | 'bar' | 'stat' | 'table'

/** Number display shared by every kind. Values beyond ±2^53 are shown from their exact text. */
export interface NumberFormat {
  /** plain 1,234.5 · percent 12.3 % (value × 100) · currency $1,234.50 · si 42.1K. Default plain. */
  style?: 'plain' | 'percent' | 'currency' | 'si'
  /** Fixed decimals 0–10; null/absent = as many as the value needs (up to 6 for non-integers). */
  decimals?: number | null
  /** Thousands separators, default true. */
  thousands?: boolean
  /** ISO 4217 code for style currency, default USD. */
  currency?: string
}

/** Dates in the viewer's time zone: a preset or a token pattern (YYYY YY MMMM MMM MM DD D HH H mm ss SSS ddd Z). */
export type DateFormat =
  'auto' | 'date' | 'datetime' | 'datetime-seconds' | 'time' | 'month' | 'year' | string

/** Shared by every kind. */
export interface CommonConfig {
  numberFormat?: NumberFormat
  /** Default 'auto'. */
  dateFormat?: DateFormat
  /** Shown for SQL NULL, default '—'. */
  nullDisplay?: string
}

export type Aggregate = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'first' | 'last'
export type Axis = 'left' | 'right'

export interface AxisConfig {
  /** Default linear. Log axes skip values ≤ 0 (counted in meta.nulls). */
  scale?: 'linear' | 'log'
  min?: number | null
  max?: number | null
  unit?: string
  label?: string
}

/** One y column. With seriesBy, each y column yields one series per distinct series value. */
export interface YColumn {
  column: string
  /** How rows with the same x (and series value) combine; default sum. */
  aggregate?: Aggregate
  /** Default left. */
  axis?: Axis
  /** Bar charts only: 'line' draws this column as a line (combo chart); default = the chart's own kind. */
  render?: 'bar' | 'line'
  /** Display name; default the column name. */
  name?: string
  /** #rrggbb; default from the palette. */
  color?: string
  /** Overrides the chart's missing-value mode for this column's series. */
  missing?: MissingMode
}

/** gap: a break in the line · zero: drawn as 0 · connect: the line joins the neighbours. Stacks always count a missing value as 0. */
export type MissingMode = 'gap' | 'zero' | 'connect'

export interface ReferenceLine {
  value: number
  label?: string
  axis?: Axis
  color?: string
}

/** Per-series display overrides, keyed by the series key the shaper answers (series.key). */
export interface SeriesOverride {
  name?: string
  color?: string
}

/** Line, area and bar. */
export interface SeriesConfig extends CommonConfig {
  x: {
    column: string
    /** time (a time axis, epoch ms) or category; default from the column type (date/timestamp → time). */
    type?: 'time' | 'category'
  }
  /** 1–10 y columns. */
  y: YColumn[]
  /** A column whose distinct values become series (long → wide pivot); null/absent = none. */
  seriesBy?: string | null
  /** Series beyond this many (by total of |values|, descending) are summed into one "Other" series; 1–100, default 20. */
  topN?: number
  /** Default none (bar: grouped). */
  stacking?: 'none' | 'stacked' | 'percent'
  /** Default gap. */
  missing?: MissingMode
  /** Line/area only; default straight. */
  lineStyle?: 'straight' | 'smooth' | 'step'
  axes?: { left?: AxisConfig; right?: AxisConfig }
  referenceLines?: ReferenceLine[]
  /** Default bottom. */
  legend?: 'top' | 'bottom' | 'left' | 'right' | 'none'
  series?: Record<string, SeriesOverride>
  /** Bar only: default vertical. */
  orientation?: 'vertical' | 'horizontal'
  /** Bar only, category x: order of categories; default none (result order). */
  sort?: 'none' | 'value-asc' | 'value-desc' | 'label-asc' | 'label-desc'
  /** Bar only: value labels on the bars; default false. */
  valueLabels?: boolean
}

export type LineConfig = SeriesConfig
export type AreaConfig = SeriesConfig
export type BarConfig = SeriesConfig

export type Reducer = 'last' | 'first' | 'min' | 'max' | 'sum' | 'avg' | 'count'

export interface StatComparison {
  /**
   * previous-row: the value one row (or, with a time column, one time point) before the last ·
   * previous-period: the reducer over the period before the current one (needs time.column and period) ·
   * column: the reducer over another column (a target) · fixed: a constant.
   */
  against: 'previous-row' | 'previous-period' | 'column' | 'fixed'
  column?: string
  value?: number
  /** Default percent. */
  display?: 'absolute' | 'percent'
  /** Which direction is good (green) — default higher. */
  better?: 'higher' | 'lower'
  label?: string
}

export interface Threshold {
  /** The band starts at this value (inclusive); bands are ordered by `from`, ascending. */
  from: number
  /** #rrggbb */
  color: string
}

export interface StatConfig extends CommonConfig {
  value: { column: string; reducer?: Reducer }
  /** Time column for the sparkline, for ordering and for previous-period; optional. */
  time?: { column: string } | null
  /** With a time column: the value is the reducer over the last `period` seconds of data (ending at the latest time), and previous-period compares with the `period` before it. */
  periodSeconds?: number | null
  prefix?: string
  suffix?: string
  unit?: string
  /** At most 3. */
  comparisons?: StatComparison[]
  /** Ordered colour bands; the value's colour is the last band whose `from` ≤ value. */
  thresholds?: Threshold[]
  /** Sparkline from the time column; default true when a time column is set. */
  sparkline?: boolean
}

export interface TableColumnConfig {
  column: string
  label?: string
  /** Default true. */
  visible?: boolean
  /** Default auto (numbers right, the rest left). */
  align?: 'auto' | 'left' | 'center' | 'right'
  /** Pixels 40–1000. */
  width?: number | null
  numberFormat?: NumberFormat
  dateFormat?: DateFormat
  /** Numeric columns: colour bands by value. */
  thresholds?: Threshold[]
  /** Default text. */
  colorMode?: 'text' | 'background'
  /** http(s) URL template; {{column}} placeholders are replaced by URL-encoded values of that row. */
  link?: string | null
}

export interface TableConfig extends CommonConfig {
  /** Order of the listed columns; result columns not listed follow, visible, in result order. */
  columns?: TableColumnConfig[]
  /** A totals row summing numeric columns (computed server-side over every row); default false. */
  totals?: boolean
}

export type VizConfig = SeriesConfig | StatConfig | TableConfig

/** `GET /api/v1/visualizations/{id}` and list items. */
export interface Visualization {
  id: string
  queryId: string
  name: string
  kind: VizKind
  config: VizConfig
  version: number
  createdBy: string | null
  updatedBy: string | null
  createdAt: string
  updatedAt: string
}

// ---------------------------------------------------------------------------------------------- shaped data

/** Facts a chart must show (as a badge) rather than hide. */
export interface ShapeMeta {
  /** Rows of the stored result that were read. */
  sourceRows: number
  /** Points answered, summed over series. */
  points: number
  /** True when the time x axis had more than 2 × width distinct values: the x range was cut into `width` buckets and
   * each series keeps its exact min and max of every bucket (two points per bucket, in the order they occur). */
  sampled: boolean
  /** True when seriesBy produced more than topN series and the rest went into "Other". */
  seriesTruncated: boolean
  /** How many series went into "Other" (0 when none). */
  otherSeries: number
  /** Rows whose y (or x) was null or not a number: kept as gaps/zero per the missing mode, counted here. */
  nulls: number
  /** The stored result itself was cut by a run limit (max_rows / max_bytes): the chart covers only what was kept. */
  resultTruncated: boolean
  resultTruncatedReason: string | null
  /** Category x only: more distinct categories than 2 × width; only the first were kept (in sort order). */
  categoriesTruncated: boolean
}

/** One series: values aligned with `x.values` (null = missing). */
export interface ShapedSeries {
  /** Stable key: the y column, or "<seriesBy value> · <y column>" (just the series value when there is one y column); "Other" for the rest. */
  key: string
  /** Display name after overrides. */
  name: string
  column: string
  axis: Axis
  render: 'line' | 'bar'
  values: (number | null)[]
  /** Exact text of values beyond ±2^53 or decimals that a double cannot hold, by index into values. */
  exact?: Record<string, string>
  /** Sum of the series' values (for ordering, legends). */
  total: number
  other?: boolean
  color?: string
}

export interface ShapedSeriesData {
  kind: 'line' | 'area' | 'bar'
  x: {
    column: string
    type: 'time' | 'category'
    /** time: epoch milliseconds; category: the text of each category. */
    values: (number | string)[]
    /** Sampled time axes: bucket i spans [start, start + bucketMs); its two points sit at start and start + bucketMs / 2
     * and each stands for "somewhere in this bucket" (tooltips show the bucket's range). */
    bucketMs?: number
  }
  series: ShapedSeries[]
  meta: ShapeMeta
}

export interface ShapedComparison {
  against: StatComparison['against']
  label: string
  /** The value compared with (null when there is none, e.g. a single row). */
  base: number | null
  /** value − base, or (value − base) / |base| for percent (null when base is 0 or null). */
  delta: number | null
  display: 'absolute' | 'percent'
  /** good | bad | neutral by `better`. */
  tone: 'good' | 'bad' | 'neutral'
}

export interface ShapedStat {
  kind: 'stat'
  value: number | null
  /** Exact text when the value is beyond ±2^53 or an exact decimal. */
  exact?: string
  /** The threshold band's colour, or null. */
  color: string | null
  comparisons: ShapedComparison[]
  /** Present with a time column: epoch ms and values, downsampled like a line. */
  sparkline?: { x: number[]; values: (number | null)[] }
  /** Time of the last point (epoch ms), when there is a time column. */
  latestAt?: number | null
  meta: ShapeMeta
}

export interface ShapedTable {
  kind: 'table'
  /** Exact decimal text of the sum of every numeric column, over every row (present when totals is on). */
  totals?: Record<string, string>
  meta: ShapeMeta
}

export type Shaped = ShapedSeriesData | ShapedStat | ShapedTable
