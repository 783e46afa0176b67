import { getCurrentScope, onScopeDispose, ref, watch, type Ref } from 'vue'

import {
  cancelRun,
  getRun,
  isLiveRequest,
  isTerminal,
  type CancelRunOptions,
  type LiveRunEvent,
  type Run,
} from '@/api/runs'

import { useEventBus } from './useEventBus'

export interface RunStatusHandle {
  /** The latest known state of the run (HTTP answer merged with live events), null before one is tracked. */
  run: Ref<Run | null>
  /** Milliseconds since the run was created (queued) or started, ticking while it is live. */
  elapsedMs: Ref<number>
  /** Rows so far while running (from progress events), else the final count. */
  rowsSoFar: Ref<number | null>
  /** Start following a run (from an enqueue answer): the caller's request of it (`requestId`). */
  track(run: Run): void
  /**
   * Withdraws the tracked request (the run is cancelled when no other request shares it); `everyone` cancels the run
   * for all its requesters (editors, admins).
   */
  cancel(options?: { everyone?: boolean }): Promise<void>
}

export interface RunStatusOptions {
  /** Re-read the run over HTTP when nothing was heard of it for this long (events can be lost). */
  pollMs?: number
  /** How often elapsedMs moves while the run is live. */
  tickMs?: number
}

const QUEUED_POLL_MS = 1_000

/** Follows one run live over the event bus, re-reading it over HTTP on reconnect and when it ends. */
export function useRunStatus(options: RunStatusOptions = {}): RunStatusHandle {
  const pollMs = options.pollMs ?? 4_000
  const tickMs = options.tickMs ?? 100
  const bus = useEventBus()

  const run = ref<Run | null>(null)
  const elapsedMs = ref(0)
  const rowsSoFar = ref<number | null>(null)

  let unsubscribe: (() => void) | null = null
  let ticker: ReturnType<typeof setInterval> | undefined
  let poller: ReturnType<typeof setInterval> | undefined
  let reading: AbortController | null = null
  let lastHeard = 0
  /** Bumped per tracked run, so late answers about an earlier run are dropped. */
  let generation = 0

  function track(next: Run): void {
    stop()
    generation++
    run.value = { ...next }
    update()
    if (!isLiveRequest(next)) return
    const id = next.id
    const mine = generation
    lastHeard = Date.now()
    unsubscribe = bus.subscribe(`sightline.run.${id.toLowerCase()}`, (event) => {
      if (mine === generation) receive(event)
    })
    ticker = setInterval(update, tickMs)
    poller = setInterval(
      () => {
        // a queued run's place in line moves without events of its own: read it every second
        const due = run.value?.status === 'queued' ? Math.min(pollMs, QUEUED_POLL_MS) : pollMs
        if (Date.now() - lastHeard >= due) void refresh()
      },
      Math.max(250, Math.floor(Math.min(pollMs, QUEUED_POLL_MS) / 4)),
    )
    // The run may have moved on before the registration took effect: read it once the socket is up.
    if (bus.connected.value) void refresh()
  }

  function receive(event: LiveRunEvent): void {
    const current = run.value
    if (!current || event.runId.toLowerCase() !== current.id.toLowerCase()) return
    if (!worthFollowing(current)) return
    lastHeard = Date.now()
    // Someone joined or withdrew: who shares the run (and who cancelled it) comes with the stored run.
    if (event.requestsChanged) {
      void refresh()
      return
    }
    const merged: Run = { ...current, status: event.status }
    if (event.status !== 'queued') delete merged.queue // where it stood in line no longer applies
    if (event.rowCount !== undefined) merged.rowCount = event.rowCount
    if (event.byteCount !== undefined) merged.byteCount = event.byteCount
    if (event.cancelRequested) merged.cancelRequested = true
    if (event.attempt !== undefined) merged.attempt = event.attempt
    if (event.runner !== undefined) merged.runner = event.runner
    if (event.status === 'running' && !merged.startedAt) {
      merged.startedAt = new Date(event.at).toISOString()
    }
    if (event.status === 'queued') merged.startedAt = null // requeued after a lost lease
    if (isTerminal(event.status)) {
      // The database is the truth for the final counts, the error and the result: the end is shown once the stored
      // run is read, so a failed run never shows without its error. When that read fails, the event's news stands.
      merged.finishedAt ??= new Date(event.at).toISOString()
      const mine = generation
      void refresh().then((outcome) => {
        if (outcome !== 'failed' || mine !== generation) return
        if (run.value && isTerminal(run.value.status)) return
        run.value = merged
        update()
        stopLive()
      })
      return
    }
    run.value = merged
    update()
  }

  /** Re-reads the run; says whether its answer was applied, the read failed, or a later read took over. */
  async function refresh(): Promise<'applied' | 'failed' | 'superseded'> {
    const current = run.value
    if (!current) return 'superseded'
    const mine = generation
    reading?.abort()
    const controller = new AbortController()
    reading = controller
    lastHeard = Date.now()
    try {
      const fresh = await getRun(current.id, controller.signal, current.requestId)
      if (mine !== generation) return 'superseded'
      run.value = fresh
      update()
      if (!worthFollowing(fresh)) stopLive()
      return 'applied'
    } catch {
      // Polling retries; a live event may also bring the news.
      return controller.signal.aborted ? 'superseded' : 'failed'
    } finally {
      if (reading === controller) reading = null
    }
  }

  async function cancel(how: { everyone?: boolean } = {}): Promise<void> {
    const current = run.value
    if (!current || !isLiveRequest(current)) return
    const mine = generation
    // Withdrawing one's request of a shared run does not cancel it: only say "cancelling" when it will.
    const cancels = how.everyone || !current.sharedWith
    if (cancels) run.value = { ...current, cancelRequested: true }
    const options: CancelRunOptions = how.everyone
      ? { scope: 'everyone' }
      : current.requestId
        ? { scope: 'mine', requestId: current.requestId }
        : {}
    let answer: Run
    try {
      answer = await cancelRun(current.id, options)
    } catch (error) {
      if (mine === generation && run.value && !isTerminal(run.value.status)) {
        run.value = { ...run.value, cancelRequested: current.cancelRequested }
      }
      throw error
    }
    if (mine !== generation || isTerminal(run.value?.status ?? 'queued')) return
    run.value = answer
    update()
    if (!worthFollowing(answer)) stopLive()
  }

  function update(): void {
    const current = run.value
    if (!current) {
      elapsedMs.value = 0
      rowsSoFar.value = null
      return
    }
    rowsSoFar.value = current.status === 'queued' ? null : current.rowCount
    elapsedMs.value = elapsedOf(current, Date.now())
  }

  /**
   * Whether the run can still change in a way this page shows: until it ends — also after the caller's withdrawal
   * when that withdrawal is cancelling it (the final state is still to come) — but not once the caller's request is
   * withdrawn from an execution that goes on for others.
   */
  function worthFollowing(r: Run): boolean {
    if (isTerminal(r.status)) return false
    return !r.withdrawnAt || Boolean(r.cancelRequested)
  }

  function stopLive(): void {
    unsubscribe?.()
    unsubscribe = null
    clearInterval(ticker)
    clearInterval(poller)
    ticker = poller = undefined
  }

  function stop(): void {
    stopLive()
    reading?.abort()
    reading = null
  }

  // Synchronous, so a drop and a reconnect between two renders still count as a reconnect.
  watch(
    bus.connected,
    (isConnected) => {
      if (isConnected && unsubscribe) void refresh()
    },
    { flush: 'sync' },
  )

  if (getCurrentScope()) onScopeDispose(stop)

  return { run, elapsedMs, rowsSoFar, track, cancel }
}

/** Queued: time waited so far; running: time since start; finished: execution time. */
export function elapsedOf(run: Run, now: number): number {
  const created = Date.parse(run.createdAt)
  const started = run.startedAt ? Date.parse(run.startedAt) : NaN
  if (isTerminal(run.status)) {
    if (run.execMs !== null && run.execMs !== undefined) return run.execMs
    const finished = run.finishedAt ? Date.parse(run.finishedAt) : NaN
    const from = Number.isNaN(started) ? created : started
    return Number.isNaN(finished) || Number.isNaN(from) ? 0 : Math.max(0, finished - from)
  }
  const from = run.status === 'running' && !Number.isNaN(started) ? started : created
  return Number.isNaN(from) ? 0 : Math.max(0, now - from)
}
