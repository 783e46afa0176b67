/**
 * How the workbench runs: which SQL without a selection (the statement at the cursor, or the whole text; remembered)
 * and per-run limits. Limits: a row limit and a timeout for this run, within the datasource's maxima (the
 * server checks them again and answers a 400 naming `/options/…` beyond its own). Empty fields mean the defaults:
 * the saved query's run options, else the datasource's.
 */
import { computed, ref, watch, type Ref } from 'vue'

import type { Datasource } from '@/api/datasources'
import type { RunOptions } from '@/api/runs'
import type { RunScope } from '@/components/editor/sqlStatements'
import { formatCount, formatDuration } from '@/lib/format'

/** What the datasource allows and what a run gets without asking. */
export interface RunLimitBounds {
  defaultRows: number
  maxRows: number
  defaultTimeoutMs: number
  maxTimeoutMs: number
}

export function limitBounds(
  datasource: Pick<
    Datasource,
    'defaultMaxRows' | 'maxRowsLimit' | 'defaultTimeoutMs' | 'maxTimeoutMs'
  > | null,
  saved: RunOptions | null | undefined,
): RunLimitBounds | null {
  if (!datasource) return null
  return {
    defaultRows: saved?.maxRows ?? datasource.defaultMaxRows,
    maxRows: datasource.maxRowsLimit,
    defaultTimeoutMs: saved?.timeoutMs ?? datasource.defaultTimeoutMs,
    maxTimeoutMs: datasource.maxTimeoutMs,
  }
}

/** The options to send for these fields (nothing for empty ones), or the sentence saying what is wrong. */
export function checkRunLimits(
  rows: number | null,
  timeoutSeconds: number | null,
  bounds: RunLimitBounds | null,
): { options: RunOptions; problem: string | null } {
  const options: RunOptions = {}
  const problems: string[] = []
  if (rows !== null) {
    if (!Number.isInteger(rows) || rows < 1)
      problems.push('The row limit is a whole number of 1 or more.')
    else if (bounds && rows > bounds.maxRows)
      problems.push(`This datasource allows at most ${formatCount(bounds.maxRows)} rows.`)
    else options.maxRows = rows
  }
  if (timeoutSeconds !== null) {
    const ms = Math.round(timeoutSeconds * 1000)
    if (!Number.isFinite(timeoutSeconds) || ms < 1)
      problems.push('The timeout is more than 0 seconds.')
    else if (bounds && ms > bounds.maxTimeoutMs)
      problems.push(`This datasource allows at most ${formatDuration(bounds.maxTimeoutMs)}.`)
    else options.timeoutMs = ms
  }
  return { options, problem: problems.length > 0 ? problems.join(' ') : null }
}

/** The workbench's limit fields (empty: the defaults), what they send and what is wrong with them. */
export function useRunLimits(
  datasource: Ref<Datasource | null>,
  saved: Ref<RunOptions | null | undefined>,
) {
  const rows = ref<number | null>(null)
  const timeoutSeconds = ref<number | null>(null)
  const bounds = computed(() => limitBounds(datasource.value, saved.value))
  const checked = computed(() => checkRunLimits(rows.value, timeoutSeconds.value, bounds.value))
  return {
    rows,
    timeoutSeconds,
    bounds,
    /** Undefined when nothing was changed, so a saved query's own options apply. */
    options: computed(() =>
      Object.keys(checked.value.options).length > 0 ? checked.value.options : undefined,
    ),
    problem: computed(() => checked.value.problem),
  }
}

const SCOPE_KEY = 'sightline.workbench.runScope'

/** What Run runs without a selection in a text of several statements, remembered in this browser. */
export function useRunScope(): Ref<RunScope> {
  let stored: string | null = null
  try {
    stored = localStorage.getItem(SCOPE_KEY)
  } catch {
    // Storage disabled: the default.
  }
  const scope = ref<RunScope>(stored === 'all' ? 'all' : 'statement')
  watch(scope, (value) => {
    try {
      localStorage.setItem(SCOPE_KEY, value)
    } catch {
      // The choice lasts for this page.
    }
  })
  return scope
}
