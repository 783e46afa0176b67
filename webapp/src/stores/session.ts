import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

import { authApi, type Credentials, type Me } from '@/api/auth'
import { ApiError } from '@/api/http'

/**
 * Who is signed in, in which org, with which role. Loaded once from `/me` by the router guard;
 * `null` after a 401 (never signed in, or the session ended).
 */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const loaded = ref(false)

  const user = computed(() => me.value?.user ?? null)
  const org = computed(() => me.value?.org ?? null)
  const role = computed(() => me.value?.role ?? null)
  const orgs = computed(() => me.value?.orgs ?? [])
  const signedIn = computed(() => me.value !== null)
  const mustChangePassword = computed(() => me.value?.user.mustChangePassword ?? false)

  let loading: Promise<Me | null> | null = null

  /** Reads `/me`; a 401 means signed out. Other failures propagate. */
  async function load(): Promise<Me | null> {
    loading ??= authApi
      .me()
      .then(
        (answer) => set(answer),
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) return set(null)
          throw error
        },
      )
      .finally(() => {
        loading = null
      })
    return loading
  }

  /** `/me` once per page load; later calls reuse it. */
  async function ensureLoaded(): Promise<Me | null> {
    return loaded.value ? me.value : load()
  }

  async function signIn(credentials: Credentials): Promise<Me> {
    return set(await authApi.login(credentials))
  }

  async function signOut(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  /**
   * Ends every session of the user, on every device and browser, this one included; API keys keep
   * working. Unlike {@link signOut} a failure is not swallowed: the other sessions may still be live.
   */
  async function signOutEverywhere(): Promise<void> {
    await authApi.logout(true)
    clear()
  }

  async function switchOrg(orgId: string): Promise<void> {
    set(await authApi.switchOrg(orgId))
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await authApi.changePassword(currentPassword, newPassword)
    await load()
  }

  /** Forgets the user without asking the server (the session already ended there). */
  function clear(): void {
    set(null)
  }

  function set<T extends Me | null>(answer: T): T {
    me.value = answer
    loaded.value = true
    return answer
  }

  return {
    me,
    loaded,
    user,
    org,
    role,
    orgs,
    signedIn,
    mustChangePassword,
    load,
    ensureLoaded,
    signIn,
    signOut,
    signOutEverywhere,
    switchOrg,
    changePassword,
    clear,
  }
})
