import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { h } from 'vue'

import BaseFormField, { type FormFieldControlAttrs } from './BaseFormField.vue'

/** The control a label names, found the way assistive technology does: through `for`. */
function labelledControl(wrapper: ReturnType<typeof mount>, label: string) {
  const element = wrapper.findAll('label').find((candidate) => candidate.text() === label)
  if (!element) throw new Error(`no label "${label}"`)
  return wrapper.find(`#${element.attributes('for')}`)
}

function describedByText(
  wrapper: ReturnType<typeof mount>,
  control: { attributes(name: string): string | undefined },
) {
  return (control.attributes('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => wrapper.find(`#${id}`).text())
}

describe('BaseFormField', () => {
  it('labels its input with the label text alone, even while showing an error', () => {
    const wrapper = mount(BaseFormField, {
      props: { id: 'host', label: 'Host', error: 'Required.' },
      attrs: { name: 'host' },
    })

    const label = wrapper.find('label')
    expect(label.text()).toBe('Host')
    expect(label.attributes('for')).toBe('host')
    expect(labelledControl(wrapper, 'Host').attributes('name')).toBe('host')
  })

  it('ties the hint and the error to the control and marks it invalid', () => {
    const wrapper = mount(BaseFormField, {
      props: { id: 'port', label: 'Port', hint: 'Usually 5432.', error: 'Enter a whole number.' },
    })

    const input = wrapper.find('input')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(describedByText(wrapper, input)).toEqual(['Usually 5432.', 'Enter a whole number.'])
    expect(wrapper.find('#port-error').text()).toBe('Enter a whole number.')
  })

  it('is neither invalid nor described by anything when there is no hint or error', () => {
    const wrapper = mount(BaseFormField, { props: { label: 'Name' } })

    const input = wrapper.find('input')
    expect(input.attributes('aria-invalid')).toBeUndefined()
    expect(input.attributes('aria-describedby')).toBeUndefined()
    expect(input.attributes('id')).toBeTruthy()
    expect(wrapper.find('label').attributes('for')).toBe(input.attributes('id'))
  })

  it('gives two fields without an explicit id different ids', () => {
    const wrapper = mount({
      render: () => h('div', [h(BaseFormField, { label: 'A' }), h(BaseFormField, { label: 'B' })]),
    })

    const [a, b] = wrapper.findAll('input').map((input) => input.attributes('id'))
    expect(a).not.toBe(b)
  })

  it('binds the default input with v-model and passes attributes and listeners to it', async () => {
    const blurred: string[] = []
    const wrapper = mount(BaseFormField, {
      props: {
        label: 'Email',
        modelValue: 'ops@example.com',
        'onUpdate:modelValue': (value: string | undefined) =>
          wrapper.setProps({ modelValue: value }),
      },
      attrs: {
        class: 'wide',
        name: 'email',
        type: 'email',
        autocomplete: 'username',
        onBlur: () => blurred.push(String(wrapper.props('modelValue'))),
      },
    })

    const input = wrapper.find('input')
    expect((input.element as HTMLInputElement).value).toBe('ops@example.com')
    expect(input.attributes()).toMatchObject({
      name: 'email',
      type: 'email',
      autocomplete: 'username',
    })
    expect(input.classes()).not.toContain('wide')
    expect(wrapper.classes()).toContain('wide')

    await input.setValue('lead@example.com')
    await input.trigger('blur')
    expect(blurred).toEqual(['lead@example.com'])
  })

  it('wires a slotted control through the slot’s controlAttrs', () => {
    const wrapper = mount(BaseFormField, {
      props: { id: 'role', label: 'Role', error: 'Pick a role.' },
      slots: {
        default: ({ controlAttrs }: { controlAttrs: FormFieldControlAttrs }) =>
          h('select', { name: 'role', ...controlAttrs }, [h('option', 'viewer')]),
      },
    })

    const select = labelledControl(wrapper, 'Role')
    expect(select.element.tagName).toBe('SELECT')
    expect(select.attributes('aria-invalid')).toBe('true')
    expect(describedByText(wrapper, select)).toEqual(['Pick a role.'])
    expect(wrapper.find('input').exists()).toBe(false)
  })
})
