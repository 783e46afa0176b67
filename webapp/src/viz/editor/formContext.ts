import type { InjectionKey } from 'vue'

import type { ResultColumn } from '@/api/results'
import { isNumericColumn } from '@/components/results/cellFormat'
import { isTimeColumn } from '@/viz/suggest'

/** What every field of one VizConfigForm shares: the result's columns and whether it may be edited. */
export interface VizFormContext {
  columns: () => readonly ResultColumn[]
  readOnly: () => boolean
}

export const vizFormContext: InjectionKey<VizFormContext> = Symbol('vizFormContext')

/** Fields whose column is a number (y columns, a stat's value, a comparison's target). */
const NUMERIC_PATHS = [/^\/y\/\d+\/column$/, /^\/value\/column$/, /^\/comparisons\/\d+\/column$/]
/** Fields whose column is a time. */
const TEMPORAL_PATHS = [/^\/x\/column$/, /^\/time(\/column)?$/]

/**
 * The columns to offer at a config path, the likely ones first (numeric for y and value, temporal for x and time),
 * each group in result order.
 */
export function columnsFor(path: string, columns: readonly ResultColumn[]): ResultColumn[] {
  const first = NUMERIC_PATHS.some((p) => p.test(path))
    ? isNumericColumn
    : TEMPORAL_PATHS.some((p) => p.test(path))
      ? isTimeColumn
      : null
  if (!first) return [...columns]
  return [...columns.filter(first), ...columns.filter((c) => !first(c))]
}

/** A JSON Pointer child path (`/y` + 0 → `/y/0`), escaping `~` and `/` in keys. */
export function childPath(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`
}
