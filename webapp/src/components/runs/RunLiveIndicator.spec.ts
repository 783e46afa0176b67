import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'

import { FakeEventBusSocket } from '@/testing/fakeEventBusSocket'
import { resetEventBus, setEventBusSocketFactory, useEventBus } from '@/composables/useEventBus'

import RunLiveIndicator from './RunLiveIndicator.vue'

beforeEach(() => {
  FakeEventBusSocket.all = []
  setEventBusSocketFactory((url) => new FakeEventBusSocket(url))
})

afterEach(() => {
  resetEventBus()
  setEventBusSocketFactory(undefined)
})

describe('RunLiveIndicator', () => {
  it('says connecting, then live, then reconnecting when the socket drops', async () => {
    const stop = useEventBus().subscribe('sightline.run.r1', () => undefined)
    const indicator = mount(RunLiveIndicator)
    expect(indicator.text()).toBe('Connecting…')

    FakeEventBusSocket.last.open()
    await nextTick()
    expect(indicator.text()).toBe('Live')

    FakeEventBusSocket.last.drop() // the server went away
    await nextTick()
    expect(indicator.text()).toBe('Reconnecting…')
    expect(indicator.attributes('title')).toContain('re-read every few seconds')
    stop()
  })
})
