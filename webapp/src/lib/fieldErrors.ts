/**
 * A 400's `errors[]` split for a form: errors whose JSON pointer starts with one of the form's field names become
 * inline sentences under that field (several for one field are joined); the rest stay as `path: message` lines for
 * the problem shown above the form, so nothing the server said is dropped.
 */
import type { FieldError } from '@/api/http'

export function splitFieldErrors<K extends string>(
  errors: readonly FieldError[],
  fields: readonly K[],
): { fields: Partial<Record<K, string>>; other: string[] } {
  const inline: Partial<Record<K, string>> = {}
  const other: string[] = []
  for (const { path, message } of errors) {
    const key = path.replace(/^#?\//, '').split('/')[0] as K
    if (fields.includes(key)) {
      const sentence = asSentence(message)
      inline[key] = inline[key] ? `${inline[key]} ${sentence}` : sentence
    } else {
      other.push(path ? `${path}: ${message}` : message)
    }
  }
  return { fields: inline, other }
}

function asSentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(text) ? text : `${text}.`
}
