import { beforeEach, describe, expect, it } from 'vitest'
import { ref } from 'vue'

import {
  EDITOR_HEIGHT_KEY,
  EDITOR_LINE_HEIGHT,
  EDITOR_MAX_AUTO_HEIGHT,
  EDITOR_MIN_HEIGHT,
  useEditorHeight,
} from './useEditorHeight'

const lines = (n: number) => Array.from({ length: n }, (_, i) => `select ${i}`).join('\n')

beforeEach(() => localStorage.clear())

describe('useEditorHeight', () => {
  it('sizes the editor by its text, never below the minimum nor above the maximum', () => {
    const sql = ref('select 1')
    const { height } = useEditorHeight(sql)
    expect(height.value).toBe(EDITOR_MIN_HEIGHT)

    sql.value = lines(8)
    expect(height.value).toBeGreaterThan(8 * EDITOR_LINE_HEIGHT)
    expect(height.value).toBeLessThan(EDITOR_MAX_AUTO_HEIGHT)

    sql.value = lines(200)
    expect(height.value).toBe(EDITOR_MAX_AUTO_HEIGHT)
  })

  it('follows the content height the editor reports once it does', () => {
    const { height, contentHeight } = useEditorHeight(ref(lines(5)))
    contentHeight.value = 180
    expect(height.value).toBeGreaterThanOrEqual(180)
    expect(height.value).toBeLessThan(200)
    contentHeight.value = 5_000
    expect(height.value).toBe(EDITOR_MAX_AUTO_HEIGHT)
    contentHeight.value = 10
    expect(height.value).toBe(EDITOR_MIN_HEIGHT)
  })

  it('keeps a dragged height over the text, remembers it for the next workbench, and forgets it on reset', () => {
    const sql = ref(lines(3))
    const first = useEditorHeight(sql)
    first.resize(432.4)
    expect(first.height.value).toBe(432)
    sql.value = lines(40)
    expect(first.height.value).toBe(432)
    expect(localStorage.getItem(EDITOR_HEIGHT_KEY)).toBe('432')

    const reopened = useEditorHeight(ref('select 1'))
    expect(reopened.height.value).toBe(432)

    reopened.reset()
    expect(reopened.height.value).toBe(EDITOR_MIN_HEIGHT)
    expect(localStorage.getItem(EDITOR_HEIGHT_KEY)).toBeNull()
    expect(useEditorHeight(ref('select 1')).dragged.value).toBeNull()
  })

  it('never keeps a height below the minimum, dragged or stored', () => {
    const { height, resize } = useEditorHeight(ref('select 1'))
    resize(10)
    expect(height.value).toBe(EDITOR_MIN_HEIGHT)
    localStorage.setItem(EDITOR_HEIGHT_KEY, '12')
    expect(useEditorHeight(ref('select 1')).dragged.value).toBeNull()
  })
})
