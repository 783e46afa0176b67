import { describe, expect, it } from 'vitest'

import type { DatasourceCatalog } from '@/api/datasources'

import { quoteIdentifier, sqlSuggestions } from './sqlCompletion'

const catalog: DatasourceCatalog = {
  refreshedAt: '2026-11-29T03:00:00Z',
  truncated: false,
  schemas: [
    {
      name: 'public',
      relations: [
        {
          name: 'orders',
          kind: 'table',
          columns: [
            { name: 'id', type: 'int8', nullable: false },
            { name: 'total', type: 'numeric', nullable: true },
          ],
        },
        { name: 'users', kind: 'view', columns: [{ name: 'email', type: 'text', nullable: true }] },
      ],
    },
    {
      name: 'Audit',
      relations: [
        {
          name: 'log',
          kind: 'table',
          columns: [{ name: 'At', type: 'timestamptz', nullable: true }],
        },
      ],
    },
  ],
}

describe('sqlSuggestions', () => {
  it('ranks the columns of tables the statement names first, with their types', () => {
    const sql = 'select  from orders o'
    const list = sqlSuggestions(catalog, 'select ', sql)
    const sorted = [...list].sort((a, b) => a.sortText.localeCompare(b.sortText))
    expect(sorted.slice(0, 2).map((s) => s.label)).toEqual(['id', 'total'])
    expect(sorted[0]!.detail).toContain('int8 not null')
    expect(list.some((s) => s.label === 'SELECT' && s.kind === 'keyword')).toBe(true)
    expect(list.some((s) => s.label === 'Audit.log' && s.insertText === '"Audit".log')).toBe(true)
  })

  it('after an alias offers that table’s columns only', () => {
    const sql = 'select o. from orders as o join users u on true'
    expect(sqlSuggestions(catalog, 'select o.', sql).map((s) => s.label)).toEqual(['id', 'total'])
    expect(sqlSuggestions(catalog, 'select u.em', sql).map((s) => s.label)).toEqual(['email'])
  })

  it('after a schema offers its tables, quoted schema names included', () => {
    expect(sqlSuggestions(catalog, 'select * from "Audit".', '').map((s) => s.label)).toEqual([
      'log',
    ])
  })
})

describe('quoteIdentifier', () => {
  it('quotes only what Postgres would not read back unchanged', () => {
    expect(quoteIdentifier('orders')).toBe('orders')
    expect(quoteIdentifier('Orders')).toBe('"Orders"')
    expect(quoteIdentifier('order')).toBe('"order"')
    expect(quoteIdentifier('a"b')).toBe('"a""b"')
  })
})
