/**
 * The words of a stat (KPI): the value with prefix, suffix and unit; each comparison as a signed delta (absolute, in
 * the value's format, or a percentage) with an arrow and its tone; the accessible summary.
 */
import { formatNumber, type VizFormats } from '../format'
import type { ShapedComparison, ShapedStat, StatConfig } from '../types'

export function statValueText(shaped: ShapedStat, config: StatConfig, formats: VizFormats): string {
  if (shaped.value === null) return formats.nullText
  const number = formats.number(shaped.value, shaped.exact)
  return `${config.prefix ?? ''}${number}${config.suffix ?? ''}`
}

export interface ComparisonText {
  /** ▲ up, ▼ down, ● no change or none. */
  arrow: '▲' | '▼' | '●'
  delta: string
  label: string
  tone: ShapedComparison['tone']
  /** For a title: what was compared with. */
  base: string
}

const DEFAULT_LABELS: Record<ShapedComparison['against'], string> = {
  'previous-row': 'vs previous',
  'previous-period': 'vs previous period',
  column: 'vs target',
  fixed: 'vs target',
}

export function comparisonText(
  c: ShapedComparison,
  formats: VizFormats,
  unit?: string,
): ComparisonText {
  const label = c.label || DEFAULT_LABELS[c.against]
  const base =
    c.base === null
      ? 'nothing to compare with'
      : `${formats.number(c.base)}${unit ? ` ${unit}` : ''}`
  if (c.delta === null) return { arrow: '●', delta: '—', label, tone: 'neutral', base }
  const arrow = c.delta > 0 ? '▲' : c.delta < 0 ? '▼' : '●'
  const sign = c.delta > 0 ? '+' : c.delta < 0 ? '−' : '±'
  const magnitude = Math.abs(c.delta)
  const delta =
    c.display === 'percent'
      ? formatNumber(magnitude, { style: 'percent', decimals: magnitude < 0.1 ? 1 : 0 })
      : `${formats.number(magnitude)}${unit ? ` ${unit}` : ''}`
  return { arrow, delta: `${sign}${delta}`, label, tone: c.tone, base }
}

export function describeStat(
  shaped: ShapedStat,
  config: StatConfig,
  formats: VizFormats,
  name?: string,
): string {
  const value = statValueText(shaped, config, formats)
  const parts = [`${name ? `${name}: ` : ''}${value}${config.unit ? ` ${config.unit}` : ''}`]
  for (const c of shaped.comparisons) {
    const t = comparisonText(c, formats, config.unit)
    parts.push(`${t.delta} ${t.label} (${t.tone})`)
  }
  return parts.join(', ')
}
