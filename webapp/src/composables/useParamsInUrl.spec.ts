import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'

import type { ParameterSpec, ParamValue } from '@/api/parameters'

import { decodeParamValues, encodeParamValues, useParamsInUrl } from './useParamsInUrl'

const specs: ParameterSpec[] = [
  { name: 's', type: 'text' },
  { name: 'i', type: 'integer' },
  { name: 'big', type: 'integer' },
  { name: 'x', type: 'number' },
  { name: 'b', type: 'boolean' },
  { name: 'd', type: 'date' },
  { name: 't', type: 'timestamp' },
  { name: 'dr', type: 'date_range' },
  { name: 'tr', type: 'timestamp_range' },
  { name: 'preset', type: 'timestamp_range' },
  { name: 'e', type: 'enum', options: ['a', 'b'] },
  { name: 'm', type: 'enum', options: ['a', 'b', 'c'], multi: true },
  { name: 'qe', type: 'query_enum', optionsQueryId: 'q', optionsColumn: 'c', multi: true },
]

const values: Record<string, ParamValue> = {
  s: 'a b&c..d',
  i: -42,
  big: '9007199254740993',
  x: 1.25,
  b: false,
  d: '2026-02-28',
  t: '2026-02-28T10:00:00.5+02:00',
  dr: { start: '2026-01-01', end: '2026-01-31' },
  tr: { start: '2026-01-01T00:00:00.25', end: '2026-01-02T00:00' },
  preset: 'last_24h',
  e: 'b',
  m: ['a', 'c'],
  qe: ['only'],
}

describe('encodeParamValues / decodeParamValues', () => {
  it('round-trips every type', () => {
    const query = encodeParamValues(specs, values)
    expect(query['p.dr']).toBe('2026-01-01..2026-01-31')
    expect(query['p.preset']).toBe('last_24h')
    expect(query['p.m']).toEqual(['a', 'c'])
    expect(query['p.i']).toBe('-42')
    expect(decodeParamValues(specs, query)).toEqual(values)
  })

  it('round-trips through a real URL', () => {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(encodeParamValues(specs, values))) {
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, one)
    }
    const back: Record<string, string | string[]> = {}
    for (const k of new Set(params.keys())) {
      const all = params.getAll(k)
      back[k] = all.length > 1 ? all : all[0]!
    }
    expect(decodeParamValues(specs, back)).toEqual(values)
  })

  it('applies defaults when the URL has no value, and for values that do not parse', () => {
    const withDefaults: ParameterSpec[] = [
      { name: 'r', type: 'date_range', default: 'last_7d' },
      { name: 'n', type: 'integer', default: 10 },
      { name: 'm', type: 'enum', options: ['a', 'b'], multi: true, default: ['a'] },
    ]
    expect(decodeParamValues(withDefaults, {})).toEqual({ r: 'last_7d', n: 10, m: ['a'] })
    expect(decodeParamValues(withDefaults, { 'p.n': 'ten', 'p.r': '2026-01-01..junk' })).toEqual({
      r: 'last_7d',
      n: 10,
      m: ['a'],
    })
  })

  it('keeps a cleared parameter cleared instead of bringing its default back', () => {
    const withDefault: ParameterSpec[] = [{ name: 'n', type: 'integer', default: 10 }]
    const query = encodeParamValues(withDefault, {})
    expect(query).toEqual({ 'p.n': '' })
    expect(decodeParamValues(withDefault, query)).toEqual({})
  })

  it('drops parameters that are not declared', () => {
    expect(encodeParamValues([{ name: 'a', type: 'text' }], { a: 'x', gone: 'y' })).toEqual({
      'p.a': 'x',
    })
    expect(decodeParamValues([{ name: 'a', type: 'text' }], { 'p.a': 'x', 'p.gone': 'y' })).toEqual(
      { a: 'x' },
    )
  })
})

describe('useParamsInUrl', () => {
  async function setup(url: string, initial: ParameterSpec[]) {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    })
    await router.push(url)
    const specsRef = ref(initial)
    let result!: ReturnType<typeof useParamsInUrl>
    const Host = defineComponent({
      setup() {
        result = useParamsInUrl(specsRef)
        return () => h('div')
      },
    })
    mount(Host, { global: { plugins: [router] } })
    return { router, specsRef, values: result.values }
  }

  it('reads values from the URL, else defaults, and writes changes back keeping other keys', async () => {
    const { router, values } = await setup('/q/1?tab=chart&p.n=5', [
      { name: 'n', type: 'integer', default: 1 },
      { name: 'r', type: 'date_range', default: 'last_7d' },
    ])
    expect(values.value).toEqual({ n: 5, r: 'last_7d' })

    values.value = { ...values.value, r: { start: '2026-01-01', end: '2026-01-02' } }
    await nextTick()
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({
      tab: 'chart',
      'p.n': '5',
      'p.r': '2026-01-01..2026-01-02',
    })
  })

  it('fills values when declarations arrive later and drops undeclared ones', async () => {
    const { router, specsRef, values } = await setup('/q/1?p.a=x&p.b=y', [])
    expect(values.value).toEqual({})
    specsRef.value = [
      { name: 'a', type: 'text' },
      { name: 'b', type: 'text' },
    ]
    await nextTick()
    await flushPromises()
    expect(values.value).toEqual({ a: 'x', b: 'y' })

    specsRef.value = [{ name: 'a', type: 'text' }]
    await nextTick()
    await flushPromises()
    expect(values.value).toEqual({ a: 'x' })
    expect(router.currentRoute.value.query).toEqual({ 'p.a': 'x' })
  })
})
