/**
 * What a failed save means for the edit page. A 409 `stale-version` (someone saved since this edit started) is told
 * in words; a 400's `errors[]` are placed where they belong: `/tiles/N/bindings/<param>` (and below it) on that cell
 * of the bindings matrix, other `/tiles/N/…` on tile N, the rest listed as they came, tile numbers turned into titles.
 */
import type { ApiError, FieldError } from '@/api/http'
import { formatDateTime } from '@/lib/format'

import { tileTitle, type DraftTile } from './draft'

export const STALE_VERSION_TYPE = 'urn:sightline:problem:stale-version'

export function isStaleVersion(error: ApiError): boolean {
  return error.status === 409 && error.type === STALE_VERSION_TYPE
}

/**
 * The 409's detail ("This dashboard is at version 7 (saved by ana@example.com at 2026-…Z); your edit started from
 * version 5. …") retold with the time in the reader's zone; the detail itself when it does not read that way.
 */
export function staleVersionText(error: ApiError, options: { timeZone?: string } = {}): string {
  const detail = error.detail ?? ''
  const m =
    /is at version (\d+) \(saved by (.*) at (\S+)\); your edit started from version (\d+)/.exec(
      detail,
    )
  if (!m) return detail || 'Someone saved this dashboard since you opened it.'
  const [, version, who, at, basedOn] = m
  const by = who === 'null' || who === '' ? 'someone' : who
  return (
    `${by} saved version ${version} at ${formatDateTime(at, options)}; your edit started from version ` +
    `${basedOn}. Reload the latest to continue (your changes stay here to copy).`
  )
}

export interface PlacedErrors {
  /** tile key → tile parameter → message (a binding's own errors). */
  cells: Record<string, Record<string, string>>
  /** tile key → messages about the tile itself. */
  tiles: Record<string, string[]>
  /** Everything else, one line each, with tile numbers turned into titles. */
  other: string[]
}

function untoken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?)]$/.test(text) ? text : `${text}.`
}

/** Places a 400's errors; `tiles` is the draft's tile list as it was sent (the `N` of `/tiles/N`). */
export function placeErrors(
  errors: readonly FieldError[],
  tiles: readonly DraftTile[],
): PlacedErrors {
  const out: PlacedErrors = { cells: {}, tiles: {}, other: [] }
  for (const { path, message } of errors) {
    const m = /^#?\/tiles\/(\d+)(?:\/(.*))?$/.exec(path)
    const tile = m ? tiles[Number(m[1])] : undefined
    if (!m || !tile) {
      out.other.push(path ? `${path}: ${message}` : message)
      continue
    }
    const rest = m[2] ?? ''
    const binding = /^bindings\/([^/]+)(?:\/(.*))?$/.exec(rest)
    if (binding) {
      const param = untoken(binding[1]!)
      const where = binding[2] ? ` (${binding[2]})` : ''
      const cells = (out.cells[tile.key] ??= {})
      const text = sentence(message) + where
      cells[param] = cells[param] ? `${cells[param]} ${text}` : text
      continue
    }
    const text = rest ? `${rest}: ${message}` : message
    ;(out.tiles[tile.key] ??= []).push(text)
    out.other.push(`Tile “${tileTitle(tile)}”: ${text}`)
  }
  return out
}
