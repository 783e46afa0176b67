/**
 * The app's one connection to the server's event-bus bridge (docs/api.md, "Live updates").
 *
 * A native WebSocket to `/eventbus/websocket` exchanging one JSON frame per message; Vert.x sends its frames as
 * binary, so they are read as ArrayBuffers and decoded as UTF-8. The socket opens on the first subscription, pings
 * every 5 s (the bridge closes a socket silent for 10 s), reconnects with backoff while anyone still listens, and
 * registers every address again after a reconnect. Events missed while disconnected are not replayed: listeners
 * watch `connected` and re-read state over HTTP when it turns true.
 */
import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue'

import type { LiveRunEvent } from '@/api/runs'

export interface EventBus {
  /** Listens to an address (`sightline.run.<id>` or `sightline.org.<orgId>.runs`); call the result to stop. */
  subscribe(address: string, handler: (event: LiveRunEvent) => void): () => void
  /** Whether the socket is open. After a reconnect, re-read state over HTTP (events may have been missed). */
  connected: Ref<boolean>
}

/** The part of the browser's WebSocket the bus uses, so tests can put a fake in its place. */
export interface EventBusSocket {
  binaryType: string
  readonly readyState: number
  onopen: ((event: Event) => void) | null
  onclose: ((event: CloseEvent) => void) | null
  onerror: ((event: Event) => void) | null
  onmessage: ((event: MessageEvent) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export type EventBusSocketFactory = (url: string) => EventBusSocket

const OPEN = 1
const PING_INTERVAL_MS = 5_000
/** A socket that has not opened by then is given up and retried. */
const CONNECT_TIMEOUT_MS = 10_000
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000]
/** Keep the socket this long after the last listener leaves, so moving between views does not reconnect. */
const IDLE_CLOSE_MS = 15_000

type Handler = (event: LiveRunEvent) => void

const connected = ref(false)
const listeners = new Map<string, Set<Handler>>()
const decoder = new TextDecoder()

let createSocket: EventBusSocketFactory | null = null
let socket: EventBusSocket | null = null
let attempt = 0
let pingTimer: ReturnType<typeof setInterval> | undefined
let reconnectTimer: ReturnType<typeof setTimeout> | undefined
let connectTimer: ReturnType<typeof setTimeout> | undefined
let idleTimer: ReturnType<typeof setTimeout> | undefined

/** Replaces how sockets are made (tests); `undefined` goes back to the browser's WebSocket. */
export function setEventBusSocketFactory(factory: EventBusSocketFactory | undefined): void {
  createSocket = factory ?? null
}

/** Closes the socket and forgets every listener (tests, sign-out). */
export function resetEventBus(): void {
  listeners.clear()
  disconnect()
  attempt = 0
}

/** The app's one event-bus socket (native WebSocket to /eventbus/websocket), opened on first use. */
export function useEventBus(): EventBus {
  // Subscriptions made through this handle end with the component (or effect scope) that made them.
  const mine = new Set<() => void>()
  if (getCurrentScope()) onScopeDispose(() => [...mine].forEach((stop) => stop()))

  function subscribe(address: string, handler: Handler): () => void {
    clearTimeout(idleTimer)
    let handlers = listeners.get(address)
    const isNew = handlers === undefined
    if (!handlers) {
      handlers = new Set()
      listeners.set(address, handlers)
    }
    handlers.add(handler)
    if (isNew && isOpen()) send({ type: 'register', address })
    ensureSocket()

    let active = true
    const stop = () => {
      if (!active) return
      active = false
      mine.delete(stop)
      const current = listeners.get(address)
      if (!current) return
      current.delete(handler)
      if (current.size > 0) return
      listeners.delete(address)
      if (isOpen()) send({ type: 'unregister', address })
      if (listeners.size === 0) {
        clearTimeout(idleTimer)
        idleTimer = setTimeout(() => {
          if (listeners.size === 0) disconnect()
        }, IDLE_CLOSE_MS)
      }
    }
    mine.add(stop)
    return stop
  }

  return { subscribe, connected }
}

function isOpen(): boolean {
  return socket !== null && socket.readyState === OPEN
}

function send(frame: object): void {
  try {
    socket?.send(JSON.stringify(frame))
  } catch {
    // The socket is closing; its close handler reconnects and registers again.
  }
}

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/eventbus/websocket`
}

function defaultFactory(): EventBusSocketFactory | null {
  if (typeof WebSocket === 'undefined') return null
  return (url) => new WebSocket(url) as unknown as EventBusSocket
}

function ensureSocket(): void {
  if (socket || reconnectTimer !== undefined) return
  const factory = createSocket ?? defaultFactory()
  if (!factory) return
  let opened: EventBusSocket
  try {
    opened = factory(socketUrl())
  } catch {
    scheduleReconnect()
    return
  }
  socket = opened
  opened.binaryType = 'arraybuffer'
  connectTimer = setTimeout(() => {
    if (socket === opened && !isOpen()) opened.close()
  }, CONNECT_TIMEOUT_MS)
  opened.onopen = () => {
    if (socket !== opened) return
    clearTimeout(connectTimer)
    attempt = 0
    for (const address of listeners.keys()) send({ type: 'register', address })
    pingTimer = setInterval(() => send({ type: 'ping' }), PING_INTERVAL_MS)
    connected.value = true
  }
  opened.onmessage = (event) => {
    if (socket === opened) receive(event.data)
  }
  opened.onerror = () => {
    // A close event follows; reconnecting happens there.
  }
  opened.onclose = () => {
    if (socket !== opened) return
    dropSocket()
    if (listeners.size > 0) scheduleReconnect()
  }
}

function scheduleReconnect(): void {
  const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!
  attempt++
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined
    if (listeners.size > 0) ensureSocket()
  }, delay)
}

function dropSocket(): void {
  clearTimeout(connectTimer)
  clearInterval(pingTimer)
  pingTimer = undefined
  socket = null
  connected.value = false
}

function disconnect(): void {
  clearTimeout(idleTimer)
  clearTimeout(reconnectTimer)
  reconnectTimer = undefined
  const old = socket
  dropSocket()
  if (old) {
    old.onopen = old.onmessage = old.onclose = old.onerror = null
    old.close()
  }
}

function receive(data: unknown): void {
  let text: string
  if (typeof data === 'string') text = data
  else if (data instanceof ArrayBuffer) text = decoder.decode(data)
  else if (ArrayBuffer.isView(data)) text = decoder.decode(data)
  else return
  let frame: unknown
  try {
    frame = JSON.parse(text)
  } catch {
    return
  }
  if (typeof frame !== 'object' || frame === null) return
  const { type, address, body } = frame as { type?: unknown; address?: unknown; body?: unknown }
  if (type === 'rec' && typeof address === 'string' && typeof body === 'object' && body !== null) {
    for (const handler of [...(listeners.get(address) ?? [])]) {
      try {
        handler(body as LiveRunEvent)
      } catch (error) {
        console.error(`Event-bus handler for ${address} failed`, error)
      }
    }
  } else if (type === 'err') {
    // A refused registration (a run of another org, a deleted run) or max_handlers_reached: nothing to deliver.
    console.warn('Event bus refused a request:', body)
  }
}
