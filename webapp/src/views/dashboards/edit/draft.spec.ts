import { describe, expect, it } from 'vitest'

import type { Dashboard } from '@/api/dashboards'
import type { ParameterSpec } from '@/api/parameters'
import type { Visualization } from '@/viz/types'

import {
  addParam,
  addTextTile,
  addVizTile,
  duplicateTile,
  fingerprint,
  firstFreeRow,
  fromDashboard,
  moveTiles,
  removeParam,
  removeTile,
  setBinding,
  toSave,
  updateParam,
  type Draft,
} from './draft'

const period: ParameterSpec = { name: 'period', type: 'date_range', default: 'last_7d' }
const province: ParameterSpec = { name: 'province', type: 'enum', options: ['ON', 'QC'] }

function aDashboard(): Dashboard {
  return {
    id: 'd1',
    slug: 'outages',
    name: 'Outages',
    description: '',
    tags: ['ops'],
    params: [period, province],
    refreshSeconds: 60,
    version: 4,
    createdBy: 'a@x',
    updatedBy: 'a@x',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    lastViewedAt: null,
    tiles: [
      {
        id: 't1',
        kind: 'viz',
        visualizationId: 'v1',
        title: null,
        text: null,
        x: 0,
        y: 0,
        w: 12,
        h: 8,
        bindings: { period: { from: 'dashboard', param: 'period' } },
        clickAction: { setParam: 'province', column: 'province' },
        visualization: {
          id: 'v1',
          name: 'By day',
          kind: 'line',
          config: { x: { column: 'day' }, y: [] },
          version: 1,
          queryId: 'q1',
        },
        query: {
          id: 'q1',
          name: 'Outages by day',
          params: [
            { name: 'period', type: 'date_range' },
            { name: 'province', type: 'text' },
          ],
        },
      },
      {
        id: 't2',
        kind: 'text',
        visualizationId: null,
        title: 'Notes',
        text: 'Period: {{period}}',
        x: 12,
        y: 0,
        w: 12,
        h: 4,
        bindings: {},
        clickAction: null,
      },
    ],
  }
}

const viz: Visualization = {
  id: 'v9',
  queryId: 'q9',
  name: 'Customers out',
  kind: 'stat',
  config: { value: { column: 'n' } },
  version: 2,
  createdBy: null,
  updatedBy: null,
  createdAt: '',
  updatedAt: '',
}

describe('a draft', () => {
  it('round-trips a dashboard into the save body (tile ids kept, text only on text tiles)', () => {
    const body = toSave(fromDashboard(aDashboard()))
    expect(body.name).toBe('Outages')
    expect(body.tiles).toEqual([
      {
        id: 't1',
        kind: 'viz',
        title: null,
        x: 0,
        y: 0,
        w: 12,
        h: 8,
        visualizationId: 'v1',
        bindings: { period: { from: 'dashboard', param: 'period' } },
        clickAction: { setParam: 'province', column: 'province' },
      },
      {
        id: 't2',
        kind: 'text',
        title: 'Notes',
        x: 12,
        y: 0,
        w: 12,
        h: 4,
        text: 'Period: {{period}}',
      },
    ])
  })

  it('adds a viz tile at the first free row with its parameters bound by name and type', () => {
    const draft = fromDashboard(aDashboard())
    const query = {
      id: 'q9',
      name: 'Customers',
      params: [
        { name: 'period', type: 'date_range' as const },
        { name: 'province', type: 'enum' as const, options: ['ON'] },
        { name: 'limit', type: 'integer' as const },
      ],
    }
    const { draft: next, tile } = addVizTile(draft, viz, query)
    expect(firstFreeRow(draft.tiles)).toBe(8)
    expect(tile).toMatchObject({ kind: 'viz', x: 0, y: 8, w: 6, h: 4, visualizationId: 'v9' })
    // province (ON, QC) cannot feed an enum offering only ON; limit has no dashboard parameter
    expect(tile.bindings).toEqual({ period: { from: 'dashboard', param: 'period' } })
    expect(next.tiles).toHaveLength(3)
    expect(toSave(next).tiles![2]).not.toHaveProperty('id')
    expect(draft.tiles).toHaveLength(2)
  })

  it('adds a text tile, duplicates a tile as a new one below, removes one', () => {
    let draft = addTextTile(fromDashboard(aDashboard()), '# Hello').draft
    expect(draft.tiles[2]).toMatchObject({ kind: 'text', text: '# Hello', y: 8 })
    draft = duplicateTile(draft, 't1')
    const copy = draft.tiles[3]!
    expect(copy).toMatchObject({ visualizationId: 'v1', x: 0, y: 12, w: 12, h: 8 })
    expect(copy.id).toBeUndefined()
    expect(copy.key).not.toBe('t1')
    expect(copy.bindings).toEqual(draft.tiles[0]!.bindings)
    expect(copy.bindings).not.toBe(draft.tiles[0]!.bindings)
    draft = removeTile(draft, 't1')
    expect(draft.tiles.map((t) => t.id ?? 'new')).toEqual(['t2', 'new', 'new'])
  })

  it('moves tiles from the grid, within the 24 columns; the same draft when nothing moved', () => {
    const draft = fromDashboard(aDashboard())
    expect(moveTiles(draft, [{ key: 't1', x: 0, y: 0, w: 12, h: 8 }])).toBe(draft)
    const moved = moveTiles(draft, [
      { key: 't1', x: 20, y: 3, w: 10, h: 6 },
      { key: 't2', x: 0, y: 0, w: 12, h: 4 },
    ])
    expect(moved.tiles.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual([
      { x: 14, y: 3, w: 10, h: 6 },
      { x: 0, y: 0, w: 12, h: 4 },
    ])
    expect(fingerprint(moved)).not.toBe(fingerprint(draft))
  })

  it('sets and clears a binding', () => {
    let draft = setBinding(fromDashboard(aDashboard()), 't1', 'province', { value: 'ON' })
    expect(draft.tiles[0]!.bindings.province).toEqual({ value: 'ON' })
    draft = setBinding(draft, 't1', 'province', null)
    expect(draft.tiles[0]!.bindings).not.toHaveProperty('province')
  })
})

describe('dashboard parameters', () => {
  const start = (): Draft => fromDashboard(aDashboard())

  it('renaming one moves the bindings and click actions that point to it', () => {
    const { draft, notes } = updateParam(start(), 0, { ...period, name: 'window' })
    expect(draft.params[0]!.name).toBe('window')
    expect(draft.tiles[0]!.bindings.period).toEqual({ from: 'dashboard', param: 'window' })
    expect(notes).toEqual([])
    const renamed = updateParam(start(), 1, { ...province, name: 'prov' }).draft
    expect(renamed.tiles[0]!.clickAction).toEqual({ setParam: 'prov', column: 'province' })
  })

  it('a type change the tile parameter cannot take sends the binding back to the default, and says so', () => {
    const { draft, notes } = updateParam(start(), 0, { name: 'period', type: 'date' })
    expect(draft.tiles[0]!.bindings).toEqual({})
    expect(notes).toEqual([
      "“By day”: period now takes the query's default (a date dashboard parameter ('period') cannot feed a date_range parameter).",
    ])
  })

  it('removing one turns its bindings back to query defaults and drops the click actions setting it', () => {
    let draft = setBinding(start(), 't1', 'province', { from: 'dashboard', param: 'province' })
    const removed = removeParam(draft, 1)
    draft = removed.draft
    expect(draft.params.map((p) => p.name)).toEqual(['period'])
    expect(draft.tiles[0]!.bindings).toEqual({ period: { from: 'dashboard', param: 'period' } })
    expect(draft.tiles[0]!.clickAction).toBeNull()
    expect(removed.notes).toEqual([
      "“By day”: province now takes the query's default.",
      '“By day”: its click action set province; it was removed.',
    ])
    expect(addParam(draft, { name: 'x', type: 'text' }).params).toHaveLength(2)
  })
})
