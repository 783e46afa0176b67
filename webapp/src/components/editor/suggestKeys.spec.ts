import { describe, expect, it, vi } from 'vitest'

import { installSuggestKeys, NAVIGATED_KEY, SUGGEST_OPTIONS } from './suggestKeys'

type Action = { id: string; keybindings: number[]; keybindingContext: string; run: () => void }

/** Just enough of a Monaco editor to see which keys do what (Monaco itself takes seconds to import here). */
function fakeEditor() {
  const actions: Action[] = []
  const listeners: Record<string, ((e?: unknown) => void)[]> = {}
  const keys: Record<string, unknown> = {}
  const on = (name: string) => (fn: (e?: unknown) => void) => {
    ;(listeners[name] ??= []).push(fn)
    return { dispose: () => undefined }
  }
  const editor = {
    createContextKey: (key: string, value: unknown) => {
      keys[key] = value
      return { set: (v: unknown) => (keys[key] = v) }
    },
    addAction: (action: Action) => {
      actions.push(action)
      return { dispose: () => undefined }
    },
    trigger: vi.fn(),
    onDidChangeModelContent: on('content'),
    onDidChangeCursorPosition: on('cursor'),
    onKeyDown: on('key'),
  }
  const fire = (name: string, e?: unknown) => listeners[name]?.forEach((fn) => fn(e))
  return { editor, actions, keys, fire }
}

const KeyCode = { Enter: 3, Escape: 9, PageUp: 11, PageDown: 12, UpArrow: 16, DownArrow: 18 }

function install() {
  const fake = fakeEditor()
  const monaco = { KeyCode } as never
  installSuggestKeys(fake.editor as never, monaco)
  const bound = (key: number) => fake.actions.filter((a) => a.keybindings.includes(key))
  return { ...fake, bound }
}

describe('completion keys', () => {
  it('turns off Monaco’s Enter-accepts, so Enter after a fully typed word is a newline', () => {
    expect(SUGGEST_OPTIONS.acceptSuggestionOnEnter).toBe('off')
    const { bound } = install()
    // Tab keeps Monaco's own binding (accept the highlighted suggestion): nothing of ours on it
    expect(bound(2)).toEqual([])
    const [enter] = bound(KeyCode.Enter)
    expect(enter!.keybindingContext).toContain('suggestWidgetVisible')
    expect(enter!.keybindingContext).toContain(NAVIGATED_KEY)
  })

  it('lets Enter accept a suggestion the user moved to with the arrow or page keys', () => {
    const { bound, keys, editor } = install()
    expect(keys[NAVIGATED_KEY]).toBe(false)
    for (const [key, command] of [
      [KeyCode.DownArrow, 'selectNextSuggestion'],
      [KeyCode.UpArrow, 'selectPrevSuggestion'],
      [KeyCode.PageDown, 'selectNextPageSuggestion'],
      [KeyCode.PageUp, 'selectPrevPageSuggestion'],
    ] as const) {
      const [move] = bound(key)
      expect(move!.keybindingContext).toContain('suggestWidgetVisible')
      move!.run()
      expect(editor.trigger).toHaveBeenLastCalledWith('keyboard', command, null)
    }
    expect(keys[NAVIGATED_KEY]).toBe(true)
    bound(KeyCode.Enter)[0]!.run()
    expect(editor.trigger).toHaveBeenLastCalledWith('keyboard', 'acceptSelectedSuggestion', null)
    expect(keys[NAVIGATED_KEY]).toBe(false)
  })

  it('forgets the pick when the user types, moves the cursor or presses Escape', () => {
    const { bound, keys, fire } = install()
    const down = () => bound(KeyCode.DownArrow)[0]!.run()
    for (const [event, payload] of [
      ['content', undefined],
      ['cursor', undefined],
      ['key', { keyCode: KeyCode.Escape }],
    ] as const) {
      down()
      expect(keys[NAVIGATED_KEY]).toBe(true)
      fire(event, payload)
      expect(keys[NAVIGATED_KEY], event).toBe(false)
    }
  })
})
