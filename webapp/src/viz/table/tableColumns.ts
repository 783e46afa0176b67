/**
 * A table config (TableConfig) resolved against a result's columns: which columns show, in what order, with what
 * label, alignment, width, number and date format, conditional colour and link. Pure; ResultsTable renders what this
 * answers, and without a config it answers the result's columns as they are, formatted as the workbench always did.
 */
import type { Cell, ResultColumn } from '@/api/results'
import {
  formatCell,
  isNumericColumn,
  rawCellText,
  type FormatOptions,
  type FormattedCell,
} from '@/components/results/cellFormat'

import { DEFAULT_NULL_DISPLAY, formatDate, formatExact, formatNumber } from '../format'
import type { DateFormat, NumberFormat, TableColumnConfig, TableConfig, Threshold } from '../types'

export interface CellStyle {
  color?: string
  background?: string
}

export interface TableColumnView {
  /** Index of the column in the result's rows. */
  index: number
  column: ResultColumn
  label: string
  numeric: boolean
  align: 'left' | 'center' | 'right'
  /** Fixed width in pixels, or null to fit the content. */
  width: number | null
  format(value: Cell): FormattedCell
  /** Threshold colour of a value, or null. */
  style(value: Cell): CellStyle | null
  /** The link of a row's cell (http/https only), or null. */
  link(row: readonly Cell[]): string | null
  /** A totals cell's text from the exact decimal sum. */
  total(text: string): string
}

/** The band a value falls in: the last whose `from` ≤ value (bands sorted by `from`). */
export function thresholdColor(
  value: number,
  thresholds: readonly Threshold[] | undefined,
): string | null {
  if (!thresholds || thresholds.length === 0 || !Number.isFinite(value)) return null
  let color: string | null = null
  for (const band of [...thresholds].sort((a, b) => a.from - b.from)) {
    if (value >= band.from) color = band.color
  }
  return color
}

/** Black or white, whichever reads better on a #rrggbb background (WCAG relative luminance). */
export function contrastText(background: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background)
  if (!match) return '#000000'
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
  return luminance > 0.179 ? '#000000' : '#ffffff'
}

function isHttp(url: string): boolean {
  try {
    const protocol = new URL(url).protocol
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * A link from a template: `{{column}}` placeholders become that row's URL-encoded values (empty for NULL or an
 * unknown column). Only http and https links are made — a template or value that gives any other scheme
 * (`javascript:`) gives no link.
 */
export function linkFor(
  template: string | null | undefined,
  row: readonly Cell[],
  columns: readonly ResultColumn[],
): string | null {
  if (!template || !isHttp(template.replace(/\{\{[^}]*\}\}/g, 'x'))) return null
  const url = template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
    const index = columns.findIndex((c) => c.name === name)
    if (index < 0) return ''
    const value = row[index] ?? null
    return value === null ? '' : encodeURIComponent(rawCellText(value, columns[index]!))
  })
  return isHttp(url) ? url : null
}

/** A temporal cell as epoch ms and the zone its wall clock is read in (timestamp and date have no zone: UTC). */
function temporalMs(
  value: string,
  column: ResultColumn,
  timeZone: string,
): { ms: number; zone: string } | null {
  if (column.type === 'timestamptz') {
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? null : { ms, zone: timeZone }
  }
  if (column.type === 'timestamp' || column.type === 'date') {
    const iso = column.type === 'date' ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`
    const ms = Date.parse(iso)
    return Number.isNaN(ms) ? null : { ms, zone: 'UTC' }
  }
  return null
}

function numberOf(value: Cell): number | null {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isNaN(n) ? null : n
  }
  return null
}

function view(
  index: number,
  column: ResultColumn,
  columns: readonly ResultColumn[],
  config: TableConfig | undefined,
  colConfig: TableColumnConfig | undefined,
  options: FormatOptions,
): TableColumnView {
  const numeric = isNumericColumn(column)
  const dateFormat: DateFormat | undefined = colConfig?.dateFormat ?? config?.dateFormat
  const nullText = config ? (config.nullDisplay ?? DEFAULT_NULL_DISPLAY) : undefined
  const align =
    colConfig?.align && colConfig.align !== 'auto' ? colConfig.align : numeric ? 'right' : 'left'
  // A visualization's numbers follow its formats (thousands on by default, the column's over the table's); the
  // workbench's table (no config) keeps its own display, with the thousands toggle.
  const effectiveNumber: NumberFormat | undefined = config
    ? { ...config.numberFormat, ...colConfig?.numberFormat }
    : undefined

  function format(value: Cell): FormattedCell {
    if ((value === null || value === undefined) && nullText !== undefined)
      return { text: nullText, kind: 'null' }
    if (numeric && effectiveNumber && (typeof value === 'string' || typeof value === 'number')) {
      const n = numberOf(value)
      if (n !== null) {
        const exact = typeof value === 'string' ? value : undefined
        return {
          text: formatNumber(n, effectiveNumber, exact),
          kind: 'number',
          title: String(value),
        }
      }
    }
    if (dateFormat && dateFormat !== 'auto' && typeof value === 'string') {
      const at = temporalMs(value, column, options.timeZone)
      if (at)
        return { text: formatDate(at.ms, dateFormat, at.zone), kind: 'temporal', title: value }
    }
    return formatCell(value, column, options)
  }

  const thresholds = numeric ? colConfig?.thresholds : undefined
  const background = colConfig?.colorMode === 'background'
  return {
    index,
    column,
    label: colConfig?.label || column.name,
    numeric,
    align,
    width: colConfig?.width ?? null,
    format,
    style(value) {
      const n = numberOf(value)
      const color = n === null ? null : thresholdColor(n, thresholds)
      if (!color) return null
      return background ? { background: color, color: contrastText(color) } : { color }
    },
    link: (row) => linkFor(colConfig?.link, row, columns),
    total(text) {
      if (effectiveNumber && (effectiveNumber.style ?? 'plain') !== 'plain') {
        const n = Number(text)
        if (Number.isFinite(n)) return formatNumber(n, effectiveNumber, text)
      }
      return formatExact(text, {
        thousands: effectiveNumber ? effectiveNumber.thousands : options.thousands,
        decimals: effectiveNumber?.decimals,
      })
    },
  }
}

/** The columns a table shows, in order: the config's listed columns (unless hidden), then the rest in result order. */
export function tableColumns(
  columns: readonly ResultColumn[],
  config: TableConfig | undefined,
  options: FormatOptions,
): TableColumnView[] {
  const listed = config?.columns ?? []
  const byName = new Map(listed.map((c) => [c.column, c]))
  const order: number[] = []
  for (const c of listed) {
    const index = columns.findIndex((col) => col.name === c.column)
    if (index >= 0 && !order.includes(index)) order.push(index)
  }
  columns.forEach((_, index) => {
    if (!order.includes(index)) order.push(index)
  })
  return order
    .filter((index) => byName.get(columns[index]!.name)?.visible !== false)
    .map((index) =>
      view(index, columns[index]!, columns, config, byName.get(columns[index]!.name), options),
    )
}
