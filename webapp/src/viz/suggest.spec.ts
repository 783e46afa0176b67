import { describe, expect, it } from 'vitest'

import type { Cell, ResultColumn } from '@/api/results'

import { vizKindList, vizKinds } from './registry'
import { suggest, suggestSeries, suggestStat, suggestTable } from './suggest'

const col = (name: string, type: ResultColumn['type']): ResultColumn => ({
  name,
  type,
  sourceType: type,
})

// outages per province per day: long format
const outages = [
  col('day', 'date'),
  col('province', 'text'),
  col('outages', 'bigint'),
  col('customers', 'integer'),
]
const outageRows: Cell[][] = [
  ['2026-11-01', 'Gauteng', '12', 300],
  ['2026-11-01', 'Limpopo', '3', 40],
  ['2026-11-02', 'Gauteng', '9', 210],
  ['2026-11-02', 'Limpopo', '5', 80],
]

describe('suggestSeries', () => {
  it('timestamp → time x; a text column with few distinct values → seriesBy; the first numeric → y', () => {
    expect(suggestSeries('line', outages, outageRows)).toEqual({
      x: { column: 'day', type: 'time' },
      y: [{ column: 'outages' }],
      seriesBy: 'province',
    })
  })

  it('area charts of several series stack', () => {
    expect(suggestSeries('area', outages, outageRows).stacking).toBe('stacked')
  })

  it('without a sample (or with a text column of all-distinct values) every numeric column is a y', () => {
    expect(suggestSeries('line', outages)).toEqual({
      x: { column: 'day', type: 'time' },
      y: [{ column: 'outages' }, { column: 'customers' }],
    })
    const unique: Cell[][] = [
      ['2026-11-01', 'a', 1, 1],
      ['2026-11-02', 'b', 2, 2],
    ]
    expect(suggestSeries('line', outages, unique).seriesBy).toBeUndefined()
  })

  it('no time column: the first text column is a category x', () => {
    const desks = [col('desk', 'text'), col('venue', 'text'), col('orders', 'integer')]
    const rows: Cell[][] = [
      ['FX', 'LSE', 1],
      ['FX', 'XETRA', 2],
      ['Rates', 'LSE', 3],
    ]
    expect(suggestSeries('bar', desks, rows)).toEqual({
      x: { column: 'desk', type: 'category' },
      y: [{ column: 'orders' }],
      seriesBy: 'venue',
    })
  })

  it('keeps at most 10 y columns', () => {
    const wide = [
      col('t', 'timestamptz'),
      ...Array.from({ length: 12 }, (_, i) => col(`v${i}`, 'number')),
    ]
    expect(suggestSeries('line', wide).y).toHaveLength(10)
  })
})

describe('suggestStat and suggestTable', () => {
  it('stat: the last numeric column, last value, with the time column for a sparkline', () => {
    expect(suggestStat(outages)).toEqual({
      value: { column: 'customers', reducer: 'last' },
      time: { column: 'day' },
      sparkline: true,
    })
    expect(suggestStat([col('n', 'bigint')])).toEqual({ value: { column: 'n', reducer: 'last' } })
  })

  it('table: every column in result order', () => {
    expect(suggestTable(outages)).toEqual({
      columns: [
        { column: 'day' },
        { column: 'province' },
        { column: 'outages' },
        { column: 'customers' },
      ],
    })
    expect(suggest('table', outages)).toEqual(suggestTable(outages))
  })
})

describe('registry', () => {
  it('registers every kind once, each with a label, an SVG preview and a suggestion', () => {
    expect(vizKindList.map((k) => k.kind)).toEqual(['line', 'area', 'bar', 'stat', 'table'])
    for (const module of vizKindList) {
      expect(vizKinds[module.kind]).toBe(module)
      expect(module.label).not.toBe('')
      expect(module.icon).toMatch(/^<svg [^>]*viewBox="0 0 48 32"[^>]*>.*<\/svg>$/)
      expect(module.suggest(outages, outageRows)).toEqual(suggest(module.kind, outages, outageRows))
    }
  })
})
