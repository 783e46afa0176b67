import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'

import { type KeysetPage, useKeysetList } from './useKeysetList'

interface Item {
  id: string
}

/** A fake endpoint over `total` items; each call is recorded and answered when the test says so. */
function endpoint(total: number) {
  const all = Array.from({ length: total }, (_, i) => ({ id: `i${i}` }))
  const calls: {
    limit: number
    cursor?: string
    signal: AbortSignal
    answer: (fail?: boolean) => void
  }[] = []
  const fetchPage = (page: { limit: number; cursor?: string }, signal: AbortSignal) =>
    new Promise<KeysetPage<Item>>((resolve, reject) => {
      calls.push({
        ...page,
        signal,
        answer: (fail = false) => {
          if (fail) return reject(new Error('down'))
          const from = page.cursor ? Number(page.cursor) : 0
          const to = Math.min(total, from + page.limit)
          resolve({ items: all.slice(from, to), nextCursor: to < total ? String(to) : null })
        },
      })
    })
  return { fetchPage, calls }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function list(total: number, options: Parameters<typeof useKeysetList<Item>>[1]) {
  const api = endpoint(total)
  const scope = effectScope()
  const state = scope.run(() => useKeysetList<Item>(api.fetchPage, options))!
  return { ...state, ...api, scope }
}

describe('useKeysetList', () => {
  it('reads the first page, appends the next with its cursor, and stops at the last', async () => {
    const l = list(5, { pageSize: 2 })
    const first = l.reload()
    expect(l.loading.value).toBe(true)
    l.calls[0]!.answer()
    await first
    expect(l.items.value.map((i) => i.id)).toEqual(['i0', 'i1'])
    expect(l.loading.value).toBe(false)
    for (const cursor of ['2', '4']) {
      const more = l.loadMore()
      expect(l.loadingMore.value).toBe(true)
      expect(l.calls.at(-1)!.cursor).toBe(cursor)
      l.calls.at(-1)!.answer()
      await more
    }
    expect(l.items.value).toHaveLength(5)
    expect(l.nextCursor.value).toBeNull()
    await l.loadMore()
    expect(l.calls).toHaveLength(3)
  })

  it('drops an older answer that arrives after a newer load started, and aborts it', async () => {
    const l = list(5, { pageSize: 2 })
    const old = l.reload()
    const fresh = l.reload()
    expect(l.calls[0]!.signal.aborted).toBe(true)
    l.calls[1]!.answer()
    await fresh
    l.calls[0]!.answer()
    await old
    await settle()
    expect(l.items.value.map((i) => i.id)).toEqual(['i0', 'i1'])
    expect(l.loading.value).toBe(false)
  })

  it('re-reads as many as are shown on a quiet reload, without the loading state', async () => {
    const l = list(9, { pageSize: 2, keepShown: true, keyOf: (i) => i.id })
    const first = l.reload()
    l.calls[0]!.answer()
    await first
    const more = l.loadMore()
    l.calls[1]!.answer()
    await more
    const quiet = l.reload(true)
    expect(l.loading.value).toBe(false)
    expect(l.calls[2]!.limit).toBe(4)
    l.calls[2]!.answer()
    await quiet
    expect(l.items.value).toHaveLength(4)
  })

  it('keeps the items shown when a load fails, and says why', async () => {
    const l = list(5, { pageSize: 2 })
    const first = l.reload()
    l.calls[0]!.answer()
    await first
    const more = l.loadMore()
    l.calls[1]!.answer(true)
    await more
    expect(l.items.value).toHaveLength(2)
    expect(l.error.value?.message).toContain('down')
    expect(l.loadingMore.value).toBe(false)
  })

  it('aborts the load on its way when its page goes away', () => {
    const l = list(5, { pageSize: 2 })
    void l.reload()
    l.scope.stop()
    expect(l.calls[0]!.signal.aborted).toBe(true)
  })
})
