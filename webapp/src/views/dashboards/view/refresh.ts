/** The dashboard refresh interval: its choices, and how it travels in the URL (`refresh=<seconds>` or `refresh=off`). */
import type { LocationQuery } from 'vue-router'

import { REFRESH_SECONDS } from '@/api/dashboards'

export interface RefreshChoice {
  seconds: number | null
  label: string
}

const LABELS: Record<number, string> = {
  10: '10 s',
  30: '30 s',
  60: '1 min',
  300: '5 min',
  900: '15 min',
  3600: '1 h',
  86400: '1 d',
}

export const REFRESH_CHOICES: readonly RefreshChoice[] = [
  { seconds: null, label: 'Off' },
  ...REFRESH_SECONDS.map((seconds) => ({ seconds, label: LABELS[seconds] ?? `${seconds} s` })),
]

/** The interval in the URL (a listed one, or `off` → null), else the dashboard's own. */
export function refreshFromQuery(query: LocationQuery, fallback: number | null): number | null {
  const raw = Array.isArray(query.refresh) ? query.refresh[0] : query.refresh
  if (raw === undefined || raw === null || raw === '') return fallback
  if (raw === 'off' || raw === '0') return null
  const seconds = Number(raw)
  return (REFRESH_SECONDS as readonly number[]).includes(seconds) ? seconds : fallback
}

/** The `refresh` query entry for an interval: absent when it is the dashboard's own. */
export function refreshToQuery(seconds: number | null, own: number | null): string | undefined {
  if (seconds === own) return undefined
  return seconds === null ? 'off' : String(seconds)
}

export function refreshLabel(seconds: number | null): string {
  return seconds === null ? 'Off' : (LABELS[seconds] ?? `${seconds} s`)
}
