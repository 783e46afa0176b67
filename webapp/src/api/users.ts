/**
 * Members of the current org (`/api/v1/users*`), managed by its admins; every route answers 403
 * to editors and viewers. See docs/api.md and `UserResource` on the server.
 */
import type { Role } from './auth'
import { http } from './http'

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin']

/** One member: the account (email, name) and its membership of this org (role, disabled). */
export interface Member {
  id: string
  email: string
  /** Empty when none was given. */
  displayName: string
  role: Role
  /** Access to this org is disabled: sessions and API keys here stop working. */
  disabled: boolean
  /** Still signing in with a one-time password. */
  mustChangePassword: boolean
  /** ISO-8601; null when the account never signed in. */
  lastLoginAt: string | null
  /** When the membership began (ISO-8601). */
  memberSince: string
}

export interface InviteRequest {
  email: string
  role: Role
  displayName?: string
  /** An initial password; without it the server generates a one-time password. */
  password?: string
}

/** `POST /api/v1/users` answers the member, plus the one-time password when it made a new account. */
export interface InvitedMember extends Member {
  /** The email already had an account (from another org): it keeps its password. */
  existingAccount: boolean
  /** Only for a new account invited without a password; never returned again. */
  oneTimePassword?: string
}

export interface MemberUpdate {
  role?: Role
  displayName?: string
  disabled?: boolean
}

/** `POST /api/v1/users/{id}/password-reset`: the member's sessions end; they sign in with this once. */
export interface PasswordReset {
  oneTimePassword: string
}

const BASE = '/api/v1/users'
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const usersApi = {
  list: () => http.get<Member[]>(BASE),
  get: (id: string) => http.get<Member>(one(id)),
  invite: (body: InviteRequest) => http.post<InvitedMember>(BASE, body),
  /** 409 when it would leave the org without an active admin. */
  update: (id: string, body: MemberUpdate) => http.patch<Member>(one(id), body),
  resetPassword: (id: string) => http.post<PasswordReset>(`${one(id)}/password-reset`),
}
