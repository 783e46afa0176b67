// STUB — to be replaced by the workbench helper.
import { ref, type Ref } from 'vue'

import type { Run } from '@/api/runs'

export interface RunStatusHandle {
  /** The latest known state of the run (HTTP answer merged with live events), null before one is tracked. */
  run: Ref<Run | null>
  /** Milliseconds since the run was created (queued) or started, ticking while it is live. */
  elapsedMs: Ref<number>
  /** Rows so far while running (from progress events), else the final count. */
  rowsSoFar: Ref<number | null>
  /** Start following a run (from an enqueue answer). */
  track(run: Run): void
  cancel(): Promise<void>
}

/** Follows one run live over the event bus, re-reading it over HTTP on reconnect and when it ends. */
export function useRunStatus(): RunStatusHandle {
  const run = ref<Run | null>(null)
  return {
    run,
    elapsedMs: ref(0),
    rowsSoFar: ref(null),
    track: (r) => (run.value = r),
    cancel: async () => undefined,
  }
}
