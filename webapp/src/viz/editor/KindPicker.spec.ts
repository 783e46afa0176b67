import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { vizKindList } from '@/viz/registry'

import KindPicker from './KindPicker.vue'

describe('KindPicker', () => {
  it('offers every registered kind as a small preview: icon, label and description', () => {
    const wrapper = mount(KindPicker)
    const options = wrapper.findAll('button')
    expect(options.map((o) => o.attributes('data-testid'))).toEqual(
      vizKindList.map((k) => `viz-kind-${k.kind}`),
    )
    for (const [i, k] of vizKindList.entries()) {
      expect(options[i]!.find('svg').exists()).toBe(true)
      expect(options[i]!.text()).toContain(k.label)
      expect(options[i]!.text()).toContain(k.description)
    }
  })

  it('emits the picked kind and marks the current one', async () => {
    const wrapper = mount(KindPicker, { props: { current: 'bar' } })
    expect(wrapper.find('[data-testid="viz-kind-bar"]').attributes('aria-pressed')).toBe('true')
    await wrapper.find('[data-testid="viz-kind-stat"]').trigger('click')
    expect(wrapper.emitted('pick')).toEqual([['stat']])
  })
})
