/**
 * The org's audit log (`GET /api/v1/audit`, admins only): sign-ins and failed sign-ins, password changes and resets,
 * member invites / role changes / disables, API keys, datasources, deletions. Newest first, in keyset pages. See
 * docs/audit.md and `AuditResource` on the server.
 */
import { http } from './http'

export interface AuditEvent {
  id: string
  at: string
  /** `area.verb`, e.g. `datasource.updated`. */
  action: string
  /** No user: the command line (`reset-admin-password`); a failed sign-in names the email attempted. */
  actor: { userId: string | null; email: string | null; apiKeyId: string | null }
  target: { kind: string | null; id: string | null; name: string | null }
  ip: string | null
  requestId: string | null
  /** Further facts (a role change's from/to, a datasource update's fields); never a secret. */
  details: Record<string, unknown>
}

export interface AuditFilter {
  /** An action, or a whole area such as `auth`. */
  action?: string
  /** A user id or an email. */
  actor?: string
  targetKind?: string
  /** ISO-8601 with offset. */
  from?: string
  to?: string
  limit?: number
  cursor?: string
}

export interface AuditPage {
  items: AuditEvent[]
  nextCursor: string | null
}

/** The actions the server records, by area, for the filter. */
export const AUDIT_ACTIONS: readonly string[] = [
  'auth',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.password_changed',
  'auth.password_reset',
  'member',
  'member.invited',
  'member.role_changed',
  'member.disabled',
  'member.enabled',
  'api_key',
  'api_key.created',
  'api_key.revoked',
  'datasource',
  'datasource.created',
  'datasource.updated',
  'datasource.deleted',
  'query.deleted',
  'query.archived',
  'dashboard.deleted',
  'dashboard.archived',
  'schedule.deleted',
]

export const AUDIT_TARGET_KINDS: readonly string[] = [
  'user',
  'api_key',
  'datasource',
  'query',
  'dashboard',
  'schedule',
]

export function listAuditEvents(
  filter: AuditFilter = {},
  signal?: AbortSignal,
): Promise<AuditPage> {
  return http.get<AuditPage>('/api/v1/audit', {
    signal,
    query: {
      action: filter.action,
      actor: filter.actor,
      targetKind: filter.targetKind,
      from: filter.from,
      to: filter.to,
      limit: filter.limit,
      cursor: filter.cursor,
    },
  })
}
