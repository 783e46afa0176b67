/**
 * Completion keys in the SQL editor. Enter inserts a newline even while suggestions show, so `customers` + Enter ends
 * the line instead of accepting whatever is highlighted; Tab accepts the highlighted suggestion (Monaco's default),
 * and Enter accepts one only after the user picked it with the arrow or page keys.
 *
 * Monaco 0.57: `acceptSuggestionOnEnter: 'off'` turns off its own Enter binding; our bindings (added with the
 * editor's `addAction`, so scoped to that editor and weighted above the built-in ones) move through the list with
 * Monaco's own commands and remember that the user did, in a context key the Enter binding requires. Typing, moving
 * the cursor or Escape forgets it.
 */
import type { Monaco } from './monacoLoader'

type CodeEditor = ReturnType<Monaco['editor']['create']>
type Disposable = { dispose(): void }

/** Editor options that go with {@link installSuggestKeys}. */
export const SUGGEST_OPTIONS = { acceptSuggestionOnEnter: 'off' } as const

/** Context key: the user moved through the open suggestion list since it last changed. */
export const NAVIGATED_KEY = 'sightlineSuggestNavigated'

const WIDGET_OPEN = 'suggestWidgetVisible && textInputFocus'

export function installSuggestKeys(editor: CodeEditor, m: Monaco): Disposable[] {
  const navigated = editor.createContextKey<boolean>(NAVIGATED_KEY, false)
  const forget = () => navigated.set(false)
  const moves: [string, number, string][] = [
    ['next', m.KeyCode.DownArrow, 'selectNextSuggestion'],
    ['previous', m.KeyCode.UpArrow, 'selectPrevSuggestion'],
    ['next-page', m.KeyCode.PageDown, 'selectNextPageSuggestion'],
    ['previous-page', m.KeyCode.PageUp, 'selectPrevPageSuggestion'],
  ]
  return [
    ...moves.map(([name, key, command]) =>
      editor.addAction({
        id: `sightline.suggest.${name}`,
        label: `Suggestions: ${name.replace('-', ' ')}`,
        keybindings: [key],
        keybindingContext: `${WIDGET_OPEN} && suggestWidgetMultipleSuggestions`,
        run: () => {
          navigated.set(true)
          editor.trigger('keyboard', command, null)
        },
      }),
    ),
    editor.addAction({
      id: 'sightline.suggest.accept-picked',
      label: 'Suggestions: accept the picked one',
      keybindings: [m.KeyCode.Enter],
      keybindingContext: `${WIDGET_OPEN} && suggestWidgetHasFocusedSuggestion && ${NAVIGATED_KEY}`,
      run: () => {
        editor.trigger('keyboard', 'acceptSelectedSuggestion', null)
        forget()
      },
    }),
    editor.onDidChangeModelContent(forget),
    editor.onDidChangeCursorPosition(forget),
    editor.onKeyDown((event) => {
      if (event.keyCode === m.KeyCode.Escape) forget()
    }),
  ]
}
