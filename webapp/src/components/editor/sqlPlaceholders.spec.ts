import { describe, expect, it } from 'vitest'

import type { ParameterSpec } from '@/api/parameters'

import {
  bindSql,
  defaultSpecFor,
  indexOfCharPosition,
  scanPlaceholders,
  templateOffset,
  usedParameters,
} from './sqlPlaceholders'

const keys = (sql: string) =>
  scanPlaceholders(sql).placeholders.map((p) => (p.part ? `${p.name}.${p.part}` : p.name))

describe('scanPlaceholders', () => {
  it('finds names, range parts and spaces inside the braces, with their offsets', () => {
    const sql = 'select * from t where a = {{ a }} and d between {{r.start}} and {{r.end}}'
    expect(keys(sql)).toEqual(['a', 'r.start', 'r.end'])
    const [first] = scanPlaceholders(sql).placeholders
    expect(sql.slice(first!.start, first!.end)).toBe('{{ a }}')
  })

  it('skips string literals, escape strings, dollar quotes, quoted identifiers and comments', () => {
    const sql = [
      "select '{{a}}', 'it''s {{b}}', E'\\' {{c}}', U&'{{d}}', $$ {{e}} $$, $x$ {{f}} $y$ $x$,",
      '"{{g}}", "a""{{h}}" -- {{i}}',
      '/* {{j}} /* nested {{k}} */ still {{l}} */ {{real}}',
    ].join('\n')
    expect(keys(sql)).toEqual(['real'])
  })

  it('reads a prefix only at the start of a word and $ inside a word as part of it', () => {
    expect(keys("select nameE'{{a}}', {{b}}")).toEqual(['b'])
    expect(keys('select a$b {{c}} $1')).toEqual(['c'])
  })

  it('runs an unterminated literal or comment to the end', () => {
    expect(keys("select {{a}}, 'open {{b}}")).toEqual(['a'])
    expect(keys('select {{a}} /* open {{b}}')).toEqual(['a'])
  })

  it('reports malformed placeholders instead of using them', () => {
    const scanned = scanPlaceholders('select {{1x}}, {{x.middle}}, {{}}, {{ok}}')
    expect(scanned.placeholders.map((p) => p.name)).toEqual(['ok'])
    expect(scanned.malformed.map((m) => m.text)).toEqual(['1x', 'x.middle', ''])
  })

  it('leaves braces alone when they do not close on a plausible token', () => {
    expect(keys("select '{' || '}', {{ not closed")).toEqual([])
    expect(keys('select jsonb_build_object({{a}}, 1)')).toEqual(['a'])
  })
})

describe('usedParameters', () => {
  it('lists each name once; .start/.end make it a range, declared as a date range by default', () => {
    const used = usedParameters('select {{x}}, {{r.start}}, {{x}}, {{r.end}}')
    expect(used).toEqual([
      { name: 'x', ranged: false },
      { name: 'r', ranged: true },
    ])
    expect(defaultSpecFor(used[0]!).type).toBe('text')
    expect(defaultSpecFor(used[1]!).type).toBe('date_range')
  })
})

describe('bindSql', () => {
  const specs: ParameterSpec[] = [
    { name: 'id', type: 'integer' },
    { name: 'r', type: 'timestamp_range' },
    { name: 'tags', type: 'enum', multi: true, options: ['a'] },
  ]

  it('numbers each distinct placeholder by first appearance, with the casts the server adds', () => {
    const bound = bindSql(
      'select * from t where id = {{id}} and ts >= {{r.start}} and ts < {{r.end}} and tag = any({{tags}}) or id={{id}}',
      specs,
    )
    expect(bound?.sql).toBe(
      'select * from t where id = $1::text::bigint and ts >= $2::text::timestamptz and ts < $3::text::timestamptz and tag = any($4::text[]) or id=$1::text::bigint',
    )
  })

  it('puts a space between a replacement and an identifier character next to it', () => {
    expect(bindSql('select a{{id}}b', specs)?.sql).toBe('select a $1::text::bigint b')
  })

  it('cannot bind undeclared or malformed placeholders', () => {
    expect(bindSql('select {{nope}}', specs)).toBeNull()
    expect(bindSql('select {{1x}}', specs)).toBeNull()
  })

  it('maps an offset in the bound SQL back onto the template', () => {
    const template = 'select {{id}} + missing_col from t'
    const bound = bindSql(template, specs)!
    const inBound = bound.sql.indexOf('missing_col')
    expect(templateOffset(bound, inBound)).toBe(template.indexOf('missing_col'))
    // Inside a replacement: the placeholder's start.
    expect(templateOffset(bound, bound.sql.indexOf('bigint'))).toBe(template.indexOf('{{id}}'))
  })
})

describe('indexOfCharPosition', () => {
  it('counts characters as Postgres does, so astral characters count once', () => {
    const sql = "select '😀', nope"
    expect(indexOfCharPosition(sql, 13)).toBe(sql.indexOf('nope'))
    expect(indexOfCharPosition('select 1', 1)).toBe(0)
    expect(indexOfCharPosition('abc', 99)).toBe(3)
  })
})
