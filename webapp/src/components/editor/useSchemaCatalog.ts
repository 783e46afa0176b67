import { ref, watch, type Ref } from 'vue'

import { datasourcesApi, type DatasourceCatalog } from '@/api/datasources'
import { toApiError, type ApiError } from '@/api/http'

/** The cached catalog (schemas, tables, columns) of the selected datasource, for the schema browser and completion. */
export function useSchemaCatalog(
  datasourceId: Ref<string | null>,
  enabled: Ref<boolean>,
): {
  catalog: Ref<DatasourceCatalog | null>
  loading: Ref<boolean>
  refreshing: Ref<boolean>
  error: Ref<ApiError | null>
  refresh(): Promise<void>
} {
  const catalog = ref<DatasourceCatalog | null>(null)
  const loading = ref(false)
  const refreshing = ref(false)
  const error = ref<ApiError | null>(null)
  let generation = 0

  async function load(refresh: boolean): Promise<void> {
    const id = datasourceId.value
    const mine = ++generation
    error.value = null
    if (!id || !enabled.value) {
      catalog.value = null
      loading.value = refreshing.value = false
      return
    }
    if (refresh) refreshing.value = true
    else {
      loading.value = true
      catalog.value = null
    }
    try {
      const answer = refresh
        ? await datasourcesApi.refreshSchema(id)
        : await datasourcesApi.schema(id)
      if (mine === generation) catalog.value = answer
    } catch (caught) {
      if (mine === generation) error.value = toApiError(caught)
    } finally {
      if (mine === generation) loading.value = refreshing.value = false
    }
  }

  watch([datasourceId, enabled], () => void load(false), { immediate: true })

  return { catalog, loading, refreshing, error, refresh: () => load(true) }
}
