/**
 * When a new API key stops working: the choices the create form offers and the instant each stands
 * for (`expiresAt` of `POST /api/v1/api-keys`, null for never). The server takes an instant at least
 * a minute and at most {@link MAX_YEARS} years ahead (`KeyExpiry`); a custom date means "through the
 * end of that day" in the reader's time zone.
 */

export type ExpiryChoice = '30' | '90' | '365' | 'custom' | 'never'

export const EXPIRY_CHOICES: readonly { value: ExpiryChoice; label: string }[] = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'Custom date…' },
  { value: 'never', label: 'Never' },
]

/** A key that leaves the machine should not live forever by default. */
export const DEFAULT_EXPIRY: ExpiryChoice = '90'

export const MAX_YEARS = 5

const DAY = 24 * 60 * 60 * 1000

/** A local date as `YYYY-MM-DD` (the value of an `<input type="date">`). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** The custom dates the server accepts: today through {@link MAX_YEARS} years ahead less a day. */
export function customDayRange(now: Date): { min: string; max: string } {
  const max = new Date(now.getFullYear() + MAX_YEARS, now.getMonth(), now.getDate() - 1)
  return { min: localDay(now), max: localDay(max) }
}

/**
 * The `expiresAt` a choice stands for at `now`: null for never, `now` plus the days of a preset,
 * the next local midnight after a custom date; or, for a custom date that is missing or out of
 * range, what is wrong with it in words.
 */
export function expiryInstant(
  choice: ExpiryChoice,
  customDay: string,
  now: Date,
): { expiresAt: string | null } | { error: string } {
  if (choice === 'never') return { expiresAt: null }
  if (choice !== 'custom')
    return { expiresAt: new Date(now.getTime() + Number(choice) * DAY).toISOString() }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDay)
  if (!match) return { error: 'Required: pick the last day the key works.' }
  const { min, max } = customDayRange(now)
  if (customDay < min) return { error: 'Pick today or a later day.' }
  if (customDay > max) return { error: `Pick a day at most ${MAX_YEARS} years ahead.` }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return { expiresAt: new Date(year, month - 1, day + 1).toISOString() }
}
