import { describe, expect, it } from 'vitest'

import type { ResultColumn } from '@/api/results'
import type { SeriesConfig, Visualization } from '@/viz/types'

import { configForKind, isChanged, stableJson, suggestDraft } from './vizDraft'

const columns: ResultColumn[] = [
  { name: 'day', type: 'date', sourceType: 'date' },
  { name: 'outages', type: 'integer', sourceType: 'int4' },
]

describe('vizDraft', () => {
  it('compares configs regardless of key order (jsonb does not keep it)', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe(
      stableJson({ a: { c: [{ e: 2, f: 1 }], d: 2 }, b: 1 }),
    )
    const saved = {
      name: 'A',
      kind: 'line',
      config: { y: [{ column: 'outages' }], x: { column: 'day' } },
    } as Visualization
    expect(
      isChanged(
        { name: 'A', kind: 'line', config: { x: { column: 'day' }, y: [{ column: 'outages' }] } },
        saved,
      ),
    ).toBe(false)
    expect(isChanged({ name: 'B', kind: 'line', config: saved.config }, saved)).toBe(true)
    expect(isChanged({ name: 'A', kind: 'line', config: saved.config }, null)).toBe(true)
  })

  it('keeps the mapping between series kinds, without what the new kind lacks', () => {
    const bar: SeriesConfig = {
      x: { column: 'day' },
      y: [{ column: 'outages', render: 'line' }],
      orientation: 'horizontal',
      valueLabels: true,
      stacking: 'stacked',
    }
    expect(configForKind('bar', 'area', bar, columns, undefined)).toEqual({
      x: { column: 'day' },
      y: [{ column: 'outages' }],
      stacking: 'stacked',
    })
    expect(
      configForKind(
        'line',
        'bar',
        { ...bar, lineStyle: 'step' } as SeriesConfig,
        columns,
        undefined,
      ),
    ).not.toHaveProperty('lineStyle')
    // to a stat: a new suggestion
    expect(configForKind('line', 'stat', bar, columns, undefined)).toMatchObject({
      value: { column: 'outages' },
    })
  })

  it('names a new visualization after its kind, numbered past the names taken', () => {
    expect(suggestDraft('bar', columns, undefined, []).name).toBe('Bar')
    expect(suggestDraft('bar', columns, undefined, [{ name: 'Bar' }, { name: 'Bar 2' }]).name).toBe(
      'Bar 3',
    )
  })
})
