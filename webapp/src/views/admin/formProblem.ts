/**
 * A failed admin form submission in words: `errors[]` whose JSON pointer names one of the form's
 * fields become inline messages, everything else stays in the problem shown above the form.
 */
import type { ApiError } from '@/api/http'

export interface FormProblem {
  title: string
  detail?: string
  /** Errors that belong to no field on the form, as `path: message`. */
  items: string[]
}

export function formProblem<K extends string>(
  error: ApiError,
  fields: readonly K[],
): { fieldErrors: Partial<Record<K, string>>; problem: FormProblem } {
  const fieldErrors: Partial<Record<K, string>> = {}
  const items: string[] = []
  for (const { path, message } of error.errors) {
    const key = path.replace(/^#?\//, '').split('/')[0] as K
    if (fields.includes(key)) {
      const sentence = asSentence(message)
      fieldErrors[key] = fieldErrors[key] ? `${fieldErrors[key]} ${sentence}` : sentence
    } else {
      items.push(path ? `${path}: ${message}` : message)
    }
  }
  return { fieldErrors, problem: { title: error.title, detail: error.detail, items } }
}

function asSentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(text) ? text : `${text}.`
}
