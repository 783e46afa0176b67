import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import WorkbenchSplitter from './WorkbenchSplitter.vue'

function pointer(type: string, clientY: number): PointerEvent {
  return new PointerEvent(type, { clientY, button: 0, bubbles: true })
}

describe('WorkbenchSplitter', () => {
  it('reports the size the drag moves it to, and nothing after the button is released', async () => {
    const wrapper = mount(WorkbenchSplitter, { props: { size: 120, min: 96 } })
    const handle = wrapper.get('[role="separator"]')
    handle.element.dispatchEvent(pointer('pointerdown', 300))
    window.dispatchEvent(pointer('pointermove', 340))
    window.dispatchEvent(pointer('pointermove', 380))
    window.dispatchEvent(pointer('pointerup', 380))
    window.dispatchEvent(pointer('pointermove', 500))
    expect(wrapper.emitted('resize')).toEqual([[160], [200]])
    wrapper.unmount()
  })

  it('stops at the minimum and leaves the pane below its room', async () => {
    const wrapper = mount(
      {
        components: { WorkbenchSplitter },
        template:
          '<div><WorkbenchSplitter :size="120" :min="96" :keep-below="160" /><div class="below" /></div>',
      },
      { attachTo: document.body },
    )
    const below = wrapper.get('.below').element
    vi.spyOn(below, 'getBoundingClientRect').mockReturnValue({ height: 400 } as DOMRect)
    const splitter = wrapper.getComponent(WorkbenchSplitter)
    splitter.get('[role="separator"]').element.dispatchEvent(pointer('pointerdown', 300))
    window.dispatchEvent(pointer('pointermove', 100))
    window.dispatchEvent(pointer('pointermove', 900))
    window.dispatchEvent(pointer('pointerup', 900))
    // up to the minimum; down until 160 px of the 400 px below remain
    expect(splitter.emitted('resize')).toEqual([[96], [360]])
    wrapper.unmount()
  })

  it('moves by keys, and double-click or Home go back to the text size', async () => {
    const wrapper = mount(WorkbenchSplitter, { props: { size: 200, min: 96 } })
    const handle = wrapper.get('[role="separator"]')
    expect(handle.attributes('aria-valuenow')).toBe('200')
    expect(handle.attributes('tabindex')).toBe('0')
    await handle.trigger('keydown', { key: 'ArrowDown' })
    await handle.trigger('keydown', { key: 'ArrowUp', shiftKey: true })
    expect(wrapper.emitted('resize')).toEqual([[216], [136]])
    await handle.trigger('dblclick')
    await handle.trigger('keydown', { key: 'Home' })
    expect(wrapper.emitted('reset')).toHaveLength(2)
  })
})
