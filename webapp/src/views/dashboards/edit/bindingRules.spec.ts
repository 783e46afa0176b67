import { describe, expect, it } from 'vitest'

import type { ParameterSpec } from '@/api/parameters'

import { autoBindings, incompatibility, needsBinding } from './bindingRules'

const spec = (name: string, type: ParameterSpec['type'], extra: Partial<ParameterSpec> = {}) =>
  ({ name, type, ...extra }) as ParameterSpec

describe('incompatibility (the mirror of Bindings.java)', () => {
  it('lets a type feed itself and integer feed number, not the other way', () => {
    expect(incompatibility(spec('d', 'date'), spec('t', 'date'))).toBeNull()
    expect(incompatibility(spec('n', 'integer'), spec('t', 'number'))).toBeNull()
    expect(incompatibility(spec('n', 'number'), spec('t', 'integer'))).toBe(
      "a number dashboard parameter ('n') cannot feed an integer parameter",
    )
  })

  it('lets text, enum and query_enum feed one another', () => {
    for (const d of ['text', 'enum', 'query_enum'] as const)
      for (const t of ['text', 'query_enum'] as const)
        expect(incompatibility(spec('a', d), spec('b', t)), `${d} → ${t}`).toBeNull()
    expect(incompatibility(spec('a', 'text'), spec('b', 'enum', { options: ['x'] }))).toBeNull()
  })

  it('refuses an enum offering options the tile does not have, naming them', () => {
    const dash = spec('province', 'enum', { options: ['ON', 'QC', 'NU'] })
    expect(
      incompatibility(dash, spec('p', 'enum', { options: ['ON', 'QC', 'NU', 'BC'] })),
    ).toBeNull()
    expect(incompatibility(dash, spec('p', 'enum', { options: ['ON', 'QC'] }))).toBe(
      `the dashboard parameter 'province' offers "NU", which the tile parameter does not (its options: "ON", "QC")`,
    )
  })

  it('never mixes single- and multi-select', () => {
    expect(incompatibility(spec('a', 'enum', { multi: true }), spec('b', 'text'))).toBe(
      "a multi-select enum dashboard parameter ('a') cannot feed a text parameter (single- and multi-select values differ)",
    )
  })

  it('keeps dates, timestamps, ranges and booleans to their own type', () => {
    expect(incompatibility(spec('p', 'date_range'), spec('t', 'timestamp_range'))).toBe(
      "a date_range dashboard parameter ('p') cannot feed a timestamp_range parameter",
    )
    expect(incompatibility(spec('b', 'boolean'), spec('t', 'text'))).not.toBeNull()
    expect(incompatibility(spec('d', 'date'), spec('t', 'timestamp'))).not.toBeNull()
    expect(incompatibility(spec('t', 'text'), spec('d', 'date'))).not.toBeNull()
  })
})

describe('autoBindings', () => {
  it('binds a query parameter to the dashboard parameter of the same name and a compatible type only', () => {
    const dash = [spec('period', 'date_range'), spec('region', 'text'), spec('top', 'number')]
    const tile = [
      spec('period', 'date_range'),
      spec('region', 'enum', { options: ['N'] }),
      spec('top', 'integer'),
      spec('other', 'text'),
    ]
    expect(autoBindings(tile, dash)).toEqual({
      period: { from: 'dashboard', param: 'period' },
      region: { from: 'dashboard', param: 'region' },
    })
  })
})

describe('needsBinding', () => {
  it('flags a required parameter without a default left to the query default', () => {
    const required = spec('x', 'text', { required: true })
    expect(needsBinding(required, undefined)).toBe(true)
    expect(needsBinding(required, { default: true })).toBe(true)
    expect(needsBinding(required, { value: 'a' })).toBe(false)
    expect(needsBinding({ ...required, default: 'a' }, undefined)).toBe(false)
    expect(needsBinding(spec('y', 'text'), undefined)).toBe(false)
  })
})
