/**
 * A failed admin form submission in words: `errors[]` whose JSON pointer names one of the form's
 * fields become inline messages, everything else stays in the problem shown above the form.
 */
import type { ApiError } from '@/api/http'
import { splitFieldErrors } from '@/lib/fieldErrors'

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
  const split = splitFieldErrors(error.errors, fields)
  return {
    fieldErrors: split.fields,
    problem: { title: error.title, detail: error.detail, items: split.other },
  }
}
