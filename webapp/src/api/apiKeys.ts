/**
 * API keys for automation (`/api/v1/api-keys*`). Every member manages their own keys in the current
 * org; admins also list and revoke everyone's. A key acts as its owner, in its org, with the owner's
 * role there. See docs/api.md and `ApiKeyResource` on the server.
 */
import { http } from './http'

export interface ApiKey {
  id: string
  name: string
  /** The key's first characters (`sl_` + 6), enough to tell keys apart, not to use one. */
  prefix: string
  createdAt: string
  /** null when the key was never used. */
  lastUsedAt: string | null
  owner: { id: string; email: string }
}

/** The answer to a create: the only time the whole key is ever sent. */
export interface CreatedApiKey extends ApiKey {
  key: string
}

const BASE = '/api/v1/api-keys'

export const apiKeysApi = {
  /** Active keys only: revoked keys are not listed. */
  list: () => http.get<ApiKey[]>(BASE),
  create: (name: string) => http.post<CreatedApiKey>(BASE, { name }),
  /** Effective at once; 404 when the key is unknown or already revoked. */
  revoke: (id: string) => http.delete<void>(`${BASE}/${encodeURIComponent(id)}`),
}
