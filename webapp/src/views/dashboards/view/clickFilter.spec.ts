import { describe, expect, it } from 'vitest'

import type { ParameterSpec } from '@/api/parameters'

import { activeFilters, applyClick, paramValueOf } from './clickFilter'

const specs: ParameterSpec[] = [
  { name: 'province', type: 'enum', options: ['Gauteng', 'Limpopo'] },
  { name: 'provinces', type: 'enum', options: ['Gauteng', 'Limpopo'], multi: true },
  { name: 'day', type: 'date' },
  { name: 'top', type: 'integer' },
]

describe('click to filter', () => {
  const action = { setParam: 'province', column: 'province' }

  it('sets the parameter to the clicked row’s column value, and clears it on a second click', () => {
    const first = applyClick({ day: '2026-01-01' }, action, specs, {
      province: 'Gauteng',
      outages: 12,
    })
    expect(first).toEqual({ day: '2026-01-01', province: 'Gauteng' })
    const other = applyClick(first, action, specs, { province: 'Limpopo' })
    expect(other.province).toBe('Limpopo')
    const cleared = applyClick(other, action, specs, { province: 'Limpopo' })
    expect(cleared).toEqual({ day: '2026-01-01', province: null })
  })

  it('does nothing when the click does not carry the column, or names no declared parameter', () => {
    const values = { province: 'Gauteng' }
    expect(applyClick(values, action, specs, { outages: 3 })).toBe(values)
    expect(
      applyClick(values, { setParam: 'gone', column: 'province' }, specs, { province: 'x' }),
    ).toBe(values)
  })

  it('types the value for the parameter', () => {
    expect(paramValueOf(specs[1]!, 'Gauteng')).toEqual(['Gauteng'])
    expect(paramValueOf(specs[2]!, '2026-11-03T00:00:00.000Z')).toBe('2026-11-03')
    expect(paramValueOf(specs[3]!, '42')).toBe(42)
    expect(paramValueOf(specs[3]!, 'many')).toBeUndefined()
    expect(paramValueOf(specs[0]!, null)).toBeUndefined()
  })

  it('lists the parameters set by clicks as chips', () => {
    const actions = [action, null, { setParam: 'day', column: 'day' }, action]
    expect(activeFilters(actions, { province: 'Gauteng', top: 3 })).toEqual(['province'])
    expect(activeFilters(actions, { province: null })).toEqual([])
  })
})
