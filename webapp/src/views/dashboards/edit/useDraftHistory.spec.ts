import { describe, expect, it } from 'vitest'

import { useDraftHistory } from './useDraftHistory'

describe('useDraftHistory', () => {
  it('undoes and redoes steps, and a new step drops what could be redone', () => {
    const h = useDraftHistory('a')
    h.commit('b')
    h.commit('c')
    expect(h.undo()).toBe(true)
    expect(h.current.value).toBe('b')
    expect(h.undo()).toBe(true)
    expect(h.current.value).toBe('a')
    expect(h.undo()).toBe(false)
    expect(h.canUndo.value).toBe(false)
    expect(h.redo()).toBe(true)
    expect(h.current.value).toBe('b')
    expect(h.canRedo.value).toBe(true)
    h.commit('x')
    expect(h.canRedo.value).toBe(false)
    expect(h.redo()).toBe(false)
    h.undo()
    expect(h.current.value).toBe('b')
  })

  it('keeps at most `limit` steps', () => {
    const h = useDraftHistory(0, { limit: 3 })
    for (let i = 1; i <= 10; i++) h.commit(i)
    let undone = 0
    while (h.undo()) undone++
    expect(undone).toBe(3)
    expect(h.current.value).toBe(7)
  })

  it('folds quick changes of one field into one step, but not changes of another field or later ones', () => {
    let now = 0
    const h = useDraftHistory('', { now: () => now })
    h.commit('H', 'name')
    now += 200
    h.commit('He', 'name')
    now += 200
    h.commit('Hey', 'name')
    h.undo()
    expect(h.current.value).toBe('')
    h.redo()
    now += 5_000
    h.commit('Hey!', 'name')
    h.commit('Hey! 2', 'title')
    h.undo()
    expect(h.current.value).toBe('Hey!')
    h.undo()
    expect(h.current.value).toBe('Hey')
  })

  it('replace changes the current value without a step; reset forgets every step', () => {
    const h = useDraftHistory('a')
    h.commit('b')
    h.replace('b2')
    h.undo()
    expect(h.current.value).toBe('a')
    h.redo()
    expect(h.current.value).toBe('b2')
    h.reset('z')
    expect(h.canUndo.value).toBe(false)
    expect(h.canRedo.value).toBe(false)
    expect(h.current.value).toBe('z')
  })
})
