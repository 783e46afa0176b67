/** What SqlEditor emits and exposes, for the views that drive it (and the stubs that stand in for it in tests). */

/**
 * What to run: the selected text, the statement under the cursor, or all of it, and where it starts in the whole
 * text (0-based). `selection` is true for a part of the text (a selection or one statement of several).
 */
export interface SqlRunRequest {
  sql: string
  offset: number
  selection: boolean
}

/** The methods SqlEditor exposes through a template ref. */
export interface SqlEditorApi {
  /** Puts text at the cursor (replacing the selection). */
  insertText(text: string): void
  /** Marks the token at a 1-based character position (as Postgres counts) with an error and reveals it. */
  markError(position: number, message: string): void
  clearError(): void
  focus(): void
  /** The selected text and its offset, or null when nothing is selected. */
  selection(): SqlRunRequest | null
  /** What Run runs now: the selection, else the statement under the cursor (or everything; see `runScope`). */
  runRequest(): SqlRunRequest
}
