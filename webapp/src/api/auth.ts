/** Sign-in, sign-out and the current user (`/api/v1/auth/*`, `/api/v1/me*`). See docs/api.md. */
import { http } from './http'

export type Role = 'admin' | 'editor' | 'viewer'

export interface MeUser {
  id: string
  email: string
  displayName: string
  /** A one-time password is in use: every other route answers 403 until it is replaced. */
  mustChangePassword: boolean
}

export interface MeOrg {
  id: string
  name: string
  slug: string
  timezone: string
}

export interface OrgMembership {
  id: string
  name: string
  slug: string
  role: Role
}

/** `GET /api/v1/me`: who I am, in which org, with which role, and my other orgs. */
export interface Me {
  user: MeUser
  org: MeOrg
  role: Role
  orgs: OrgMembership[]
  csrfToken?: string
}

export interface Credentials {
  email: string
  password: string
}

// A 401 from these is an answer (wrong password, not signed in), not an expired session.
export const authApi = {
  login: (credentials: Credentials) =>
    http.post<Me>('/api/v1/auth/login', credentials, { ownUnauthorized: true }),
  /** Ends this session; `everywhere`: every session of the user, on every device (API keys stay valid). */
  logout: (everywhere = false) =>
    http.post<void>(`/api/v1/auth/logout${everywhere ? '?everywhere=true' : ''}`, undefined, {
      ownUnauthorized: true,
    }),
  me: () => http.get<Me>('/api/v1/me', { ownUnauthorized: true }),
  switchOrg: (orgId: string) => http.put<Me>('/api/v1/me/org', { orgId }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<void>('/api/v1/me/password', { currentPassword, newPassword }),
}
