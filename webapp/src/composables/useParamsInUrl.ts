// STUB — to be replaced by the parameters helper.
import { ref, type Ref } from 'vue'

import type { ParameterSpec, ParamValue } from '@/api/parameters'

/**
 * Parameter values kept in the route's query string (`p.<name>=…`) so a link reproduces the view: initial values
 * come from the URL, else from each spec's default; changes are written back with `router.replace`.
 */
export function useParamsInUrl(specs: Ref<ParameterSpec[]>): {
  values: Ref<Record<string, ParamValue>>
} {
  void specs
  return { values: ref({}) }
}
