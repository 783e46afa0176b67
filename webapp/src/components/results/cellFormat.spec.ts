import { describe, expect, it } from 'vitest'

import type { ResultColumn } from '@/api/results'

import {
  formatCell,
  formatInstant,
  groupThousands,
  plainNotation,
  rawCellText,
  rowAsTsv,
} from './cellFormat'

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
    expect(cell.text).toBe('2026-01-01 18:30:00.123456-05')
    expect(cell.title).toBe('2026-01-01T23:30:00.123456Z')
    expect(formatCell('infinity', col('timestamptz'), utc).text).toBe('infinity')
  })

  it('shows timestamps without zone in the same layout as instants; dates and intervals as given', () => {
    expect(formatCell('2026-11-29T03:04:05.123456', col('timestamp'), utc).text).toBe(
      '2026-11-29 03:04:05.123456',
    )
    expect(formatCell('infinity', col('timestamp'), utc).text).toBe('infinity')
    expect(formatCell('P1Y2M3DT4H5M6.5S', col('interval'), utc).text).toBe('P1Y2M3DT4H5M6.5S')
  })

  it('shows numerics exactly as Postgres prints them: with their scale, in plain notation', () => {
    // numeric(24,6): every value keeps its six decimals, whatever its size
    expect(formatCell('165633142430.817900', col('decimal'), utc).text).toBe('165633142430.817900')
    expect(formatCell('25837.235200', col('decimal'), utc).text).toBe('25837.235200')
    expect(formatCell('-0.000000000000000001', col('decimal'), utc).text).toBe(
      '-0.000000000000000001',
    )
    // results stored before decimals travelled as strings: never exponent notation
    expect(formatCell(-1e-18, col('decimal'), utc).text).toBe('-0.000000000000000001')
    expect(formatCell(1e21, col('bigint'), utc).text).toBe('1000000000000000000000')
    // float8 is shown the way Postgres prints it, exponent included
    expect(formatCell(1e-18, col('number'), utc).text).toBe('1e-18')
  })

  it('writes exponents out in plain notation', () => {
    expect(plainNotation('-1e-18')).toBe('-0.000000000000000001')
    expect(plainNotation('1.5e+3')).toBe('1500')
    expect(plainNotation('1.25e1')).toBe('12.5')
    expect(plainNotation('123.450')).toBe('123.450')
    expect(plainNotation('NaN')).toBe('NaN')
  })

  it('groups thousands only when asked, leaving the fraction and non-numbers alone', () => {
    const on = { timeZone: 'UTC', thousands: true }
    expect(formatCell('165633142430.817900', col('decimal'), on).text).toBe(
      '165,633,142,430.817900',
    )
    expect(formatCell('-9007199254740993', col('bigint'), on).text).toBe('-9,007,199,254,740,993')
    expect(formatCell(999, col('integer'), on).text).toBe('999')
    expect(formatCell('NaN', col('decimal'), on).text).toBe('NaN')
    expect(formatCell('1234', col('text'), on).text).toBe('1234')
    expect(formatCell('165633142430.817900', col('decimal'), utc).text).toBe('165633142430.817900')
    expect(groupThousands('0.000001')).toBe('0.000001')
  })

  it('tells a JSON null document from SQL NULL', () => {
    const jsonNull = formatCell('null', col('json', 'jsonb'), utc)
    expect(jsonNull.text).toBe('null')
    expect(jsonNull.kind).toBe('json')
    expect(formatCell(null, col('json', 'jsonb'), utc)).toEqual({ text: 'NULL', kind: 'null' })
    expect(formatCell('{"a":1}', col('json'), utc)).toMatchObject({ text: '{"a":1}', kind: 'json' })
    expect(formatCell('"just a string"', col('json'), utc).text).toBe('"just a string"')
    expect(rawCellText('null', col('json'))).toBe('null')
    expect(rawCellText(null, col('json'))).toBe('')
    // arrays: json elements as their text, a SQL NULL element as NULL; exact numbers bare
    expect(
      formatCell(['{"a":1}', 'null', null], { ...col('array', '_jsonb'), elementType: 'json' }, utc)
        .text,
    ).toBe('[{"a":1},null,NULL]')
    expect(
      formatCell(
        ['1.50', 'NaN', null],
        { ...col('array', '_numeric'), elementType: 'decimal' },
        utc,
      ).text,
    ).toBe('[1.50,"NaN",null]')
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

  it('copies numbers exactly, in plain notation and never with thousands separators', () => {
    expect(rawCellText('165633142430.817900', col('decimal'))).toBe('165633142430.817900')
    expect(rawCellText(-1e-18, col('decimal'))).toBe('-0.000000000000000001')
    expect(rowAsTsv(['1234567.50', 1234567], [col('decimal'), col('integer')])).toBe(
      '1234567.50\t1234567',
    )
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
  it('formats instants with the zone offset at that instant, as psql does', () => {
    expect(formatInstant('2026-01-01T00:00:00+02:00', 'UTC')).toBe('2025-12-31 22:00:00+00')
    // the night New York moves to summer time: the offset changes with the instant
    expect(formatInstant('2026-03-08T06:30:00Z', 'America/New_York')).toBe('2026-03-08 01:30:00-05')
    expect(formatInstant('2026-03-08T07:30:00Z', 'America/New_York')).toBe('2026-03-08 03:30:00-04')
    expect(formatInstant('2026-03-08T07:30:00.5Z', 'Asia/Kolkata')).toBe(
      '2026-03-08 13:00:00.5+05:30',
    )
  })
})
