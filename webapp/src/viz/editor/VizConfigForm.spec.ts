import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import type { ResultColumn } from '@/api/results'
import type { SeriesConfig, StatConfig, TableConfig, VizConfig, VizKind } from '@/viz/types'

import VizConfigForm from './VizConfigForm.vue'

const columns: ResultColumn[] = [
  { name: 'province', type: 'text', sourceType: 'text' },
  { name: 'day', type: 'date', sourceType: 'date' },
  { name: 'outages', type: 'integer', sourceType: 'int4' },
  { name: 'customers', type: 'bigint', sourceType: 'int8' },
]

/** Mounts the form on the kind's real schema (the server's file) with v-model wired like a parent would. */
async function mountForm(kind: VizKind, config: VizConfig, readOnly = false) {
  const wrapper: VueWrapper = mount(VizConfigForm, {
    props: {
      kind,
      columns,
      readOnly,
      modelValue: config,
      'onUpdate:modelValue': (next: VizConfig) => wrapper.setProps({ modelValue: next }),
    },
    attachTo: document.body,
  })
  // the kind's schema is a lazy chunk
  await vi.waitFor(() => expect(wrapper.find('fieldset').exists()).toBe(true))
  await flushPromises()
  return wrapper
}

const latest = <T>(wrapper: VueWrapper) =>
  (wrapper.props() as { modelValue: unknown }).modelValue as T
const field = (wrapper: VueWrapper, path: string) => wrapper.find(`[data-field="${path}"]`)
const control = (wrapper: VueWrapper, path: string) => wrapper.find(`[name="${path}"]`)

const line: SeriesConfig = { x: { column: 'day' }, y: [{ column: 'outages' }] }

describe('VizConfigForm', () => {
  it('is generated from the kind schema: titles, descriptions as hints, enums as selects showing the default', async () => {
    const wrapper = await mountForm('line', line)
    const text = wrapper.text()
    for (const title of [
      'X column',
      'Y columns',
      'Series by',
      'Stacking',
      'Legend',
      'Reference lines',
    ]) {
      expect(text).toContain(title)
    }
    expect(text).toContain('Series beyond this many (by total) are summed into Other')
    const stacking = control(wrapper, '/stacking')
    expect(stacking.element.tagName).toBe('SELECT')
    expect((stacking.element as HTMLSelectElement).value).toBe('none')
    expect(stacking.findAll('option').map((o) => o.text())).toEqual([
      'none (default)',
      'stacked',
      'percent',
    ])
    // a bar-only field is not offered on a line chart
    expect(control(wrapper, '/orientation').exists()).toBe(false)
    // numbers show their default and bounds
    expect(field(wrapper, '/topN').text()).toMatch(/Default: 20.*1–100/)
  })

  it('v-models the config: an enum change sets it, choosing a column sets it, clearing removes it', async () => {
    const wrapper = await mountForm('line', line)
    await control(wrapper, '/stacking').setValue('stacked')
    expect(latest<SeriesConfig>(wrapper).stacking).toBe('stacked')

    await control(wrapper, '/seriesBy').setValue('province')
    expect(latest<SeriesConfig>(wrapper).seriesBy).toBe('province')
    await control(wrapper, '/seriesBy').setValue('')
    expect(latest<SeriesConfig>(wrapper).seriesBy).toBeNull()

    await control(wrapper, '/nullDisplay').setValue('n/a')
    expect(latest<SeriesConfig>(wrapper).nullDisplay).toBe('n/a')
    await control(wrapper, '/nullDisplay').setValue('')
    expect('nullDisplay' in latest<SeriesConfig>(wrapper)).toBe(false)
    // the original object was never mutated
    expect(line).toEqual({ x: { column: 'day' }, y: [{ column: 'outages' }] })
  })

  it('offers the result columns, numeric first for y and temporal first for x', async () => {
    const wrapper = await mountForm('line', line)
    const names = (path: string) =>
      control(wrapper, path)
        .findAll('option')
        .map((o) => o.attributes('value'))
        .filter(Boolean)
    expect(names('/y/0/column')).toEqual(['outages', 'customers', 'province', 'day'])
    expect(names('/x/column')).toEqual(['day', 'province', 'outages', 'customers'])
    expect(names('/seriesBy')).toEqual(['province', 'day', 'outages', 'customers'])
  })

  it('keeps a saved column the result no longer has, marked as such', async () => {
    const wrapper = await mountForm('line', { x: { column: 'hour' }, y: [{ column: 'outages' }] })
    const select = control(wrapper, '/x/column').element as HTMLSelectElement
    expect(select.value).toBe('hour')
    expect(select.options[select.selectedIndex]!.textContent?.trim()).toBe(
      'hour (not in this result)',
    )
  })

  it('adds, reorders and removes y columns within the schema bounds (1–10)', async () => {
    const wrapper = await mountForm('line', line)
    const y = () => latest<SeriesConfig>(wrapper).y.map((c) => c.column)
    const list = field(wrapper, '/y')
    // the only y column cannot be removed (minItems 1)
    expect(list.find('[data-item="0"] [data-action="remove"]').attributes('disabled')).toBeDefined()

    await list.find('[data-action="add"]').trigger('click')
    expect(y()).toEqual(['outages', 'outages'])
    await control(wrapper, '/y/1/column').setValue('customers')
    expect(y()).toEqual(['outages', 'customers'])

    await field(wrapper, '/y').find('[data-item="1"] [data-action="up"]').trigger('click')
    expect(y()).toEqual(['customers', 'outages'])
    expect(field(wrapper, '/y').find('[data-item="0"] summary').text()).toContain(
      'Y column 1: customers',
    )

    await field(wrapper, '/y').find('[data-item="0"] [data-action="remove"]').trigger('click')
    expect(y()).toEqual(['outages'])
  })

  it('adds reference lines with their required value; an emptied optional list leaves the config', async () => {
    const wrapper = await mountForm('line', line)
    await field(wrapper, '/referenceLines').find('[data-action="add"]').trigger('click')
    expect(latest<SeriesConfig>(wrapper).referenceLines).toEqual([{ value: 0 }])
    await control(wrapper, '/referenceLines/0/value').setValue('250')
    await control(wrapper, '/referenceLines/0/label').setValue('Target')
    expect(latest<SeriesConfig>(wrapper).referenceLines).toEqual([{ value: 250, label: 'Target' }])
    await field(wrapper, '/referenceLines').find('[data-action="remove"]').trigger('click')
    expect('referenceLines' in latest<SeriesConfig>(wrapper)).toBe(false)
  })

  it('keeps numbers within min/max: out of range is said in words and not applied', async () => {
    const wrapper = await mountForm('line', { ...line, topN: 5 })
    const topN = control(wrapper, '/topN')
    expect((topN.element as HTMLInputElement).value).toBe('5')
    expect(topN.attributes('min')).toBe('1')
    expect(topN.attributes('max')).toBe('100')
    await topN.setValue('500')
    expect(field(wrapper, '/topN').text()).toContain('At most 100.')
    expect(topN.attributes('aria-invalid')).toBe('true')
    expect(latest<SeriesConfig>(wrapper).topN).toBe(5)
    await topN.setValue('2.5')
    expect(field(wrapper, '/topN').text()).toContain('Enter a whole number.')
    await topN.setValue('12')
    expect(latest<SeriesConfig>(wrapper).topN).toBe(12)
    expect(topN.attributes('aria-invalid')).toBeUndefined()
    await topN.setValue('')
    expect('topN' in latest<SeriesConfig>(wrapper)).toBe(false)
  })

  it('nests objects in collapsible groups, open only when required', async () => {
    const wrapper = await mountForm('line', line)
    expect((field(wrapper, '/x').element as HTMLDetailsElement).open).toBe(true)
    expect((field(wrapper, '/axes').element as HTMLDetailsElement).open).toBe(false)
    await control(wrapper, '/axes/right/scale').setValue('log')
    expect(latest<SeriesConfig>(wrapper).axes).toEqual({ right: { scale: 'log' } })
    await control(wrapper, '/numberFormat/decimals').setValue('2')
    expect(latest<SeriesConfig>(wrapper).numberFormat).toEqual({ decimals: 2 })
  })

  it('edits booleans with their default and colours with a colour input that can go back to the palette', async () => {
    const wrapper = await mountForm('bar', line)
    const labels = control(wrapper, '/valueLabels')
    expect((labels.element as HTMLInputElement).checked).toBe(false)
    await labels.setValue(true)
    expect(latest<SeriesConfig>(wrapper).valueLabels).toBe(true)
    // numberFormat.thousands defaults to true and shows it
    expect((control(wrapper, '/numberFormat/thousands').element as HTMLInputElement).checked).toBe(
      true,
    )

    const colour = control(wrapper, '/y/0/color')
    expect(colour.attributes('type')).toBe('color')
    expect(field(wrapper, '/y/0/color').text()).toContain('auto (palette)')
    await colour.setValue('#ff0000')
    expect(latest<SeriesConfig>(wrapper).y[0]!.color).toBe('#ff0000')
    await field(wrapper, '/y/0/color').find('button').trigger('click')
    expect(latest<SeriesConfig>(wrapper).y[0]).toEqual({ column: 'outages' })
  })

  it('stat: a nullable time object is a column select with (none); comparisons and thresholds are lists', async () => {
    const wrapper = await mountForm('stat', { value: { column: 'outages' } } as StatConfig)
    const time = control(wrapper, '/time')
    expect(time.findAll('option')[0]!.text()).toBe('(none)')
    await time.setValue('day')
    expect(latest<StatConfig>(wrapper).time).toEqual({ column: 'day' })
    await time.setValue('')
    expect(latest<StatConfig>(wrapper).time).toBeNull()

    await field(wrapper, '/comparisons').find('[data-action="add"]').trigger('click')
    expect(latest<StatConfig>(wrapper).comparisons).toEqual([{ against: 'previous-row' }])
    await control(wrapper, '/comparisons/0/against').setValue('previous-period')
    await control(wrapper, '/comparisons/0/better').setValue('lower')
    expect(latest<StatConfig>(wrapper).comparisons).toEqual([
      { against: 'previous-period', better: 'lower' },
    ])
    // at most three comparisons
    for (let i = 0; i < 2; i++) {
      await field(wrapper, '/comparisons').find('[data-action="add"]').trigger('click')
    }
    expect(latest<StatConfig>(wrapper).comparisons).toHaveLength(3)
    expect(field(wrapper, '/comparisons').find('[data-action="add"]').exists()).toBe(false)

    await field(wrapper, '/thresholds').find('[data-action="add"]').trigger('click')
    await control(wrapper, '/thresholds/0/from').setValue('100')
    await control(wrapper, '/thresholds/0/color').setValue('#cf222e')
    expect(latest<StatConfig>(wrapper).thresholds).toEqual([{ from: 100, color: '#cf222e' }])
  })

  it('table: per-column settings with thresholds inside each column', async () => {
    const wrapper = await mountForm('table', {} as TableConfig)
    await field(wrapper, '/columns').find('[data-action="add"]').trigger('click')
    expect(latest<TableConfig>(wrapper).columns).toEqual([{ column: 'province' }])
    await control(wrapper, '/columns/0/column').setValue('outages')
    await control(wrapper, '/columns/0/colorMode').setValue('background')
    await field(wrapper, '/columns/0/thresholds').find('[data-action="add"]').trigger('click')
    await control(wrapper, '/columns/0/thresholds/0/from').setValue('10')
    expect(latest<TableConfig>(wrapper).columns).toEqual([
      {
        column: 'outages',
        colorMode: 'background',
        thresholds: [{ from: 10, color: '#d62728' }],
      },
    ])
  })

  it('series overrides are keyed entries', async () => {
    const wrapper = await mountForm('area', line)
    const overrides = field(wrapper, '/series')
    await overrides.find('input[type="text"]').setValue('Ontario')
    await overrides.find('form').trigger('submit')
    expect(latest<SeriesConfig>(wrapper).series).toEqual({ Ontario: {} })
    await control(wrapper, '/series/Ontario/name').setValue('ON')
    expect(latest<SeriesConfig>(wrapper).series).toEqual({ Ontario: { name: 'ON' } })
  })

  it('is read-only for viewers: the controls are disabled and no list controls are offered', async () => {
    const wrapper = await mountForm('line', line, true)
    expect(wrapper.find('fieldset').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-action="add"]').exists()).toBe(false)
    expect(wrapper.find('[data-action="remove"]').exists()).toBe(false)
  })
})
