/**
 * The datasource form's state, client-side checks and mapping to and from the API. Numbers are kept
 * as the text typed, so a half-typed value can be named in an error instead of silently becoming 0.
 */
import type { FieldError } from '@/api/http'
import type {
  Datasource,
  DatasourceTestCode,
  DatasourceTestResult,
  DatasourceWrite,
  SslMode,
} from '@/api/datasources'
import { ApiError } from '@/api/http'
import { splitFieldErrors } from '@/lib/fieldErrors'
import { formatBytes } from '@/lib/format'

export interface NumberField {
  key: NumberKey
  label: string
  min: number
  max: number
}

export type NumberKey =
  | 'port'
  | 'maxConcurrency'
  | 'defaultTimeoutMs'
  | 'maxTimeoutMs'
  | 'defaultMaxRows'
  | 'maxRowsLimit'
  | 'defaultMaxBytes'
  | 'maxBytesLimit'

export type TextKey = 'name' | 'host' | 'database' | 'user' | 'searchPath'

export type FieldKey = TextKey | NumberKey | 'password' | 'sslMode' | 'readOnly'

/** The units byte limits are typed in. */
export type ByteUnit = 'MiB' | 'GiB'
export type ByteKey = 'defaultMaxBytes' | 'maxBytesLimit'

export const BYTE_UNITS: Readonly<Record<ByteUnit, number>> = {
  MiB: 1024 * 1024,
  GiB: 1024 * 1024 * 1024,
}

export const BYTE_KEYS: readonly ByteKey[] = ['defaultMaxBytes', 'maxBytesLimit']

export function isByteKey(key: NumberKey): key is ByteKey {
  return (BYTE_KEYS as readonly string[]).includes(key)
}

/** Byte limits hold the amount typed (`64`, `1.5`) in the field's unit; every other number is the value itself. */
export type FormState = Record<TextKey | NumberKey, string> & {
  units: Record<ByteKey, ByteUnit>
  password: string
  /** On edit: send `password: null`. */
  clearPassword: boolean
  sslMode: SslMode
  readOnly: boolean
}

export type FormErrors = Partial<Record<FieldKey, string>>

const GIB = 1024 * 1024 * 1024

export const NUMBER_FIELDS: Readonly<Record<NumberKey, NumberField>> = {
  port: { key: 'port', label: 'Port', min: 1, max: 65535 },
  maxConcurrency: { key: 'maxConcurrency', label: 'Max concurrent queries', min: 1, max: 256 },
  defaultTimeoutMs: {
    key: 'defaultTimeoutMs',
    label: 'Default timeout (ms)',
    min: 1000,
    max: 86_400_000,
  },
  maxTimeoutMs: { key: 'maxTimeoutMs', label: 'Maximum timeout (ms)', min: 1000, max: 86_400_000 },
  defaultMaxRows: { key: 'defaultMaxRows', label: 'Default row limit', min: 1, max: 1_000_000_000 },
  maxRowsLimit: { key: 'maxRowsLimit', label: 'Maximum row limit', min: 1, max: 1_000_000_000 },
  defaultMaxBytes: {
    key: 'defaultMaxBytes',
    label: 'Default byte limit',
    min: 1024,
    max: 64 * GIB,
  },
  maxBytesLimit: { key: 'maxBytesLimit', label: 'Maximum byte limit', min: 1024, max: 64 * GIB },
}

/** Each default and the maximum it must not exceed. */
export const LIMIT_PAIRS: readonly [NumberKey, NumberKey][] = [
  ['defaultTimeoutMs', 'maxTimeoutMs'],
  ['defaultMaxRows', 'maxRowsLimit'],
  ['defaultMaxBytes', 'maxBytesLimit'],
]

const REQUIRED: readonly TextKey[] = ['name', 'host', 'database', 'user']
const FIELD_KEYS: readonly FieldKey[] = [
  'name',
  'host',
  'database',
  'user',
  'searchPath',
  'password',
  'sslMode',
  'readOnly',
  ...(Object.keys(NUMBER_FIELDS) as NumberKey[]),
]

/** The server's defaults for a new datasource. */
export function emptyForm(): FormState {
  return {
    name: '',
    host: '',
    port: '5432',
    database: '',
    user: '',
    password: '',
    clearPassword: false,
    sslMode: 'prefer',
    searchPath: '',
    maxConcurrency: '3',
    defaultTimeoutMs: '30000',
    maxTimeoutMs: '300000',
    defaultMaxRows: '100000',
    maxRowsLimit: '1000000',
    defaultMaxBytes: '64',
    maxBytesLimit: '512',
    units: { defaultMaxBytes: 'MiB', maxBytesLimit: 'MiB' },
    readOnly: true,
  }
}

/** Bytes as an amount and a unit: whole GiB in GiB, anything else in MiB (`0.5` MiB for 512 KiB). */
export function bytesToAmount(bytes: number): { amount: string; unit: ByteUnit } {
  if (bytes > 0 && bytes % BYTE_UNITS.GiB === 0) {
    return { amount: String(bytes / BYTE_UNITS.GiB), unit: 'GiB' }
  }
  return { amount: String(bytes / BYTE_UNITS.MiB), unit: 'MiB' }
}

/** The bytes of a typed amount (`1.5` GiB), or undefined when it is not a plain positive number. */
export function amountToBytes(text: string, unit: ByteUnit): number | undefined {
  const trimmed = text.trim()
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return undefined
  return Math.round(Number(trimmed) * BYTE_UNITS[unit])
}

/** A field's value as the API takes it (bytes for byte limits); undefined when it is not a valid number. */
function numberValue(form: FormState, key: NumberKey): number | undefined {
  return isByteKey(key) ? amountToBytes(form[key], form.units[key]) : parseWhole(form[key])
}

export function formFrom(datasource: Datasource): FormState {
  const form = emptyForm()
  form.name = datasource.name
  form.host = datasource.host ?? ''
  form.database = datasource.database ?? ''
  form.user = datasource.user ?? ''
  form.searchPath = datasource.searchPath ?? ''
  form.sslMode = datasource.sslMode ?? 'prefer'
  form.readOnly = datasource.readOnly
  if (datasource.port !== undefined) form.port = String(datasource.port)
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) {
    if (key === 'port') continue
    if (isByteKey(key)) {
      const { amount, unit } = bytesToAmount(datasource[key])
      form[key] = amount
      form.units[key] = unit
    } else form[key] = String(datasource[key])
  }
  return form
}

function parseWhole(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return undefined
  return Number(trimmed)
}

/** Client-side checks; an empty object means the form may be sent. */
export function validate(form: FormState, options: { requireName?: boolean } = {}): FormErrors {
  const errors: FormErrors = {}
  for (const key of REQUIRED) {
    if (key === 'name' && options.requireName === false) continue
    if (form[key].trim() === '') errors[key] = 'Required.'
  }
  for (const field of Object.values(NUMBER_FIELDS)) {
    const text = form[field.key]
    if (text.trim() === '') {
      errors[field.key] = 'Required.'
      continue
    }
    const value = numberValue(form, field.key)
    const bytes = isByteKey(field.key)
    if (value === undefined) {
      errors[field.key] = bytes ? 'Enter a number, such as 64 or 1.5.' : 'Enter a whole number.'
    } else if (value < field.min || value > field.max) {
      errors[field.key] = bytes
        ? `Must be between ${formatBytes(field.min)} and ${formatBytes(field.max)}.`
        : `Must be between ${field.min.toLocaleString('en-US')} and ${field.max.toLocaleString('en-US')}.`
    }
  }
  for (const [low, high] of LIMIT_PAIRS) {
    if (errors[low] || errors[high]) continue
    if (numberValue(form, low)! > numberValue(form, high)!) {
      errors[low] = `Must not exceed the maximum (${NUMBER_FIELDS[high].label.toLowerCase()}).`
    }
  }
  return errors
}

/** The body to save or test. On edit an empty password is omitted (kept), unless it is cleared. */
export function toBody(form: FormState, mode: 'create' | 'edit'): DatasourceWrite {
  const body: DatasourceWrite = {
    name: form.name.trim(),
    host: form.host.trim(),
    database: form.database.trim(),
    user: form.user.trim(),
    sslMode: form.sslMode,
    searchPath: form.searchPath.trim(),
    readOnly: form.readOnly,
  }
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) body[key] = numberValue(form, key)
  if (mode === 'edit' && form.clearPassword) body.password = null
  else if (form.password !== '') body.password = form.password
  return body
}

/** `errors[].field` JSON pointers (`/port`) of a 400 become inline messages; the rest stay general. */
export function serverFieldErrors(errors: readonly FieldError[]): {
  fields: FormErrors
  other: string[]
} {
  return splitFieldErrors(errors, FIELD_KEYS)
}

const CODE_TITLES: Readonly<Record<DatasourceTestCode, string>> = {
  authentication_failed: 'Authentication failed',
  connection_refused: 'Connection refused',
  host_not_found: 'Host not found',
  host_unreachable: 'Host unreachable',
  database_not_found: 'Database not found',
  ssl_required: 'The server requires SSL',
  ssl_not_supported: 'The server does not support SSL',
  ssl_error: 'SSL error',
  timeout: 'The connection timed out',
  permission_denied: 'Permission denied',
  unsupported_kind: 'Unsupported kind of datasource',
  error: 'The connection failed',
}

/** What the Test button shows: a green line, or a titled error in words. */
export interface TestOutcome {
  ok: boolean
  title: string
  detail?: string
}

export function testOutcome(result: DatasourceTestResult): TestOutcome {
  if (result.ok) {
    return { ok: true, title: `Connected — ${result.serverVersion} in ${result.latencyMs} ms` }
  }
  return {
    ok: false,
    title: CODE_TITLES[result.code] ?? CODE_TITLES.error,
    detail: result.message,
  }
}

export function testFailure(error: ApiError): TestOutcome {
  if (error.status === 503) {
    return {
      ok: false,
      title: 'No runner is available to test the connection',
      detail: error.detail ?? 'Start a runner (or wait for one to connect) and try again.',
    }
  }
  return { ok: false, title: error.title, detail: error.detail }
}
