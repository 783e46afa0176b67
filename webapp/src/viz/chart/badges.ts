/**
 * The facts a visualization states instead of hiding (shaped `meta`): sampling, series summed into "Other",
 * categories cut, a result cut by a run limit. Each is a visible badge with a test id.
 */
import { formatCount } from '@/lib/format'

import type { ShapeMeta } from '../types'

export interface VizBadge {
  id: 'sampled' | 'series-truncated' | 'categories-truncated' | 'result-truncated'
  text: string
  title: string
}

const REASONS: Record<string, string> = { max_rows: 'row limit', max_bytes: 'size limit' }

export function metaBadges(meta: ShapeMeta | undefined): VizBadge[] {
  if (!meta) return []
  const badges: VizBadge[] = []
  if (meta.sampled)
    badges.push({
      id: 'sampled',
      text: `Sampled: ${formatCount(meta.points, 'en-US')} of ${formatCount(meta.sourceRows, 'en-US')} points`,
      title:
        'More points than the chart has pixels: each bucket keeps its exact minimum and maximum, so no peak or dip is lost.',
    })
  if (meta.seriesTruncated)
    badges.push({
      id: 'series-truncated',
      text: `${formatCount(meta.otherSeries, 'en-US')} series in Other`,
      title: 'The smaller series are summed into one series named "Other" (top N in the config).',
    })
  if (meta.categoriesTruncated)
    badges.push({
      id: 'categories-truncated',
      text: 'Categories cut',
      title:
        'More categories than the chart can show: only the first ones (in sort order) are drawn.',
    })
  if (meta.resultTruncated) {
    const reason = meta.resultTruncatedReason
      ? (REASONS[meta.resultTruncatedReason] ?? meta.resultTruncatedReason)
      : 'a run limit'
    badges.push({
      id: 'result-truncated',
      text: `Result cut by the ${reason}`,
      title: `The stored result was cut by the run's ${reason}: the visualization covers only the ${formatCount(meta.sourceRows, 'en-US')} rows kept.`,
    })
  }
  return badges
}
