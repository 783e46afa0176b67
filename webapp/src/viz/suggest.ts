/**
 * A first mapping for a new visualization, guessed from the result's column types and a sample of its rows: a date or
 * timestamp column becomes a time x axis, numeric columns become y, and a text column with few distinct values in the
 * sample becomes the series column (long-format rows such as `day, province, outages`). The user edits from there.
 */
import type { Cell, ColumnType, ResultColumn } from '@/api/results'
import { isNumericColumn } from '@/components/results/cellFormat'

import type { SeriesConfig, StatConfig, TableConfig, VizKind } from './types'

const TIME_TYPES: ReadonlySet<ColumnType> = new Set(['date', 'timestamp', 'timestamptz'])
const LABEL_TYPES: ReadonlySet<ColumnType> = new Set(['text', 'enum', 'uuid', 'boolean'])
/** A text column with at most this many distinct values in the sample is a series column. */
export const MAX_SERIES_VALUES = 12
/** The contract's limit of y columns. */
const MAX_Y = 10

export function isTimeColumn(column: Pick<ResultColumn, 'type'>): boolean {
  return TIME_TYPES.has(column.type)
}

function distinctValues(sample: readonly Cell[][], index: number): number {
  const seen = new Set<string>()
  for (const row of sample) seen.add(JSON.stringify(row[index] ?? null))
  return seen.size
}

/**
 * The text column whose values look like series names: few distinct values (2…12) that repeat in the sample. Without
 * a sample there is no telling, so none.
 */
function seriesColumn(
  columns: readonly ResultColumn[],
  sample: readonly Cell[][] | undefined,
  exclude: string | undefined,
): string | null {
  if (!sample || sample.length < 2) return null
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!
    if (column.name === exclude || !LABEL_TYPES.has(column.type)) continue
    const distinct = distinctValues(sample, i)
    if (distinct >= 2 && distinct <= MAX_SERIES_VALUES && distinct < sample.length)
      return column.name
  }
  return null
}

/** Line, area and bar: x from a time column (else the first label column, as categories), numeric columns as y. */
export function suggestSeries(
  kind: 'line' | 'area' | 'bar',
  columns: readonly ResultColumn[],
  sample?: readonly Cell[][],
): SeriesConfig {
  const time = columns.find(isTimeColumn)
  const label = columns.find((c) => LABEL_TYPES.has(c.type))
  const xColumn = time ?? label ?? columns.find((c) => !isNumericColumn(c)) ?? columns[0]
  const seriesBy = time
    ? seriesColumn(columns, sample, xColumn?.name)
    : label
      ? seriesColumn(columns, sample, xColumn?.name)
      : null
  const y = columns
    .filter((c) => isNumericColumn(c) && c.name !== xColumn?.name)
    .slice(0, seriesBy ? 1 : MAX_Y)
    .map((c) => ({ column: c.name }))
  const config: SeriesConfig = {
    x: {
      column: xColumn?.name ?? '',
      type: xColumn && isTimeColumn(xColumn) ? 'time' : 'category',
    },
    y,
  }
  if (seriesBy) config.seriesBy = seriesBy
  if (kind === 'area' && (seriesBy || y.length > 1)) config.stacking = 'stacked'
  return config
}

/** Stat: the last numeric column, its last value; a time column when there is one (for the sparkline). */
export function suggestStat(columns: readonly ResultColumn[]): StatConfig {
  const numeric = columns.filter(isNumericColumn)
  const value = numeric[numeric.length - 1] ?? columns[columns.length - 1]
  const time = columns.find(isTimeColumn)
  const config: StatConfig = { value: { column: value?.name ?? '', reducer: 'last' } }
  if (time) {
    config.time = { column: time.name }
    config.sparkline = true
  }
  return config
}

/** Table: every column, in result order. */
export function suggestTable(columns: readonly ResultColumn[]): TableConfig {
  return { columns: columns.map((c) => ({ column: c.name })) }
}

export function suggest(
  kind: VizKind,
  columns: readonly ResultColumn[],
  sample?: readonly Cell[][],
): SeriesConfig | StatConfig | TableConfig {
  if (kind === 'stat') return suggestStat(columns)
  if (kind === 'table') return suggestTable(columns)
  return suggestSeries(kind, columns, sample)
}
