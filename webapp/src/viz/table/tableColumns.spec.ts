import { describe, expect, it } from 'vitest'

import type { Cell, ResultColumn } from '@/api/results'

import { contrastText, linkFor, tableColumns, thresholdColor } from './tableColumns'

const col = (name: string, type: ResultColumn['type']): ResultColumn => ({
  name,
  type,
  sourceType: type,
})
const columns = [
  col('id', 'bigint'),
  col('at', 'timestamptz'),
  col('price', 'decimal'),
  col('name', 'text'),
  col('day', 'date'),
]
const row: Cell[] = ['9007199254740993', '2026-11-01T22:30:00Z', '1234.5', 'a b/c?&', '2026-11-01']
const options = { timeZone: 'Europe/Berlin', thousands: true }

describe('tableColumns', () => {
  it('without a config: every column, as the workbench formats it', () => {
    const views = tableColumns(columns, undefined, options)
    expect(views.map((v) => [v.index, v.label, v.align, v.width])).toEqual([
      [0, 'id', 'right', null],
      [1, 'at', 'left', null],
      [2, 'price', 'right', null],
      [3, 'name', 'left', null],
      [4, 'day', 'left', null],
    ])
    expect(views[0]!.format(row[0]!).text).toBe('9,007,199,254,740,993')
    expect(views[1]!.format(row[1]!).text).toBe('2026-11-01 23:30:00+01')
    expect(views[0]!.format(null).text).toBe('NULL')
  })

  it('listed columns first in their order, hidden ones dropped, the rest after in result order', () => {
    const views = tableColumns(
      columns,
      {
        columns: [
          { column: 'name', label: 'Customer', align: 'center', width: 200 },
          { column: 'id', visible: false },
          { column: 'nope' },
          { column: 'price' },
        ],
      },
      options,
    )
    expect(views.map((v) => [v.column.name, v.label, v.align, v.width])).toEqual([
      ['name', 'Customer', 'center', 200],
      ['price', 'price', 'right', null],
      ['at', 'at', 'left', null],
      ['day', 'day', 'left', null],
    ])
  })

  it('number and date formats per column (over the table’s), null display', () => {
    const views = tableColumns(
      columns,
      {
        numberFormat: { style: 'currency', currency: 'EUR' },
        dateFormat: 'D MMM YYYY HH:mm',
        nullDisplay: 'n/a',
        columns: [{ column: 'id', numberFormat: { style: 'plain', thousands: false } }],
      },
      options,
    )
    const byName = Object.fromEntries(views.map((v) => [v.column.name, v]))
    expect(byName.id!.format(row[0]!).text).toBe('9007199254740993')
    expect(byName.price!.format(row[2]!).text).toBe('€1,234.50')
    expect(byName.at!.format(row[1]!).text).toBe('1 Nov 2026 23:30')
    // a date has no zone: its wall clock is kept
    expect(byName.day!.format(row[4]!).text).toBe('1 Nov 2026 00:00')
    expect(byName.name!.format(null)).toEqual({ text: 'n/a', kind: 'null' })
  })

  it('conditional colour by thresholds, as text or background with a readable text colour', () => {
    const thresholds = [
      { from: 1000, color: '#cf222e' },
      { from: 0, color: '#1a7f37' },
    ]
    const [text] = tableColumns(columns, { columns: [{ column: 'price', thresholds }] }, options)
    expect(text!.style('1234.5')).toEqual({ color: '#cf222e' })
    expect(text!.style('999')).toEqual({ color: '#1a7f37' })
    expect(text!.style('-1')).toBeNull()
    expect(text!.style(null)).toBeNull()
    const [bg] = tableColumns(
      columns,
      { columns: [{ column: 'price', thresholds, colorMode: 'background' }] },
      options,
    )
    expect(bg!.style('5')).toEqual({ background: '#1a7f37', color: '#ffffff' })
    expect(thresholdColor(5, [])).toBeNull()
    expect(contrastText('#ffe08a')).toBe('#000000')
  })

  it('totals from exact text, in the column’s number format', () => {
    const views = tableColumns(
      columns,
      { columns: [{ column: 'price', numberFormat: { decimals: 2 } }, { column: 'id' }] },
      options,
    )
    expect(views[0]!.total('123456789012345678.005')).toBe('123,456,789,012,345,678.01')
    expect(views[1]!.total('18014398509481986')).toBe('18,014,398,509,481,986')
  })
})

describe('linkFor', () => {
  it('fills placeholders with URL-encoded values of the row', () => {
    expect(linkFor('https://crm.example/c/{{name}}?id={{ id }}', row, columns)).toBe(
      'https://crm.example/c/a%20b%2Fc%3F%26?id=9007199254740993',
    )
    expect(linkFor('https://x.example/{{nope}}', row, columns)).toBe('https://x.example/')
  })

  it('only http and https', () => {
    expect(linkFor('javascript:alert({{name}})', row, columns)).toBeNull()
    expect(linkFor('{{name}}', ['javascript:alert(1)'], [col('name', 'text')])).toBeNull()
    expect(linkFor('ftp://x/{{id}}', row, columns)).toBeNull()
    expect(linkFor('http://x/{{id}}', row, columns)).toBe('http://x/9007199254740993')
    expect(linkFor(null, row, columns)).toBeNull()
  })
})
