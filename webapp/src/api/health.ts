import { ApiError, request } from './http'

/**
 * `GET /readyz`: whether this server can take work. It answers 200 when ready and 503 when not,
 * with the same body either way, so a 503 here is an answer to show, not an error.
 */

export type CheckStatus = 'up' | 'down'

export interface ReadinessCheck {
  status: CheckStatus
  /** Why a check is down, or what it found when up (e.g. a version). */
  detail?: string
}

/** Checks the server reports today; others may appear and are shown after these. */
export const KNOWN_CHECKS = ['database', 'migrations', 'cluster'] as const

export interface Readiness {
  status: 'ready' | 'not_ready'
  /** By check name: `database`, `migrations`, `cluster` (see {@link KNOWN_CHECKS}). */
  checks: Record<string, ReadinessCheck>
}

export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  const body = await request<unknown>('/readyz', { signal, acceptStatus: [503] })
  if (!isReadiness(body)) {
    throw new ApiError({
      status: 0,
      title: 'Unexpected answer from the server',
      detail: '/readyz did not describe its checks.',
    })
  }
  return body
}

function isReadiness(value: unknown): value is Readiness {
  if (typeof value !== 'object' || value === null) return false
  const { status, checks } = value as Record<string, unknown>
  if (status !== 'ready' && status !== 'not_ready') return false
  if (typeof checks !== 'object' || checks === null) return false
  return Object.values(checks).every(
    (check: unknown) =>
      typeof check === 'object' &&
      check !== null &&
      ((check as ReadinessCheck).status === 'up' || (check as ReadinessCheck).status === 'down'),
  )
}
