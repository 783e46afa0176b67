import { describe, expect, it } from 'vitest'

import { sqlExcerpt } from './sqlExcerpt'

describe('sqlExcerpt', () => {
  it('marks the character at a 1-based position and places a caret under it', () => {
    const excerpt = sqlExcerpt('select *\nfrom outage\nwhere x = 1', 15)!
    expect(excerpt.line.number).toBe(2)
    expect(excerpt.column).toBe(6)
    expect(excerpt.line.head).toBe('from ')
    expect(excerpt.line.mark).toBe('o')
    expect(excerpt.line.tail).toBe('utage')
    expect(excerpt.line.caretIndent).toBe('     ')
    expect(excerpt.before).toEqual([{ number: 1, text: 'select *' }])
    expect(excerpt.after).toEqual([{ number: 3, text: 'where x = 1' }])
  })

  it('counts characters, not UTF-16 units, before the position', () => {
    const excerpt = sqlExcerpt("select '😀', nope", 13)!
    expect(excerpt.line.mark).toBe('n')
    expect(excerpt.line.head).toBe("select '😀', ")
  })

  it('keeps tabs in the caret indent so the caret lines up', () => {
    expect(sqlExcerpt('\tselect x', 3)!.line.caretIndent).toBe('\t ')
  })

  it('marks the end of the text when the position is past the last character', () => {
    const excerpt = sqlExcerpt('select', 7)!
    expect(excerpt.line.head).toBe('select')
    expect(excerpt.line.mark).toBe('')
  })

  it('gives nothing for a missing position', () => {
    expect(sqlExcerpt('select 1', 0)).toBeNull()
  })
})
