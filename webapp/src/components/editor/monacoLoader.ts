/**
 * Monaco with the SQL language, loaded on demand (3.9 MB): only useMonacoEngine imports this, dynamically, so the editor
 * lands in its own chunk and never in the entry bundle (shared/STACK.md).
 */
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/register.all'
import 'monaco-editor/languages/definitions/sql/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'

self.MonacoEnvironment = { getWorker: () => new EditorWorker() }

// Backgrounds follow the app's surfaces (assets/main.css) so the editor sits in the page rather than on it.
monaco.editor.defineTheme('sightline-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff' },
})
monaco.editor.defineTheme('sightline-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#161b22' },
})

export { monaco }
export type Monaco = typeof monaco
