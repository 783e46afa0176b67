/**
 * The results of a dashboard's viz tiles in view mode.
 *
 * - **One request for many tiles**: tiles that need a result are collected for a moment (`batchMs`) and asked for in
 *   one `POST /dashboards/{id}/runs` with their ids — the tiles scrolling into view together, a parameter change, an
 *   interval refresh.
 * - **Only what is seen runs**: a tile is asked for once it is seen ({@link DashboardRuns.setSeen}, fed by an
 *   IntersectionObserver), unless `loadAll` (kiosk). Tiles out of sight that go stale wait until they are seen.
 * - **Push**: the org's run feed (`sightline.org.<orgId>.runs`) moves each tile whose fingerprint an event carries —
 *   a run of the same query and values by anyone (tileRuns.ts); the drawing stays until a newer result exists.
 *   Events may arrive before the answer naming their run: the latest event per run is kept a while and applied then.
 * - **Reconnect**: after the bridge comes back (events may have been missed) every tile already asked for is asked
 *   for again over HTTP; a failed request leaves its tiles stale, retried on the next refresh, reconnect or sight.
 */
import { getCurrentScope, onScopeDispose, ref, shallowReactive, watch, type Ref } from 'vue'

import { runDashboard, type Dashboard, type Tile } from '@/api/dashboards'
import { toApiError, type ApiError } from '@/api/http'
import type { ParamValue } from '@/api/parameters'
import { getRun, type LiveRunEvent } from '@/api/runs'
import { useEventBus } from '@/composables/useEventBus'

import { readingOrder } from './grid'
import { IDLE, applyEvent, fromAnswer, fromRun, type TileRun } from './tileRuns'

export interface DashboardRunsOptions {
  dashboard: Readonly<Ref<Dashboard | null>>
  /** The applied parameter values (what the URL says). */
  values: Readonly<Ref<Record<string, ParamValue>>>
  /** The refresh interval in seconds (null: off): the period of refreshes and the age they accept. */
  refreshSeconds: Readonly<Ref<number | null>>
  /** Ask for every tile, seen or not (kiosk). */
  loadAll: Readonly<Ref<boolean>>
  /** The org whose run feed to follow. */
  orgId: Readonly<Ref<string | null>>
  /** How long requests are collected before one is sent. */
  batchMs?: number
  /** How often a queued run's place in line is read again. */
  queuePollMs?: number
}

export interface DashboardRuns {
  /** Tile id → its result state (viz tiles only). */
  tiles: Record<string, TileRun>
  /** The tiles now in (or near) sight changed. */
  setSeen(tileIds: readonly string[], seen: boolean): void
  /** Asks again for these tiles (all viz tiles when absent) now, seen or not; `maxAgeSeconds: 0` runs them. */
  refresh(tileIds?: readonly string[], maxAgeSeconds?: number): Promise<void>
  /** When the last answer or result arrived (epoch ms). */
  lastDataAt: Ref<number | null>
  /** The last request failed (the server is unreachable or refused): cleared by the next success. */
  failure: Ref<ApiError | null>
}

const RECENT_EVENTS = 500

/** Follows a dashboard's tile results; see the file comment. */
export function useDashboardRuns(options: DashboardRunsOptions): DashboardRuns {
  const batchMs = options.batchMs ?? 30
  const queuePollMs = options.queuePollMs ?? 5_000
  const bus = useEventBus()

  const tiles = shallowReactive<Record<string, TileRun>>({})
  const lastDataAt = ref<number | null>(null)
  const failure = ref<ApiError | null>(null)

  /** Tiles in sight. */
  const seen = new Set<string>()
  /** Tiles needing a request → the maxAgeSeconds to ask with (undefined: the server's default). */
  const stale = new Map<string, number | undefined>()
  /** Per tile, the latest request's number: answers to older requests are dropped. */
  const latestRequest = new Map<string, number>()
  let requestCount = 0
  /** The latest event of recent runs, by run id. */
  const recentEvents = new Map<string, LiveRunEvent>()
  let batchTimer: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  /** The age a load accepts: the refresh interval chosen, else the server's default (the dashboard's own). */
  function loadAge(): number | undefined {
    return options.refreshSeconds.value ?? undefined
  }

  function vizTiles(): Tile[] {
    return (options.dashboard.value?.tiles ?? []).filter((t) => t.kind === 'viz')
  }

  function dashboardId(): string | null {
    return options.dashboard.value?.id ?? null
  }

  /** Marks tiles as needing a request (answers to earlier requests for them are dropped) and sends the seen ones. */
  function invalidate(ids: readonly string[], maxAgeSeconds: number | undefined): void {
    for (const id of ids) {
      // two reasons at once: ask with the stricter age (undefined, the server's default, counts as the loosest)
      const stricter = Math.min(stale.get(id) ?? Infinity, maxAgeSeconds ?? Infinity)
      stale.set(id, Number.isFinite(stricter) ? stricter : undefined)
      latestRequest.set(id, ++requestCount)
    }
    schedule()
  }

  function schedule(): void {
    if (batchTimer !== undefined || disposed) return
    batchTimer = setTimeout(flush, batchMs)
  }

  function flush(): void {
    batchTimer = undefined
    const groups = new Map<number | undefined, string[]>()
    for (const [id, age] of stale) {
      if (!options.loadAll.value && !seen.has(id)) continue
      const group = groups.get(age)
      if (group) group.push(id)
      else groups.set(age, [id])
    }
    for (const [age, ids] of groups) void send(ids, age)
  }

  async function send(ids: readonly string[], maxAgeSeconds: number | undefined): Promise<void> {
    const id = dashboardId()
    if (!id || ids.length === 0) return
    // in reading order: the server enqueues the top of the page first
    const order = new Map(readingOrder(vizTiles()).map((t, i) => [t.id, i]))
    const wanted = [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    const mine = new Map<string, number>()
    for (const tileId of wanted) {
      stale.delete(tileId)
      const n = ++requestCount
      latestRequest.set(tileId, n)
      mine.set(tileId, n)
    }
    try {
      const answer = await runDashboard(id, {
        params: JSON.parse(JSON.stringify(options.values.value)) as Record<string, ParamValue>,
        tileIds: wanted,
        ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      })
      if (disposed || dashboardId() !== id) return
      failure.value = null
      const now = Date.now()
      lastDataAt.value = now
      for (const a of answer.tiles) {
        if (latestRequest.get(a.tileId) !== mine.get(a.tileId)) continue
        let next = fromAnswer(tiles[a.tileId] ?? IDLE, a, now)
        const early = a.runId ? recentEvents.get(a.runId.toLowerCase()) : undefined
        if (early) next = applyEvent(next, early)
        tiles[a.tileId] = next
        follow(next)
      }
    } catch (caught) {
      if (disposed || dashboardId() !== id) return
      failure.value = toApiError(caught)
      // still wanted: ask again on the next refresh, reconnect or sight
      for (const [tileId, n] of mine) {
        if (latestRequest.get(tileId) === n && !stale.has(tileId)) stale.set(tileId, maxAgeSeconds)
      }
    }
  }

  async function refresh(ids?: readonly string[], maxAgeSeconds?: number): Promise<void> {
    const wanted = ids ?? vizTiles().map((t) => t.id)
    await send(wanted, maxAgeSeconds)
  }

  function setSeen(ids: readonly string[], inSight: boolean): void {
    let more = false
    for (const id of ids) {
      if (inSight) {
        if (!seen.has(id)) {
          seen.add(id)
          more ||= stale.has(id)
        }
      } else {
        seen.delete(id)
      }
    }
    if (more) schedule()
  }

  // ---- reading runs over HTTP: their place in line, their start, their error in words

  const reading = new Set<string>()
  async function readRun(runId: string): Promise<void> {
    const key = runId.toLowerCase()
    if (reading.has(key)) return
    reading.add(key)
    try {
      const run = await getRun(runId)
      if (disposed) return
      for (const [tileId, tile] of Object.entries(tiles)) {
        const next = fromRun(tile, run)
        if (next !== tile) tiles[tileId] = next
      }
    } catch {
      // the next event or poll tells
    } finally {
      reading.delete(key)
    }
  }

  /** What a tile's state needs read: a queued run's position, a running run's start, a failure's words. */
  function follow(tile: TileRun): void {
    if (!tile.runId) return
    if (
      tile.status === 'queued' ||
      (tile.status === 'running' && tile.since === null) ||
      (tile.status === 'failed' && tile.error === null) ||
      (tile.status === 'succeeded' && !tile.resultId)
    )
      void readRun(tile.runId)
  }

  const queuePoller = setInterval(() => {
    const queued = new Set<string>()
    for (const tile of Object.values(tiles))
      if (tile.status === 'queued' && tile.runId) queued.add(tile.runId)
    queued.forEach((runId) => void readRun(runId))
  }, queuePollMs)

  // ---- push

  function onEvent(event: LiveRunEvent): void {
    if (!event?.runId) return
    const key = event.runId.toLowerCase()
    recentEvents.delete(key)
    recentEvents.set(key, event)
    if (recentEvents.size > RECENT_EVENTS) recentEvents.delete(recentEvents.keys().next().value!)
    for (const [tileId, tile] of Object.entries(tiles)) {
      const next = applyEvent(tile, event)
      if (next === tile) continue
      tiles[tileId] = next
      if (next.status === 'succeeded' && next.resultId !== tile.resultId)
        lastDataAt.value = Date.now()
      if (next.status !== tile.status) follow(next)
    }
  }

  let unsubscribe: (() => void) | null = null
  watch(
    options.orgId,
    (orgId) => {
      unsubscribe?.()
      unsubscribe = orgId ? bus.subscribe(`sightline.org.${orgId}.runs`, onEvent) : null
    },
    { immediate: true },
  )

  // Synchronous, so a drop and a reconnect between two renders still count (as in useRunStatus). Once the socket
  // is first up, the tiles whose run was under way are asked again (its events may have passed before the
  // registration); after a reconnect, every tile asked for so far.
  let wasConnected = bus.connected.value
  let everConnected = wasConnected
  watch(
    bus.connected,
    (connected) => {
      if (connected && !wasConnected) {
        const again = Object.entries(tiles)
          .filter(([, tile]) =>
            everConnected
              ? tile.status !== 'idle'
              : tile.status === 'queued' || tile.status === 'running',
          )
          .map(([id]) => id)
        if (again.length > 0) invalidate(again, loadAge())
        everConnected = true
      }
      wasConnected = connected
    },
    { flush: 'sync' },
  )

  // ---- what makes tiles stale

  watch(
    () => options.dashboard.value,
    (dashboard, before) => {
      if (dashboard?.id !== before?.id) {
        for (const key of Object.keys(tiles)) delete tiles[key]
        stale.clear()
      }
      const ids = new Set(vizTiles().map((t) => t.id))
      for (const key of Object.keys(tiles)) if (!ids.has(key)) delete tiles[key]
      for (const id of ids) tiles[id] ??= IDLE
      invalidate([...ids], loadAge())
    },
    { immediate: true },
  )

  watch(
    () => JSON.stringify(options.values.value),
    (now, before) => {
      const a = JSON.parse(now) as Record<string, ParamValue>
      const b = JSON.parse(before ?? '{}') as Record<string, ParamValue>
      const changed = new Set(
        [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
          (name) => JSON.stringify(a[name] ?? null) !== JSON.stringify(b[name] ?? null),
        ),
      )
      if (changed.size === 0) return
      const affected = vizTiles()
        .filter((tile) =>
          Object.values(tile.bindings ?? {}).some(
            (binding) => 'from' in binding && changed.has(binding.param),
          ),
        )
        .map((t) => t.id)
      if (affected.length > 0) invalidate(affected, loadAge())
    },
  )

  watch(
    () => options.loadAll.value,
    (all) => {
      if (all) schedule()
    },
  )

  let refreshTimer: ReturnType<typeof setInterval> | undefined
  watch(
    options.refreshSeconds,
    (seconds) => {
      clearInterval(refreshTimer)
      refreshTimer = undefined
      if (!seconds) return
      refreshTimer = setInterval(
        () =>
          invalidate(
            vizTiles().map((t) => t.id),
            seconds,
          ),
        seconds * 1000,
      )
    },
    { immediate: true },
  )

  function dispose(): void {
    disposed = true
    clearTimeout(batchTimer)
    clearInterval(refreshTimer)
    clearInterval(queuePoller)
    unsubscribe?.()
  }
  if (getCurrentScope()) onScopeDispose(dispose)

  return { tiles, setSeen, refresh, lastDataAt, failure }
}
