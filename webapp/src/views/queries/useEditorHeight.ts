import { computed, ref, type ComputedRef, type Ref } from 'vue'

/** About four lines: room to start typing, and the least the editor shrinks to when the results need the space. */
export const EDITOR_MIN_HEIGHT = 96
/** The most the editor grows to by itself (about 18 lines); beyond it, it scrolls, or the user drags the splitter. */
export const EDITOR_MAX_AUTO_HEIGHT = 360
/** Line height assumed until the editor reports its real content height (Monaco at 13 px, the plain text box). */
export const EDITOR_LINE_HEIGHT = 19
/** Borders and a little air below the last line. */
const EDITOR_CHROME = 14

export const EDITOR_HEIGHT_KEY = 'sightline.workbench.editorHeight'

export interface EditorHeight {
  /** The height to give the editor, in px: the dragged one if any, else its text's height within the bounds. */
  height: ComputedRef<number>
  /** The text's own height within [EDITOR_MIN_HEIGHT, EDITOR_MAX_AUTO_HEIGHT]. */
  auto: ComputedRef<number>
  /** The height the user dragged the splitter to (remembered in localStorage), or null: sized by its text. */
  dragged: Ref<number | null>
  /** The editor's content height as it reports it (px), or null until it does. */
  contentHeight: Ref<number | null>
  /** The splitter moved: keep (and remember) this height. */
  resize(px: number): void
  /** Back to sizing by the text (and forget the dragged height). */
  reset(): void
}

/** The editor's own height for a content height (or line count) within the bounds. */
export function autoEditorHeight(contentHeight: number): number {
  return Math.round(
    Math.min(EDITOR_MAX_AUTO_HEIGHT, Math.max(EDITOR_MIN_HEIGHT, contentHeight + EDITOR_CHROME)),
  )
}

/**
 * The workbench editor's height: sized to its text between a minimum and a maximum, until the user drags the
 * splitter below it; the dragged height is remembered across pages and sessions (localStorage) until reset.
 */
export function useEditorHeight(sql: Ref<string>): EditorHeight {
  const contentHeight = ref<number | null>(null)
  const dragged = ref<number | null>(readStored())

  const auto = computed(() =>
    autoEditorHeight(contentHeight.value ?? sql.value.split('\n').length * EDITOR_LINE_HEIGHT),
  )
  const height = computed(() => dragged.value ?? auto.value)

  function resize(px: number): void {
    const next = Math.max(EDITOR_MIN_HEIGHT, Math.round(px))
    dragged.value = next
    write(String(next))
  }

  function reset(): void {
    dragged.value = null
    write(null)
  }

  return { height, auto, dragged, contentHeight, resize, reset }
}

function readStored(): number | null {
  try {
    const stored = Number(localStorage.getItem(EDITOR_HEIGHT_KEY))
    return Number.isFinite(stored) && stored >= EDITOR_MIN_HEIGHT ? Math.round(stored) : null
  } catch {
    return null
  }
}

function write(value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(EDITOR_HEIGHT_KEY)
    else localStorage.setItem(EDITOR_HEIGHT_KEY, value)
  } catch {
    // Storage disabled: the height lasts for this page.
  }
}
