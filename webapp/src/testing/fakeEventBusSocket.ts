/** A WebSocket stand-in for tests of the event bus and what listens to it. */
import type { EventBusSocket } from '@/composables/useEventBus'

export class FakeEventBusSocket implements EventBusSocket {
  static all: FakeEventBusSocket[] = []

  binaryType = 'blob'
  readyState = 0
  onopen: ((event: Event) => void) | null = null
  onclose: ((event: CloseEvent) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  onmessage: ((event: MessageEvent) => void) | null = null
  readonly sent: Record<string, unknown>[] = []
  closed = false

  constructor(readonly url: string) {
    FakeEventBusSocket.all.push(this)
  }

  static get last(): FakeEventBusSocket {
    const socket = FakeEventBusSocket.all[FakeEventBusSocket.all.length - 1]
    if (!socket) throw new Error('no socket was opened')
    return socket
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }

  close(): void {
    this.closed = true
    this.readyState = 3
  }

  open(): void {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }

  /** The server went away. */
  drop(): void {
    this.readyState = 3
    this.onclose?.(new CloseEvent('close'))
  }

  /** A frame as Vert.x sends it: JSON in a binary message. */
  receive(frame: object): void {
    const data = new TextEncoder().encode(JSON.stringify(frame)).buffer
    this.onmessage?.(new MessageEvent('message', { data }))
  }

  /** Frames of a type sent so far. */
  frames(type: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame.type === type)
  }
}
