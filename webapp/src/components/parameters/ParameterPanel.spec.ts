import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { ParameterSpec, ParamValue } from '@/api/parameters'

import ParameterDeclarationForm from './ParameterDeclarationForm.vue'
import ParameterPanel from './ParameterPanel.vue'
import { jsonResponse } from '@/testing/http'

const fetchMock = vi.fn<typeof fetch>()

function respond(status: number, body?: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body))
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

function mountPanel(specs: ParameterSpec[], props: Record<string, unknown> = {}) {
  return mount(ParameterPanel, {
    props: { specs, modelValue: {} as Record<string, ParamValue>, ...props },
    attachTo: document.body,
  })
}

function lastValues(wrapper: ReturnType<typeof mountPanel>): Record<string, ParamValue> {
  const events = wrapper.emitted('update:modelValue')!
  return events[events.length - 1]![0] as Record<string, ParamValue>
}

describe('ParameterPanel', () => {
  it('labels each control with the parameter label or name and marks required ones', () => {
    const wrapper = mountPanel([
      { name: 'limit', label: 'Row limit', type: 'integer', required: true },
      { name: 'q', type: 'text' },
    ])
    const labels = wrapper.findAll('label')
    expect(labels.map((l) => l.text())).toEqual(['Row limit', 'q'])
    const control = wrapper.find(`#${labels[0]!.attributes('for')}`)
    expect(control.attributes('name')).toBe('param-limit')
    expect(wrapper.find('[data-param="limit"] .parameter-required').exists()).toBe(true)
    expect(wrapper.find('[data-param="q"] .parameter-required').exists()).toBe(false)
  })

  it('emits integers and numbers as JSON numbers, big ones exactly as digits', async () => {
    const wrapper = mountPanel([
      { name: 'n', type: 'integer', min: 1, max: 10 },
      { name: 'x', type: 'number' },
    ])
    const n = wrapper.find('[name="param-n"]')
    expect(n.attributes('min')).toBe('1')
    expect(n.attributes('max')).toBe('10')
    await n.setValue('42')
    expect(lastValues(wrapper)).toEqual({ n: 42 })
    await wrapper.setProps({ modelValue: { n: 42 } })
    await wrapper.find('[name="param-x"]').setValue('0.12345678901234567')
    expect(lastValues(wrapper)).toEqual({ n: 42, x: '0.12345678901234567' })
    await n.setValue('9007199254740993')
    expect(lastValues(wrapper).n).toBe('9007199254740993')
  })

  it('emits booleans, dates and timestamps in the API formats and drops emptied fields', async () => {
    const wrapper = mountPanel([
      { name: 'b', type: 'boolean' },
      { name: 'd', type: 'date' },
      { name: 't', type: 'timestamp' },
      { name: 's', type: 'text' },
    ])
    await wrapper.find('[name="param-b"]').setValue('false')
    expect(lastValues(wrapper)).toEqual({ b: false })
    await wrapper.find('[name="param-d"]').setValue('2026-03-01')
    expect(lastValues(wrapper)).toEqual({ d: '2026-03-01' })
    expect(wrapper.find('[name="param-t"]').attributes('type')).toBe('datetime-local')
    await wrapper.find('[name="param-t"]').setValue('2026-03-01T08:30:15')
    expect(lastValues(wrapper)).toEqual({ t: '2026-03-01T08:30:15' })
    await wrapper.setProps({ modelValue: { s: 'hello', b: true } })
    await wrapper.find('[name="param-s"]').setValue('')
    expect(lastValues(wrapper)).toEqual({ b: true })
  })

  it('emits a range preset as its name and a custom range as {start, end}', async () => {
    const wrapper = mountPanel([{ name: 'r', label: 'Period', type: 'date_range' }])
    const mode = wrapper.find('[name="param-r"]')
    await mode.setValue('last_7d')
    expect(lastValues(wrapper)).toEqual({ r: 'last_7d' })

    await mode.setValue('custom')
    expect(wrapper.text()).toContain('Both dates are included.')
    await wrapper.find('[name="param-r.start"]').setValue('2026-01-01')
    await wrapper.find('[name="param-r.end"]').setValue('2026-01-31')
    expect(lastValues(wrapper)).toEqual({ r: { start: '2026-01-01', end: '2026-01-31' } })
  })

  it('says a timestamp range excludes its end', async () => {
    const wrapper = mountPanel([{ name: 'w', type: 'timestamp_range' }])
    await wrapper.find('[name="param-w"]').setValue('custom')
    expect(wrapper.find('[name="param-w.start"]').attributes('type')).toBe('datetime-local')
    expect(wrapper.text()).toContain('up to, not including, the end')
  })

  it('emits a single enum as a string and a multi enum as an array, with all and none', async () => {
    const wrapper = mountPanel([
      { name: 'one', type: 'enum', options: ['a', 'b'] },
      { name: 'many', type: 'enum', options: ['open', 'closed', 'stale'], multi: true },
    ])
    await wrapper.find('[name="param-one"]').setValue('b')
    expect(lastValues(wrapper)).toEqual({ one: 'b' })

    const select = wrapper.find('[name="param-many"]').element as HTMLSelectElement
    select.options[0]!.selected = true
    select.options[2]!.selected = true
    await wrapper.find('[name="param-many"]').trigger('change')
    expect(lastValues(wrapper)).toEqual({ many: ['open', 'stale'] })

    const all = wrapper.findAll('[data-param="many"] button').find((b) => b.text() === 'All')!
    await all.trigger('click')
    expect(lastValues(wrapper)).toEqual({ many: ['open', 'closed', 'stale'] })
    const none = wrapper.findAll('[data-param="many"] button').find((b) => b.text() === 'None')!
    await none.trigger('click')
    expect(lastValues(wrapper)).toEqual({})
  })

  it('shows each error under its own field and links it to the control', () => {
    const wrapper = mountPanel(
      [
        { name: 'a', type: 'text' },
        { name: 'b', type: 'integer' },
      ],
      {
        errors: { b: 'must be at least 1' },
      },
    )
    expect(wrapper.find('[data-param="a"] .parameter-error').exists()).toBe(false)
    const error = wrapper.find('[data-param="b"] .parameter-error')
    expect(error.text()).toBe('must be at least 1')
    const control = wrapper.find('[name="param-b"]')
    expect(control.attributes('aria-describedby')).toBe(error.attributes('id'))
    expect(control.attributes('aria-invalid')).toBe('true')
  })

  it('emits submit on Enter in a field', async () => {
    const wrapper = mountPanel([{ name: 'q', type: 'text' }])
    await wrapper.find('[name="param-q"]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('submit')).toHaveLength(1)
  })

  it('fetches query_enum options for the saved query', async () => {
    respond(200, {
      options: ['north', 'south'],
      fromRunId: 'r9',
      refreshedAt: '2026-01-01T00:00:00Z',
    })
    const wrapper = mountPanel(
      [{ name: 'region', type: 'query_enum', optionsQueryId: 'q2', optionsColumn: 'name' }],
      {
        queryId: 'q1',
      },
    )
    await flushPromises()
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/v1/queries/q1/parameters/region/options')
    const options = wrapper.findAll('[name="param-region"] option').map((o) => o.text())
    expect(options).toEqual(['—', 'north', 'south'])
    await wrapper.find('[name="param-region"]').setValue('south')
    expect(lastValues(wrapper)).toEqual({ region: 'south' })
  })

  it('asks to run the options query first when it has no result', async () => {
    respond(404, { title: 'No result', status: 404 })
    const wrapper = mountPanel(
      [{ name: 'region', type: 'query_enum', optionsQueryId: 'q2', optionsColumn: 'name' }],
      {
        queryId: 'q1',
      },
    )
    await flushPromises()
    expect(wrapper.text()).toContain('Run the options query first')
  })

  it('says query_enum options need a saved query', () => {
    const wrapper = mountPanel([
      { name: 'region', type: 'query_enum', optionsQueryId: 'q2', optionsColumn: 'name' },
    ])
    expect(fetchMock).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('Options load once the query is saved.')
  })
})

describe('ParameterDeclarationForm', () => {
  it('drops the fields a new type does not take', async () => {
    respond(200, { items: [], nextCursor: null })
    const wrapper = mount(ParameterDeclarationForm, {
      props: { modelValue: { name: 'n', type: 'integer', min: 1, max: 5, default: 3 } },
    })
    await wrapper.find('select').setValue('enum')
    const spec = wrapper.emitted('update:modelValue')![0]![0] as ParameterSpec
    expect(spec).toEqual({ name: 'n', type: 'enum', required: false, options: [] })
  })

  it('edits enum options one per line and multi, keeping the default valid', async () => {
    const wrapper = mount(ParameterDeclarationForm, {
      props: { modelValue: { name: 's', type: 'enum', options: ['a'], default: 'a' } },
    })
    await wrapper.find('textarea').setValue('a\nb\n')
    expect(wrapper.emitted('update:modelValue')!.at(-1)![0]).toMatchObject({
      options: ['a', 'b'],
      default: 'a',
    })
    await wrapper.setProps({
      modelValue: { name: 's', type: 'enum', options: ['a', 'b'], default: 'a' },
    })
    const multi = wrapper.findAll('input[type="checkbox"]')[1]!
    await multi.setValue(true)
    expect(wrapper.emitted('update:modelValue')!.at(-1)![0]).toMatchObject({
      multi: true,
      default: ['a'],
    })
    await wrapper.find('button.param-decl-remove').trigger('click')
    expect(wrapper.emitted('remove')).toHaveLength(1)
  })
})
