import { describe, expect, it } from 'vitest'

import type { ResultColumn } from '@/api/results'

import { formatCell, formatInstant, rawCellText, rowAsTsv } from './cellFormat'

const col = (type: ResultColumn['type'], sourceType: string = type): ResultColumn => ({
  name: 'c',
  type,
  sourceType,
})
const utc = { timeZone: 'UTC' }

describe('formatCell', () => {
  it('shows NULL as its own kind for every type', () => {
    expect(formatCell(null, col('text'), utc)).toEqual({ text: 'NULL', kind: 'null' })
    expect(formatCell(null, col('bigint'), utc).kind).toBe('null')
  })

  it('keeps big integers and long decimals exactly as sent', () => {
    expect(formatCell('9007199254740993', col('bigint'), utc)).toEqual({
      text: '9007199254740993',
      kind: 'number',
    })
    expect(formatCell('0.1234567890123456', col('decimal'), utc).text).toBe('0.1234567890123456')
    expect(formatCell('NaN', col('number'), utc).kind).toBe('number')
  })

  it('shows timestamptz in the given zone and keeps microseconds', () => {
    const cell = formatCell('2026-01-01T23:30:00.123456Z', col('timestamptz'), {
      timeZone: 'America/New_York',
    })
    expect(cell.text).toBe('2026-01-01 18:30:00.123456')
    expect(cell.title).toBe('2026-01-01T23:30:00.123456Z')
    expect(formatCell('infinity', col('timestamptz'), utc).text).toBe('infinity')
  })

  it('shows timestamps without zone, dates and intervals as given', () => {
    expect(formatCell('2026-11-29T03:04:05.123456', col('timestamp'), utc).text).toBe(
      '2026-11-29T03:04:05.123456',
    )
    expect(formatCell('P1Y2M3DT4H5M6.5S', col('interval'), utc).text).toBe('P1Y2M3DT4H5M6.5S')
  })

  it('shows json and arrays as compact JSON, the full value in the title when long', () => {
    expect(formatCell({ a: 1, b: [true, null] }, col('json'), utc).text).toBe(
      '{"a":1,"b":[true,null]}',
    )
    expect(formatCell(['a', 'b'], col('array', '_text'), utc).text).toBe('["a","b"]')
    const long = { text: 'x'.repeat(400) }
    const cell = formatCell(long, col('json'), utc)
    expect(cell.text.endsWith('…')).toBe(true)
    expect(cell.title).toBe(JSON.stringify(long))
  })

  it('shows bytea as \\x hex with its size', () => {
    const cell = formatCell(btoa('\x01\xab'), col('bytea'), utc)
    expect(cell).toEqual({ text: '\\x01ab', kind: 'bytes', title: '2 bytes' })
  })

  it('shows booleans as words', () => {
    expect(formatCell(false, col('boolean'), utc)).toEqual({ text: 'false', kind: 'boolean' })
  })
})

describe('copy text', () => {
  it('copies raw values: NULL as empty, JSON compact, bytea as hex', () => {
    expect(rawCellText(null, col('text'))).toBe('')
    expect(rawCellText({ a: 1 }, col('json'))).toBe('{"a":1}')
    expect(rawCellText(btoa('\xff'), col('bytea'))).toBe('\\xff')
    expect(rawCellText('2026-01-01T00:00:00Z', col('timestamptz'))).toBe('2026-01-01T00:00:00Z')
  })

  it('quotes tab-separated fields that hold tabs, newlines or quotes', () => {
    expect(
      rowAsTsv(
        [1, 'a\tb', 'say "hi"', null],
        [col('integer'), col('text'), col('text'), col('text')],
      ),
    ).toBe('1\t"a\tb"\t"say ""hi"""\t')
  })
})

describe('instants', () => {
  it('formats instants with an offset', () => {
    expect(formatInstant('2026-01-01T00:00:00+02:00', 'UTC')).toBe('2025-12-31 22:00:00')
  })
})
