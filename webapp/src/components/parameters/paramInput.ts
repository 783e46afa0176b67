/**
 * Conversions between what parameter widgets hold (input text) and what the API accepts
 * (shared/params/ParamValues.java): integers as JSON numbers (a string of digits beyond 2^53), numbers as JSON
 * numbers (a decimal string when a double would round them), dates `yyyy-MM-dd`, timestamps `yyyy-MM-ddTHH:mm[:ss[.f]]`.
 */
import type { ParamType } from '@/api/parameters'

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/
export const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/
const INTEGER_PATTERN = /^[+-]?\d+$/
const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** Integer text → a JSON number, or the digits themselves when a number would not be exact; null when empty. */
export function integerValue(text: string): number | string | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  if (INTEGER_PATTERN.test(trimmed)) {
    const n = Number(trimmed)
    return Number.isSafeInteger(n) ? n : trimmed.replace(/^\+/, '')
  }
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : trimmed
}

function significantDigits(decimal: string): number {
  const mantissa = decimal
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length
}

/** Decimal text → a JSON number, or the text when it has more digits than a double keeps; null when empty. */
export function numberValue(text: string): number | string | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  if (!DECIMAL_PATTERN.test(trimmed)) return trimmed
  const n = Number(trimmed)
  return Number.isFinite(n) && significantDigits(trimmed) <= 15 ? n : trimmed
}

/** The `datetime-local` form of a timestamp value (drops a zone suffix it cannot show). */
export function toLocalInput(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)/.exec(value)
  return match ? `${match[1]}T${match[2]}` : ''
}

/** The HTML input type for a date-like parameter type. */
export function temporalInputType(type: ParamType): 'date' | 'datetime-local' {
  return type === 'date' || type === 'date_range' ? 'date' : 'datetime-local'
}
