/** A viz tile's status line in words (DashboardTile.vue). */
import { formatCount, formatDuration, formatRelative } from '@/lib/format'

import type { TileRun } from './tileRuns'

export function tileStatusText(tile: TileRun, now: number): string {
  switch (tile.status) {
    case 'idle':
      return 'Loads when in view'
    case 'queued':
      if (tile.queueAhead === null) return 'Queued'
      return tile.queueAhead === 0
        ? 'Queued · next in line'
        : `Queued · ${formatCount(tile.queueAhead)} ${tile.queueAhead === 1 ? 'run' : 'runs'} ahead`
    case 'running': {
      const parts = ['Running']
      if (tile.since !== null) parts.push(formatDuration(now - tile.since))
      if (tile.rowsSoFar !== null) parts.push(`${formatCount(tile.rowsSoFar)} rows so far`)
      return parts.join(' · ')
    }
    case 'succeeded': {
      const when = formatRelative(tile.finishedAt, now)
      return when === '—' ? 'Updated' : `Updated ${when}`
    }
    case 'failed':
      if (tile.error) return `Failed: ${tile.error}`
      return tile.runStatus === 'cancelled'
        ? 'The run was cancelled'
        : tile.runStatus === 'timed_out'
          ? 'The run timed out'
          : 'The run failed'
    case 'error':
      return tile.error ?? 'This tile cannot run'
  }
}
