/**
 * A run's stored timeline as shown: progress samples (one every 500 ms while running) would bury the
 * events that matter, so each unbroken stretch of them within an attempt becomes one entry that
 * counts them and shows the last.
 */
import type { RunTimelineEvent } from '@/api/runs'

export interface TimelineEntry {
  /** The event shown: for collapsed progress, the last sample. */
  event: RunTimelineEvent
  /** How many events the entry stands for (1 except for collapsed progress). */
  count: number
  /** For collapsed progress, the first sample. */
  first: RunTimelineEvent
}

export function timelineEntries(events: readonly RunTimelineEvent[]): TimelineEntry[] {
  const ordered = [...events].sort((a, b) => a.id - b.id)
  const entries: TimelineEntry[] = []
  for (const event of ordered) {
    const previous = entries[entries.length - 1]
    if (
      event.kind === 'progress' &&
      previous?.event.kind === 'progress' &&
      previous.event.attempt === event.attempt
    ) {
      previous.event = event
      previous.count++
      continue
    }
    entries.push({ event, count: 1, first: event })
  }
  return entries
}
