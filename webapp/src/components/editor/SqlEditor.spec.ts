import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import SqlEditor from './SqlEditor.vue'

// Monaco does not load here: the editor's plain text box stands in, with the same keys and methods.
vi.mock('./monacoLoader', () => {
  throw new Error('no Monaco in unit tests')
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})

async function mountEditor(sql: string, runScope?: 'statement' | 'all') {
  const wrapper = mount(SqlEditor, {
    props: { modelValue: sql, ...(runScope ? { runScope } : {}) },
    attachTo: document.body,
  })
  await flushPromises()
  const box = wrapper.get('[data-testid="sql-editor-textarea"]')
  return { wrapper, box, element: box.element as HTMLTextAreaElement }
}

describe('SqlEditor: what Ctrl/Cmd+Enter runs', () => {
  const sql = 'select 1 as first;\n\nselect ";" as second -- ; not a split\n;'

  it('runs the statement under the cursor when nothing is selected', async () => {
    const { wrapper, box, element } = await mountEditor(sql)
    const inSecond = sql.indexOf('second')
    element.setSelectionRange(inSecond, inSecond)
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(wrapper.emitted('run')).toEqual([
      [
        {
          sql: 'select ";" as second -- ; not a split',
          offset: sql.indexOf('select ";"'),
          selection: true,
        },
      ],
    ])
  })

  it('runs the first statement with the cursor in it', async () => {
    const { wrapper, box, element } = await mountEditor(sql)
    element.setSelectionRange(3, 3)
    await box.trigger('keydown', { key: 'Enter', metaKey: true })
    expect(wrapper.emitted('run')![0]![0]).toEqual({
      sql: 'select 1 as first',
      offset: 0,
      selection: true,
    })
  })

  it('runs the whole text when that is the choice, and a selection before anything', async () => {
    const { wrapper, box, element } = await mountEditor(sql, 'all')
    element.setSelectionRange(sql.indexOf('second'), sql.indexOf('second'))
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(wrapper.emitted('run')![0]![0]).toEqual({ sql, offset: 0, selection: false })
    element.setSelectionRange(0, 8)
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(wrapper.emitted('run')![1]![0]).toEqual({ sql: 'select 1', offset: 0, selection: true })
  })

  it('runs a single statement as the whole text, so a saved query still runs as itself', async () => {
    const { wrapper, box } = await mountEditor('select 1;\n')
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(wrapper.emitted('run')![0]![0]).toEqual({
      sql: 'select 1;\n',
      offset: 0,
      selection: false,
    })
  })

  it('says the line and column of an error in words', async () => {
    const { wrapper } = await mountEditor('select 1,\n  nope')
    ;(wrapper.vm as unknown as { markError(p: number, m: string): void }).markError(
      13,
      'column "nope" does not exist',
    )
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'Line 2, column 3: column "nope" does not exist',
    )
  })
})
