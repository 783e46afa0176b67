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
  /** null when the key was never used; refreshed at most once a minute. */
  lastUsedAt: string | null
  /** When the key stops working (it is refused from then on, still listed until revoked); null: never. */
  expiresAt: string | null
  owner: { id: string; email: string }
}

/** The answer to a create: the only time the whole key is ever sent. */
export interface CreatedApiKey extends ApiKey {
  key: string
}

const BASE = '/api/v1/api-keys'

export const apiKeysApi = {
  /** Unrevoked keys, expired ones included; revoked keys are not listed. */
  list: () => http.get<ApiKey[]>(BASE),
  /** `expiresAt`: an ISO-8601 instant a minute to five years ahead, or null for a key that never expires. */
  create: (name: string, expiresAt: string | null) =>
    http.post<CreatedApiKey>(BASE, { name, expiresAt }),
  /** Effective at once; 404 when the key is unknown or already revoked. */
  revoke: (id: string) => http.delete<void>(`${BASE}/${encodeURIComponent(id)}`),
}
