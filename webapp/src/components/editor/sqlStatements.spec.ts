import { describe, expect, it } from 'vitest'

import { runTarget, statementAt, statementRanges } from './sqlStatements'

const texts = (sql: string) => statementRanges(sql).map((r) => sql.slice(r.start, r.end).trim())

describe('statementRanges', () => {
  it('splits at top-level semicolons only, as the server counts statements', () => {
    expect(texts('select 1; select 2;\nselect 3')).toEqual(['select 1', 'select 2', 'select 3'])
    for (const one of [
      'select 1;',
      'select 1;;  -- done',
      "select ';' as s",
      'select $$a; select 2$$',
      'select $t$ ; $t$',
      'select "a;b" from t',
      "select E'it\\'s; x'",
      'select 1 -- ; select 2',
      'select 1 /* ; /* nested ; */ select 2 */',
      "select U&'d;x';",
    ]) {
      expect(statementRanges(one), one).toHaveLength(1)
    }
    expect(statementRanges(' -- only a comment\n;;')).toHaveLength(0)
  })
})

describe('statementAt', () => {
  const sql = 'select 1;\n\nselect 2 from t;\nselect 3'
  it('is the statement the cursor is in, after, or below', () => {
    const at = (cursor: number) => {
      const r = statementAt(sql, cursor)!
      return sql.slice(r.start, r.end)
    }
    expect(at(0)).toBe('select 1')
    expect(at(9)).toBe('select 1') // just after its `;`
    expect(at(10)).toBe('select 1') // the blank line below it
    expect(at(sql.indexOf('from'))).toBe('select 2 from t')
    expect(at(sql.length)).toBe('select 3')
  })
  it('is the first statement for a cursor before any', () => {
    const lead = '  -- intro\nselect 1; select 2'
    expect(statementAt(lead, 0)?.start).toBe(lead.indexOf('select 1'))
  })
})

describe('runTarget', () => {
  const sql = 'select 1;\nselect 2 ;  \n'
  it('runs the statement under the cursor, with its offset, as a part of the text', () => {
    expect(runTarget(sql, null, sql.indexOf('2'), 'statement')).toEqual({
      sql: 'select 2',
      offset: sql.indexOf('select 2'),
      selection: true,
    })
  })
  it('runs everything when asked, or when there is one statement', () => {
    expect(runTarget(sql, null, 3, 'all')).toEqual({ sql, offset: 0, selection: false })
    expect(runTarget('select 1;\n', null, 3, 'statement')).toEqual({
      sql: 'select 1;\n',
      offset: 0,
      selection: false,
    })
  })
  it('prefers a selection', () => {
    const selected = { sql: 'select', offset: 0, selection: true }
    expect(runTarget(sql, selected, 12, 'statement')).toBe(selected)
  })
})
