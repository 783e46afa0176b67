/**
 * A text tile's Markdown as safe HTML. Its `{{param}}` placeholders (and `{{range.start}}` / `{{range.end}}`) are
 * first replaced by the current parameter values, Markdown-escaped so a value is always plain text; then markdown-it
 * renders it with raw HTML off (`html: false`) and bare URLs linked, and DOMPurify sanitizes the HTML — the text is
 * untrusted input (any editor writes it; values come from the URL). Links open in a new tab with
 * `rel="noopener noreferrer"`.
 */
import createDOMPurify, { type DOMPurify } from 'dompurify'
import MarkdownIt from 'markdown-it'

import { RANGE_PRESETS, isPreset, type ParamValue } from '@/api/parameters'

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.(start|end))?\s*\}\}/g
/** ASCII punctuation Markdown gives a meaning to; a backslash before any of them is a literal character. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>&~"'=:]/g
/** Shown for a parameter without a value. */
export const NO_VALUE = '—'

let markdown: InstanceType<typeof MarkdownIt> | null = null
let purifier: DOMPurify | null = null

function renderer(): InstanceType<typeof MarkdownIt> {
  if (!markdown) {
    const md = new MarkdownIt({ html: false, linkify: true, breaks: false })
    const linkOpen = md.renderer.rules.link_open
    md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
      tokens[idx]!.attrSet('target', '_blank')
      tokens[idx]!.attrSet('rel', 'noopener noreferrer')
      return linkOpen
        ? linkOpen(tokens, idx, options, env, self)
        : self.renderToken(tokens, idx, options)
    }
    markdown = md
  }
  return markdown
}

function sanitizer(): DOMPurify {
  if (!purifier) {
    purifier = createDOMPurify(window)
    // Every link that survives, whatever made it, opens apart from this page.
    purifier.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer')
      }
    })
  }
  return purifier
}

/** A parameter value as the text a reader expects. */
export function valueText(value: ParamValue | undefined, part?: 'start' | 'end'): string {
  if (value === undefined || value === null || value === '') return NO_VALUE
  if (Array.isArray(value)) return value.length ? value.join(', ') : NO_VALUE
  if (typeof value === 'object') return part ? value[part] : `${value.start} – ${value.end}`
  if (isPreset(value)) return RANGE_PRESETS.find((p) => p.value === value)?.label ?? value
  return String(value)
}

/** Replaces the placeholders of known parameters by their values, escaped; unknown names stay as written. */
export function fillPlaceholders(
  text: string,
  values: Record<string, ParamValue>,
  known: ReadonlySet<string>,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string, part?: 'start' | 'end') => {
    if (!known.has(name)) return whole
    return escapeMarkdown(valueText(values[name], part))
  })
}

export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
}

/** The tile's HTML: placeholders filled, Markdown rendered, sanitized. */
export function renderTextTile(
  text: string | null | undefined,
  values: Record<string, ParamValue>,
  known: ReadonlySet<string>,
): string {
  if (!text) return ''
  const html = renderer().render(fillPlaceholders(text, values, known))
  return sanitizer().sanitize(html, {
    ADD_ATTR: ['target'],
    FORBID_TAGS: ['style', 'form', 'input', 'button'],
  })
}
