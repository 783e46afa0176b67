/**
 * Patches the current route's query string (empty values remove their key) with `replace`, so filters that live in
 * the URL do not pile up history entries.
 */
import { useRoute, useRouter } from 'vue-router'

export function useRouteQueryPatch(): (patch: Record<string, string>) => void {
  const route = useRoute()
  const router = useRouter()
  return (patch) => {
    const query = { ...route.query }
    for (const [key, value] of Object.entries(patch)) {
      if (value) query[key] = value
      else delete query[key]
    }
    void router.replace({ query })
  }
}
