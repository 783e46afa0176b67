/**
 * The reading and the next firings of the cron or interval being typed (`GET /api/v1/schedules/preview`), asked
 * `delayMs` after the last change (an older answer is aborted, never shown over a newer one). A 400 names the field
 * (`?cron`, `?every`, `?timezone`): its message is put on that field of the form; anything else is a general problem.
 */
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue'

import { ApiError, toApiError } from '@/api/http'
import { previewSchedule, type ScheduleKind, type SchedulePreview } from '@/api/schedules'

export interface PreviewInput {
  kind: ScheduleKind
  everySeconds: number | null
  cron: string
  /** Blank: the org's zone. */
  timezone: string
}

export type PreviewField = 'cron' | 'everySeconds' | 'timezone'

const FIELDS: Record<string, PreviewField> = {
  '?cron': 'cron',
  '?every': 'everySeconds',
  '?timezone': 'timezone',
}

/** A preview 400's errors placed on the form's fields; the rest joined as one message. */
export function previewFieldErrors(error: ApiError): {
  fields: Partial<Record<PreviewField, string>>
  other: string | null
} {
  const fields: Partial<Record<PreviewField, string>> = {}
  const other: string[] = []
  for (const { path, message } of error.errors) {
    const field = FIELDS[path]
    if (field) fields[field] = fields[field] ? `${fields[field]} ${message}` : message
    else other.push(path ? `${path}: ${message}` : message)
  }
  if (error.errors.length === 0) other.push(error.detail ?? error.title)
  return { fields, other: other.length ? other.join('; ') : null }
}

export function useSchedulePreview(input: Ref<PreviewInput>, delayMs = 300) {
  const preview = shallowRef<SchedulePreview | null>(null)
  const fieldErrors = ref<Partial<Record<PreviewField, string>>>({})
  const problem = ref<string | null>(null)
  const loading = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | null = null

  async function ask(now: PreviewInput): Promise<void> {
    inflight?.abort()
    const controller = new AbortController()
    inflight = controller
    loading.value = true
    try {
      const answer = await previewSchedule(
        {
          cron: now.kind === 'cron' ? now.cron.trim() : undefined,
          every: now.kind === 'interval' ? (now.everySeconds ?? undefined) : undefined,
          timezone: now.timezone.trim() || undefined,
        },
        controller.signal,
      )
      if (controller.signal.aborted) return
      preview.value = answer
      fieldErrors.value = {}
      problem.value = null
    } catch (caught) {
      if (controller.signal.aborted) return
      const error = toApiError(caught)
      preview.value = null
      if (error.status === 400) {
        const placed = previewFieldErrors(error)
        fieldErrors.value = placed.fields
        problem.value = placed.other
      } else {
        fieldErrors.value = {}
        problem.value = error.detail ? `${error.title}: ${error.detail}` : error.title
      }
    } finally {
      if (inflight === controller) {
        inflight = null
        loading.value = false
      }
    }
  }

  function schedule(now: PreviewInput): void {
    clearTimeout(timer)
    const missing =
      now.kind === 'cron' ? now.cron.trim() === '' : !now.everySeconds || now.everySeconds <= 0
    if (missing) {
      inflight?.abort()
      preview.value = null
      fieldErrors.value = {}
      problem.value = null
      loading.value = false
      return
    }
    timer = setTimeout(() => void ask(now), delayMs)
  }

  watch(input, (now) => schedule({ ...now }), { deep: true, immediate: true })
  onScopeDispose(() => {
    clearTimeout(timer)
    inflight?.abort()
  })

  return { preview, fieldErrors, problem, loading }
}
