import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'

import type { LiveRunEvent } from '@/api/runs'

import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { resetEventBus, setEventBusSocketFactory, useEventBus } from './useEventBus'

const event: LiveRunEvent = { runId: 'r1', status: 'running', at: 1, rowCount: 10, progress: true }

beforeEach(() => {
  vi.useFakeTimers()
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
})

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
  vi.useRealTimers()
})

describe('useEventBus', () => {
  it('opens one socket to /eventbus/websocket on the first subscription, reading binary frames', () => {
    const bus = useEventBus()
    expect(FakeEventBusSocket.all).toHaveLength(0)
    bus.subscribe('sightline.run.r1', () => undefined)
    bus.subscribe('sightline.run.r2', () => undefined)
    expect(FakeEventBusSocket.all).toHaveLength(1)
    expect(FakeEventBusSocket.last.url).toMatch(/^ws:\/\/[^/]+\/eventbus\/websocket$/)
    expect(FakeEventBusSocket.last.binaryType).toBe('arraybuffer')
  })

  it('registers every address once the socket opens, and later ones at once', () => {
    const bus = useEventBus()
    bus.subscribe('sightline.run.r1', () => undefined)
    const socket = FakeEventBusSocket.last
    expect(socket.sent).toEqual([])
    socket.open()
    expect(bus.connected.value).toBe(true)
    bus.subscribe('sightline.org.o1.runs', () => undefined)
    expect(socket.frames('register').map((f) => f.address)).toEqual([
      'sightline.run.r1',
      'sightline.org.o1.runs',
    ])
  })

  it('delivers the body of a binary rec frame to the handlers of its address only', () => {
    const bus = useEventBus()
    const one = vi.fn()
    const other = vi.fn()
    bus.subscribe('sightline.run.r1', one)
    bus.subscribe('sightline.run.r2', other)
    FakeEventBusSocket.last.open()
    FakeEventBusSocket.last.receive({ type: 'rec', address: 'sightline.run.r1', body: event })
    expect(one).toHaveBeenCalledWith(event)
    expect(other).not.toHaveBeenCalled()
  })

  it('pings every 5 seconds while open', () => {
    useEventBus().subscribe('sightline.run.r1', () => undefined)
    FakeEventBusSocket.last.open()
    vi.advanceTimersByTime(15_000)
    expect(FakeEventBusSocket.last.frames('ping')).toHaveLength(3)
  })

  it('reconnects with backoff after the socket drops and registers every address again', () => {
    const bus = useEventBus()
    bus.subscribe('sightline.run.r1', () => undefined)
    bus.subscribe('sightline.org.o1.runs', () => undefined)
    const first = FakeEventBusSocket.last
    first.open()
    first.drop()
    expect(bus.connected.value).toBe(false)
    expect(FakeEventBusSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(500)
    expect(FakeEventBusSocket.all).toHaveLength(2)
    const second = FakeEventBusSocket.last
    second.drop() // never opened: the next try waits longer
    vi.advanceTimersByTime(500)
    expect(FakeEventBusSocket.all).toHaveLength(2)
    vi.advanceTimersByTime(500)
    expect(FakeEventBusSocket.all).toHaveLength(3)
    const third = FakeEventBusSocket.last
    third.open()
    expect(bus.connected.value).toBe(true)
    expect(third.frames('register').map((f) => f.address)).toEqual([
      'sightline.run.r1',
      'sightline.org.o1.runs',
    ])
  })

  it('unregisters an address when its last handler stops, and closes the socket when nobody listens', () => {
    const bus = useEventBus()
    const stopA = bus.subscribe('sightline.run.r1', () => undefined)
    const stopB = bus.subscribe('sightline.run.r1', () => undefined)
    const socket = FakeEventBusSocket.last
    socket.open()
    stopA()
    expect(socket.frames('unregister')).toEqual([])
    stopB()
    expect(socket.frames('unregister')).toEqual([
      { type: 'unregister', address: 'sightline.run.r1' },
    ])
    vi.advanceTimersByTime(20_000)
    expect(socket.closed).toBe(true)
    expect(bus.connected.value).toBe(false)
  })

  it('stops the subscriptions of a scope when the scope ends', () => {
    const scope = effectScope()
    const handler = vi.fn()
    scope.run(() => useEventBus().subscribe('sightline.run.r1', handler))
    FakeEventBusSocket.last.open()
    scope.stop()
    FakeEventBusSocket.last.receive({ type: 'rec', address: 'sightline.run.r1', body: event })
    expect(handler).not.toHaveBeenCalled()
  })

  it('ignores a refusal and frames that are not JSON', () => {
    const handler = vi.fn()
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    useEventBus().subscribe('sightline.run.r1', handler)
    const socket = FakeEventBusSocket.last
    socket.open()
    socket.receive({ type: 'err', body: 'rejected' })
    socket.onmessage?.(new MessageEvent('message', { data: new TextEncoder().encode('{').buffer }))
    expect(handler).not.toHaveBeenCalled()
  })
})
