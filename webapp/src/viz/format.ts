/**
 * How a visualization shows numbers and dates: the config's NumberFormat (plain, percent, currency, SI short form,
 * with decimals and thousands separators), DateFormat (a preset or a token pattern) in the viewer's time zone, and the
 * null display. Values beyond ±2^53 keep their exact text (`exact`), digit for digit. The result table's own helpers
 * (cellFormat.ts: plain notation, digit grouping, wall-clock parts in a zone) do the parts they already did.
 */
import {
  groupThousands,
  plainNotation,
  zonedParts,
  type ZonedParts,
} from '@/components/results/cellFormat'

import type { CommonConfig, DateFormat, NumberFormat } from './types'

export const DEFAULT_NULL_DISPLAY = '—'
/** Decimals shown for a non-integer when the format fixes none. */
const AUTO_DECIMALS = 6

const numberFormats = new Map<string, Intl.NumberFormat>()

function intl(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options)
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat('en-US', options)
    numberFormats.set(key, format)
  }
  return format
}

/** A decimal's text rounded half away from zero to `decimals` places, without a float: `"1.005", 2` → `"1.01"`. */
export function roundDecimalText(text: string, decimals: number): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text)
  if (!match) return text
  const [, sign, whole, fraction = ''] = match
  if (fraction.length <= decimals) {
    const padded = fraction.padEnd(decimals, '0')
    return `${sign}${whole}${decimals > 0 ? `.${padded}` : ''}`
  }
  const digits = `${whole}${fraction.slice(0, decimals)}`.split('').map(Number)
  if (Number(fraction[decimals]) >= 5) {
    let i = digits.length - 1
    while (i >= 0 && digits[i] === 9) digits[i--] = 0
    if (i < 0) digits.unshift(1)
    else digits[i]!++
  }
  const all = digits.join('')
  const cut = all.length - decimals
  const rounded = decimals > 0 ? `${all.slice(0, cut)}.${all.slice(cut)}` : all
  return /^[0.]+$/.test(rounded) ? rounded : `${sign}${rounded}`
}

/** An exact number's text (as the server sent it) in the format's decimals, with separators when asked. */
export function formatExact(text: string, format: NumberFormat = {}): string {
  let plain = plainNotation(text.trim())
  if (typeof format.decimals === 'number') plain = roundDecimalText(plain, format.decimals)
  return format.thousands === false ? plain : groupThousands(plain)
}

function fractionDigits(value: number, format: NumberFormat): Intl.NumberFormatOptions {
  if (typeof format.decimals === 'number')
    return { minimumFractionDigits: format.decimals, maximumFractionDigits: format.decimals }
  return {
    minimumFractionDigits: 0,
    maximumFractionDigits: Number.isInteger(value) ? 0 : AUTO_DECIMALS,
  }
}

/**
 * A number in a format: plain `1,234.5` · percent `12.3 %` (value × 100) · currency `$1,234.50` · si `42.1K`. With
 * `exact` (the text of a value a double cannot hold) plain numbers show that text, digit for digit.
 */
export function formatNumber(value: number, format: NumberFormat = {}, exact?: string): string {
  const style = format.style ?? 'plain'
  const grouping = format.thousands !== false
  if (!Number.isFinite(value)) return String(value)
  switch (style) {
    case 'percent': {
      const scaled = value * 100
      return `${intl({ ...fractionDigits(Number(scaled.toFixed(10)), format), useGrouping: grouping }).format(scaled)} %`
    }
    case 'currency':
      return intl({
        style: 'currency',
        currency: format.currency ?? 'USD',
        useGrouping: grouping,
        ...(typeof format.decimals === 'number'
          ? { minimumFractionDigits: format.decimals, maximumFractionDigits: format.decimals }
          : {}),
      }).format(value)
    case 'si':
      return intl({
        notation: 'compact',
        compactDisplay: 'short',
        minimumFractionDigits: 0,
        maximumFractionDigits: typeof format.decimals === 'number' ? format.decimals : 1,
        useGrouping: grouping,
      }).format(value)
    default:
      if (exact !== undefined) return formatExact(exact, format)
      return intl({ ...fractionDigits(value, format), useGrouping: grouping }).format(value)
  }
}

/**
 * The text for tooltips and value labels: the exact text when there is one (a tooltip must not round 2^53 + 1), the
 * formatted number otherwise.
 */
export function formatPrecise(value: number, format: NumberFormat = {}, exact?: string): string {
  if (exact !== undefined) return formatExact(exact, { thousands: format.thousands })
  return formatNumber(value, format)
}

// ---------------------------------------------------------------------------------------------- dates

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The token pattern of each preset (`auto` picks date or datetime by the value). */
export const DATE_PRESETS: Record<Exclude<DateFormat, 'auto'>, string> = {
  date: 'YYYY-MM-DD',
  datetime: 'YYYY-MM-DD HH:mm',
  'datetime-seconds': 'YYYY-MM-DD HH:mm:ss',
  time: 'HH:mm:ss',
  month: 'MMM YYYY',
  year: 'YYYY',
}

const TOKENS = /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|DD|D|HH|H|mm|ss|SSS|ddd|Z/g

function offsetToken(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

function token(t: string, p: ZonedParts, ms: number): string {
  switch (t) {
    case 'YYYY':
      return p.year
    case 'YY':
      return p.year.slice(-2)
    case 'MMMM':
      return MONTHS[Number(p.month) - 1]!
    case 'MMM':
      return MONTHS[Number(p.month) - 1]!.slice(0, 3)
    case 'MM':
      return p.month
    case 'DD':
      return p.day
    case 'D':
      return String(Number(p.day))
    case 'HH':
      return p.hour
    case 'H':
      return String(Number(p.hour))
    case 'mm':
      return p.minute
    case 'ss':
      return p.second
    case 'SSS':
      return String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
    case 'ddd': {
      const weekday = new Date(
        Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)),
      ).getUTCDay()
      return WEEKDAYS[weekday]!
    }
    case 'Z':
      return offsetToken(p.offsetMinutes)
    default:
      return t
  }
}

/** Whether an instant is midnight on the wall clock of the zone (a date rather than a time). */
export function isMidnight(ms: number, timeZone: string): boolean {
  const p = zonedParts(new Date(ms), timeZone)
  return p.hour === '00' && p.minute === '00' && p.second === '00' && ms % 1000 === 0
}

/** The token pattern a format stands for at this value (`auto`: date at midnight, else date and time). */
export function datePattern(format: DateFormat, ms: number, timeZone: string): string {
  if (format === 'auto') {
    const p = zonedParts(new Date(ms), timeZone)
    if (p.second !== '00') return DATE_PRESETS['datetime-seconds']
    return p.hour === '00' && p.minute === '00' ? DATE_PRESETS.date : DATE_PRESETS.datetime
  }
  return DATE_PRESETS[format as keyof typeof DATE_PRESETS] ?? format
}

/** An instant (epoch ms) in a date format, on the wall clock of `timeZone`. `[text]` in a pattern is literal. */
export function formatDate(ms: number, format: DateFormat = 'auto', timeZone = 'UTC'): string {
  if (!Number.isFinite(ms)) return String(ms)
  const p = zonedParts(new Date(ms), timeZone)
  const pattern = datePattern(format, ms, timeZone)
  return pattern.replace(TOKENS, (t, literal: string | undefined) =>
    literal !== undefined ? literal : token(t, p, ms),
  )
}

// ---------------------------------------------------------------------------------------------- per visualization

/** The formats of one visualization, bound to its config and the viewer's zone. */
export interface VizFormats {
  timeZone: string
  nullText: string
  numberFormat: NumberFormat
  dateFormat: DateFormat
  /** A value as the config formats it; the null display for null. */
  number(value: number | null | undefined, exact?: string): string
  /** Exact for tooltips and labels (see {@link formatPrecise}). */
  precise(value: number | null | undefined, exact?: string): string
  date(ms: number | null | undefined): string
  /** A formatter of instants in another pattern, same zone (axis labels, bucket ranges). */
  withDate(pattern: DateFormat): (ms: number) => string
}

export function vizFormats(config: CommonConfig, timeZone: string): VizFormats {
  const numberFormat = config.numberFormat ?? {}
  const dateFormat = config.dateFormat ?? 'auto'
  const nullText = config.nullDisplay ?? DEFAULT_NULL_DISPLAY
  return {
    timeZone,
    nullText,
    numberFormat,
    dateFormat,
    number: (value, exact) =>
      value === null || value === undefined ? nullText : formatNumber(value, numberFormat, exact),
    precise: (value, exact) =>
      value === null || value === undefined ? nullText : formatPrecise(value, numberFormat, exact),
    date: (ms) =>
      ms === null || ms === undefined ? nullText : formatDate(ms, dateFormat, timeZone),
    withDate: (pattern) => (ms) => formatDate(ms, pattern, timeZone),
  }
}
